"""Demo donors at every stage (some bereaved, some research only), then depots and milk.

Built through the real transitions, so the demo shows real timelines; mail is kept in memory meanwhile.
"""

import datetime

from django.test.utils import override_settings
from django.utils import timezone

from . import transitions as t
from .models import BloodTest, Donor, Questionnaire, Release

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
            t.questionnaire_submit(questionnaire=q, answers=q.answers, flags=[])
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
    from . import demo_milk

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
            stdout.write(f"  {len(PEOPLE)} demo donors at every stage")
    demo_milk.seed(users=users, stdout=stdout)
    # Finish the demo's "inactive" donor after milk exists, so the thank-you carries a real total.
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        for donor in Donor.objects.filter(last_name="Cohen", stage=Stage.APPROVED):
            t.donor_finish(donor=donor, by=a)
