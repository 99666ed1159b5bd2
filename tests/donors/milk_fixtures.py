"""Fixtures for the milk tests: depots, a volunteer at one of them, and donors in the states milk cares about.

Import the fixtures you use: `from tests.donors.milk_fixtures import *  # noqa: F403`.

`walked_donor` goes through the real lifecycle in donors/transitions.py once, so the fast `make_milk_donor`
factory (which sets an approved donor's fields directly) is checked against what the transitions produce.
"""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from donors import transitions as t
from donors.models import BloodTest, Bloodwork, Counter, Depot, Donor, DropOff, Questionnaire, Release

NEGATIVE = dict.fromkeys(BloodTest.Test.values, BloodTest.Result.NEGATIVE)

__all__ = [
    "depot_a",
    "depot_b",
    "volunteer_at_a",
    "make_milk_donor",
    "approved_donor",
    "unapproved_donor",
    "research_donor",
    "walked_donor",
    "make_dropoff",
    "days_ago",
    "empty_cache",
]


def days_ago(n: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=n)


@pytest.fixture
def depot_a(db):
    return Depot.objects.create(
        name="Northside Clinic",
        address_line1="12 Elm Street",
        city="Duluth",
        region="Minnesota",
        hours="Mon-Fri 9-5",
        phone="555-0101",
    )


@pytest.fixture
def depot_b(db):
    return Depot.objects.create(
        name="Lakeside Hospital",
        address_line1="400 Shore Road",
        city="Madison",
        region="Wisconsin",
        hours="Every day 8-8",
        phone="555-0202",
    )


@pytest.fixture
def volunteer_at_a(volunteer, depot_a):
    depot_a.volunteers.add(volunteer)
    return volunteer


def _next_number() -> int:
    counter, _ = Counter.objects.get_or_create(name="donor_number")
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


@pytest.fixture
def make_milk_donor(db, coordinator):
    """Make a donor directly: approved (with a clear draw `drawn_days_ago` days ago), or another stage."""
    count = {"n": 0}

    def make(
        *,
        stage=Donor.Stage.APPROVED,
        drawn_days_ago=10,
        research_consent=False,
        first_name=None,
        last_name="Example",
        pathway=Donor.Pathway.CLINICAL,
        numbered=True,
    ):
        count["n"] += 1
        fields = {}
        if stage == Donor.Stage.APPROVED:
            fields["approved_on"] = days_ago(max(drawn_days_ago - 5, 0))
        if stage == Donor.Stage.DEFERRED:
            fields["deferred_until"] = timezone.localdate() + datetime.timedelta(days=30)
        donor = Donor.objects.create(
            first_name=first_name or f"Milkdonor{count['n']}",
            last_name=last_name,
            email=f"milk{count['n']}@example.org",
            stage=stage,
            pathway=pathway,
            research_consent=research_consent,
            donor_number=_next_number() if numbered else None,
            **fields,
        )
        if drawn_days_ago is not None:
            Bloodwork.objects.create(
                donor=donor,
                ordered_by=coordinator,
                drawn_on=days_ago(drawn_days_ago),
                resulted_at=timezone.now(),
                status=Bloodwork.Status.CLEAR,
            )
        return donor

    return make


@pytest.fixture
def approved_donor(make_milk_donor):
    return make_milk_donor(first_name="Ada", last_name="Lovelace")


@pytest.fixture
def unapproved_donor(make_milk_donor):
    """Approved once (so they have a number), now deferred: not approved today."""
    return make_milk_donor(stage=Donor.Stage.DEFERRED, first_name="Grace", last_name="Hopper")


@pytest.fixture
def research_donor(make_milk_donor):
    return make_milk_donor(
        stage=Donor.Stage.RESEARCH_ONLY,
        pathway=Donor.Pathway.RESEARCH,
        research_consent=True,
        drawn_days_ago=None,
        first_name="Rosalind",
        last_name="Franklin",
    )


@pytest.fixture
def walked_donor(db, coordinator, coordinator2):
    """An approved donor made by the real transitions, two sign-offs and all."""
    donor = t.donor_create_inquiry(
        first_name="Walked", last_name="Through", email="w@example.org", contact_consent=True
    )
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    t.questionnaire_send(donor=donor, by=coordinator)
    questionnaire = donor.questionnaires.get()
    t.questionnaire_submit(questionnaire=questionnaire, answers={}, flags=[])
    t.questionnaire_review(
        questionnaire=questionnaire, by=coordinator, decision=Questionnaire.Status.ACCEPTED
    )
    bloodwork = t.bloodwork_order(donor=donor, by=coordinator)
    t.bloodwork_record_results(bloodwork=bloodwork, by=coordinator, drawn_on=days_ago(1), results=NEGATIVE)
    for release in donor.releases.all():
        t.release_update(release=release, by=coordinator, status=Release.Status.RECEIVED)
    t.donor_sign_off(donor=donor, by=coordinator)
    t.donor_sign_off(donor=donor, by=coordinator2)
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.APPROVED
    return donor


@pytest.fixture
def make_dropoff(db, coordinator):
    """A drop-off written straight to the database, for lists and shipments (rules are tested elsewhere)."""

    def make(
        *, donor, depot, by=None, volume_ml=300, expressed_from=None, use=DropOff.Use.CLINICAL, **fields
    ):
        expressed_from = expressed_from or days_ago(5)
        return DropOff.objects.create(
            donor=donor,
            depot=depot,
            channel=DropOff.Channel.DEPOT if depot else fields.pop("channel", DropOff.Channel.SHIPPED),
            received_by=by or coordinator,
            containers=fields.pop("containers", 2),
            volume_ml=volume_ml,
            expressed_from=expressed_from,
            expressed_to=fields.pop("expressed_to", expressed_from + datetime.timedelta(days=2)),
            health_declaration=True,
            use=use,
            **fields,
        )

    return make


@pytest.fixture
def empty_cache():
    """The milk report caches its table in the shared cache; start and end a test without it."""
    cache.clear()
    yield cache
    cache.clear()
