import datetime
from urllib.parse import unquote, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import PRIVATE_LINK_PREFIXES, Feedback, ListEntry
from .plan import DAYS_PER_STEP_RANGE, SESSIONS_RANGE

PLAN_START_WINDOW_DAYS = 366


def public_path(value: str) -> str:
    """The site path feedback is about, without query or fragment; a private donor link keeps its prefix."""
    parts = urlsplit(value or "")
    path = unquote(parts.path)
    if parts.scheme or parts.netloc or not path.startswith("/") or path.startswith("//"):
        raise ValidationError(_("Feedback must be about a page on this site."), code="not_local")
    language = translation.get_language_from_path(path)
    bare = path[len(language) + 1 :] if language else path  # /es/donate/s/... is a private link too
    for prefix in PRIVATE_LINK_PREFIXES:
        if bare.startswith(prefix):
            return prefix
    return path[: Feedback._meta.get_field("path").max_length]


class FeedbackForm(forms.ModelForm):
    helpful = forms.TypedChoiceField(
        label=_("Was this page helpful?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )
    path = forms.CharField(max_length=2000, widget=forms.HiddenInput)

    class Meta:
        model = Feedback
        fields = ["kind", "helpful", "comment", "path"]
        widgets = {"kind": forms.HiddenInput}
        labels = {"comment": _("Your note")}

    def clean_path(self):
        return public_path(self.cleaned_data["path"])

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind == Feedback.Kind.HELPFUL and cleaned.get("helpful") is None:
            self.add_error("helpful", ValidationError(_("Please choose yes or no."), code="required"))
        if kind == Feedback.Kind.ERROR:
            cleaned["helpful"] = None
            if not cleaned.get("comment", "").strip():
                self.add_error(
                    "comment", ValidationError(_("Please tell us what is wrong."), code="required")
                )
        return cleaned


def _whole_number(label: str, low: int, high: int) -> forms.IntegerField:
    message = format_lazy(_("Enter a whole number from {low} to {high}."), low=low, high=high)
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class PlanForm(forms.Form):
    sessions = _whole_number(_("Times you express each day now"), *SESSIONS_RANGE)
    days_per_step = _whole_number(_("Days to stay at each step"), *DAYS_PER_STEP_RANGE)
    start = forms.DateField(
        label=_("Start date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter a start date, like 2026-03-14."),
            "invalid": _("Enter the start date as year-month-day, like 2026-03-14."),
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"sessions": 6, "days_per_step": 3, "start": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["sessions"].help_text = _("Count every time you pump or hand express in 24 hours.")
        self.fields["days_per_step"].help_text = _("Two or three days is common. Go slower if you feel full.")

    def clean_start(self):
        start = self.cleaned_data["start"]
        today = timezone.localdate()
        window = datetime.timedelta(days=PLAN_START_WINDOW_DAYS)
        if not today - window <= start <= today + window:
            raise ValidationError(
                _("Choose a start date within a year of today."), code="out_of_range", params={"start": start}
            )
        return start


class DirectoryFilterForm(forms.Form):
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *ListEntry.Region.choices],
        error_messages={"invalid_choice": _("Choose a region from the list.")},
    )
    area = forms.ChoiceField(
        label=_("Place"),
        required=False,
        error_messages={"invalid_choice": _("Choose a place from the list.")},
    )

    def __init__(self, *args, areas: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [("", _("All places")), *((area, area) for area in areas)]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search the pages"), max_length=200, required=False)
