"""Forms a donor fills in without an account: the self-check, the inquiry, and questionnaire sections.

Forms validate and nothing else; the views call donors.transitions to save.
"""

import datetime
import re
import time

from django import forms
from django.core import signing
from django.utils import timezone

from . import questions
from .models import Donor

# The inquiry form carries a signed "started at" time. A person takes more than a few seconds to fill it in;
# a day-old page is re-issued rather than trusted.
MIN_FILL_SECONDS = 3
MAX_FILL_SECONDS = 24 * 60 * 60
_STARTED_SIGNER = signing.Signer(salt="donors.inquiry.started")

PHONE_RE = re.compile(r"^\+?[0-9().\-\s]+(\s*(ext\.?|x)\s*[0-9]{1,6})?$", re.IGNORECASE)


def started_token(at: float | None = None) -> str:
    return _STARTED_SIGNER.sign(str(int(time.time() if at is None else at)))


def _has_letter(value: str) -> bool:
    return any(ch.isalpha() for ch in value)


class SelfCheckForm(forms.Form):
    """Optional: the main reasons someone cannot give milk for babies. Never stored, never blocks."""

    ITEMS = {
        "nicotine": (
            "I smoke, vape, or use nicotine in another form (including gum or patches)",
            "Nicotine passes into milk, so we can't take milk for babies in hospital while you use it. "
            "If you stop, you may be able to give later.",
        ),
        "medicines": (
            "I take prescription medicines regularly",
            "Many medicines are fine. A coordinator will check yours with you on the phone.",
        ),
        "transfusion": (
            "I had a blood transfusion or blood products in the last 4 months",
            "This usually means waiting until 4 months have passed.",
        ),
        "tattoo": (
            "I had a tattoo, permanent makeup or a piercing in the last 12 months",
            "From a licensed studio with single-use needles this is often fine. Otherwise it usually means "
            "waiting until 12 months have passed.",
        ),
        "infection_risk": (
            "I, or a sexual partner, have HIV or hepatitis, or may have been at risk of them, in the last "
            "12 months",
            "This may mean we can't take milk for babies. Please call us and we can talk it through in "
            "confidence.",
        ),
        "drugs": (
            "I use recreational drugs, including cannabis",
            "This means we can't take milk for babies in hospital right now.",
        ),
        "alcohol": (
            "I usually have more than 2 alcoholic drinks a day",
            "A coordinator will talk with you about this on the phone.",
        ),
    }

    answers = forms.MultipleChoiceField(
        label="Do any of these apply to you? Tick any that do. This is only for you: we don't save it.",
        choices=[(key, label) for key, (label, _note) in ITEMS.items()],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def notes(self) -> list[tuple[str, str]]:
        """(item, note) for each ticked item, to show kindly on the page."""
        return [(key, self.ITEMS[key][1]) for key in self.cleaned_data.get("answers", [])]

    @classmethod
    def all_notes(cls) -> list[tuple[str, str]]:
        return [(key, note) for key, (_label, note) in cls.ITEMS.items()]


class InquiryForm(forms.Form):
    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100, required=False)
    phone = forms.CharField(
        label="Phone number",
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": "Please enter an email address like name@example.com."},
    )
    best_time_to_call = forms.CharField(
        label="Best time to call (optional)",
        max_length=200,
        required=False,
        help_text="For example: weekday mornings, or after 6 pm.",
    )
    preferred_contact = forms.ChoiceField(
        label="How would you like us to reach you?",
        choices=Donor.ContactMethod.choices,
        initial=Donor.ContactMethod.PHONE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please choose phone call, text message or email."},
    )
    bereaved = forms.BooleanField(
        label="I am donating after the loss of my baby (optional)",
        required=False,
        help_text=(
            "We are so sorry. Telling us helps us speak with you gently. You can also tell us on the phone."
        ),
    )
    contact_consent = forms.BooleanField(
        label="You may call, text or email me about donating milk.",
        error_messages={"required": "Please tick this box so we can contact you."},
    )
    research_interest = forms.BooleanField(
        label="I would also be glad for my milk to go to research (optional)",
        required=False,
        help_text="Milk for research is never given to babies.",
    )
    # Bot traps. `website` is hidden from people (off screen, skipped by keyboard and screen readers).
    website = forms.CharField(label="Leave this field empty", required=False, max_length=200)
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].widget.attrs["autocomplete"] = "given-name"
        self.fields["last_name"].widget.attrs["autocomplete"] = "family-name"
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = started_token()
        self.bot_suspected = False
        self.form_expired = False

    def clean_first_name(self):
        value = self.cleaned_data["first_name"]
        if not _has_letter(value):
            raise forms.ValidationError("Please enter your first name in letters.", code="no_letters")
        return value

    def clean_last_name(self):
        value = self.cleaned_data["last_name"]
        if value and not _has_letter(value):
            raise forms.ValidationError("Please enter your last name in letters.", code="no_letters")
        return value

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if not value:
            return value
        digits = sum(ch.isdigit() for ch in value)
        if not PHONE_RE.match(value) or not 7 <= digits <= 20:
            raise forms.ValidationError(
                "Please enter a phone number using digits, for example 555-010-0100.", code="bad_phone"
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("website"):
            self.bot_suspected = True
        try:
            started = int(_STARTED_SIGNER.unsign(data.get("started") or ""))
        except (signing.BadSignature, ValueError):
            self.bot_suspected = True
        else:
            age = time.time() - started
            if age < MIN_FILL_SECONDS:
                self.bot_suspected = True
            elif age > MAX_FILL_SECONDS:
                self.form_expired = True
        if self.bot_suspected or self.form_expired:
            raise forms.ValidationError("Please send the form again.", code="refused")
        phone, email = data.get("phone"), data.get("email")
        if self.has_error("phone") or self.has_error("email"):
            return data
        method = data.get("preferred_contact")
        if not (phone or email):
            self.add_error("phone", "Please give a phone number or an email address, so we can reach you.")
        elif method in (Donor.ContactMethod.PHONE, Donor.ContactMethod.TEXT) and not phone:
            self.add_error("phone", "Please give a phone number, or choose email as the way to reach you.")
        elif method == Donor.ContactMethod.EMAIL and not email:
            self.add_error("email", "Please give an email address, or choose another way to reach you.")
        return data


# --- Questionnaire -----------------------------------------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"


def _field_for(question: questions.Question) -> forms.Field:
    optional = not question.required and not question.required_if
    label = f"{question.text} (optional)" if optional else question.text
    common = {"label": label, "help_text": question.help, "required": False}
    if question.kind in ("yes_no", "choice"):
        what = "yes or no" if question.kind == "yes_no" else "one of the choices"
        return forms.ChoiceField(
            choices=question.options,
            widget=forms.RadioSelect,
            error_messages={"invalid_choice": f"Please choose {what}."},
            **common,
        )
    if question.kind == "number":
        return forms.IntegerField(
            min_value=question.min_value,
            max_value=question.max_value,
            error_messages={
                "invalid": "Please enter a whole number, such as 0, 1 or 2.",
                "min_value": "Please enter a number of at least %(limit_value)s.",
                "max_value": "Please enter a number no larger than %(limit_value)s.",
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if question.kind == "date":
        return forms.DateField(
            input_formats=["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"],
            widget=_DateInput(format="%Y-%m-%d"),
            error_messages={"invalid": "Please enter a date, like 2026-03-14."},
            **common,
        )
    return forms.CharField(
        max_length=question.max_length,
        widget=forms.Textarea(attrs={"rows": 3}) if question.max_length > 200 else forms.TextInput,
        error_messages={
            "max_length": "Please keep this under %(limit_value)d characters (it has %(show_value)d)."
        },
        **common,
    )


def _to_json(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _from_json(question: questions.Question, value):
    if question.kind == "date" and value:
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            return ""
    return value


class SectionForm(forms.Form):
    """One questionnaire section. `complete=True` asks for every required answer; autosave does not."""

    def __init__(self, *args, section: questions.Section, saved: dict, complete: bool = True, **kwargs):
        kwargs.setdefault(
            "initial", {q.id: _from_json(q, saved.get(q.id)) for q in section.questions if q.id in saved}
        )
        super().__init__(*args, **kwargs)
        self.section = section
        self.saved = saved
        self.complete = complete
        # Every field is optional to Django; clean() asks for required answers with a specific message, and
        # "Save and finish later" or autosave keep what is there without asking.
        for question in section.questions:
            self.fields[question.id] = _field_for(question)

    def clean(self):
        data = super().clean()
        for question in self.section.questions:
            if question.id not in data:
                continue  # already has an error
            value = data[question.id]
            if question.no_future and value and value > timezone.localdate():
                self.add_error(question.id, "This date can't be in the future.")
                continue
            if not self.complete:
                continue
            merged = {**self.saved, **{k: _to_json(v) for k, v in data.items()}}
            if value in (None, "") and questions.is_required(question, merged):
                if question.kind == "yes_no":
                    message = "Please answer yes or no."
                elif question.required_if:
                    message = "Please tell us a little more."
                else:
                    message = "Please answer this question."
                self.add_error(question.id, message)
        return data

    def valid_answers(self) -> dict:
        """The answers that passed their checks, as JSON values. Call after is_valid()."""
        answers = {}
        for question in self.section.questions:
            if question.id in self.errors or question.id not in self.cleaned_data:
                continue
            if not self.complete and question.id not in self.data:
                continue  # autosave: an unticked radio is not an answer to clear
            value = _to_json(self.cleaned_data[question.id])
            if value == "" and question.id not in self.saved:
                continue  # nothing typed and nothing to clear
            answers[question.id] = value
        return answers


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(
        label="These answers are true to the best of my knowledge.",
        error_messages={"required": "Please tick the box to confirm your answers before sending."},
    )
