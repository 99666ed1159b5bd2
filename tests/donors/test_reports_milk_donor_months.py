"""The DonorMonth summary behind "donors who gave milk" (issue 17 item 4): the triggers follow every change
to a drop-off as a rebuild would, and the report moves donors at a month's edge to their local month."""

import datetime
import zoneinfo

import pytest
from django.test import override_settings
from django.utils import timezone

from donors import donor_months
from donors.models import DonorMonth, DropOff
from donors.reports.milk import Period, donor_figures, month_label
from tests.donors.milk_fixtures import *  # noqa: F403


def _summary():
    return {(m.month, m.donor_key): m.dropoffs for m in DonorMonth.objects.all()}


def _rebuilt():
    kept = _summary()
    donor_months.rebuild()
    fresh = _summary()
    assert kept == fresh, "the triggers kept the same rows a rebuild computes"
    return fresh


@pytest.mark.django_db
def test_the_triggers_follow_every_change_to_a_dropoff(
    approved_donor, make_milk_donor, depot_a, make_dropoff
):
    second = make_milk_donor(first_name="Second")  # approved too: clinical milk needs it
    now = timezone.now()
    first = make_dropoff(donor=approved_donor, depot=depot_a, received_at=now)
    make_dropoff(donor=approved_donor, depot=depot_a, received_at=now)
    old = make_dropoff(donor=second, depot=depot_a, received_at=now - datetime.timedelta(days=70))
    assert sorted(_rebuilt().values()) == [1, 2]
    old.received_at = now  # moved to this month
    old.save(update_fields=["received_at"])
    assert sorted(_rebuilt().values()) == [1, 2]
    first.status, first.rejection_reason = DropOff.Status.REJECTED, "Thawed"  # not used: out
    first.save(update_fields=["status", "rejection_reason"])
    assert sorted(_rebuilt().values()) == [1, 1]
    first.donor = second
    first.status = DropOff.Status.RECEIVED  # back in, for the other donor
    first.save(update_fields=["donor", "status"])
    assert sorted(_rebuilt().values()) == [1, 2]
    old.delete()
    first.delete()
    assert sorted(_rebuilt().values()) == [1]  # rows at 0 are gone


@pytest.mark.django_db
@override_settings(TIME_ZONE="America/Chicago")
def test_a_donor_at_a_months_edge_counts_in_their_local_month(
    approved_donor, make_milk_donor, make_dropoff, depot_a
):
    """Chicago is 5-6 hours behind UTC: a drop-off at 9 pm on the last day of a month is in the next UTC
    month, but in this month for the bank."""
    second = make_milk_donor(first_name="Second")
    chicago = zoneinfo.ZoneInfo("America/Chicago")
    with timezone.override(chicago):
        this_month = timezone.localdate().replace(day=1)
        last = (this_month - datetime.timedelta(days=1)).replace(day=1)
        before = (last - datetime.timedelta(days=1)).replace(day=1)
        evening = datetime.datetime.combine(
            this_month - datetime.timedelta(days=1), datetime.time(21), chicago
        )
        # approved_donor: only at the edge (local: last month; UTC: this month).
        make_dropoff(donor=approved_donor, depot=depot_a, received_at=evening)
        # second: at the edge and mid this month: in both local months.
        make_dropoff(donor=second, depot=depot_a, received_at=evening)
        make_dropoff(donor=second, depot=depot_a, received_at=timezone.now())
        figures = donor_figures(period=Period(before, this_month), whole_period=True)
        active = {row[0]: row[4] for row in figures.table.rows}
        assert active[month_label(before)] == 0
        assert active[month_label(last)] == 2
        assert active[month_label(this_month)] == 1
        assert figures.active_in_period == 2
        only_this = donor_figures(period=Period(this_month, this_month), whole_period=True)
        assert only_this.active_in_period == 1
