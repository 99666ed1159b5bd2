"""Forms of the donor domain: what donors fill in (public) and what coordinators record (staff)."""

import datetime
import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from . import questions
from .models import BloodTest, Donor, PhoneScreen, Questionnaire, Release

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
            _("I smoke, vape, or use nicotine in another form (including gum or patches)"),
            _(
                "Nicotine passes into milk, so we can't take milk for babies in hospital while you use it. "
                "If you stop, you may be able to give later."
            ),
        ),
        "medicines": (
            _("I take prescription medicines regularly"),
            _("Many medicines are fine. A coordinator will check yours with you on the phone."),
        ),
        "transfusion": (
            _("I had a blood transfusion or blood products in the last 4 months"),
            _("This usually means waiting until 4 months have passed."),
        ),
        "tattoo": (
            _("I had a tattoo, permanent makeup or a piercing in the last 12 months"),
            _(
                "From a licensed studio with single-use needles this is often fine. Otherwise it usually "
                "means waiting until 12 months have passed."
            ),
        ),
        "infection_risk": (
            _(
                "I, or a sexual partner, have HIV or hepatitis, or may have been at risk of them, in the "
                "last 12 months"
            ),
            _(
                "This may mean we can't take milk for babies. Please call us and we can talk it through in "
                "confidence."
            ),
        ),
        "drugs": (
            _("I use recreational drugs, including cannabis"),
            _("This means we can't take milk for babies in hospital right now."),
        ),
        "alcohol": (
            _("I usually have more than 2 alcoholic drinks a day"),
            _("A coordinator will talk with you about this on the phone."),
        ),
    }

    answers = forms.MultipleChoiceField(
        label=_("Do any of these apply to you? Tick any that do. This is only for you: we don't save it."),
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


# Each language is named in its own language (a Spanish reader finds "Español" on an English page).
LANGUAGE_CHOICES = settings.LANGUAGES


def inquiry_language(request) -> str:
    """The language the inquiry form offers first: the page's (/es/, /fr/), else the browser's, else
    English."""
    codes = {code for code, _name in LANGUAGE_CHOICES}
    from_path = translation.get_language_from_path(request.path_info)
    if from_path in codes:
        return from_path
    # With English unprefixed, an English page says nothing about the reader: ask the browser (or the
    # language cookie a switcher may have set).
    from_browser = translation.get_language_from_request(request, check_path=False)
    return from_browser if from_browser in codes else settings.LANGUAGE_CODE


class InquiryForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Please enter an email address like name@example.com.")},
    )
    best_time_to_call = forms.CharField(
        label=_("Best time to call (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: weekday mornings, or after 6 pm."),
    )
    preferred_contact = forms.ChoiceField(
        label=_("How would you like us to reach you?"),
        choices=[
            (Donor.ContactMethod.PHONE, _("Phone call")),
            (Donor.ContactMethod.TEXT, _("Text message")),
            (Donor.ContactMethod.EMAIL, pgettext_lazy("way to reach someone", "Email")),
        ],
        initial=Donor.ContactMethod.PHONE,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Please choose phone call, text message or email.")},
    )
    language = forms.ChoiceField(
        label=_("Which language would you like us to use?"),
        choices=LANGUAGE_CHOICES,
        initial=settings.LANGUAGE_CODE,
        # Left out (an older copy of the page, a script): the page's language, as if it had been chosen.
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "For your questionnaire, your private page and our emails. You can change it on the phone."
        ),
        error_messages={"invalid_choice": _("Please choose English, Español or Français.")},
    )
    bereaved = forms.BooleanField(
        label=_("I am donating after the loss of my baby (optional)"),
        required=False,
        help_text=_(
            "We are so sorry. Telling us helps us speak with you gently. You can also tell us on the phone."
        ),
    )
    contact_consent = forms.BooleanField(
        label=_("You may call, text or email me about donating milk."),
        error_messages={"required": _("Please tick this box so we can contact you.")},
    )
    research_interest = forms.BooleanField(
        label=_("I would also be glad for my milk to go to research (optional)"),
        required=False,
        help_text=_("Milk for research is never given to babies."),
    )
    # Bot traps. `website` is hidden from people (off screen, skipped by keyboard and screen readers).
    website = forms.CharField(label=_("Leave this field empty"), required=False, max_length=200)
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
            raise forms.ValidationError(_("Please enter your first name in letters."), code="no_letters")
        return value

    def clean_last_name(self):
        value = self.cleaned_data["last_name"]
        if value and not _has_letter(value):
            raise forms.ValidationError(_("Please enter your last name in letters."), code="no_letters")
        return value

    def clean_language(self):
        return self.cleaned_data["language"] or translation.get_language() or settings.LANGUAGE_CODE

    def clean_phone(self):
        value = self.cleaned_data["phone"]
        if not value:
            return value
        digits = sum(ch.isdigit() for ch in value)
        if not PHONE_RE.match(value) or not 7 <= digits <= 20:
            raise forms.ValidationError(
                _("Please enter a phone number using digits, for example 555-010-0100."), code="bad_phone"
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
            raise forms.ValidationError(_("Please send the form again."), code="refused")
        phone, email = data.get("phone"), data.get("email")
        if self.has_error("phone") or self.has_error("email"):
            return data
        method = data.get("preferred_contact")
        if not (phone or email):
            self.add_error("phone", _("Please give a phone number or an email address, so we can reach you."))
        elif method in (Donor.ContactMethod.PHONE, Donor.ContactMethod.TEXT) and not phone:
            self.add_error("phone", _("Please give a phone number, or choose email as the way to reach you."))
        elif method == Donor.ContactMethod.EMAIL and not email:
            self.add_error("email", _("Please give an email address, or choose another way to reach you."))
        return data


# --- Questionnaire -----------------------------------------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"


# Typed dates (where a browser offers no date picker), in the order each language writes them.
DATE_INPUTS = {"en": ["%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y"]}
DATE_INPUTS_DAY_FIRST = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y"]


def _field_for(question: questions.Question) -> forms.Field:
    optional = not question.required and not question.required_if
    label = gettext("%(question)s (optional)") % {"question": question.text} if optional else question.text
    common = {"label": label, "help_text": question.help, "required": False}
    if question.kind in ("yes_no", "choice"):
        return forms.ChoiceField(
            choices=question.options,
            widget=forms.RadioSelect,
            error_messages={
                "invalid_choice": (
                    gettext("Please choose yes or no.")
                    if question.kind == "yes_no"
                    else gettext("Please choose one of the choices.")
                )
            },
            **common,
        )
    if question.kind == "number":
        return forms.IntegerField(
            min_value=question.min_value,
            max_value=question.max_value,
            error_messages={
                "invalid": gettext("Please enter a whole number, such as 0, 1 or 2."),
                "min_value": gettext("Please enter a number of at least %(limit_value)s."),
                "max_value": gettext("Please enter a number no larger than %(limit_value)s."),
            },
            widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
            **common,
        )
    if question.kind == "date":
        return forms.DateField(
            input_formats=DATE_INPUTS.get(translation.get_language(), DATE_INPUTS_DAY_FIRST),
            widget=_DateInput(format="%Y-%m-%d"),
            error_messages={"invalid": gettext("Please enter a date, like 2026-03-14.")},
            **common,
        )
    return forms.CharField(
        max_length=question.max_length,
        widget=forms.Textarea(attrs={"rows": 3}) if question.max_length > 200 else forms.TextInput,
        error_messages={
            "max_length": gettext(
                "Please keep this under %(limit_value)d characters (it has %(show_value)d)."
            )
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
    """One questionnaire section. `complete=True` asks for every required answer; autosave does not.

    Labels, help and messages are in the active language (the questionnaire views activate the donor's), and
    the answers it returns are language-neutral: choice keys, ISO dates and numbers.
    """

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
                self.add_error(question.id, gettext("This date can't be in the future."))
                continue
            if not self.complete:
                continue
            merged = {**self.saved, **{k: _to_json(v) for k, v in data.items()}}
            if value in (None, "") and questions.is_required(question, merged):
                if question.kind == "yes_no":
                    message = gettext("Please answer yes or no.")
                elif question.required_if:
                    message = gettext("Please tell us a little more.")
                else:
                    message = gettext("Please answer this question.")
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
        label=_("These answers are true to the best of my knowledge."),
        error_messages={"required": _("Please tick the box to confirm your answers before sending.")},
    )


REASON_MAX = 2000


def _not_future(value, what="date"):
    if value and value > timezone.localdate():
        raise forms.ValidationError(f"The {what} cannot be in the future.", code="future")
    return value


def decline_reason_field(help_text: str = "") -> forms.ChoiceField:
    """Why a donor cannot give milk, in the groups the screening funnel counts (Donor.DeclineReason)."""
    return forms.ChoiceField(
        label="Why they cannot give milk",
        choices=[("", "Choose a group"), *Donor.DeclineReason.choices],
        required=False,
        help_text=help_text,
    )


def require_decline_reason(form: forms.Form, data: dict) -> None:
    if not data.get("decline_reason") and "decline_reason" not in form.errors:
        form.add_error(
            "decline_reason", forms.ValidationError("Choose why the donor cannot give milk.", code="required")
        )


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
    # The answer that needs no closer look, per question: what "all answers as expected" fills in.
    EXPECTED = {
        "good_health": "yes",
        "tobacco": "no",
        "meds_reviewed": "yes",
        "transfusion_4m": "no",
        "tattoo_12m": "no",
        "willing_bloodwork": "yes",
    }

    all_expected = forms.BooleanField(
        label="All answers as expected",
        required=False,
        help_text=(
            "Yes to good health, medicines talked through and a blood test; no to tobacco, a transfusion "
            "and a tattoo. Any answer you choose below is kept as you chose it."
        ),
    )

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
    decline_reason = decline_reason_field("Only when the donor is not able to donate.")
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in self.QUESTIONS:
            self.fields[f"q_{key}"] = forms.ChoiceField(
                label=label, choices=self.ANSWER_CHOICES, widget=forms.RadioSelect, required=False
            )
        # Keep the questions first, then the outcome.
        order = (
            ["all_expected"]
            + [f"q_{k}" for k, _ in self.QUESTIONS]
            + [
                "screened_at",
                "minutes",
                "outcome",
                "defer_until",
                "reason",
                "decline_reason",
                "notes",
            ]
        )
        self.order_fields(order)

    def clean_screened_at(self):
        value = self.cleaned_data["screened_at"]
        if value > timezone.now() + datetime.timedelta(minutes=5):
            raise forms.ValidationError("The call cannot be in the future.", code="future")
        return value

    def clean(self):
        data = super().clean()
        for key, _label in self.QUESTIONS:
            name = f"q_{key}"
            if data.get(name):
                continue  # chosen by the person: kept, whatever the box says
            if data.get("all_expected"):
                data[name] = self.EXPECTED[key]
            elif name not in self.errors:
                self.add_error(name, forms.ValidationError("This field is required.", code="required"))
        outcome = data.get("outcome")
        if (
            outcome in (PhoneScreen.Outcome.DEFERRED, PhoneScreen.Outcome.NOT_ELIGIBLE)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", forms.ValidationError("Please give the reason.", code="required"))
        if outcome == PhoneScreen.Outcome.NOT_ELIGIBLE:
            require_decline_reason(self, data)
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
            "decline_reason": data["decline_reason"]
            if data["outcome"] == PhoneScreen.Outcome.NOT_ELIGIBLE
            else "",
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
    decline_reason = decline_reason_field("Only when the answers are not acceptable.")

    def clean(self):
        data = super().clean()
        if (
            data.get("decision")
            and data["decision"] != Questionnaire.Status.ACCEPTED
            and not data.get("note", "").strip()
        ):
            self.add_error("note", forms.ValidationError("Please give the reason.", code="required"))
        if data.get("decision") == Questionnaire.Status.NOT_ACCEPTABLE:
            require_decline_reason(self, data)
        return data

    def service_kwargs(self):
        data = self.cleaned_data
        declines = data["decision"] == Questionnaire.Status.NOT_ACCEPTABLE
        return {
            "decision": data["decision"],
            "note": data["note"],
            "decline_reason": data["decline_reason"] if declines else "",
        }


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


class LabReportForm(forms.Form):
    file = forms.FileField(
        label="The lab's report",
        help_text="A PDF, PNG or JPEG file, as the lab sent it.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )

    def clean_file(self):
        from .transitions import lab_report_kind

        upload = self.cleaned_data["file"]
        lab_report_kind(upload)  # the same check the service makes, shown on the form
        return upload

    def service_kwargs(self):
        return {"upload": self.cleaned_data["file"]}


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


class DeclineForm(ReasonForm):
    decline_reason = decline_reason_field()

    def clean(self):
        data = super().clean()
        require_decline_reason(self, data)
        return data

    def service_kwargs(self):
        return {**super().service_kwargs(), "decline_reason": self.cleaned_data["decline_reason"]}


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
    "DeclineForm",
    "ReleaseForm",
    "ResearchForm",
    "ReviewForm",
    "SignOffForm",
]
