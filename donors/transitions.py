"""The donor lifecycle: the only code that changes a donor's stage.

Every function is keyword-only, runs in one transaction, locks the donor row, checks its rule, and records
who, when and why on the timeline. A refused move raises `TransitionRefused` with a message fit for staff.
"""

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from . import links, notify
from .audit import update_logged
from .formatting import long_date
from .models import (
    AccessLink,
    BloodTest,
    Bloodwork,
    Counter,
    Deferral,
    Donor,
    LabReport,
    PhoneScreen,
    Questionnaire,
    Release,
    SignOff,
    Task,
    TimelineEvent,
)
from .reports.models import record_step

Stage = Donor.Stage


class TransitionRefused(ValidationError):
    """A lifecycle rule said no. The message is shown to staff as it is."""


def _locked(donor: Donor) -> Donor:
    """Re-read the donor under a row lock so two staff acting at once are serialised. Work on the row this
    returns; the caller's object is left as it was (they re-read it to see the result)."""
    return Donor.objects.select_for_update().get(pk=donor.pk)


# --- The lifecycle table ---------------------------------------------------------------------------------
#
# Which step may happen at which stage, in one place. The donor page offers a step's button only when
# `step_refusal()` has nothing to say, and the service behind the button asks the same question under the
# row lock before it changes anything, so a stale tab or a hand-made POST meets the same rule.


@dataclass(frozen=True)
class Step:
    label: str  # the button on the donor page
    action: str  # the verb in "Cannot <action> while the donor is at ..."
    stages: tuple[str, ...]
    # A further condition, beyond the stage: returns the refusal (code, message) or None. Takes the donor
    # and the staff user (None when the step is not a person's, e.g. the daily job).
    check: Callable[[Donor, object], tuple[str, str] | None] | None = None


def _open_bloodwork_check(donor, user):
    if not donor.bloodwork_set.filter(status=Bloodwork.Status.ORDERED).exists():
        return "missing", "There is no ordered bloodwork to act on."
    return None


def _unclear_check(donor, user):
    if donor.bloodwork_set.filter(status=Bloodwork.Status.ORDERED).exists():
        return "already_ordered", "A test is already ordered: record its results first."
    if unclear_bloodwork(donor) is None:
        return "nothing_unclear", "There is no unclear result to repeat."
    return None


def _order_check(donor, user):
    if donor.bloodwork_set.filter(status=Bloodwork.Status.ORDERED).exists():
        return "already_ordered", "Bloodwork is already ordered: record its results first."
    return None


def _signoff_check(donor, user):
    if user is not None and donor.signoffs.filter(screening_round=donor.screening_round, by=user).exists():
        return (
            "same_person",
            "You have already signed off this donor. A second, different staff member must sign off.",
        )
    return None


def _deferral_over_check(donor, user):
    if donor.deferred_until and donor.deferred_until > timezone.localdate():
        return "not_ended", f"This deferral runs until {donor.deferred_until:%B %-d, %Y}."
    return None


def _has_links_check(donor, user):
    if not donor.links.filter(revoked_at__isnull=True).exists():
        return "no_links", "The donor has no open private link."
    return None


_OPEN = (*Stage.in_screening(), Stage.APPROVED, Stage.DEFERRED, Stage.RESEARCH_ONLY)

STEPS: dict[str, Step] = {
    "phone-screen": Step(
        "Record the phone screen", "record a phone screen", (Stage.INQUIRY, Stage.PHONE_SCREEN_PASSED)
    ),
    "send-questionnaire": Step(
        "Send the questionnaire link",
        "send the questionnaire",
        (Stage.PHONE_SCREEN_PASSED, Stage.QUESTIONNAIRE_SENT),
    ),
    "submit-questionnaire": Step(
        "Send the questionnaire answers", "send the questionnaire answers", (Stage.QUESTIONNAIRE_SENT,)
    ),
    "review": Step("Review the questionnaire", "review the questionnaire", (Stage.QUESTIONNAIRE_SUBMITTED,)),
    "order-bloodwork": Step(
        "Order bloodwork",
        "order bloodwork",
        (Stage.QUESTIONNAIRE_ACCEPTED, Stage.BLOODWORK_RESULTED),
        _order_check,
    ),
    "order-repeat": Step(
        "Order a repeat test", "order a repeat test", (Stage.BLOODWORK_ORDERED,), _unclear_check
    ),
    "record-results": Step(
        "Record bloodwork results",
        "record bloodwork results",
        (Stage.BLOODWORK_ORDERED, Stage.BLOODWORK_RESULTED, Stage.READY_FOR_SIGNOFF),
        _open_bloodwork_check,
    ),
    "update-release": Step(
        "Update a medical release", "update a medical release", (*Stage.in_screening(), Stage.APPROVED)
    ),
    "sign-off": Step("Sign off", "sign off", (Stage.READY_FOR_SIGNOFF,), _signoff_check),
    "defer": Step("Defer for a while", "defer", (*Stage.in_screening(), Stage.APPROVED)),
    "end-deferral": Step("End the deferral", "end a deferral", (Stage.DEFERRED,), _deferral_over_check),
    "research": Step(
        "Move to research only", "move to research only", (*Stage.in_screening(), Stage.DEFERRED)
    ),
    "status-link": Step(
        "Give the donor their status page link", "send a status link", (*_OPEN, Stage.INACTIVE)
    ),
    "revoke-links": Step(
        "Stop the donor's private links", "stop the private links", (*_OPEN, Stage.INACTIVE), _has_links_check
    ),
    "finish": Step("Finished donating", "mark as finished", (Stage.APPROVED, Stage.RESEARCH_ONLY)),
    "withdraw": Step("Withdraw (the donor's choice)", "withdraw", _OPEN),
    "decline": Step(
        "Decline permanently", "decline", (*Stage.in_screening(), Stage.APPROVED, Stage.DEFERRED)
    ),
}


