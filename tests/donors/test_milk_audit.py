"""Every change of state of an audited record leaves an audit entry, bulk paths too (issue 14, item 11)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from donors import transitions as t
from donors.milk import services as ms
from donors.models import Donor, DropOff, Shipment, Task
from tests.donors.milk_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


def _entries(obj, action=LogEntry.Action.UPDATE):
    return list(LogEntry.objects.get_for_object(obj).filter(action=action).order_by("pk"))


def test_shipping_and_receiving_leave_one_entry_per_dropoff(
    approved_donor, volunteer_at_a, coordinator, depot_a, make_dropoff
):
    dropoffs = [make_dropoff(donor=approved_donor, depot=depot_a) for _ in range(3)]
    shipment = ms.shipment_create(
        depot=depot_a,
        by=volunteer_at_a,
        dropoffs=dropoffs,
        carrier="Courier",
        coolant="dry_ice",
        containers=1,
    )
    assert _entries(shipment, LogEntry.Action.CREATE), "a shipment is audited"
    for dropoff in dropoffs:
        [entry] = _entries(dropoff)
        assert entry.actor == volunteer_at_a
        assert entry.changes["status"] == ["at_depot", "in_transit"]
        assert entry.changes["shipment"][1] == str(shipment.pk)
    ms.shipment_receive(shipment=shipment, by=coordinator, condition=Shipment.Condition.FROZEN_SOLID)
    for dropoff in dropoffs:
        entry = _entries(dropoff)[-1]
        assert entry.actor == coordinator and entry.changes == {"status": ["in_transit", "received"]}
    arrival = _entries(shipment)[-1]
    assert arrival.changes["condition"] == ["", "frozen_solid"]


def test_bulk_logging_runs_a_fixed_number_of_queries(
    approved_donor, volunteer_at_a, depot_a, make_dropoff, django_assert_max_num_queries
):
    """Shipping 30 drop-offs costs no more queries than shipping 1: one locked read, one bulk update and one
    bulk insert of audit entries, never a query per row."""
    for n in (1, 30):
        rows = [make_dropoff(donor=approved_donor, depot=depot_a) for _ in range(n)]
        with django_assert_max_num_queries(14):
            ms.shipment_create(
                depot=depot_a, by=volunteer_at_a, dropoffs=rows, carrier="C", coolant="dry_ice", containers=1
            )
    assert LogEntry.objects.filter(action=LogEntry.Action.UPDATE).count() == 31


def test_tasks_closed_by_a_transition_or_by_hand_are_audited(coordinator, client):
    donor = t.donor_create_inquiry(
        first_name="Tess", last_name="Task", email="tt@example.org", contact_consent=True
    )
    call_back = donor.tasks.get(kind=Task.Kind.CALL_BACK)
    assert _entries(call_back, LogEntry.Action.CREATE)
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    [closed] = _entries(call_back)
    assert closed.actor == coordinator and "done_at" in closed.changes

    other = Task.objects.create(donor=donor, kind=Task.Kind.OTHER, title="Call the lab")
    client.force_login(coordinator)
    response = client.post(reverse("admin:donors_donor_task_done", args=[donor.pk, other.pk]))
    assert response.status_code == 302
    [done] = _entries(other)
    assert done.actor == coordinator and "done_by" in done.changes


def test_a_shipment_edited_in_the_admin_is_audited(client, coordinator, depot_a):
    shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="Courier")
    client.force_login(coordinator)
    url = reverse("admin:donors_shipment_change", args=[shipment.pk])
    inline = {
        f"dropoffs-{key}": "0" for key in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS")
    }
    response = client.post(url, {"carrier": "Courier Co", "tracking": "1Z99", "notes": "", **inline})
    assert response.status_code == 302
    [entry] = _entries(shipment)
    assert entry.actor == coordinator and entry.changes["tracking"] == ["", "1Z99"]
    assert DropOff.objects.count() == 0


def test_the_thank_you_mark_after_finishing_is_audited(make_donor, coordinator):
    donor = make_donor(Donor.Stage.APPROVED, bereaved=True)
    t.donor_finish(donor=donor, by=coordinator)
    entry = _entries(donor)[-1]
    assert "thanked_at" in entry.changes and entry.actor == coordinator
