"""Demo donors at every stage (some bereaved, some research only), one at each exception a bank meets every
week (an unclear result, no email address, a call to make again, a deferral that has ended, a first sign-off,
a decline at the phone screen), waiting for different numbers of days; past donors whose screening ran over
the last 18 months (so the screening reports have something to show); then depots and milk.

Built through the real transitions, so the demo shows real timelines; mail is kept in memory meanwhile. The
past donors are walked through today and then moved back to their own dates (`_seed_history`).
"""

import datetime
import random

from django.db.models import F
from django.test.utils import override_settings
from django.utils import timezone

from . import questions
from . import transitions as t
from .models import (
    BloodTest,
    Bloodwork,
    Deferral,
    Donor,
    PhoneScreen,
    Questionnaire,
    Release,
    ScreeningStep,
    SignOff,
    Task,
    TimelineEvent,
)
from .reports.models import rebuild_screening_steps

Stage = Donor.Stage
NEGATIVE = dict.fromkeys(BloodTest.Test.values, BloodTest.Result.NEGATIVE)

PEOPLE = [
    # first, last, bereaved, baby, target stage
    ("Amara", "Okafor", False, "", Stage.INQUIRY),
    ("Lena", "Kowalski", True, "Rosie", Stage.INQUIRY),
    ("Mai", "Nguyễn", False, "", Stage.PHONE_SCREEN_PASSED),
    ("Sofia", "García", True, "Mateo", Stage.QUESTIONNAIRE_SENT),
    ("Hannah", "Berg", False, "", Stage.QUESTIONNAIRE_SUBMITTED),
    ("Aisha", "Rahman", False, "", Stage.QUESTIONNAIRE_ACCEPTED),
    ("Grace", "Lindqvist", True, "Elliot", Stage.BLOODWORK_ORDERED),
    ("Priya", "Shah", False, "", Stage.BLOODWORK_RESULTED),
    ("Chloé", "Martin", False, "", Stage.READY_FOR_SIGNOFF),
    ("Olivia", "Johnson", False, "", Stage.APPROVED),
    ("Naomi", "Yazzie", True, "Ayasha", Stage.APPROVED),
    ("Emma", "Larsen", False, "", Stage.APPROVED),
    ("Yuki", "Tanaka", False, "", Stage.APPROVED),
    ("Rachel", "Cohen", True, "Noah", Stage.INACTIVE),
    ("Fatima", "Haddad", False, "", Stage.DEFERRED),
    ("Julia", "Novak", False, "", Stage.DECLINED),
    ("Kate", "O'Brien", False, "", Stage.WITHDRAWN),
    ("Ingrid", "Halvorsen", False, "", Stage.RESEARCH_ONLY),
    ("Beatriz", "Souza", True, "Lia", Stage.RESEARCH_ONLY),
]
ORDER = [
    Stage.INQUIRY,
    Stage.PHONE_SCREEN_PASSED,
    Stage.QUESTIONNAIRE_SENT,
    Stage.QUESTIONNAIRE_SUBMITTED,
    Stage.QUESTIONNAIRE_ACCEPTED,
    Stage.BLOODWORK_ORDERED,
    Stage.BLOODWORK_RESULTED,
    Stage.READY_FOR_SIGNOFF,
    Stage.APPROVED,
]


TEXT_ANSWERS = {
    "provider_name": "Dr. Amara Okafor, Lakeside Family Clinic",
    "provider_phone": "612-555-0142",
    "infant_provider": "Dr. Sam Lee, Northside Pediatrics",
    "infant_provider_phone": "612-555-0177",
    "anything_else": "Mornings are best for a call.",
}