# The one obvious next step at a stage, offered straight from the donor list so a coordinator lands on its
# form (the donor page still offers every open step). Stages missing here have no single obvious step.
NEXT_STEP: dict[str, str] = {
    Stage.INQUIRY: "phone-screen",
    Stage.PHONE_SCREEN_PASSED: "send-questionnaire",
    Stage.QUESTIONNAIRE_SUBMITTED: "review",
    Stage.QUESTIONNAIRE_ACCEPTED: "order-bloodwork",
    Stage.BLOODWORK_ORDERED: "record-results",
    Stage.READY_FOR_SIGNOFF: "sign-off",
}


def step_refusal(donor: Donor, slug: str, *, by=None) -> TransitionRefused | None:
    """Why this step may not happen now, or None when it may. The one rule for buttons and services."""
    step = STEPS[slug]
    if donor.stage not in step.stages:
        return TransitionRefused(
            f"Cannot {step.action} while the donor is at “{donor.get_stage_display()}”.", code="wrong_stage"
        )
    if step.check is not None:
        refused = step.check(donor, by)
        if refused is not None:
            code, message = refused
            return TransitionRefused(message, code=code)
    return None


def steps_open(donor: Donor, *, by=None) -> list[str]:
    """The steps that may happen now, in the table's order (the donor page's buttons)."""
    return [slug for slug in STEPS if step_refusal(donor, slug, by=by) is None]


def _require_step(donor: Donor, slug: str, *, by=None) -> None:
    refused = step_refusal(donor, slug, by=by)
    if refused is not None:
        raise refused


def unclear_bloodwork(donor: Donor) -> Bloodwork | None:
    """The donor's newest full panel when its result was not clear (and no repeat has cleared it yet)."""
    newest = donor.bloodwork_set.filter(repeat_of__isnull=True).order_by("-ordered_at", "-id").first()
    return newest if newest is not None and newest.status == Bloodwork.Status.INDETERMINATE else None


def unresolved_tests(panel: Bloodwork) -> list[str]:
    """The tests of a panel whose newest result (the panel's own, or its latest repeat's) is not negative."""
    latest = {t.test: t.result for t in panel.tests.all()}
    for repeat in panel.repeats.exclude(status=Bloodwork.Status.ORDERED).order_by("ordered_at", "id"):
        latest.update({t.test: t.result for t in repeat.tests.all()})
    negative = BloodTest.Result.NEGATIVE
    return [code for code in BloodTest.Test.values if code in latest and latest[code] != negative]


def _move(donor: Donor, to: str, *, by, summary: str, reason: str = "", **fields) -> None:
    before = donor.stage
    donor.stage = to
    donor.stage_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(donor, name, value)
    donor.save(update_fields=["stage", "stage_changed_at", "updated_at", *fields])
    event = TimelineEvent.objects.create(
        donor=donor,
        by=by,
        kind=TimelineEvent.Kind.STAGE,
        from_stage=before,
        to_stage=to,
        summary=summary,
        reason=reason,
    )
    record_step(donor, to, event.at)  # the screening reports' summary of the timeline


def _close_call_back(donor: Donor, *, by) -> None:
    """Whatever ends an inquiry (a call, research only, a decline, a withdrawal) ends the call-back task."""
    update_logged(
        Task.objects.filter(donor=donor, kind=Task.Kind.CALL_BACK, done_at__isnull=True),
        by=by,
        done_at=timezone.now(),
        done_by=by,
    )


def phone_screen_passed(donor: Donor) -> bool:
    """Rule 1: the donor's latest phone screen passed (a later failed screen outweighs an earlier pass)."""
    latest = donor.phone_screens.order_by("-screened_at", "-id").values_list("outcome", flat=True).first()
    return latest == PhoneScreen.Outcome.PASSED


def _note(donor: Donor, kind: str, summary: str, *, by=None, reason: str = "") -> None:
    TimelineEvent.objects.create(donor=donor, by=by, kind=kind, summary=summary, reason=reason)


def note_language_choice(donor: Donor) -> None:
    """The donor picked another language on one of their own pages: coordinators see it on the timeline."""
    name = dict(settings.LANGUAGES).get(donor.language, donor.language)
    _note(donor, TimelineEvent.Kind.NOTE, f"The donor chose {name} for their pages and emails.")


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _donor_url(donor: Donor, name: str, token: str) -> str:
    """A private link in the donor's language (its /es/ or /fr/ prefix), whoever's page sent it."""
    with translation.override(notify.donor_language(donor)):
        return _absolute(reverse(name, args=[token]))


# --- Inquiry and phone screen (rules 1, 8) ---------------------------------------------------------


