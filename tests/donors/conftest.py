"""Donors at any stage, made by walking the real transitions (never by setting the stage by hand)."""

import datetime

import pytest
from django.utils import timezone

from donors import transitions as t
from donors.models import BloodTest, Donor, Questionnaire, Release

ORDER = [
    Donor.Stage.INQUIRY,
    Donor.Stage.PHONE_SCREEN_PASSED,
    Donor.Stage.QUESTIONNAIRE_SENT,
    Donor.Stage.QUESTIONNAIRE_SUBMITTED,
    Donor.Stage.QUESTIONNAIRE_ACCEPTED,
    Donor.Stage.BLOODWORK_ORDERED,
    Donor.Stage.BLOODWORK_RESULTED,
    Donor.Stage.READY_FOR_SIGNOFF,
    Donor.Stage.APPROVED,
]
NEGATIVE = dict.fromkeys(BloodTest.Test.values, BloodTest.Result.NEGATIVE)


def walk(donor, to, *, by, by2):
    """Advance a donor through the real lifecycle until it reaches `to`."""
    target = ORDER.index(to)
    while ORDER.index(donor.stage) < target:
        stage = donor.stage
        if stage == Donor.Stage.INQUIRY:
            t.phone_screen_record(donor=donor, by=by, minutes=20, answers={}, outcome="passed")
        elif stage == Donor.Stage.PHONE_SCREEN_PASSED:
            # A donor who gave only a phone number gets the link by text from the bank's phone.
            t.questionnaire_send(donor=donor, by=by, given_by="email" if donor.email else "text")
        elif stage == Donor.Stage.QUESTIONNAIRE_SENT:
            q = donor.questionnaires.get(number=donor.screening_round)
            t.questionnaire_submit(questionnaire=q, answers={"smoke": "no"}, flags=[])
        elif stage == Donor.Stage.QUESTIONNAIRE_SUBMITTED:
            q = donor.questionnaires.get(number=donor.screening_round)
            t.questionnaire_review(questionnaire=q, by=by, decision=Questionnaire.Status.ACCEPTED)
        elif stage == Donor.Stage.QUESTIONNAIRE_ACCEPTED:
            t.bloodwork_order(donor=donor, by=by, lab="City Lab")
        elif stage == Donor.Stage.BLOODWORK_ORDERED:
            for release in donor.releases.all():
                t.release_update(release=release, by=by, status=Release.Status.RECEIVED)
            bw = donor.bloodwork_set.get(status="ordered")
            t.bloodwork_record_results(
                bloodwork=bw,
                by=by,
                drawn_on=timezone.localdate() - datetime.timedelta(days=1),
                results=NEGATIVE,
            )
        elif stage == Donor.Stage.BLOODWORK_RESULTED:
            raise AssertionError(f"donor stuck at bloodwork resulted: {t.missing_for_signoff(donor)}")
        elif stage == Donor.Stage.READY_FOR_SIGNOFF:
            t.donor_sign_off(donor=donor, by=by)
            t.donor_sign_off(donor=donor, by=by2)
        donor.refresh_from_db()
    return donor


@pytest.fixture
def make_donor(coordinator, coordinator2):
    counter = {"n": 0}

    def make(stage=Donor.Stage.INQUIRY, *, bereaved=False, **fields):
        counter["n"] += 1
        donor = t.donor_create_inquiry(
            first_name=fields.pop("first_name", f"Donor{counter['n']}"),
            last_name=fields.pop("last_name", "Example"),
            email=fields.pop("email", f"donor{counter['n']}@example.org"),
            phone=fields.pop("phone", "555-0111"),
            bereaved=bereaved,
            contact_consent=True,
        )
        if fields:
            Donor.objects.filter(pk=donor.pk).update(**fields)
            donor.refresh_from_db()
        return walk(donor, stage, by=coordinator, by2=coordinator2)

    return make
