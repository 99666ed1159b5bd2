"""Forms for the coordinators' lifecycle actions. They validate input only; donors.transitions decides."""

import datetime

from django import forms
from django.utils import timezone

from .models import BloodTest, PhoneScreen, Questionnaire, Release

REASON_MAX = 2000


def _not_future(value, what="date"):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {what} cannot be in the future.", code="future")
    return value


class PhoneScreenForm(forms.Form):
    """Rule 1: the spoken screen. Answers are the coordinator's notes on the standard questions."""

    QUESTIONS = [
        ("health_ok", "In good general health, no ongoing illness needing treatment?"),
        ("no_tobacco", "No tobacco or nicotine (including vaping) in any form?"),
        ("meds_reviewed", "Medications and herbal products talked through?"),
        ("no_recent_transfusion", "No blood transfusion in the last 4 months?"),
        ("no_recent_tattoo", "No tattoo, piercing or needle-stick in the last 12 months?"),
        ("willing_bloodwork", "Willing to have a blood test (paid for by the bank)?"),
    ]
    ANSWER_CHOICES = [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")]

    screened_at = forms.DateTimeField(
        label="When the call took place",
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label="Length of the call (minutes)", min_value=1, max_value=240)
    outcome = forms.ChoiceField(choices=PhoneScreen.Outcome.choices)
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in self.QUESTIONS:
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=label, choices=self.ANSWER_CHOICES, widget=forms.RadioSelect
            )
        # Keep the questions first, then the outcome.
        order = [f"q_{k}" for k, _ in self.QUESTIONS] + ["screened_at", "minutes", "outcome", "notes"]
        self.order_fields(order)

    def clean_screened_at(self):
        value = self.cleaned_data["screened_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError("The call cannot be in the future.", code="future")
        return value

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "screened_at": data["screened_at"],
            "minutes": data["minutes"],
            "outcome": data["outcome"],
            "notes": data["notes"],
            "answers": {key: data[f"q_{key}"] for key, _ in self.QUESTIONS},
        }


class ConfirmForm(forms.Form):
    """An action with nothing to type: the button is the confirmation."""

    def service_kwargs(self):
        return {}


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[
            (Questionnaire.Status.ACCEPTED, "Accept"),
            (Questionnaire.Status.NEEDS_FOLLOW_UP, "Needs follow-up"),
            (Questionnaire.Status.NOT_ACCEPTABLE, "Not acceptable (declines the donor)"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Reason or note",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed for follow-up or not acceptable.",
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision")
            and data["decision"] != Questionnaire.Status.ACCEPTED
            and not data.get("note", "").strip()
        ):
            self.add_error("note", forms.ValidationError("Please give the reason.", code="required"))
        return data

    def service_kwargs(self):
        return {"decision": self.cleaned_data["decision"], "note": self.cleaned_data["note"]}


class BloodworkOrderForm(forms.Form):
    lab = forms.CharField(label="Lab", max_length=200, required=False)

    def service_kwargs(self):
        return {"lab": self.cleaned_data["lab"]}


class BloodworkResultsForm(forms.Form):
    RESULT_CHOICES = [
        (BloodTest.Result.NEGATIVE, "Negative"),
        (BloodTest.Result.REACTIVE, "Reactive"),
        (BloodTest.Result.INDETERMINATE, "Indeterminate"),
    ]

    drawn_on = forms.DateField(label="Draw date", widget=forms.DateInput(attrs={"type": "date"}))
    lab = forms.CharField(max_length=200, required=False)
    cost = forms.DecimalField(
        label="Cost the bank paid",
        max_digits=8,
        decimal_places=2,
        min_value=0,
        max_value=100000,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, label in BloodTest.Test.choices:
            self.fields[f"result_{code}"] = forms.ChoiceField(
                label=f"{label} result", choices=self.RESULT_CHOICES, widget=forms.RadioSelect
            )
            self.fields[f"confirmed_{code}"] = forms.BooleanField(
                label=f"{label}: reactive result confirmed by a second test", required=False
            )

    def clean_drawn_on(self):
        return _not_future(self.cleaned_data["drawn_on"], "draw date")

    def clean(self):
        data = super().clean()
        for code, label in BloodTest.Test.choices:
            if data.get(f"confirmed_{code}") and data.get(f"result_{code}") != BloodTest.Result.REACTIVE:
                self.add_error(f"confirmed_{code}", f"Only a reactive {label} result can be confirmed.")
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "drawn_on": data["drawn_on"],
            "lab": data["lab"],
            "cost": data["cost"],
            "results": {code: data[f"result_{code}"] for code in BloodTest.Test.values},
            "confirmed": {code: data[f"confirmed_{code}"] for code in BloodTest.Test.values},
        }


class ReleaseForm(forms.ModelForm):
    class Meta:
        model = Release
        fields = [
            "provider_name",
            "clinic",
            "provider_phone",
            "provider_fax",
            "status",
            "sent_on",
            "received_on",
            "notes",
        ]
        widgets = {
            "sent_on": forms.DateInput(attrs={"type": "date"}),
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_sent_on(self):
        return _not_future(self.cleaned_data["sent_on"], "date sent")

    def clean_received_on(self):
        return _not_future(self.cleaned_data["received_on"], "date received")

    def service_kwargs(self):
        return dict(self.cleaned_data)


class DeferForm(forms.Form):
    until = forms.DateField(label="Deferred until", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until <= timezone.localdate():
            raise forms.ValidationError("A deferral must end after today.", code="past")
        if until > timezone.localdate() + datetime.timedelta(days=3 * 365):
            raise forms.ValidationError(
                "A deferral longer than three years should be a decline.", code="too_far"
            )
        return until

    def service_kwargs(self):
        return {"until": self.cleaned_data["until"], "reason": self.cleaned_data["reason"]}


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"]}


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(max_length=REASON_MAX, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def service_kwargs(self):
        return {"reason": self.cleaned_data["reason"]}


class ResearchForm(forms.Form):
    consent = forms.BooleanField(
        label="The donor agreed that their milk goes to research only, and never to babies",
        required=True,
    )

    def service_kwargs(self):
        return {"consent": self.cleaned_data["consent"]}


class SignOffForm(forms.Form):
    note = forms.CharField(max_length=500, required=False, label="Note (optional)")

    def service_kwargs(self):
        return {"note": self.cleaned_data["note"]}


__all__ = [
    "BloodworkOrderForm",
    "BloodworkResultsForm",
    "ConfirmForm",
    "DeferForm",
    "OptionalReasonForm",
    "PhoneScreenForm",
    "ReasonForm",
    "ReleaseForm",
    "ResearchForm",
    "ReviewForm",
    "SignOffForm",
]