@transaction.atomic
def donor_create_inquiry(
    *,
    first_name: str,
    last_name: str = "",
    email: str = "",
    phone: str = "",
    best_time_to_call: str = "",
    preferred_contact: str = Donor.ContactMethod.PHONE,
    bereaved: bool = False,
    contact_consent: bool,
    research_interest: bool = False,
    language: str = "en",
    by=None,
) -> Donor:
    """Record a new person asking to donate, and ask a coordinator to call them back."""
    if not contact_consent:
        raise TransitionRefused(
            gettext("We can only call you back if you agree to be contacted."), code="no_consent"
        )
    if not (email or phone):
        raise TransitionRefused(gettext("Please give a phone number or an email address."), code="no_contact")
    donor = Donor.objects.create(
        first_name=first_name,
        last_name=last_name,
        email=email,
        phone=phone,
        best_time_to_call=best_time_to_call,
        preferred_contact=preferred_contact,
        bereaved=bereaved,
        contact_consent=True,
        research_consent=research_interest,
        language=language,
    )
    _note(donor, TimelineEvent.Kind.STAGE, "Asked to donate", by=by)
    Task.objects.create(
        donor=donor,
        kind=Task.Kind.CALL_BACK,
        title="Call back a new inquiry",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )
    return donor


@transaction.atomic
def phone_screen_record(
    *,
    donor: Donor,
    by,
    minutes: int,
    answers: Mapping[str, str],
    outcome: str,
    notes: str = "",
    reason: str = "",
    defer_until: datetime.date | None = None,
    screened_at: datetime.datetime | None = None,
    decline_reason: str = "",
) -> PhoneScreen:
    """Rule 1: record the spoken screen, and act on its outcome in the same step: a pass moves the donor on,
    "call again" keeps a call-back task, "not now" defers until a date, "not able to donate" declines."""
    donor = _locked(donor)
    _require_step(donor, "phone-screen", by=by)
    Outcome = PhoneScreen.Outcome
    if outcome in (Outcome.DEFERRED, Outcome.NOT_ELIGIBLE) and not reason.strip():
        raise TransitionRefused("Please give the reason.", code="reason_required")
    if outcome == Outcome.DEFERRED and defer_until is None:
        raise TransitionRefused("Give the date the deferral ends.", code="no_end")
    _check_decline_reason(decline_reason)
    screen = PhoneScreen(
        donor=donor,
        screened_by=by,
        screened_at=screened_at or timezone.now(),
        minutes=minutes,
        answers=dict(answers),
        outcome=outcome,
        notes=notes,
    )
    screen.full_clean()
    screen.save()
    if outcome == Outcome.FOLLOW_UP:
        if not donor.tasks.filter(kind=Task.Kind.CALL_BACK, done_at__isnull=True).exists():
            Task.objects.create(
                donor=donor,
                kind=Task.Kind.CALL_BACK,
                title="Call again to finish the phone screen",
                due_on=timezone.localdate() + datetime.timedelta(days=2),
            )
        _note(donor, TimelineEvent.Kind.PHONE_SCREEN, "Phone screen: call again", by=by)
        return screen
    _close_call_back(donor, by=by)
    if outcome == Outcome.PASSED and donor.stage == Stage.INQUIRY:
        _move(donor, Stage.PHONE_SCREEN_PASSED, by=by, summary=f"Phone screen passed ({minutes} min)")
    elif outcome == Outcome.NOT_ELIGIBLE:
        _decline(
            donor, by=by, reason=reason, summary="Declined at the phone screen", decline_reason=decline_reason
        )
    elif outcome == Outcome.DEFERRED:
        _defer(donor, by=by, reason=reason, until=defer_until)
    else:
        _note(donor, TimelineEvent.Kind.PHONE_SCREEN, f"Phone screen: {screen.get_outcome_display()}", by=by)
    return screen


# --- Questionnaire (rules 2, 3) --------------------------------------------------------------------


class GivenBy:
    """How a private link reached the donor: emailed by the app, or given by a coordinator from the bank's
    phone when the donor has no email address (or asked for a text)."""

    EMAIL = "email"
    TEXT = "text"
    CALL = "call"
    CHOICES = [
        (EMAIL, "Email it to the donor"),
        (TEXT, "I will text it from the bank's phone"),
        (CALL, "I will read it out on a call"),
    ]
    SAID = {EMAIL: "emailed", TEXT: "texted from the bank's phone", CALL: "read out on a phone call"}


class LinkGiven(str):
    """A link just issued: the URL itself, plus how it was given. `message` is the ready-to-send text for a
    coordinator to text or read out: it carries the live link, so it is shown once, on the page that answers
    the click, and stored nowhere."""

    def __new__(cls, url: str, *, given_by: str, message: str = "", status_url: str = ""):
        given = super().__new__(cls, url)
        given.given_by, given.message, given.status_url = given_by, message, status_url
        return given

    @property
    def url(self) -> str:
        return str(self)

    @property
    def emailed(self) -> bool:
        return self.given_by == GivenBy.EMAIL


def _given_by(donor: Donor, given_by: str) -> str:
    if given_by not in GivenBy.SAID:
        raise TransitionRefused("Choose how the link reaches the donor.", code="bad_given_by")
    if given_by == GivenBy.EMAIL and not donor.email:
        raise TransitionRefused(
            "This donor has no email address. Choose to text the link from the bank's phone or read it out "
            "on a call.",
            code="no_email",
        )
    return given_by


def _status_url(donor: Donor, *, by, keep_current: bool = False) -> str:
    _, token = links.link_issue(
        donor=donor, purpose=AccessLink.Purpose.STATUS, by=by, keep_current=keep_current
    )
    return _donor_url(donor, "donors:status", token)


