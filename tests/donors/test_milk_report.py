"""The milk report stays true (issue 13 item 4) and cheap (issue 16 item 4): the month summary the database
triggers keep, the local month edges, and in the browser a drop-off marked not used leaving the total."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from donors import milk_months
from donors.models import DropOff, MilkMonth
from tests.conftest import admin_login
from tests.donors.milk_fixtures import *  # noqa: F403

REPORT = reverse("donors:milk_report")


def _summary():
    return {
        (m.month, m.depot_key, m.channel, m.use): (m.volume_ml, m.dropoffs)
        for m in MilkMonth.objects.all()
        if m.dropoffs or m.volume_ml
    }


def _rebuilt():
    """What the summary should hold: recomputed from the drop-offs by milk_months.rebuild()."""
    kept = _summary()
    milk_months.rebuild()
    fresh = _summary()
    assert kept == fresh, "the triggers kept the same totals a rebuild computes"
    return fresh


@pytest.mark.django_db
def test_the_triggers_follow_every_change_to_a_dropoff(
    coordinator, depot_a, depot_b, approved_donor, make_dropoff
):
    now = timezone.now()
    first = make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=100, received_at=now)
    make_dropoff(donor=approved_donor, depot=depot_b, volume_ml=20, use=DropOff.Use.RESEARCH)
    old = make_dropoff(
        donor=approved_donor, depot=depot_a, volume_ml=5, received_at=now - datetime.timedelta(days=70)
    )
    assert sum(v for v, _ in _rebuilt().values()) == 125
    first.volume_ml = 90  # a correction
    first.save(update_fields=["volume_ml"])
    old.depot, old.received_at = depot_b, now - datetime.timedelta(days=40)  # another depot and month
    old.save(update_fields=["depot", "received_at"])
    assert sum(v for v, _ in _rebuilt().values()) == 115
    first.status, first.rejection_reason = DropOff.Status.REJECTED, "Thawed"  # not used: out
    first.save(update_fields=["status", "rejection_reason"])
    assert sum(v for v, _ in _rebuilt().values()) == 25
    first.status = DropOff.Status.RECEIVED  # decided again: back in
    first.save(update_fields=["status"])
    old.delete()
    summary = _rebuilt()
    assert sum(v for v, _ in summary.values()) == 110 and sum(c for _, c in summary.values()) == 2
    DropOff.objects.filter(pk=first.pk).update(channel=DropOff.Channel.BROUGHT, depot=None)
    assert (now.astimezone(datetime.UTC).date().replace(day=1), 0, "brought", "clinical") in _rebuilt()


@pytest.mark.django_db
@pytest.mark.parametrize("zone", ["America/Chicago", "Europe/Paris", "Pacific/Auckland", "UTC"])
def test_milk_at_a_months_edge_counts_in_the_banks_month(
    client, settings, coordinator, depot_a, approved_donor, make_dropoff, zone
):
    """The summary is kept per UTC month; the report moves the hours between a UTC and a local month
    boundary to the local month, whichever side of UTC the bank is."""
    settings.TIME_ZONE = zone
    tz = zoneinfo.ZoneInfo(zone)
    this_month = timezone.localdate().replace(day=1)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=1)
    before = (last_month - datetime.timedelta(days=1)).replace(day=1)

    def at(day, hour, minute):
        return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=tz)

    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=1, received_at=at(last_month, 0, 30))
    make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        volume_ml=10,
        received_at=at(this_month - datetime.timedelta(days=1), 23, 30),
    )
    make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        volume_ml=100,
        received_at=at(last_month - datetime.timedelta(days=1), 23, 30),
    )
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=1000, received_at=at(this_month, 0, 30))
    # Milk voided or not used at an edge counts nowhere: not in the summary, not in the edge's correction.
    for status in DropOff.Status.not_counted():
        uncounted = make_dropoff(
            donor=approved_donor, depot=depot_a, volume_ml=7000, received_at=at(this_month, 0, 15)
        )
        DropOff.objects.filter(pk=uncounted.pk).update(
            status=status, rejection_reason="Thawed", void_reason="Logged twice"
        )
    client.force_login(coordinator)
    rows = client.get(REPORT).context["rows"]
    by_month = {row["month"]: (row["clinical_ml"], row["count"]) for row in rows}
    assert by_month == {this_month: (1000, 1), last_month: (11, 2), before: (100, 1)}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_dropoff_marked_not_used_leaves_the_report_at_once(
    page, axe, coordinator, depot_a, approved_donor, make_dropoff
):
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=400)
    spoiled = make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=250)
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=30, use=DropOff.Use.RESEARCH)
    admin_login(page, coordinator.username)
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(REPORT)
    expect(page.locator("#report-clinical")).to_have_text("650 mL for babies (clinical)")
    expect(page.locator("#report-research")).to_have_text("30 mL for research")
    axe(page)

    page.goto(reverse("donors:dropoff_correct", args=[spoiled.pk]))
    page.get_by_label("Why is the milk not used?").fill("Thawed on the way")
    page.get_by_role("button", name="Mark not used").click()
    expect(page.get_by_text(f"Drop-off #{spoiled.pk} is marked not used.")).to_be_visible()

    page.get_by_role("link", name="Milk totals").click()
    expect(page.locator("#report-clinical")).to_have_text("400 mL for babies (clinical)")
    expect(page.locator("#report-total")).to_have_text("430 mL in all")
