"""The donor lifecycle: the only code that changes a donor's stage.

Every function is keyword-only, runs in one transaction, locks the donor row, checks its rule, and records
who, when and why on the timeline. A refused move raises `TransitionRefused` with a message fit for staff.
"""

import datetime
from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from . import links, notify
from .audit import update_logged
from .models import (
    AccessLink,
    BloodTest,
    Bloodwork,
    Counter,
    Deferral,
    Donor,
    PhoneScreen,
    Questionnaire,
    Release,
    SignOff,
    Task,
    TimelineEvent,
)

Stage = Donor.Stage


class TransitionRefused(ValidationError):
    """A lifecycle rule said no. The message is shown to staff as it is."""


def _locked(donor: Donor) -> Donor:
    """Re-read the donor under a row lock so two staff acting at once are serialised."""
    fresh = Donor.objects.select_for_update().get(pk=donor.pk)
    # Keep the caller's object in step, so they see the result of what they asked for.
    donor.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
    return fresh


def _require(donor: Donor, allowed: list[str], action: str) -> None:
    if donor.stage not in allowed:
        raise TransitionRefused(
            f"Cannot {action} while the donor is at “{donor.get_stage_display()}”.",
            code="wrong_stage",
        )


def _move(donor: Donor, to: str, *, by, summary: str, reason: str = "", **fields) -> None:
    before = donor.stage
    donor.stage = to
    donor.stage_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(donor, name, value)
    donor.save(update_fields=["stage", "stage_changed_at", "updated_at", *fields])
    TimelineEvent.objects.create(
        donor=donor,
        by=by,
        kind=TimelineEvent.Kind.STAGE,
        from_stage=before,
        to_stage=to,
        summary=summary,
        reason=reason,
    )


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


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


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
    by=None,
) -> Donor:
    """Record a new person asking to donate, and ask a coordinator to call them back."""
    if not contact_consent:
        raise TransitionRefused("We can only call you back if you agree to be contacted.", code="no_consent")
    if not (email or phone):
        raise TransitionRefused("Please give a phone number or an email address.", code="no_contact")
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
    screened_at: datetime.datetime | None = None,
) -> PhoneScreen:
    """Rule 1: record the spoken screen. A pass moves the donor on; other outcomes stay for staff."""
    _locked(donor)
    _require(donor, [Stage.INQUIRY, Stage.PHONE_SCREEN_PASSED], "record a phone screen")
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
    _close_call_back(donor, by=by)
    if outcome == PhoneScreen.Outcome.PASSED and donor.stage == Stage.INQUIRY:
        _move(donor, Stage.PHONE_SCREEN_PASSED, by=by, summary=f"Phone screen passed ({minutes} min)")
    else:
        _note(donor, TimelineEvent.Kind.PHONE_SCREEN, f"Phone screen: {screen.get_outcome_display()}", by=by)
    return screen


# --- Questionnaire (rules 2, 3) --------------------------------------------------------------------


@transaction.atomic
def questionnaire_send(*, donor: Donor, by) -> str:
    """Rule 2: issue (or re-issue) the questionnaire link and email it. Returns the link's full URL.

    Sending again revokes the old link. Only after a passing phone screen.
    """
    from .questions import CURRENT_VERSION

    _locked(donor)
    _require(donor, [Stage.PHONE_SCREEN_PASSED, Stage.QUESTIONNAIRE_SENT], "send the questionnaire")
    if not phone_screen_passed(donor):
        raise TransitionRefused(
            "The questionnaire is sent only after a passing phone screen.", code="no_phone_screen"
        )
    link, token = links.link_issue(donor=donor, purpose=AccessLink.Purpose.QUESTIONNAIRE, by=by)
    questionnaire = donor.questionnaires.filter(number=donor.screening_round).first()
    if questionnaire is None:
        questionnaire = Questionnaire.objects.create(
            donor=donor, number=donor.screening_round, question_set=CURRENT_VERSION, link=link
        )
    else:
        questionnaire.link = link
        questionnaire.save(update_fields=["link"])
    url = _absolute(reverse("donors:questionnaire", args=[token]))
    if donor.stage == Stage.PHONE_SCREEN_PASSED:
        _move(donor, Stage.QUESTIONNAIRE_SENT, by=by, summary="Questionnaire link sent")
    else:
        _note(
            donor,
            TimelineEvent.Kind.LINK,
            "Questionnaire link sent again (the old link no longer works)",
            by=by,
        )
    notify.email_donor(
        donor=donor,
        name="questionnaire_link",
        context={"url": url, "expires_at": link.expires_at},
        by=by,
        summary="questionnaire link",
    )
    return url