@transaction.atomic
def questionnaire_send(*, donor: Donor, by, given_by: str = GivenBy.EMAIL) -> LinkGiven:
    """Rule 2: issue (or re-issue) the questionnaire link, with the status-page link so the donor can follow
    her steps from now on, and email them, or hand them to the coordinator to text or read out.

    Sending again revokes the old links. Only after a passing phone screen.
    """
    from django.utils.translation import gettext

    from .questions import CURRENT_VERSION

    donor = _locked(donor)
    _require_step(donor, "send-questionnaire", by=by)
    if not phone_screen_passed(donor):
        raise TransitionRefused(
            "The questionnaire is sent only after a passing phone screen.", code="no_phone_screen"
        )
    given_by = _given_by(donor, given_by)
    link, token = links.link_issue(donor=donor, purpose=AccessLink.Purpose.QUESTIONNAIRE, by=by)
    questionnaire = donor.questionnaires.filter(number=donor.screening_round).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            donor=donor, number=donor.screening_round, question_set=CURRENT_VERSION, link=link
        )
    else:
        questionnaire.link = link
        questionnaire.save(update_fields=["link"])
    url = _donor_url(donor, "donors:questionnaire", token)
    status_url = _status_url(donor, by=by)
    said = GivenBy.SAID[given_by]
    if donor.stage == Stage.PHONE_SCREEN_PASSED:
        _move(donor, Stage.QUESTIONNAIRE_SENT, by=by, summary=f"Questionnaire link {said}")
    else:
        _note(
            donor,
            TimelineEvent.Kind.LINK,
            f"Questionnaire link {said} again (the old link no longer works)",
            by=by,
        )
    if given_by == GivenBy.EMAIL:
        notify.email_donor(
            donor=donor,
            name="questionnaire_link",
            context={"url": url, "expires_at": link.expires_at, "status_url": status_url},
            by=by,
            summary="questionnaire link and status page link",
        )
        return LinkGiven(url, given_by=given_by, status_url=status_url)
    with translation.override(notify.donor_language(donor)):  # the coordinator texts it to the donor
        message = gettext(
            "%(bank)s: your private link to the health questionnaire: %(url)s It works until %(until)s. "
            "To see your steps at any time: %(status_url)s"
        ) % {
            "bank": settings.MILKBANK["NAME"],
            "url": url,
            "until": long_date(timezone.localtime(link.expires_at)),
            "status_url": status_url,
        }
    return LinkGiven(url, given_by=given_by, message=message, status_url=status_url)


@transaction.atomic
def links_revoke(*, donor: Donor, by) -> int:
    """Stop every private link the donor holds (a link read out to the wrong person, a lost phone)."""
    donor = _locked(donor)
    _require_step(donor, "revoke-links", by=by)
    count = links.link_revoke_all(donor=donor)
    _note(donor, TimelineEvent.Kind.LINK, "Private links stopped; send a new one when needed", by=by)
    return count


@transaction.atomic
def questionnaire_save(*, questionnaire: Questionnaire, answers: Mapping[str, object]) -> Questionnaire:
    """Save the donor's progress. Refused once submitted: submitted answers are frozen."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_frozen:
        raise TransitionRefused(
            gettext("These answers were already sent and can no longer change."), code="frozen"
        )
    questionnaire.answers = {**locked.answers, **answers}
    questionnaire.last_saved_at = timezone.now()
    questionnaire.save(update_fields=["answers", "last_saved_at"])
    return questionnaire


@transaction.atomic
def questionnaire_submit(
    *, questionnaire: Questionnaire, answers: Mapping[str, object], flags: list[str]
) -> None:
    """Freeze the answers for a coordinator. Flagged answers make a review task, never a decline."""
    donor = _locked(questionnaire.donor)
    questionnaire.donor = donor
    _require_step(donor, "submit-questionnaire")
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_frozen:
        raise TransitionRefused(gettext("These answers were already sent."), code="frozen")
    now = timezone.now()
    questionnaire.answers = {**locked.answers, **answers}
    questionnaire.flags = list(flags)
    questionnaire.status = Questionnaire.Status.SUBMITTED
    questionnaire.submitted_at = now
    questionnaire.last_saved_at = now
    # The questionnaire pages show in the donor's language: the language these answers were given in.
    questionnaire.language = donor.language
    questionnaire.save(
        update_fields=["answers", "flags", "status", "submitted_at", "last_saved_at", "language"]
    )
    _move(donor, Stage.QUESTIONNAIRE_SUBMITTED, by=None, summary="Questionnaire answers sent by the donor")
    if flags:
        Task.objects.create(
            donor=donor,
            kind=Task.Kind.REVIEW_FLAGS,
            title=f"Review {len(flags)} questionnaire answer(s) that need a closer look",
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
    notify.email_coordinators(name="coordinator_questionnaire_submitted", context={"donor": donor})


@transaction.atomic
def questionnaire_review(
    *, questionnaire: Questionnaire, by, decision: str, note: str = "", decline_reason: str = ""
) -> None:
    """Accept, ask for follow-up, or find the answers not acceptable (which declines, with the reason)."""
    donor = _locked(questionnaire.donor)
    _require_step(donor, "review", by=by)
    if questionnaire.status not in (Questionnaire.Status.SUBMITTED, Questionnaire.Status.NEEDS_FOLLOW_UP):
        raise TransitionRefused("Only submitted answers can be reviewed.", code="not_submitted")
    if decision not in (
        Questionnaire.Status.ACCEPTED,
        Questionnaire.Status.NEEDS_FOLLOW_UP,
        Questionnaire.Status.NOT_ACCEPTABLE,
    ):
        raise TransitionRefused("Choose accept, needs follow-up, or not acceptable.", code="bad_decision")
    if decision != Questionnaire.Status.ACCEPTED and not note.strip():
        raise TransitionRefused("Please give the reason.", code="reason_required")
    _check_decline_reason(decline_reason)
    questionnaire.status = decision
    questionnaire.reviewed_by = by
    questionnaire.reviewed_at = timezone.now()
    questionnaire.review_note = note
    questionnaire.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    update_logged(
        Task.objects.filter(donor=donor, kind=Task.Kind.REVIEW_FLAGS, done_at__isnull=True),
        by=by,
        done_at=timezone.now(),
        done_by=by,
    )
    if decision == Questionnaire.Status.ACCEPTED:
        _move(donor, Stage.QUESTIONNAIRE_ACCEPTED, by=by, summary="Questionnaire accepted")
    elif decision == Questionnaire.Status.NEEDS_FOLLOW_UP:
        _note(donor, TimelineEvent.Kind.QUESTIONNAIRE, "Questionnaire needs follow-up", by=by, reason=note)
    else:
        _decline(
            donor, by=by, reason=note, summary="Questionnaire not acceptable", decline_reason=decline_reason
        )


# --- Bloodwork and releases (rules 4, 5) -----------------------------------------------------------


@transaction.atomic
def bloodwork_order(
    *, donor: Donor, by, lab: str = "", date_of_birth: datetime.date | None = None
) -> Bloodwork:
    """Order the panel and open the provider releases the donor needs. The date of birth, when given, goes
    on the donor's record (the requisition needs it)."""
    donor = _locked(donor)
    _require_step(donor, "order-bloodwork", by=by)
    if date_of_birth is not None:
        donor.date_of_birth = date_of_birth
        donor.version += 1  # an edit form opened before this would otherwise blank it again
        donor.save(update_fields=["date_of_birth", "version", "updated_at"])
    bloodwork = Bloodwork.objects.create(donor=donor, ordered_by=by, lab=lab)
    BloodTest.objects.bulk_create([BloodTest(bloodwork=bloodwork, test=t) for t in BloodTest.Test.values])
    Release.objects.get_or_create(donor=donor, kind=Release.Kind.DONOR_PROVIDER)
    if donor.infant_release_needed():
        Release.objects.get_or_create(donor=donor, kind=Release.Kind.INFANT_PROVIDER)
    if donor.stage == Stage.QUESTIONNAIRE_ACCEPTED:
        _move(donor, Stage.BLOODWORK_ORDERED, by=by, summary="Bloodwork ordered")
    else:
        _note(donor, TimelineEvent.Kind.BLOODWORK, "Bloodwork ordered again", by=by)
    return bloodwork


