"""The demo milk data: depots across two regions, the demo volunteer at one, a year of checks; idempotent."""

import io

import pytest
from django.contrib.auth.models import Group

from donors.milk import demo as demo_milk
from donors.models import Depot, DropOff, FreezerCheck, Shipment
from milkbank import roles
from tests.donors.milk_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_it_seeds_depots_checks_and_milk_and_runs_twice_safely(
    django_user_model, coordinator, make_milk_donor
):
    volunteer = django_user_model.objects.create_user("volunteer", is_staff=True)
    volunteer.groups.add(Group.objects.get(name=roles.DEPOT_VOLUNTEER))
    for _ in range(3):
        make_milk_donor(drawn_days_ago=400)
    users = {"volunteer": volunteer, "coordinator": coordinator}
    demo_milk.seed(users=users, stdout=io.StringIO())
    counts = (
        Depot.objects.count(),
        FreezerCheck.objects.count(),
        DropOff.objects.count(),
        Shipment.objects.count(),
    )
    assert counts[0] == 4 and len(set(Depot.objects.values_list("region", flat=True))) == 2
    assert list(Depot.objects.for_user(volunteer)) == [Depot.objects.get(name="Northside Family Clinic")]
    assert counts[1] >= 4 * 365 and counts[2] > 0 and counts[3] > 0
    assert FreezerCheck.objects.filter(over_limit=True).exists()
    demo_milk.seed(users=users, stdout=io.StringIO())
    assert counts == (
        Depot.objects.count(),
        FreezerCheck.objects.count(),
        DropOff.objects.count(),
        Shipment.objects.count(),
    )
    # Depot milk marked received came in a received shipment (milk shipped or brought came straight in).
    assert not DropOff.objects.filter(
        channel="depot", status="received", shipment__received_at__isnull=True
    ).exists()