def demo_answers(version: str, *, bereaved: bool, name: str) -> dict:
    """A whole questionnaire answered as a typical eligible donor would, so the review page shows answers."""
    answers = {}
    for section in questions.sections_for(version, bereaved=bereaved):
        for q in section.questions:
            if q.kind in ("yes_no", "choice"):
                flagged = (q.flag_if,) if isinstance(q.flag_if, str) else tuple(q.flag_if or ())
                answers[q.id] = next((v for v, _ in q.options if v not in flagged), q.options[0][0])
            elif q.kind == "date":
                answers[q.id] = (timezone.localdate() - datetime.timedelta(days=75)).isoformat()
            elif q.kind == "number":
                answers[q.id] = q.min_value or 0
            elif q.kind == "text" and questions.is_required(q, answers) or q.id in TEXT_ANSWERS:
                answers[q.id] = TEXT_ANSWERS.get(q.id, f"Nothing to add ({name}).")
    return answers


def _advance(donor, target, a, b):
    """Walk one donor forward with the real transitions until it reaches `target`."""
    while ORDER.index(donor.stage) < ORDER.index(target):
        stage = donor.stage
        if stage == Stage.INQUIRY:
            t.phone_screen_record(
                donor=donor, by=a, minutes=22, answers={}, outcome="passed", notes="Demo call"
            )
        elif stage == Stage.PHONE_SCREEN_PASSED:
            t.questionnaire_send(donor=donor, by=a)
        elif stage == Stage.QUESTIONNAIRE_SENT:
            q = donor.questionnaires.get(number=donor.screening_round)
            answers = demo_answers(q.question_set, bereaved=donor.bereaved, name=donor.last_name)
            t.questionnaire_submit(
                questionnaire=q, answers=answers, flags=questions.flags_for(q.question_set, answers)
            )
        elif stage == Stage.QUESTIONNAIRE_SUBMITTED:
            q = donor.questionnaires.get(number=donor.screening_round)
            t.questionnaire_review(questionnaire=q, by=a, decision=Questionnaire.Status.ACCEPTED)
        elif stage == Stage.QUESTIONNAIRE_ACCEPTED:
            t.bloodwork_order(donor=donor, by=a, lab="Northside Lab")
        elif stage == Stage.BLOODWORK_ORDERED:
            bw = donor.bloodwork_set.get(status="ordered")
            t.bloodwork_record_results(
                bloodwork=bw,
                by=a,
                drawn_on=timezone.localdate() - datetime.timedelta(days=3),
                results=NEGATIVE,
                cost="85.00",
            )
            if target != Stage.BLOODWORK_RESULTED:
                for release in donor.releases.all():
                    t.release_update(
                        release=release, by=a, status=Release.Status.RECEIVED, provider_name="Dr. Demo"
                    )
        elif stage == Stage.READY_FOR_SIGNOFF:
            t.donor_sign_off(donor=donor, by=a)
            t.donor_sign_off(donor=donor, by=b)
        donor.refresh_from_db()


def seed(*, users, stdout):
    from .milk import demo as demo_milk

    a, b = users["coordinator"], users["coordinator2"]
    if not Donor.objects.exists():
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for n, (first, last, bereaved, baby, target) in enumerate(PEOPLE, start=1):
                donor = t.donor_create_inquiry(
                    first_name=first,
                    last_name=last,
                    email=f"donor{n}@example.org",
                    phone=f"555-01{n:02d}",
                    best_time_to_call="Weekday mornings",
                    bereaved=bereaved,
                    contact_consent=True,
                )
                Donor.objects.filter(pk=donor.pk).update(
                    baby_first_name=baby,
                    city="Minneapolis" if n % 2 else "Saint Paul",
                    region="MN",
                    coordinator=a if n % 3 else b,
                )
                donor.refresh_from_db()
                if target in ORDER:
                    _advance(donor, target, a, b)
                elif target == Stage.INACTIVE:
                    _advance(donor, Stage.APPROVED, a, b)
                elif target == Stage.DEFERRED:
                    _advance(donor, Stage.QUESTIONNAIRE_ACCEPTED, a, b)
                    t.donor_defer(
                        donor=donor,
                        by=a,
                        reason="Recent travel",
                        until=timezone.localdate() + datetime.timedelta(days=20),
                    )
                elif target == Stage.DECLINED:
                    _advance(donor, Stage.QUESTIONNAIRE_SUBMITTED, a, b)
                    q = donor.questionnaires.get()
                    t.questionnaire_review(
                        questionnaire=q, by=a, decision="not_acceptable", note="Ongoing treatment"
                    )
                elif target == Stage.WITHDRAWN:
                    _advance(donor, Stage.QUESTIONNAIRE_SENT, a, b)
                    t.donor_withdraw(donor=donor, by=a, reason="Chose to stop")
                elif target == Stage.RESEARCH_ONLY:
                    t.donor_move_to_research(donor=donor, by=a, consent=True)
            exceptions = _seed_exceptions(a, b)
            _spread_waiting_days()
            past = _seed_history(a, b)
            # The reports' summary of the timeline, from the timeline as it now reads (moved back in time).
            ScreeningStep.objects.all().delete()
            rebuild_screening_steps()
            stdout.write(
                f"  {len(PEOPLE)} demo donors at every stage, {exceptions} at the weekly exceptions, "
                f"{past} past donors over the last 18 months"
            )
    demo_milk.seed(users=users, stdout=stdout)
    # Finish the demo's "inactive" donor after milk exists, so the thank-you carries a real total.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for donor in Donor.objects.filter(last_name="Cohen", stage=Stage.APPROVED):
            t.donor_finish(donor=donor, by=a)


