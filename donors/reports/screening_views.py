"""The screening reports' pages (coordinators only): turnaround and the funnel, each with charts, the same
numbers as tables, and a CSV download per table. Filters come in the query string (GET); a bad filter shows
its message on the page and no numbers."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from milkbank import roles
from milkbank.access import staff_permission
from milkbank.charts import Table, bar_chart, csv_response, line_chart

from . import screening
from .screening import Filters

PERIODS = [(30, "Last 30 days"), (90, "Last 90 days"), (365, "Last 365 days")]
DEFAULT_DAYS = 90
MAX_DAYS = 3 * 366  # a longer range is refused: the by-month tables would not fit a page
DEFAULT_QUIET_DAYS = 30


class CoordinatorChoice(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


class ReportFilterForm(forms.Form):
    """The period (last 30, 90 or 365 days, or two dates) and who: a coordinator, bereaved donors or not."""

    days = forms.TypedChoiceField(
        label="Period",
        choices=PERIODS,
        coerce=int,
        required=False,
        empty_value=DEFAULT_DAYS,
        widget=forms.RadioSelect,
    )
    start = forms.DateField(
        label="Or from",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="A date (year-month-day). Give both dates, or neither.",
    )
    end = forms.DateField(label="to", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    coordinator = CoordinatorChoice(
        label="Coordinator", queryset=get_user_model().objects.none(), required=False, empty_label="All"
    )
    bereaved = forms.TypedChoiceField(
        label="Donors",
        choices=[("", "All donors"), ("yes", "Bereaved donors"), ("no", "Donors who are not bereaved")],
        coerce=lambda value: value == "yes",
        required=False,
        empty_value=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = (
            get_user_model()
            .objects.filter(is_staff=True, groups__name=roles.COORDINATOR)
            .order_by("first_name", "last_name", "username")
            .distinct()
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        if bool(start) != bool(end):
            raise forms.ValidationError("Give both dates (from and to), or neither.", code="one_date")
        if start and end:
            if start > end:
                raise forms.ValidationError("The first date is after the second.", code="reversed")
            if (end - start).days + 1 > MAX_DAYS:
                raise forms.ValidationError(
                    "Choose a period of at most three years.", code="too_long", params={"days": MAX_DAYS}
                )
            if start > timezone.localdate():
                raise forms.ValidationError("The period starts in the future.", code="future")
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_bound else {}
        start, end = data.get("start"), data.get("end")
        if not (start and end):
            end = timezone.localdate()
            start = end - datetime.timedelta(days=(data.get("days") or DEFAULT_DAYS) - 1)
        coordinator = data.get("coordinator")
        return Filters(start, end, coordinator.pk if coordinator else None, data.get("bereaved"))


class FunnelFilterForm(ReportFilterForm):
    quiet_days = forms.IntegerField(
        label="“No answer” after",
        min_value=1,
        max_value=365,
        required=False,
        help_text="days with no step (1 to 365).",
    )

    def quiet(self) -> int:
        return (self.cleaned_data.get("quiet_days") if self.is_bound else None) or DEFAULT_QUIET_DAYS


def _form(form_class, request):
    # An empty query string is the default report; anything else is checked.
    return form_class(request.GET) if request.GET else form_class()


def _query(request, **change) -> str:
    params = request.GET.copy()
    params.pop("table", None)
    for key, value in change.items():
        params[key] = value
    return params.urlencode()


def _period_links(request, form) -> list[dict]:
    """Links for the three usual periods, keeping the other filters (one click each)."""
    days = form.cleaned_data.get("days") if form.is_bound and form.is_valid() else DEFAULT_DAYS
    dated = form.is_bound and form.is_valid() and form.cleaned_data.get("start")
    links = []
    for value, label in PERIODS:
        params = request.GET.copy()
        for key in ("start", "end", "table"):
            params.pop(key, None)
        params["days"] = value
        links.append({"label": label, "query": params.urlencode(), "current": not dated and days == value})
    return links


# Names short enough to sit under a bar or in a chart's legend; the tables keep the whole names.
SHORT = {
    "Phone screen": "Phone",
    "Questionnaire sent": "Sent",
    "Questionnaire submitted": "Answered",
    "Questionnaire accepted": "Accepted",
    "Bloodwork ordered": "Blood ordered",
    "Bloodwork resulted": "Blood results",
    "Approved": "Approved",
}
STEP_SHORT = [SHORT[screening.STEP_LABELS[step]] for step in screening.STEPS]


def _chart_table(table: Table, columns: list[int], labels: list[str] | None = None) -> Table:
    """The same numbers for a chart: some number columns only (a chart in days leaves out the donor counts),
    short row labels and series names."""
    labels = labels or [row[0] for row in table.rows]
    return Table(
        table.caption,
        [table.columns[0], *(SHORT.get(table.columns[i], table.columns[i]) for i in columns)],
        [[label, *(row[i] for i in columns)] for label, row in zip(labels, table.rows, strict=True)],
    )


def _month_chart(table: Table) -> Table:
    return _chart_table(table, list(range(1, len(table.columns))))


def _stopped_chart(table: Table) -> Table:
    """Where the others are now, with the declines as one bar (the table shows them by step)."""
    short = [
        ("Withdrew", "Withdrew"),
        ("Deferred", "Deferred"),
        ("Research only", "Research"),
        ("No answer", "No answer"),
        ("Still in screening", "In screening"),
    ]
    rows = [["Declined", sum(row[1] for row in table.rows if row[0].startswith("Declined"))]]
    rows += [[label, row[1]] for start, label in short for row in table.rows if row[0].startswith(start)]
    return Table(table.caption, ["Where", "Donors"], rows)


def _figures(request, tables: dict[str, Table], charts: dict, url_name: str) -> list[dict]:
    csv_base = reverse(url_name)
    return [
        {"table": tables[name], "chart": draw(), "csv_url": f"{csv_base}?{_query(request, table=name)}"}
        for name, draw in charts.items()
    ]


def _csv(request, form, tables_for, prefix: str):
    if form.is_bound and not form.is_valid():
        raise Http404("No report for these filters.")
    tables = tables_for(form)
    name = request.GET.get("table") or next(iter(tables))  # the report's first table by default
    if name not in tables:
        raise Http404("No such table.")
    filters = form.filters()
    return csv_response(tables[name], f"{prefix}-{name}-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.csv")


# --- Turnaround -----------------------------------------------------------------------------------------


def _turnaround_tables(form) -> dict[str, Table]:
    return screening.turnaround(form.filters()).tables()


@staff_permission("donors.view_donor")
@require_safe
def turnaround(request):
    """How long screening takes: days from the inquiry, and between steps, median and 90th percentile."""
    form = _form(ReportFilterForm, request)
    context = {"form": form, "period_links": _period_links(request, form), "note": screening.PERCENTILE_NOTE}
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        tables = _turnaround_tables(form)
        charts = {
            "from-inquiry": lambda: bar_chart(
                _chart_table(tables["from-inquiry"], [2, 3], STEP_SHORT), unit="days"
            ),
            "between-steps": lambda: bar_chart(
                _chart_table(tables["between-steps"], [2, 3], STEP_SHORT), unit="days"
            ),
            "median-by-month": lambda: line_chart(_month_chart(tables["median-by-month"]), unit="days"),
            "p90-by-month": lambda: line_chart(_month_chart(tables["p90-by-month"]), unit="days"),
            "between-median-by-month": lambda: line_chart(
                _month_chart(tables["between-median-by-month"]), unit="days"
            ),
            "between-p90-by-month": lambda: line_chart(
                _month_chart(tables["between-p90-by-month"]), unit="days"
            ),
        }
        context |= {
            "filters": filters,
            "figures": _figures(request, tables, charts, "donors:report_turnaround_csv"),
        }
    return render(request, "donors/reports/screening_turnaround.html", context)


@staff_permission("donors.view_donor")
@require_safe
def turnaround_csv(request):
    return _csv(request, _form(ReportFilterForm, request), _turnaround_tables, "turnaround")


# --- The funnel -----------------------------------------------------------------------------------------


def _funnel_tables(form) -> dict[str, Table]:
    return screening.funnel(form.filters(), quiet_days=form.quiet()).tables()


@staff_permission("donors.view_donor")
@require_safe
def funnel(request):
    """Of the inquiries in a period: how many reached each step, and where the others are now."""
    form = _form(FunnelFilterForm, request)
    context = {"form": form, "period_links": _period_links(request, form)}
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        result = screening.funnel(filters, quiet_days=form.quiet())
        tables = result.tables()
        charts = {
            "reached": lambda: bar_chart(
                _chart_table(tables["reached"], [1], ["Inquiry", *STEP_SHORT]), unit="donors"
            ),
            "stopped": lambda: bar_chart(_stopped_chart(tables["stopped"]), unit="donors"),
        }
        context |= {
            "filters": filters,
            "funnel": result,
            "figures": _figures(request, tables, charts, "donors:report_funnel_csv"),
        }
    return render(request, "donors/reports/screening_funnel.html", context)


@staff_permission("donors.view_donor")
@require_safe
def funnel_csv(request):
    return _csv(request, _form(FunnelFilterForm, request), _funnel_tables, "funnel")