@transaction.atomic
def bloodwork_order_repeat(*, donor: Donor, by, full_redraw: bool = False, lab: str = "") -> Bloodwork:
    """Order the test(s) again after an unclear result: only the unclear ones, or a full redraw of the panel.

    A partial repeat belongs to its panel (`repeat_of`); when it comes back negative the panel is clear from
    its own draw date. A full redraw is a new panel that stands on its own.
    """
    donor = _locked(donor)
    _require_step(donor, "order-repeat", by=by)
    panel = unclear_bloodwork(donor)
    codes = BloodTest.Test.values if full_redraw else unresolved_tests(panel)
    repeat = Bloodwork.objects.create(
        donor=donor, ordered_by=by, lab=lab or panel.lab, repeat_of=None if full_redraw else panel
    )
    BloodTest.objects.bulk_create([BloodTest(bloodwork=repeat, test=code) for code in codes])
    for task in Task.objects.filter(donor=donor, kind=Task.Kind.FOLLOW_UP_RESULT, done_at__isnull=True):
        task.done_at, task.done_by = timezone.now(), by
        task.save(update_fields=["done_at", "done_by"])
    names = ", ".join(BloodTest.Test(code).label for code in codes)
    what = "Full redraw ordered" if full_redraw else f"Repeat test ordered: {names}"
    _note(donor, TimelineEvent.Kind.BLOODWORK, what, by=by)
    return repeat


LAB_REPORT_EXTENSIONS = {LabReport.Kind.PDF: "pdf", LabReport.Kind.PNG: "png", LabReport.Kind.JPEG: "jpg"}


# What a lab report may be, told by its first bytes (never by its name or the browser's word for it).
REPORT_SIGNATURES = [
    (b"%PDF-", LabReport.Kind.PDF),
    (b"\x89PNG\r\n\x1a\n", LabReport.Kind.PNG),
    (b"\xff\xd8\xff", LabReport.Kind.JPEG),
]