def _inquiry(first, last, *, email=None, **fields):
    return t.donor_create_inquiry(
        first_name=first,
        last_name=last,
        email=f"{first.lower()}.{last.lower()}@example.org" if email is None else email,
        phone=fields.pop("phone", "555-0190"),
        contact_consent=True,
        **fields,
    )


def _seed_exceptions(a, b) -> int:
    """One donor at each exception of issue 12, each with its way forward on the donor page."""
    # An unclear result: Hepatitis C indeterminate; the page offers "Order a repeat test".
    unclear = _inquiry("Tamsin", "Reyes")
    Donor.objects.filter(pk=unclear.pk).update(date_of_birth=datetime.date(1993, 6, 2))
    unclear.refresh_from_db()
    _advance(unclear, Stage.BLOODWORK_ORDERED, a, b)
    t.bloodwork_record_results(
        bloodwork=unclear.bloodwork_set.get(status="ordered"),
        by=a,
        drawn_on=timezone.localdate() - datetime.timedelta(days=4),
        results={**NEGATIVE, "hcv": BloodTest.Result.INDETERMINATE},
        cost="85.00",
    )
    # No email address: the questionnaire link is given by text, and the timeline says so.
    no_email = _inquiry("Aroha", "Ngata", email="", preferred_contact=Donor.ContactMethod.TEXT)
    _advance(no_email, Stage.PHONE_SCREEN_PASSED, a, b)
    t.questionnaire_send(donor=no_email, by=a, given_by=t.GivenBy.TEXT)
    # A call to make again: the call-back task stays open.
    again = _inquiry("Deja", "Brooks", best_time_to_call="After 6 pm")
    t.phone_screen_record(
        donor=again, by=a, minutes=6, answers={}, outcome="follow_up", notes="Baby woke up; call tomorrow"
    )
    # A deferral that has ended: in the "needing action" list until the daily job or a coordinator ends it.
    ended = _inquiry("Marisol", "Ortiz", bereaved=True)
    _advance(ended, Stage.QUESTIONNAIRE_ACCEPTED, a, b)
    t.donor_defer(
        donor=ended, by=a, reason="Taking some time", until=timezone.localdate() + datetime.timedelta(1)
    )
    today = timezone.localdate()
    Deferral.objects.filter(donor=ended).update(
        starts_on=today - datetime.timedelta(days=30), ends_on=today - datetime.timedelta(days=1)
    )
    Donor.objects.filter(pk=ended.pk).update(deferred_until=today - datetime.timedelta(days=1))
    # A first sign-off: only the other coordinator is offered "Sign off".
    signed_once = _inquiry("Hye-jin", "Park")
    _advance(signed_once, Stage.READY_FOR_SIGNOFF, a, b)
    t.donor_sign_off(donor=signed_once, by=a, note="All paperwork checked")
    # Declined at the phone screen, with the reason, in the same step.
    declined = _inquiry("Zainab", "Ali")
    t.phone_screen_record(
        donor=declined,
        by=a,
        minutes=14,
        answers={},
        outcome="not_eligible",
        reason="Ongoing treatment that passes into milk",
        decline_reason=Donor.DeclineReason.MEDICINES,
    )
    return 6