@transaction.atomic
def questionnaire_save(*, questionnaire: Questionnaire, answers: Mapping[str, object]) -> Questionnaire:
    """Save the donor's progress. Refused once submitted: submitted answers are frozen."""
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_frozen:
        raise TransitionRefused("These answers were already sent and can no longer change.", code="frozen")
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
    _require(donor, [Stage.QUESTIONNAIRE_SENT], "send the questionnaire answers")
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.is_frozen:
        raise TransitionRefused("These answers were already sent.", code="frozen")
    now = timezone.now()
    questionnaire.answers = {**locked.answers, **answers}
    questionnaire.flags = list(flags)
    questionnaire.status = Questionnaire.Status.SUBMITTED
    questionnaire.submitted_at = now
    questionnaire.last_saved_at = now
    questionnaire.save(update_fields=["answers", "flags", "status", "submitted_at", "last_saved_at"])
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
def questionnaire_review(*, questionnaire: Questionnaire, by, decision: str, note: str = "") -> None:
    """Accept, ask for follow-up, or find the answers not acceptable (which declines, with the reason)."""
    donor = _locked(questionnaire.donor)
    _require(donor, [Stage.QUESTIONNAIRE_SUBMITTED], "review the questionnaire")
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
        _decline(donor, by=by, reason=note, summary="Questionnaire not acceptable")


# --- Bloodwork and releases (rules 4, 5) -----------------------------------------------------------


@transaction.atomic
def bloodwork_order(*, donor: Donor, by, lab: str = "") -> Bloodwork:
    """Order the panel and open the provider releases the donor needs."""
    _locked(donor)
    _require(donor, [Stage.QUESTIONNAIRE_ACCEPTED, Stage.BLOODWORK_RESULTED], "order bloodwork")
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
    bloodwork = Bloodwork.objects.select_for_update().get(pk=bloodwork.pk)
    if bloodwork.status != Bloodwork.Status.ORDERED:
        raise TransitionRefused("These results were already recorded.", code="already_resulted")
    if drawn_on > timezone.localdate():
        raise TransitionRefused("The draw date cannot be in the future.", code="future_draw")
    missing = set(BloodTest.Test.values) - set(results)
    if missing:
        names = ", ".join(label for code, label in BloodTest.Test.choices if code in missing)
        raise TransitionRefused(f"Enter a result for every test: {names}.", code="missing_results")
    confirmed = confirmed or {}
    tests = {t.test: t for t in bloodwork.tests.all()}
    for code, result in results.items():
        if result not in BloodTest.Result.values or result == BloodTest.Result.PENDING:
            raise TransitionRefused(
                "Each result must be negative, reactive or indeterminate.", code="bad_result"
            )
        test = tests.get(code) or BloodTest(bloodwork=bloodwork, test=code)
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

    if bloodwork.status == Bloodwork.Status.REACTIVE:
        Task.objects.create(
            donor=donor,
            kind=Task.Kind.TELL_PROVIDER,
            title="Tell the provider the donor named about a confirmed bloodwork result",
            due_on=timezone.localdate() + datetime.timedelta(days=1),
        )
        _decline(
            donor, by=by, reason="Confirmed reactive bloodwork result.", summary="Declined after bloodwork"
        )
    elif bloodwork.status == Bloodwork.Status.INDETERMINATE:
        Task.objects.create(
            donor=donor,
            kind=Task.Kind.FOLLOW_UP_RESULT,
            title="Follow up a bloodwork result that was not clear",
            due_on=timezone.localdate() + datetime.timedelta(days=3),
        )
        _note(donor, TimelineEvent.Kind.BLOODWORK, "Bloodwork needs follow-up", by=by)
    else:
        if donor.stage == Stage.BLOODWORK_ORDERED:
            _move(donor, Stage.BLOODWORK_RESULTED, by=by, summary="Bloodwork all negative")
        else:
            _note(donor, TimelineEvent.Kind.BLOODWORK, "Bloodwork all negative", by=by)
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
    _locked(donor)
    _require(donor, [Stage.READY_FOR_SIGNOFF], "sign off")
    missing = missing_for_signoff(donor)
    if missing:
        raise TransitionRefused("Still needed before sign-off: " + "; ".join(missing) + ".", code="not_ready")
    if donor.signoffs.filter(screening_round=donor.screening_round, by=by).exists():
        raise TransitionRefused(
            "You have already signed off this donor. A second, different staff member must sign off.",
            code="same_person",
        )
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
        context={"status_url": _absolute(reverse("donors:status", args=[token]))},
        by=by,
        summary="approval and how to give milk",
    )
    return True


