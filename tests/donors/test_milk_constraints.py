"""Rule 7 and the milk invariants hold in the database itself, even when the ORM is used directly.

These run on SQLite and on PostgreSQL (DATABASE_URL=postgres://...): the triggers of migration 0002 are
written for both.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from donors.milk import services as ms
from donors.models import Donor, DropOff, Shipment
from tests.donors.milk_fixtures import *  # noqa: F403
from tests.donors.milk_fixtures import days_ago

pytestmark = pytest.mark.django_db


def _raw(donor, by, **fields):
    values = {
        "donor": donor,
        "channel": DropOff.Channel.SHIPPED,
        "received_by": by,
        "containers": 1,
        "volume_ml": 100,
        "expressed_from": days_ago(3),
        "expressed_to": days_ago(1),
        "health_declaration": True,
        "use": DropOff.Use.CLINICAL,
        "status": DropOff.Status.RECEIVED,
    }
    values.update(fields)
    return DropOff(**values)


def _refused_by_database(obj_or_callable, match):
    with pytest.raises(IntegrityError, match=match), transaction.atomic():
        if callable(obj_or_callable):
            obj_or_callable()
        else:
            obj_or_callable.save()


def test_the_database_refuses_clinical_milk_from_an_unapproved_donor(unapproved_donor, coordinator):
    _refused_by_database(_raw(unapproved_donor, coordinator), "donors_dropoff_clinical_donor")
    assert not DropOff.objects.exists()


def test_the_database_refuses_clinical_milk_from_a_research_donor(research_donor, coordinator):
    _refused_by_database(_raw(research_donor, coordinator), "donors_dropoff_clinical_donor")
    _raw(research_donor, coordinator, use=DropOff.Use.RESEARCH).save()
    assert DropOff.objects.count() == 1


def test_research_milk_can_never_become_clinical(research_donor, approved_donor, coordinator):
    research = _raw(approved_donor, coordinator, use=DropOff.Use.RESEARCH)
    research.save()
    research.use = DropOff.Use.CLINICAL
    _refused_by_database(research, "donors_dropoff_research_stays_research")
    _refused_by_database(
        lambda: DropOff.objects.filter(pk=research.pk).update(use=DropOff.Use.CLINICAL),
        "donors_dropoff_research_stays_research",
    )
    assert DropOff.objects.get(pk=research.pk).use == DropOff.Use.RESEARCH


def test_a_donor_with_clinical_milk_cannot_be_moved_to_research(approved_donor, coordinator):
    _raw(approved_donor, coordinator).save()
    _refused_by_database(
        lambda: Donor.objects.filter(pk=approved_donor.pk).update(
            pathway=Donor.Pathway.RESEARCH, stage=Donor.Stage.RESEARCH_ONLY
        ),
        "donors_donor_pathway_keeps_clinical_milk",
    )


def test_the_service_refuses_first_with_a_clear_message(research_donor, volunteer_at_a, depot_a):
    with pytest.raises(ValidationError) as caught:
        ms.dropoff_log(
            donor=research_donor,
            by=volunteer_at_a,
            depot=depot_a,
            containers=1,
            volume_ml=100,
            expressed_from=days_ago(3),
            expressed_to=days_ago(1),
            health_declaration=True,
        )
    assert "not approved to give milk for babies" in caught.value.message_dict["donor"][0]
    assert "research only instead" in caught.value.message_dict["donor"][0]


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"volume_ml": 0}, "donors_dropoff_volume_range"),
        ({"volume_ml": 40_001}, "donors_dropoff_volume_range"),
        ({"containers": 0}, "donors_dropoff_has_containers"),
        ({"expressed_from": days_ago(1), "expressed_to": days_ago(3)}, "donors_dropoff_expression_order"),
        ({"channel": DropOff.Channel.DEPOT}, "donors_dropoff_depot_matches_channel"),
        ({"status": DropOff.Status.REJECTED, "rejection_reason": ""}, "donors_dropoff_rejected_has_reason"),
        ({"health_declaration": False}, "donors_dropoff_clinical_needs_declaration"),
    ],
)
def test_the_database_refuses_impossible_dropoffs(approved_donor, coordinator, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        _raw(approved_donor, coordinator, **fields).save()


def test_the_database_refuses_a_shipment_that_arrives_before_it_left(depot_a, coordinator):
    shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="C")
    shipment.received_at = shipment.shipped_at - datetime.timedelta(hours=1)
    shipment.condition = Shipment.Condition.FROZEN_SOLID
    with pytest.raises(IntegrityError, match="donors_shipment_received_after_shipped"), transaction.atomic():
        shipment.save()
    shipment.received_at = timezone.now()
    shipment.condition = ""
    with pytest.raises(IntegrityError, match="donors_shipment_received_has_condition"), transaction.atomic():
        shipment.save()