def _spread_waiting_days():
    """Donors waiting 0 to 30 days at their step, so "waiting since" and "overdue" mean something."""
    for n, donor_id in enumerate(Donor.objects.order_by("pk").values_list("pk", flat=True)):
        delta = datetime.timedelta(days=(0, 1, 3, 6, 9, 13, 21, 30)[n % 8], hours=n % 5)
        Donor.objects.filter(pk=donor_id).update(
            stage_changed_at=F("stage_changed_at") - delta, created_at=F("created_at") - delta
        )
        TimelineEvent.objects.filter(donor_id=donor_id).update(at=F("at") - delta)


# --- Past donors, for the screening reports ------------------------------------------------------------

HISTORY_DONORS = 48
HISTORY_DAYS = 540  # about 18 months
HISTORY_EMAIL = "past.example.org"
HISTORY_FIRST = (
    "Adaeze Bianca Caroline Delphine Esme Farah Gemma Helga Imani Josefine Keisha Lorena Marta Nell Odette "
    "Paloma Rhea Saskia Thandi Ulla Vera Willa Xiomara Yesenia"
).split()
HISTORY_LAST = "Abbott Brandt Castillo Dunn Ekwueme Foster Greer Holm Iwu Jensen Kruger Lindgren".split()
# The usual length of each step in days (from, to), drawn at random for each donor.
STEP_DAYS = [
    (Stage.PHONE_SCREEN_PASSED, (1, 10)),
    (Stage.QUESTIONNAIRE_SENT, (0, 2)),
    (Stage.QUESTIONNAIRE_SUBMITTED, (1, 21)),
    (Stage.QUESTIONNAIRE_ACCEPTED, (1, 6)),
    (Stage.BLOODWORK_ORDERED, (1, 7)),
    (Stage.BLOODWORK_RESULTED, (4, 14)),
    (Stage.APPROVED, (1, 6)),
]


# The groups the past donors' declines fall in, in turn (the funnel report counts them).
DEMO_DECLINE_REASONS = [
    Donor.DeclineReason.HEALTH,
    Donor.DeclineReason.MEDICINES,
    Donor.DeclineReason.LIFESTYLE,
    Donor.DeclineReason.TRAVEL,
]