def lab_report_kind(upload) -> str:
    """The report's content type, from its first bytes; refuses a file too large or of another kind."""
    limit = settings.MILKBANK_LAB_REPORT_MAX_MB
    if upload.size > limit * 1024 * 1024:
        raise ValidationError(
            "This file is larger than %(limit)s MB. Please attach a smaller copy.",
            code="too_large",
            params={"limit": limit},
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, content_type in REPORT_SIGNATURES:
        if head.startswith(signature):
            return content_type
    raise ValidationError(
        "This file is not a PDF, PNG or JPEG. Please attach the report as the lab sent it.", code="bad_type"
    )


@transaction.atomic
def lab_report_attach(*, bloodwork: Bloodwork, by, upload) -> LabReport:
    """Keep the lab's report with the draw it reports on, after checking the file's content and size."""
    donor = _locked(bloodwork.donor)
    if donor.anonymized_at:
        # Anonymizing deleted her reports, which carry her name: none comes back onto the record.
        raise TransitionRefused(
            "This donor's record was anonymized; no report can be attached.", code="closed"
        )
    content_type = lab_report_kind(upload)
    report = LabReport(
        bloodwork=bloodwork, uploaded_by=by, content_type=content_type, size=upload.size, file=upload
    )
    report.full_clean(exclude=["file"])
    # A name of our own: the donor's file name may carry her name or the lab's reference.
    report.file.save(f"report-{bloodwork.pk}.{LAB_REPORT_EXTENSIONS[content_type]}", upload, save=False)
    report.save()
    _note(donor, TimelineEvent.Kind.BLOODWORK, "Lab report attached", by=by)
    return report


@transaction.atomic
def bloodwork_record_results(
    *,
    bloodwork: Bloodwork,
    by,
    drawn_on: datetime.date,
    results: Mapping[str, str],
    confirmed: Mapping[str, bool] | None = None,
    lab: str = "",
    cost=None,
) -> Bloodwork:
    """Rule 4: record the panel. A confirmed reactive result declines the donor and opens a task to tell the
    donor's provider; an indeterminate (or unconfirmed reactive) result opens a follow-up task."""
    donor = _locked(bloodwork.donor)
    _require_step(donor, "record-results", by=by)
    bloodwork = Bloodwork.objects.select_for_update().get(pk=bloodwork.pk)
    if bloodwork.status != Bloodwork.Status.ORDERED:
        raise TransitionRefused("These results were already recorded.", code="already_resulted")
    if drawn_on > timezone.localdate():
        raise TransitionRefused("The draw date cannot be in the future.", code="future_draw")
    tests = {t.test: t for t in bloodwork.tests.all()}
    results = {code: result for code, result in results.items() if code in tests}
    missing = set(tests) - set(results)
    if missing:
        names = ", ".join(label for code, label in BloodTest.Test.choices if code in missing)
        raise TransitionRefused(f"Enter a result for every test: {names}.", code="missing_results")
    confirmed = confirmed or {}
    for code, result in results.items():
        if result not in BloodTest.Result.values or result == BloodTest.Result.PENDING:
            raise TransitionRefused(
                "Each result must be negative, reactive or indeterminate.", code="bad_result"
            )
        test = tests[code]
        test.result = result
        test.confirmed = bool(confirmed.get(code)) and result == BloodTest.Result.REACTIVE
        test.save()
    bloodwork.drawn_on = drawn_on
    bloodwork.lab = lab or bloodwork.lab
    bloodwork.cost = cost
    bloodwork.resulted_at = timezone.now()
    bloodwork.recorded_by = by
    values = set(results.values())
    confirmed_reactive = [
        c for c, r in results.items() if r == BloodTest.Result.REACTIVE and confirmed.get(c)
    ]
    if confirmed_reactive:
        bloodwork.status = Bloodwork.Status.REACTIVE
    elif values == {BloodTest.Result.NEGATIVE}:
        bloodwork.status = Bloodwork.Status.CLEAR
    else:
        bloodwork.status = Bloodwork.Status.INDETERMINATE
    bloodwork.full_clean()
    bloodwork.save()
    panel = bloodwork.repeat_of
    if panel is not None and bloodwork.status == Bloodwork.Status.CLEAR:
        # The repeat covered every test still unclear on its panel: the panel is clear from its own draw.
        panel.status = Bloodwork.Status.CLEAR
        panel.save(update_fields=["status"])

    if bloodwork.status == Bloodwork.Status.REACTIVE:
        Task.objects.create(
            donor=donor,
            kind=Task.Kind.TELL_PROVIDER,
            title="Tell the provider the donor named about a confirmed bloodwork result",
            due_on=timezone.localdate() + datetime.timedelta(days=1),
        )
        _decline(
            donor,
            by=by,
            reason="Confirmed reactive bloodwork result.",
            summary="Declined after bloodwork",
            decline_reason=Donor.DeclineReason.BLOODWORK,
        )
    elif bloodwork.status == Bloodwork.Status.INDETERMINATE:
        Task.objects.create(
            donor=donor,
            kind=Task.Kind.FOLLOW_UP_RESULT,
            title="Order a repeat of the bloodwork result that was not clear",
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
        _note(
            donor,
            TimelineEvent.Kind.BLOODWORK,
            "Bloodwork needs follow-up: order a repeat test or a full redraw",
            by=by,
        )
    else:
        summary = "Repeat test negative: bloodwork all negative" if panel else "Bloodwork all negative"
        if donor.stage == Stage.BLOODWORK_ORDERED:
            _move(donor, Stage.BLOODWORK_RESULTED, by=by, summary=summary)
        else:
            _note(donor, TimelineEvent.Kind.BLOODWORK, summary, by=by)
        _maybe_ready(donor, by=by)
    return bloodwork


@transaction.atomic
def release_update(
    *,
    release: Release,
    by,
    status: str,
    sent_on: datetime.date | None = None,
    received_on: datetime.date | None = None,
    **details,
) -> Release:
    donor = _locked(release.donor)
    _require_step(donor, "update-release", by=by)
    release.status = status
    if sent_on is not None:
        release.sent_on = sent_on
    if received_on is not None:
        release.received_on = received_on
    for name, value in details.items():
        setattr(release, name, value)
    if status == Release.Status.SENT and release.sent_on is None:
        release.sent_on = timezone.localdate()
    if status == Release.Status.RECEIVED and release.received_on is None:
        release.received_on = timezone.localdate()
    today = timezone.localdate()
    if (release.sent_on and release.sent_on > today) or (release.received_on and release.received_on > today):
        raise TransitionRefused("Release dates cannot be in the future.", code="future_date")
    release.full_clean()
    release.save()
    _note(
        donor,
        TimelineEvent.Kind.RELEASE,
        f"{release.get_kind_display()} release: {release.get_status_display()}",
        by=by,
    )
    _maybe_ready(donor, by=by)
    return release


def missing_for_signoff(donor: Donor) -> list[str]:
    """What still stands between this donor and sign-off, in words for staff. Empty when ready."""
    missing = []
    if not phone_screen_passed(donor):
        missing.append("a passing phone screen")
    if not donor.questionnaires.filter(
        number=donor.screening_round, status=Questionnaire.Status.ACCEPTED
    ).exists():
        missing.append("an accepted questionnaire")
    valid_until = donor.bloodwork_valid_until()
    if valid_until is None or valid_until < timezone.localdate():
        missing.append("bloodwork with every result negative, still valid")
    needed = [Release.Kind.DONOR_PROVIDER]
    if donor.infant_release_needed():
        needed.append(Release.Kind.INFANT_PROVIDER)
    received = set(donor.releases.filter(status=Release.Status.RECEIVED).values_list("kind", flat=True))
    missing.extend(f"the {Release.Kind(k).label.lower()} release" for k in needed if k not in received)
    return missing


def _maybe_ready(donor: Donor, *, by) -> None:
    if donor.stage == Stage.BLOODWORK_RESULTED and not missing_for_signoff(donor):
        _move(donor, Stage.READY_FOR_SIGNOFF, by=by, summary="Every step done: ready for sign-off")


# --- Approval (rule 6) -----------------------------------------------------------------------------


def _next_donor_number() -> int:
    counter, _ = Counter.objects.select_for_update().get_or_create(name="donor_number")
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


@transaction.atomic
def donor_sign_off(*, donor: Donor, by, note: str = "") -> bool:
    """Rule 6: one staff sign-off. The second, by a different person, approves. Returns True on approval."""
    donor = _locked(donor)
    _require_step(donor, "sign-off", by=by)
    missing = missing_for_signoff(donor)
    if missing:
        raise TransitionRefused("Still needed before sign-off: " + "; ".join(missing) + ".", code="not_ready")
    SignOff.objects.create(donor=donor, screening_round=donor.screening_round, by=by, note=note)
    count = donor.signoffs.filter(screening_round=donor.screening_round).count()
    if count < 2:
        _note(donor, TimelineEvent.Kind.SIGNOFF, "First sign-off; a second person must sign off", by=by)
        return False
    number = donor.donor_number or _next_donor_number()
    _move(
        donor,
        Stage.APPROVED,
        by=by,
        summary=f"Approved after two sign-offs (donor number D{number:06d})",
        donor_number=number,
        approved_on=timezone.localdate(),
    )
    _, token = links.link_issue(donor=donor, purpose=AccessLink.Purpose.STATUS, by=by)
    notify.email_donor(
        donor=donor,
        name="approved",
        context={"status_url": _donor_url(donor, "donors:status", token)},
        by=by,
        summary="approval and how to give milk",
    )
    return True


# --- Deferral, decline, withdrawal, research, finishing (rules 7, 8) ----------------------------------


def _check_decline_reason(decline_reason: str) -> None:
    if decline_reason and decline_reason not in Donor.DeclineReason.values:
        raise TransitionRefused("Choose why the donor cannot give milk.", code="bad_decline_reason")


def _decline(donor: Donor, *, by, reason: str, summary: str, decline_reason: str = "") -> None:
    Deferral.objects.create(donor=donor, kind=Deferral.Kind.PERMANENT, reason=reason, created_by=by)
    _close_call_back(donor, by=by)
    links.link_revoke_all(donor=donor, purpose=AccessLink.Purpose.QUESTIONNAIRE)
    _move(
        donor,
        Stage.DECLINED,
        by=by,
        summary=summary,
        reason=reason,
        exit_reason=reason,
        decline_reason=decline_reason,
    )


@transaction.atomic
def donor_decline(*, donor: Donor, by, reason: str, decline_reason: str = "") -> None:
    donor = _locked(donor)
    if donor.is_closed:
        raise TransitionRefused("This donor's file is already closed.", code="closed")
    _require_step(donor, "decline", by=by)
    if not reason.strip():
        raise TransitionRefused("Please give the reason.", code="reason_required")
    _check_decline_reason(decline_reason)
    _decline(donor, by=by, reason=reason, summary="Declined", decline_reason=decline_reason)


@transaction.atomic
def donor_defer(*, donor: Donor, by, reason: str, until: datetime.date) -> Deferral:
    """A temporary deferral: the donor comes back to the same step after `until`."""
    donor = _locked(donor)
    _require_step(donor, "defer", by=by)
    if not reason.strip():
        raise TransitionRefused("Please give the reason.", code="reason_required")
    return _defer(donor, by=by, reason=reason, until=until)


def _defer(donor: Donor, *, by, reason: str, until: datetime.date) -> Deferral:
    today = timezone.localdate()
    if until <= today:
        raise TransitionRefused("A deferral must end after today.", code="end_in_past")
    deferral = Deferral.objects.create(
        donor=donor,
        kind=Deferral.Kind.TEMPORARY,
        reason=reason,
        starts_on=today,
        ends_on=until,
        return_stage=donor.stage,
        created_by=by,
    )
    _move(
        donor,
        Stage.DEFERRED,
        by=by,
        summary=f"Deferred until {until:%B %-d, %Y}",
        reason=reason,
        deferred_until=until,
        return_stage=donor.stage,
    )
    return deferral


@transaction.atomic
def deferral_end(*, donor: Donor, by=None) -> str:
    """Bring a deferred donor back to the step they were on, once the deferral has ended, and tell them
    (kindly). Returns the stage they are back at. `by` is None when the daily job ends it."""
    donor = _locked(donor)
    _require_step(donor, "end-deferral", by=by)
    back_to = donor.return_stage or Stage.INQUIRY
    new_round = {}
    if back_to == Stage.APPROVED:
        valid = donor.bloodwork_valid_until()
        if valid is None or valid < timezone.localdate():
            # Bloodwork lapsed during the pause: a re-screen, with a new questionnaire version, new bloodwork
            # and two new sign-offs (the round number keeps the earlier approval's sign-offs apart).
            back_to = Stage.PHONE_SCREEN_PASSED
            new_round = {"screening_round": donor.screening_round + 1}
    # One save per row (never a bulk update), so the audit log keeps an entry for each.
    for deferral in Deferral.objects.filter(donor=donor, kind=Deferral.Kind.TEMPORARY, ended_at__isnull=True):
        deferral.ended_at = timezone.now()
        deferral.save(update_fields=["ended_at"])
    _move(
        donor,
        back_to,
        by=by,
        summary=f"Deferral ended: back to “{Stage(back_to).label}”",
        deferred_until=None,
        return_stage="",
        **new_round,
    )
    notify.email_donor(
        donor=donor,
        name="deferral_ended",
        context={"waiting_on_us": back_to in Stage.waiting_on_staff(), "approved": back_to == Stage.APPROVED},
        by=by,
        summary="the pause has ended",
    )
    return back_to


@transaction.atomic
def donor_withdraw(*, donor: Donor, by, reason: str = "") -> None:
    """The donor's own choice to stop. Always allowed while the file is open."""
    donor = _locked(donor)
    if donor.is_closed:
        raise TransitionRefused("This donor's file is already closed.", code="closed")
    _require_step(donor, "withdraw", by=by)
    links.link_revoke_all(donor=donor)
    _close_call_back(donor, by=by)
    _move(
        donor,
        Stage.WITHDRAWN,
        by=by,
        summary="Withdrew",
        reason=reason,
        exit_reason=reason,
        deferred_until=None,
    )


@transaction.atomic
def donor_move_to_research(*, donor: Donor, by, consent: bool) -> None:
    """Rule 7: research only, with the donor's consent, skipping the screening steps."""
    donor = _locked(donor)
    _require_step(donor, "research", by=by)
    if not consent:
        raise TransitionRefused("Record the donor's consent to give milk for research.", code="no_consent")
    if donor.dropoffs.filter(use="clinical").exists():
        raise TransitionRefused(
            "This donor has milk for babies on record, so they cannot move to research only.",
            code="has_clinical",
        )
    number = donor.donor_number or _next_donor_number()
    links.link_revoke_all(donor=donor, purpose=AccessLink.Purpose.QUESTIONNAIRE)
    _close_call_back(donor, by=by)
    _move(
        donor,
        Stage.RESEARCH_ONLY,
        by=by,
        summary="Moved to research only (milk never used for babies)",
        pathway=Donor.Pathway.RESEARCH,
        research_consent=True,
        donor_number=number,
        deferred_until=None,
    )


@transaction.atomic
def status_link_send(
    *, donor: Donor, by=None, given_by: str = GivenBy.EMAIL, keep_current: bool = False
) -> LinkGiven:
    """Give the donor a fresh link to their status page (the old one stops working; with `keep_current`, only
    once the new one is opened: see links.link_issue): emailed, or handed to the coordinator to text or read
    out."""
    from django.utils.translation import gettext

    donor = _locked(donor)
    if donor.is_closed and donor.stage != Stage.INACTIVE:
        raise TransitionRefused("This donor's file is closed, so no status link is sent.", code="closed")
    _require_step(donor, "status-link", by=by)
    given_by = _given_by(donor, given_by)
    url = _status_url(donor, by=by, keep_current=keep_current)
    if given_by == GivenBy.EMAIL:
        notify.email_donor(
            donor=donor, name="status_link", context={"url": url}, by=by, summary="status page link"
        )
        return LinkGiven(url, given_by=given_by)
    _note(donor, TimelineEvent.Kind.LINK, f"Status page link {GivenBy.SAID[given_by]}", by=by)
    with translation.override(notify.donor_language(donor)):  # the coordinator texts it to the donor
        message = gettext("%(bank)s: your private page to see your steps: %(url)s") % {
            "bank": settings.MILKBANK["NAME"],
            "url": url,
        }
    return LinkGiven(url, given_by=given_by, message=message)


def donor_total_ml(donor: Donor) -> int:
    from .milk.services import donor_totals

    return donor_totals([donor.pk]).get(donor.pk, 0)


@transaction.atomic
def donor_finish(*, donor: Donor, by) -> None:
    """The donor has finished. Bereaved donors get a gentle thank-you and the memorial invitation."""
    donor = _locked(donor)
    _require_step(donor, "finish", by=by)
    links.link_revoke_all(donor=donor, purpose=AccessLink.Purpose.QUESTIONNAIRE)
    _move(donor, Stage.INACTIVE, by=by, summary="Finished donating", finished_on=timezone.localdate())
    total = donor_total_ml(donor)
    donor_id = donor.pk
    notify.email_donor(
        donor=donor,
        name="thank_you",
        context={"total_ml": total},
        by=by,
        summary="thank-you for donating",
        on_sent=lambda: update_logged(Donor.objects.filter(pk=donor_id), by=by, thanked_at=timezone.now()),
    )