# --- Deferral, decline, withdrawal, research, finishing (rules 7, 8) ----------------------------------


def _decline(donor: Donor, *, by, reason: str, summary: str) -> None:
    Deferral.objects.create(donor=donor, kind=Deferral.Kind.PERMANENT, reason=reason, created_by=by)
    _close_call_back(donor, by=by)
    links.link_revoke_all(donor=donor, purpose=AccessLink.Purpose.QUESTIONNAIRE)
    _move(donor, Stage.DECLINED, by=by, summary=summary, reason=reason, exit_reason=reason)


@transaction.atomic
def donor_decline(*, donor: Donor, by, reason: str) -> None:
    _locked(donor)
    if donor.stage in (Stage.DECLINED, Stage.WITHDRAWN, Stage.INACTIVE):
        raise TransitionRefused("This donor's file is already closed.", code="closed")
    if not reason.strip():
        raise TransitionRefused("Please give the reason.", code="reason_required")
    _decline(donor, by=by, reason=reason, summary="Declined")


@transaction.atomic
def donor_defer(*, donor: Donor, by, reason: str, until: datetime.date) -> Deferral:
    """A temporary deferral: the donor comes back to the same step after `until`."""
    _locked(donor)
    _require(donor, [*Stage.in_screening(), Stage.APPROVED], "defer")
    if not reason.strip():
        raise TransitionRefused("Please give the reason.", code="reason_required")
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
def deferral_end(*, donor: Donor, by=None) -> None:
    """Bring a deferred donor back to the step they were on, once the deferral has ended."""
    _locked(donor)
    _require(donor, [Stage.DEFERRED], "end a deferral")
    if donor.deferred_until and donor.deferred_until > timezone.localdate():
        raise TransitionRefused(
            f"This deferral runs until {donor.deferred_until:%B %-d, %Y}.", code="not_ended"
        )
    back_to = donor.return_stage or Stage.INQUIRY
    new_round = {}
    if back_to == Stage.APPROVED:
        valid = donor.bloodwork_valid_until()
        if valid is None or valid < timezone.localdate():
            # Bloodwork lapsed during the pause: a re-screen, with a new questionnaire version, new bloodwork
            # and two new sign-offs (the round number keeps the earlier approval's sign-offs apart).
            back_to = Stage.PHONE_SCREEN_PASSED
            new_round = {"screening_round": donor.screening_round + 1}
    Deferral.objects.filter(donor=donor, kind=Deferral.Kind.TEMPORARY, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    _move(
        donor,
        back_to,
        by=by,
        summary=f"Deferral ended: back to “{Stage(back_to).label}”",
        deferred_until=None,
        return_stage="",
        **new_round,
    )


@transaction.atomic
def donor_withdraw(*, donor: Donor, by, reason: str = "") -> None:
    """The donor's own choice to stop. Always allowed while the file is open."""
    _locked(donor)
    if donor.is_closed:
        raise TransitionRefused("This donor's file is already closed.", code="closed")
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
    _locked(donor)
    _require(donor, [*Stage.in_screening(), Stage.DEFERRED], "move to research only")
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
def status_link_send(*, donor: Donor, by=None, keep_current: bool = False) -> str:
    """Email the donor a fresh link to their status page (the old one stops working; with `keep_current`,
    only once the new one is opened: see links.link_issue). Returns the URL."""
    if donor.is_closed and donor.stage != Stage.INACTIVE:
        raise TransitionRefused("This donor's file is closed, so no status link is sent.", code="closed")
    _, token = links.link_issue(
        donor=donor, purpose=AccessLink.Purpose.STATUS, by=by, keep_current=keep_current
    )
    url = _absolute(reverse("donors:status", args=[token]))
    notify.email_donor(
        donor=donor, name="status_link", context={"url": url}, by=by, summary="status page link"
    )
    return url


def donor_total_ml(donor: Donor) -> int:
    from .milk_services import donor_totals

    return donor_totals([donor.pk]).get(donor.pk, 0)


@transaction.atomic
def donor_finish(*, donor: Donor, by) -> None:
    """The donor has finished. Bereaved donors get a gentle thank-you and the memorial invitation."""
    _locked(donor)
    _require(donor, [Stage.APPROVED, Stage.RESEARCH_ONLY], "mark as finished")
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
