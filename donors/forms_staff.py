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
    """Rule 1: the spoken screen. Answers are the coordinator's notes on the standard questions, each asked
    as a plain question (no double negatives): the answer that needs a closer look differs per question."""

    QUESTIONS = [
        ("good_health", "Are you in good general health?"),
        ("tobacco", "Do you use tobacco or nicotine in any form, including vaping?"),
        ("meds_reviewed", "Did you talk through their medicines and herbal products?"),
        ("transfusion_4m", "Have you had a blood transfusion in the last 4 months?"),
        ("tattoo_12m", "Have you had a tattoo, piercing or needle-stick injury in the last 12 months?"),
        ("willing_bloodwork", "Are you willing to have a blood test (paid for by the bank)?"),
    ]
    ANSWER_CHOICES = [("yes", "Yes"), ("no", "No"), ("unsure", "Not sure")]

    screened_at = forms.DateTimeField(
        label="When the call took place",
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    minutes = forms.IntegerField(label="Length of the call (minutes)", min_value=1, max_value=240)
    # No outcome is chosen for the coordinator: an unchanged default must never decide a call.
    outcome = forms.ChoiceField(choices=[("", "Choose the outcome")] + PhoneScreen.Outcome.choices)
    defer_until = forms.DateField(
        label="Deferred until",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Only when deferring.",
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when deferring or when the donor is not able to donate.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in self.QUESTIONS:
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=label, choices=self.ANSWER_CHOICES, widget=forms.RadioSelect
            )
        # Keep the questions first, then the outcome.
        order = [f"q_{k}" for k, _ in self.QUESTIONS] + [
            "screened_at",
            "minutes",
            "outcome",
            "defer_until",
            "reason",
            "notes",
        ]
        self.order_fields(order)

    def clean_screened_at(self):
        value = self.cleaned_data["screened_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError("The call cannot be in the future.", code="future")
        return value

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if (
            outcome in (PhoneScreen.Outcome.DEFERRED, PhoneScreen.Outcome.NOT_ELIGIBLE)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", forms.ValidationError("Please give the reason.", code="required"))
        if outcome == PhoneScreen.Outcome.DEFERRED:
            until = data.get("defer_until")
            if until is None:
                if "defer_until" not in self.errors:
                    self.add_error("defer_until", forms.ValidationError("Give the date.", code="required"))
            else:
                try:
                    DeferForm.check_until(until)
                except forms.ValidationError as error:
                    self.add_error("defer_until", error)
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "screened_at": data["screened_at"],
            "minutes": data["minutes"],
            "outcome": data["outcome"],
            "notes": data["notes"],
            "reason": data["reason"],
            "defer_until": data["defer_until"],
            "answers": {key: data[f"q_{key}"] for key, _ in self.QUESTIONS},
        }


class ConfirmForm(forms.Form):
    """An action with nothing to type: the button is the confirmation."""

    def service_kwargs(self):
        return {}


class LinkForm(forms.Form):
    """How a private link reaches the donor. Without an email address, the coordinator texts it from the
    bank's phone or reads it out, and the page shows the ready-to-send message once."""

    given_by = forms.ChoiceField(label="How the link reaches the donor", widget=forms.RadioSelect)

    def __init__(self, *args, has_email: bool = True, **kwargs):
        from .transitions import GivenBy

        super().__init__(*args, **kwargs)
        choices = GivenBy.CHOICES if has_email else GivenBy.CHOICES[1:]
        self.fields["given_by"].choices = choices
        if has_email:
            self.fields["given_by"].initial = GivenBy.EMAIL
        else:
            self.fields["given_by"].help_text = (
                "This donor gave no email address. The next page shows a short message with the link, "
                "once, to text from the bank's phone or read out."
            )

    def service_kwargs(self):
        return {"given_by": self.cleaned_data["given_by"]}


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

    def __init__(self, *args, needs_date_of_birth: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if needs_date_of_birth:
            # The lab needs it on the requisition: ask here rather than send the coordinator to the edit form.
            self.fields["date_of_birth"] = forms.DateField(
                label="Donor's date of birth (the lab needs it)",
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def clean_date_of_birth(self):
        value = _not_future(self.cleaned_data["date_of_birth"], "date of birth")
        if value.year < 1900:
            raise forms.ValidationError("Please check the year.", code="too_old")
        return value

    def service_kwargs(self):
        return {"lab": self.cleaned_data["lab"], "date_of_birth": self.cleaned_data.get("date_of_birth")}


class BloodworkRepeatForm(forms.Form):
    """After an unclear result: draw only the unclear test(s) again, or the whole panel."""

    what = forms.ChoiceField(label="What to draw again", widget=forms.RadioSelect)
    lab = forms.CharField(
        label="Lab", max_length=200, required=False, help_text="Leave empty for the same lab."
    )

    def __init__(self, *args, unclear: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        names = ", ".join(BloodTest.Test(code).label for code in unclear) or "the unclear test"
        self.fields["what"].choices = [
            ("repeat", f"Repeat the unclear test only ({names})"),
            ("full", "A full redraw (all five tests)"),
        ]

    def service_kwargs(self):
        return {"full_redraw": self.cleaned_data["what"] == "full", "lab": self.cleaned_data["lab"]}


# What a lab report may be, told by its first bytes (never by its name or the browser's word for it).
REPORT_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
]


class LabReportForm(forms.Form):
    file = forms.FileField(
        label="The lab's report",
        help_text="A PDF, PNG or JPEG file, as the lab sent it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        limit = settings.MILKBANK_LAB_REPORT_MAX_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                "This file is larger than %(limit)s MB. Please attach a smaller copy.",
                code="too_large",
                params={"limit": limit},
            )
        upload.seek(0)
        head = upload.read(16)
        upload.seek(0)
        for signature, content_type in REPORT_SIGNATURES:
            if head.startswith(signature):
                self.content_type = content_type
                return upload
        raise forms.ValidationError(
            "This file is not a PDF, PNG or JPEG. Please attach the report as the lab sent it.",
            code="bad_type",
        )

    def service_kwargs(self):
        return {"upload": self.cleaned_data["file"], "content_type": self.content_type}


class BloodworkResultsForm(forms.Form):
    RESULT_CHOICES = [
        (BloodTest.Result.NEGATIVE, "Negative"),
        (BloodTest.Result.REACTIVE, "Reactive"),
        (BloodTest.Result.INDETERMINATE, "Indeterminate"),
    ]

    all_negative = forms.BooleanField(
        label="Every result is negative", required=False, help_text="Saves choosing each one below."
    )
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

    def __init__(self, *args, tests: list[str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # A repeat draws only the unclear test(s): ask only for those.
        self.tests = [code for code in BloodTest.Test.values if tests is None or code in tests]
        for code, label in BloodTest.Test.choices:
            if code not in self.tests:
                continue
            self.fields[f"result_{code}"] = forms.ChoiceField(
                label=f"{label} result", choices=self.RESULT_CHOICES, widget=forms.RadioSelect, required=False
            )
            self.fields[f"confirmed_{code}"] = forms.BooleanField(
                label=f"{label}: reactive result confirmed by a second test", required=False
            )

    def clean_drawn_on(self):
        return _not_future(self.cleaned_data["drawn_on"], "draw date")

    def clean(self):
        data = super().clean()
        for code in self.tests:
            name, chosen = f"result_{code}", data.get(f"result_{code}")
            if data.get("all_negative"):
                if chosen and chosen != BloodTest.Result.NEGATIVE:
                    self.add_error(name, "You ticked “every result is negative”: untick it, or change this.")
                data[name] = BloodTest.Result.NEGATIVE
            elif not chosen and name not in self.errors:
                self.add_error(name, forms.ValidationError("This field is required.", code="required"))
        for code, label in BloodTest.Test.choices:
            if code not in self.tests:
                continue
            if data.get(f"confirmed_{code}") and data.get(f"result_{code}") != BloodTest.Result.REACTIVE:
                self.add_error(f"confirmed_{code}", f"Only a reactive {label} result can be confirmed.")
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        return {
            "drawn_on": data["drawn_on"],
            "lab": data["lab"],
            "cost": data["cost"],
            "results": {code: data[f"result_{code}"] for code in self.tests},
            "confirmed": {code: data[f"confirmed_{code}"] for code in self.tests},
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
        return self.check_until(self.cleaned_data["until"])

    @staticmethod
    def check_until(until):
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
    "BloodworkRepeatForm",
    "BloodworkResultsForm",
    "ConfirmForm",
    "DeferForm",
    "LabReportForm",
    "LinkForm",
    "OptionalReasonForm",
    "PhoneScreenForm",
    "ReasonForm",
    "ReleaseForm",
    "ResearchForm",
    "ReviewForm",
    "SignOffForm",
]
