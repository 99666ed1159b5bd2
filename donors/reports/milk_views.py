"""The milk, donor and annual reports (issue 17): a period chooser, then each figure as a chart, the same
numbers as a table, and a CSV download. Queries live in donors.reports.milk.

Depot volunteers see their depots' milk only (the milk report's own scope) and never the donor figures; a
depot outside their scope answers 404. Bad input shows a message on the page, never a 500.
"""

import datetime
import re

from django import forms
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from milkbank.access import staff_permission
from milkbank.charts import bar_chart, csv_response, line_chart

from ..models import Depot, Donor
from . import milk as reports
from . import screening

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
FIRST_YEAR = reports.EARLIEST_MONTH.year


def _parse_month(text: str) -> datetime.date | None:
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        return None
    try:
        return datetime.date(int(match[1]), int(match[2]), 1)
    except ValueError:  # year 0000
        return None


class PeriodForm(forms.Form):
    months = forms.TypedChoiceField(
        label="Show the last",
        coerce=int,
        choices=[(n, f"{n} months") for n in reports.PERIOD_CHOICES],
        required=False,
        empty_value=12,
    )
    start = forms.CharField(
        label="Or from month",
        required=False,
        max_length=7,
        help_text="As year-month, for example 2025-01.",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-01", "inputmode": "numeric"}),
    )
    end = forms.CharField(
        label="To month",
        required=False,
        max_length=7,
        help_text="Leave empty for this month.",
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2025-12", "inputmode": "numeric"}),
    )
    depot = forms.TypedChoiceField(label="Depot", coerce=int, required=False, empty_value=None)

    def __init__(self, *args, depots=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["depot"].choices = [("", "All my depots"), *depots]

    def _month(self, name):
        text = self.cleaned_data.get(name, "")
        if not text:
            return None
        month = _parse_month(text)
        if month is None:
            raise forms.ValidationError(
                "Write the month as year-month, for example 2025-01.", code="month_format"
            )
        return month

    def clean_start(self):
        return self._month("start")

    def clean_end(self):
        return self._month("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if self.errors:
            return data
        this_month = timezone.localdate().replace(day=1)
        if start is None and end is not None:
            self.add_error("start", forms.ValidationError("Choose the first month too.", code="start_needed"))
            return data
        if start is None:
            data["period"] = reports.Period.last_months(data.get("months") or 12)
            return data
        end = end or this_month
        if start < reports.EARLIEST_MONTH:
            self.add_error("start", forms.ValidationError("Choose a month from 2000 on.", code="too_early"))
        elif start > this_month:
            self.add_error(
                "start", forms.ValidationError("The first month cannot be in the future.", code="future")
            )
        elif end > this_month:
            self.add_error(
                "end", forms.ValidationError("The last month cannot be in the future.", code="future")
            )
        elif start > end:
            self.add_error(
                "end", forms.ValidationError("The last month must be on or after the first.", code="order")
            )
        elif len(reports.Period(start, end).months) > reports.MAX_MONTHS:
            self.add_error(
                "end",
                forms.ValidationError(
                    "Choose at most %(max)s months.", code="too_long", params={"max": reports.MAX_MONTHS}
                ),
            )
        else:
            data["period"] = reports.Period(start, end)
        return data


def _depot_choices(user) -> list[tuple[int, str]]:
    return [
        (pk, f"{name}, {city}")
        for pk, name, city in Depot.objects.for_user(user)
        .order_by("name", "city")
        .values_list("pk", "name", "city")
    ]


def _chosen(request, *, with_depot: bool):
    """The period form bound to the query string; a depot id outside the user's scope answers 404 (it is
    not a choice of theirs, and saying "not yours" would confirm it exists)."""
    depots = _depot_choices(request.user) if with_depot else []
    form = PeriodForm(request.GET or None, depots=depots)
    if not with_depot:
        del form.fields["depot"]
    raw = request.GET.get("depot", "").strip()
    if with_depot and raw.isdecimal() and raw.isascii() and int(raw) not in {pk for pk, _ in depots}:
        raise Http404("No such depot among yours.")
    if not form.is_bound:
        return form, reports.Period.last_months(12), None
    if not form.is_valid():
        return form, None, None
    depot = None
    if with_depot and form.cleaned_data.get("depot"):
        depot = Depot(pk=form.cleaned_data["depot"])
    return form, form.cleaned_data["period"], depot


def _csv_url(request, name: str, *args) -> str:
    """The CSV of the figures on the page: the same query string, so the same period and depot."""
    query = request.GET.urlencode()
    return reverse(name, args=args) + (f"?{query}" if query else "")


# --- The reports' index -------------------------------------------------------------------------------


@staff_permission("donors.view_dropoff")
@require_safe
def index(request):
    return render(request, "donors/reports/milk_index.html")


# --- Milk ---------------------------------------------------------------------------------------------

# The milk page's sections, in order: the CSV's name -> (MilkFigures attribute, heading).
MILK_TABLES = {
    "by-route": ("by_route", "By route"),
    "by-use": ("by_use", "For babies and for research"),
    "by-depot": ("by_depot", "By depot"),
    "not-used": ("not_used", "Milk not used"),
}


@staff_permission("donors.view_dropoff")
@require_safe
def milk(request):
    """Milk received per month by route, by use and by depot, and milk not used, for the depots this person
    may see. A fixed number of queries (see donors.reports.milk.milk_figures)."""
    form, period, depot = _chosen(request, with_depot=True)
    context = {"form": form, "period": period}
    if period is not None:
        figures = reports.milk_figures(user=request.user, period=period, depot=depot)
        if depot is not None:
            context["depot_name"] = dict(form.fields["depot"].choices)[depot.pk]
        context["figures"] = figures
        context["sections"] = [
            {
                "slug": slug,
                "title": title,
                "table": getattr(figures, attr),
                "chart": bar_chart(reports.for_chart(getattr(figures, attr)), unit="mL", stacked=True),
                "csv_url": _csv_url(request, "donors:report_milk_csv", slug),
            }
            for slug, (attr, title) in MILK_TABLES.items()
        ]
    return render(request, "donors/reports/milk_report.html", context, status=200 if period else 400)


@staff_permission("donors.view_dropoff")
@require_safe
def milk_csv(request, table):
    if table not in MILK_TABLES:
        raise Http404("No such table.")
    form, period, depot = _chosen(request, with_depot=True)
    if period is None:
        return render(request, "donors/reports/milk_report.html", {"form": form}, status=400)
    figures = reports.milk_figures(user=request.user, period=period, depot=depot)
    name = f"milk-{table}-{period.first:%Y-%m}-to-{period.last:%Y-%m}.csv"
    return csv_response(getattr(figures, MILK_TABLES[table][0]), name)


# --- Donors and butterflies (coordinators) -------------------------------------------------------------


@staff_permission("donors.view_donor")
@require_safe
def donors(request):
    """New, approved and active donors, bereaved donors and butterflies per month: counts only."""
    form, period, _depot = _chosen(request, with_depot=False)
    context = {"form": form, "period": period}
    if period is not None:
        figures = reports.donor_figures(period=period)
        context["figures"] = figures
        context["chart"] = line_chart(reports.for_chart(figures.table))
        context["csv_url"] = _csv_url(request, "donors:report_donors_csv")
    return render(request, "donors/reports/milk_donors.html", context, status=200 if period else 400)


@staff_permission("donors.view_donor")
@require_safe
def donors_csv(request):
    form, period, _depot = _chosen(request, with_depot=False)
    if period is None:
        return render(request, "donors/reports/milk_donors.html", {"form": form}, status=400)
    figures = reports.donor_figures(period=period)
    return csv_response(figures.table, f"donors-{period.first:%Y-%m}-to-{period.last:%Y-%m}.csv")


# --- The annual summary for the board -------------------------------------------------------------------


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label="Year", coerce=int)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        self.fields["year"].choices = [(y, str(y)) for y in range(this_year, FIRST_YEAR - 1, -1)]


def _year(request) -> tuple[YearForm, int | None]:
    if "year" not in request.GET:
        last_year = timezone.localdate().year - 1
        return YearForm(initial={"year": last_year}), last_year
    form = YearForm(request.GET)
    return form, form.cleaned_data["year"] if form.is_valid() else None


@staff_permission("donors.view_donor")
@require_safe
def annual(request):
    """One printable page for the board: the year's milk, donors, bereaved donors, butterflies and milk not
    used, with a small chart by month."""
    form, year = _year(request)
    context = {"form": form, "year": year}
    if year is not None:
        summary = reports.annual_summary(user=request.user, year=year)
        context["summary"] = summary
        context["screening"] = _screening_year(year)
        context["chart"] = bar_chart(summary.by_month, unit="mL", stacked=True)
        context["csv_url"] = reverse("donors:report_annual_csv") + f"?year={year}"
    return render(request, "donors/reports/annual_summary.html", context, status=200 if year else 400)


def _screening_year(year: int) -> dict:
    """The year's screening for the board: how many were approved, and the median and 90th percentile days
    from inquiry to approval (one query on PostgreSQL, read from the screening summary)."""
    last = min(datetime.date(year, 12, 31), timezone.localdate())
    filters = screening.Filters(start=datetime.date(year, 1, 1), end=last)
    approved = screening.turnaround(filters, by_month=False).by_step.get(
        Donor.Stage.APPROVED, screening.Stats()
    )
    return {
        "approved": approved.count,
        "median": approved.from_inquiry_median,
        "p90": approved.from_inquiry_p90,
    }


@staff_permission("donors.view_donor")
@require_safe
def annual_csv(request):
    form, year = _year(request)
    if year is None:
        return render(request, "donors/reports/annual_summary.html", {"form": form}, status=400)
    summary = reports.annual_summary(user=request.user, year=year)
    return csv_response(summary.by_month, f"milk-{year}-by-month.csv")
