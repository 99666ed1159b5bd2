"""seed_scale: realistic scale data that respects the research-milk triggers, and --replace."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.db.models import Count, Max

from donors.models import BloodTest, Bloodwork, Counter, Depot, Donor, DropOff
from milkbank.bench import scale

pytestmark = pytest.mark.django_db

Stage = Donor.Stage


def _seed(donors=50, dropoffs=300, **options):
    call_command("seed_scale", donors=donors, dropoffs=dropoffs, depots=4, stdout=None, **options)


def test_it_creates_what_it_says():
    _seed()
    donors = scale.scale_donors()
    assert donors.count() == 50
    assert DropOff.objects.filter(donor__in=donors).count() == 300
    assert Depot.objects.filter(name__startswith=scale.DEPOT_PREFIX).count() == 4
    stages = set(donors.values_list("stage", flat=True))
    assert {Stage.APPROVED, Stage.INACTIVE} <= stages
    assert len(stages) >= 4, stages
    numbered = donors.filter(stage__in=scale.NUMBERED)
    assert not numbered.filter(donor_number__isnull=True).exists()
    assert not donors.exclude(stage__in=scale.NUMBERED).filter(donor_number__isnull=False).exists()
    highest = donors.aggregate(m=Max("donor_number"))["m"]
    assert Counter.objects.get(name="donor_number").value == highest
    approved = donors.filter(stage__in=[Stage.APPROVED, Stage.INACTIVE])
    clear = Bloodwork.objects.filter(donor__in=approved, status=Bloodwork.Status.CLEAR)
    assert clear.count() == approved.count()
    assert BloodTest.objects.filter(bloodwork__in=clear).count() == 5 * clear.count()


def test_it_keeps_the_research_milk_rules():
    _seed()
    dropoffs = DropOff.objects.filter(donor__in=scale.scale_donors())
    clinical = dropoffs.filter(use=DropOff.Use.CLINICAL)
    assert clinical.exists()
    assert not clinical.exclude(donor__pathway=Donor.Pathway.CLINICAL).exists()
    assert not clinical.exclude(donor__stage__in=[Stage.APPROVED, Stage.INACTIVE]).exists()
    research_donors = scale.scale_donors().filter(pathway=Donor.Pathway.RESEARCH)
    assert not dropoffs.filter(donor__in=research_donors, use=DropOff.Use.CLINICAL).exists()
    # Drop-offs fall inside the donor's giving window: never after a finished donor stopped.
    for dropoff in clinical.filter(donor__stage=Stage.INACTIVE).select_related("donor")[:50]:
        assert dropoff.received_at.date() <= dropoff.donor.finished_on + datetime.timedelta(days=1)
    # The triggers are live on the seeded data: a finished donor cannot get new clinical milk.
    finished = scale.scale_donors().filter(stage=Stage.INACTIVE).first()
    template = clinical.first()
    template.pk = None
    template.donor = finished
    with pytest.raises(IntegrityError), transaction.atomic():
        template.save()


def test_it_refuses_to_seed_twice_without_replace():
    _seed(donors=20, dropoffs=40)
    with pytest.raises(CommandError, match="--replace"):
        _seed(donors=20, dropoffs=40)
    assert scale.scale_donors().count() == 20


def test_it_replaces_only_its_own_rows():
    other = Donor.objects.create(first_name="Real", last_name="Person", email="real@example.org")
    _seed(donors=20, dropoffs=60)
    first_highest = Counter.objects.get(name="donor_number").value
    _seed(donors=30, dropoffs=90, replace=True)
    assert Donor.objects.filter(pk=other.pk).exists()
    assert scale.scale_donors().count() == 30
    assert DropOff.objects.count() == 90
    assert Depot.objects.count() == 4
    # Donor numbers are never reused, even after the old scale donors are gone.
    assert scale.scale_donors().filter(donor_number__lte=first_highest).count() == 0


def test_it_deletes_with_delete():
    _seed(donors=20, dropoffs=40)
    call_command("seed_scale", delete=True, stdout=None)
    assert not scale.has_scale_data()


def test_a_depot_freezer_never_holds_more_than_it_can(monkeypatch):
    monkeypatch.setattr(scale, "FREEZER_HOLDS", 3)
    _seed(donors=60, dropoffs=3000)
    waiting = DropOff.objects.filter(donor__in=scale.scale_donors(), status=DropOff.Status.AT_DEPOT)
    per_depot = waiting.values("depot").annotate(n=Count("id")).values_list("n", flat=True)
    assert per_depot and max(per_depot) <= 3


def test_most_surnames_are_rare_as_in_real_records():
    _seed(donors=400, dropoffs=400)
    surnames = list(scale.scale_donors().values_list("last_name", flat=True))
    common = [name for name in surnames if name in scale.LAST_NAMES]
    assert 0.3 < len(common) / len(surnames) < 0.7
    assert len(set(surnames) - set(scale.LAST_NAMES)) > 150


def test_it_seeds_shipments_timelines_tasks_and_audit_rows_as_a_bank_has_them():
    """Issue 16 item 7: the lists and pages that read shipments, timelines, tasks and the audit log see a
    bank's share of them, not empty tables."""
    from auditlog.models import LogEntry

    from donors.models import MilkMonth, Shipment, Task, TimelineEvent

    _seed()
    donors = scale.scale_donors()
    shipped = DropOff.objects.filter(donor__in=donors, channel="depot").exclude(status="at_depot")
    assert shipped.exists()
    assert shipped.filter(shipment__isnull=False).count() >= 0.95 * shipped.count()
    for dropoff in shipped.filter(shipment__isnull=False).select_related("shipment")[:50]:
        assert dropoff.shipment.depot_id == dropoff.depot_id
        assert dropoff.received_at <= dropoff.shipment.shipped_at <= dropoff.shipment.received_at
    assert not DropOff.objects.filter(status="at_depot", shipment__isnull=False).exists()
    assert TimelineEvent.objects.filter(donor__in=donors).count() >= 3 * donors.count()
    approved = donors.filter(stage=Stage.APPROVED).first()
    assert approved.timeline.filter(to_stage=Stage.APPROVED).exists()
    assert Task.objects.filter(donor__in=donors).exists()
    assert LogEntry.objects.filter(object_repr__startswith="Drop-off #").count() == 300
    assert LogEntry.objects.filter(object_repr__startswith="Donor #", action=0).count() == 50
    # The report's month totals match the drop-offs after the bulk load.
    kept = sum(MilkMonth.objects.values_list("volume_ml", flat=True))
    assert kept == sum(DropOff.objects.exclude(status="rejected").values_list("volume_ml", flat=True))
    call_command("seed_scale", delete=True, stdout=None)
    assert not LogEntry.objects.exists() and not Shipment.objects.exists()