def _seed_history(a, b) -> int:
    """Donors who asked over the past 18 months: most were approved and have since finished, some withdrew,
    were declined or gave milk for research only. Each is walked through the real transitions, then every
    time on their file is moved back to a day drawn for that step, so the timeline reads as it happened."""
    rng = random.Random(17)  # noqa: S311 - the same demo every time, not a secret
    now = timezone.now()
    for n in range(HISTORY_DONORS):
        roll = rng.random()
        outcome = (
            "finished"
            if roll < 0.62
            else "withdrew"
            if roll < 0.76
            else "declined"
            if roll < 0.9
            else "research"
        )
        asked = now - datetime.timedelta(days=rng.randrange(75, HISTORY_DAYS), hours=rng.randrange(8))
        first, last = HISTORY_FIRST[n % len(HISTORY_FIRST)], HISTORY_LAST[n % len(HISTORY_LAST)]
        donor = t.donor_create_inquiry(
            first_name=first,
            last_name=last,
            email=f"{first.lower()}.{last.lower()}.{n}@{HISTORY_EMAIL}",
            phone=f"555-02{n:02d}",
            bereaved=rng.random() < 0.2,
            contact_consent=True,
        )
        Donor.objects.filter(pk=donor.pk).update(coordinator=a if n % 2 else b)
        donor.refresh_from_db()
        times, when = {Stage.INQUIRY: asked}, asked
        last_step = {"finished": Stage.APPROVED, "withdrew": Stage.QUESTIONNAIRE_SENT}.get(outcome)
        if outcome == "declined":
            last_step = Stage.QUESTIONNAIRE_SUBMITTED
        for stage, (low, high) in STEP_DAYS if last_step else ():
            when += datetime.timedelta(days=rng.uniform(low, high))
            times[stage] = when
            if stage == last_step:
                break
        if last_step:
            _advance(donor, last_step, a, b)
        end = when + datetime.timedelta(days=rng.uniform(2, 20))
        if outcome == "finished":
            end = min(
                when + datetime.timedelta(days=rng.randrange(30, 200)), now - datetime.timedelta(days=3)
            )
            t.donor_finish(donor=donor, by=a)
        elif outcome == "withdrew":
            t.donor_withdraw(donor=donor, by=a, reason="Chose to stop")
        elif outcome == "declined":
            reason = DEMO_DECLINE_REASONS[n % len(DEMO_DECLINE_REASONS)]
            t.questionnaire_review(
                questionnaire=donor.questionnaires.get(),
                by=a,
                decision="not_acceptable",
                note="Not eligible",
                decline_reason=reason,
            )
        else:
            t.donor_move_to_research(donor=donor, by=a, consent=True)
        _move_back(donor, times, end)
    return HISTORY_DONORS


def _move_back(donor, times: dict, end: datetime.datetime) -> None:
    """Put every time on this donor's file on the day its step happened (`times`: stage -> when; the last
    stage change, a finish, a withdrawal, a decline, at `end`)."""
    when, moved = times[Stage.INQUIRY], 0
    for event in TimelineEvent.objects.filter(donor=donor).order_by("at", "id"):
        if event.kind == TimelineEvent.Kind.STAGE and event.to_stage:
            when = times.get(event.to_stage, end if event.to_stage not in ORDER else when)
        moved += 1
        TimelineEvent.objects.filter(pk=event.pk).update(at=when + datetime.timedelta(seconds=moved))
    step = times.get
    last = max(times.values()) if len(times) > 1 else times[Stage.INQUIRY]
    approved = step(Stage.APPROVED)
    Donor.objects.filter(pk=donor.pk).update(
        created_at=times[Stage.INQUIRY],
        stage_changed_at=end,
        approved_on=timezone.localtime(approved).date() if approved else None,
        finished_on=timezone.localtime(end).date() if donor.finished_on or approved else None,
        thanked_at=end if approved else None,
    )
    PhoneScreen.objects.filter(donor=donor).update(screened_at=step(Stage.PHONE_SCREEN_PASSED, last))
    Questionnaire.objects.filter(donor=donor).update(
        started_at=step(Stage.QUESTIONNAIRE_SENT, last),
        last_saved_at=step(Stage.QUESTIONNAIRE_SUBMITTED, last),
        submitted_at=step(Stage.QUESTIONNAIRE_SUBMITTED, last),
        reviewed_at=step(Stage.QUESTIONNAIRE_ACCEPTED, end),
    )
    if step(Stage.BLOODWORK_RESULTED):
        resulted = step(Stage.BLOODWORK_RESULTED)
        Bloodwork.objects.filter(donor=donor).update(
            ordered_at=step(Stage.BLOODWORK_ORDERED),
            resulted_at=resulted,
            drawn_on=timezone.localtime(resulted).date() - datetime.timedelta(days=3),
        )
        Release.objects.filter(donor=donor).update(
            sent_on=timezone.localtime(step(Stage.BLOODWORK_ORDERED)).date(),
            received_on=timezone.localtime(resulted).date(),
        )
    SignOff.objects.filter(donor=donor).update(at=approved or last)
    Deferral.objects.filter(donor=donor).update(starts_on=timezone.localtime(end).date())
    Task.objects.filter(donor=donor, done_at__isnull=False).update(
        done_at=step(Stage.PHONE_SCREEN_PASSED, end)
    )
