"""The milk rules in donors.milk.services: who may give clinical milk, dates, volumes, shipments, totals."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from donors.milk import services as ms
from donors.models import Donor, DropOff, FreezerCheck, Shipment, TimelineEvent
from tests.donors.milk_fixtures import *  # noqa: F403
from tests.donors.milk_fixtures import days_ago

pytestmark = pytest.mark.django_db


def _log(donor, by, depot, **overrides):
    kwargs = {
        "donor": donor,
        "by": by,
        "depot": depot,
        "containers": 3,
        "volume_ml": 450,
        "expressed_from": days_ago(10),
        "expressed_to": days_ago(2),
        "health_declaration": True,
    }
    kwargs.update(overrides)
    return ms.dropoff_log(**kwargs)


def _refusal(donor, by, depot, **overrides) -> dict:
    with pytest.raises(ValidationError) as caught:
        _log(donor, by, depot, **overrides)
    assert DropOff.objects.count() == 0, "a refused drop-off must not be half-saved"
    return caught.value.message_dict


def test_it_logs_a_clinical_dropoff_with_a_timeline_line_and_no_health_details(
    approved_donor, volunteer_at_a, depot_a
):
    dropoff = _log(approved_donor, volunteer_at_a, depot_a)
    assert dropoff.status == DropOff.Status.AT_DEPOT
    assert dropoff.received_by == volunteer_at_a
    event = TimelineEvent.objects.get(donor=approved_donor, kind=TimelineEvent.Kind.MILK)
    assert "Northside Clinic" in event.summary and "450 mL" in event.summary
    for word in ("illness", "medication", "bloodwork", "declaration"):
        assert word not in event.summary.lower()


def test_it_works_for_a_donor_approved_through_the_real_transitions(walked_donor, volunteer_at_a, depot_a):
    dropoff = _log(
        walked_donor, volunteer_at_a, depot_a, expressed_from=days_ago(1), expressed_to=days_ago(0)
    )
    assert dropoff.use == DropOff.Use.CLINICAL


def test_it_refuses_an_unapproved_donor_and_offers_research_only_with_consent(
    make_milk_donor, volunteer_at_a, depot_a
):
    no_consent = make_milk_donor(stage=Donor.Stage.DEFERRED)
    errors = _refusal(no_consent, volunteer_at_a, depot_a)
    assert "not approved to give milk for babies" in errors["donor"][0]
    assert "research" not in errors["donor"][0]

    consented = make_milk_donor(stage=Donor.Stage.DEFERRED, research_consent=True)
    errors = _refusal(consented, volunteer_at_a, depot_a)
    assert "log this milk as research only" in errors["donor"][0]
    dropoff = _log(consented, volunteer_at_a, depot_a, use=DropOff.Use.RESEARCH, health_declaration=False)
    assert dropoff.use == DropOff.Use.RESEARCH


def test_it_refuses_research_use_without_consent(approved_donor, volunteer_at_a, depot_a):
    errors = _refusal(approved_donor, volunteer_at_a, depot_a, use=DropOff.Use.RESEARCH)
    assert "has not agreed to research use" in errors["use"][0]


def test_it_refuses_expired_bloodwork(make_milk_donor, volunteer_at_a, depot_a, settings):
    donor = make_milk_donor(drawn_days_ago=settings.MILKBANK["BLOODWORK_VALID_DAYS"] + 1)
    errors = _refusal(donor, volunteer_at_a, depot_a)
    assert "bloodwork ran out on" in errors["donor"][0]


def test_it_refuses_milk_older_than_the_age_limit(approved_donor, volunteer_at_a, depot_a, settings):
    settings.MILKBANK = {**settings.MILKBANK, "MILK_AGE_LIMIT_DAYS": 30}
    errors = _refusal(approved_donor, volunteer_at_a, depot_a, expressed_from=days_ago(31))
    assert "more than 30 days old" in errors["expressed_from"][0]
    assert _log(approved_donor, volunteer_at_a, depot_a, expressed_from=days_ago(30)).pk


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"volume_ml": 0}, "volume_ml", "at least 1 mL"),
        ({"volume_ml": -5}, "volume_ml", "at least 1 mL"),
        ({"volume_ml": 10**12}, "volume_ml", "more than 40 litres"),
        ({"containers": 0}, "containers", "at least 1"),
        ({"containers": 10_000}, "containers", "more than 500"),
        ({"expressed_to": timezone.localdate() + datetime.timedelta(days=1)}, "expressed_to", "future"),
        ({"expressed_from": days_ago(1), "expressed_to": days_ago(3)}, "expressed_from", "on or before"),
        ({"health_declaration": False}, "health_declaration", "health declaration"),
    ],
)
def test_it_refuses_bad_amounts_and_dates_with_a_message_on_the_field(
    approved_donor, volunteer_at_a, depot_a, overrides, field, words
):
    errors = _refusal(approved_donor, volunteer_at_a, depot_a, **overrides)
    assert words in " ".join(errors[field])


def test_it_refuses_expression_after_the_day_the_milk_came_in(approved_donor, coordinator):
    errors = _refusal(
        approved_donor,
        coordinator,
        None,
        channel=DropOff.Channel.SHIPPED,
        received_at=timezone.now() - datetime.timedelta(days=5),
        expressed_to=days_ago(1),
    )
    assert "after the day the milk came in" in errors["expressed_to"][0]


def test_it_accepts_any_amount_even_one_millilitre(approved_donor, volunteer_at_a, depot_a):
    assert _log(approved_donor, volunteer_at_a, depot_a, volume_ml=1, containers=1).volume_ml == 1


def test_it_refuses_a_volunteer_at_someone_elses_depot(approved_donor, volunteer_at_a, depot_b):
    errors = _refusal(approved_donor, volunteer_at_a, depot_b)
    assert "depot you help at" in errors["depot"][0]


def test_it_lets_only_coordinators_log_milk_that_comes_straight_to_the_bank(
    approved_donor, volunteer_at_a, coordinator
):
    errors = _refusal(approved_donor, volunteer_at_a, None, channel=DropOff.Channel.BROUGHT)
    assert "Only coordinators" in errors["channel"][0]
    dropoff = _log(approved_donor, coordinator, None, channel=DropOff.Channel.BROUGHT)
    assert dropoff.depot is None and dropoff.status == DropOff.Status.RECEIVED


def test_it_converts_ounces_to_millilitres():
    assert ms.ounces_to_ml(Decimal("1")) == 30
    assert ms.ounces_to_ml(Decimal("10")) == 296
    assert ms.ounces_to_ml(Decimal("33.814")) == 1000


@pytest.mark.parametrize(("text", "number"), [("D000123", 123), ("d123", 123), (" 123 ", 123), ("x1", None)])
def test_it_reads_donor_numbers(text, number):
    assert ms.parse_donor_number(text) == number


def test_the_lookup_shows_only_what_a_volunteer_may_know(approved_donor, unapproved_donor, make_milk_donor):
    make_milk_donor(first_name="Adaline", numbered=False, stage=Donor.Stage.INQUIRY)
    [card] = ms.donor_lookup(query=approved_donor.number_label)
    assert card.approved and card.bloodwork_valid and card.display_name == "Ada Lovelace"
    assert set(vars(card)) == {
        "pk",
        "number_label",
        "display_name",
        "approved",
        "valid_until",
        "research_consent",
        "bereaved",
        "research_only",
    }
    assert not card.bereaved and not card.research_only
    by_name = ms.donor_lookup(query="ada")
    assert [c.pk for c in by_name] == [approved_donor.pk], "donors without a number are never found"
    [deferred] = ms.donor_lookup(query="hopper")
    assert not deferred.approved


def test_a_freezer_reading_above_the_limit_is_flagged_and_emails_coordinators(
    volunteer_at_a, depot_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cold = ms.freezer_check_record(depot=depot_a, by=volunteer_at_a, temperature_c=Decimal("-22.5"))
    assert not cold.over_limit and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        warm = ms.freezer_check_record(depot=depot_a, by=volunteer_at_a, temperature_c=Decimal("-12.0"))
    assert warm.over_limit
    [message] = mail.outbox
    assert "Northside Clinic" in message.subject and "-12.0" in message.body


@pytest.mark.parametrize("temperature", [Decimal("-91"), Decimal("41"), None])
def test_it_refuses_impossible_freezer_readings(volunteer_at_a, depot_a, temperature):
    with pytest.raises(ValidationError) as caught:
        ms.freezer_check_record(depot=depot_a, by=volunteer_at_a, temperature_c=temperature)
    assert "temperature_c" in caught.value.message_dict
    assert not FreezerCheck.objects.exists()


def test_the_work_list_shows_overdue_freezers_and_milk_to_ship_soon(
    approved_donor, volunteer_at_a, depot_a, depot_b, coordinator, make_dropoff, settings
):
    FreezerCheck.objects.create(depot=depot_b, checked_by=coordinator, temperature_c=Decimal("-25"))
    limit = settings.MILKBANK["MILK_AGE_LIMIT_DAYS"]
    make_dropoff(donor=approved_donor, depot=depot_a, expressed_from=days_ago(limit - 10))
    depots = {d.pk: ms.depot_flags(d) for d in ms.depots_for_work(user=coordinator)}
    assert depots[depot_a.pk].freezer_overdue and not depots[depot_a.pk].checked_yesterday
    assert not depots[depot_b.pk].freezer_overdue
    assert depots[depot_a.pk].ship_soon and depots[depot_a.pk].days_left == 10
    assert not depots[depot_b.pk].ship_soon
    assert [d.pk for d in ms.depots_for_work(user=volunteer_at_a)] == [depot_a.pk]


def test_shipping_and_receiving_move_dropoffs_along(
    approved_donor, volunteer_at_a, coordinator, depot_a, make_dropoff
):
    first = make_dropoff(donor=approved_donor, depot=depot_a)
    second = make_dropoff(donor=approved_donor, depot=depot_a)
    shipment = ms.shipment_create(
        depot=depot_a,
        by=volunteer_at_a,
        dropoffs=[first, second.pk],
        carrier="Courier Co",
        coolant=Shipment.Coolant.DRY_ICE,
        containers=1,
        shipped_at=timezone.now() - datetime.timedelta(hours=5),
    )
    assert set(shipment.dropoffs.values_list("status", flat=True)) == {DropOff.Status.IN_TRANSIT}
    received = ms.shipment_receive(shipment=shipment, by=coordinator, condition="frozen_solid")
    assert received.received_by == coordinator
    hours = received.journey_time.total_seconds() / 3600
    assert 4.98 < hours < 5.02
    assert set(shipment.dropoffs.values_list("status", flat=True)) == {DropOff.Status.RECEIVED}
    with pytest.raises(ValidationError, match="already received"):
        ms.shipment_receive(shipment=shipment, by=coordinator, condition=Shipment.Condition.THAWED)


def test_a_dropoff_is_never_in_two_shipments(approved_donor, volunteer_at_a, depot_a, depot_b, make_dropoff):
    dropoff = make_dropoff(donor=approved_donor, depot=depot_a)
    other_depot = make_dropoff(donor=approved_donor, depot=depot_b)
    args = {"depot": depot_a, "by": volunteer_at_a, "carrier": "Val", "coolant": "dry_ice", "containers": 1}
    ms.shipment_create(dropoffs=[dropoff], **args)
    with pytest.raises(ValidationError) as caught:
        ms.shipment_create(dropoffs=[dropoff, other_depot], **args)
    text = " ".join(caught.value.message_dict["dropoffs"])
    assert f"#{dropoff.pk} is already in a shipment" in text
    assert f"#{other_depot.pk} is not at this depot" in text
    assert Shipment.objects.count() == 1


def test_a_shipment_cannot_arrive_before_it_left_or_in_the_future(
    approved_donor, volunteer_at_a, coordinator, depot_a, make_dropoff
):
    shipment = ms.shipment_create(
        depot=depot_a,
        by=volunteer_at_a,
        dropoffs=[make_dropoff(donor=approved_donor, depot=depot_a)],
        carrier="Val",
        coolant="gel_packs",
        containers=1,
    )
    hour = datetime.timedelta(hours=1)
    for when in (shipment.shipped_at - hour, timezone.now() + hour):
        with pytest.raises(ValidationError) as caught:
            ms.shipment_receive(shipment=shipment, by=coordinator, condition="frozen_solid", received_at=when)
        assert "received_at" in caught.value.message_dict
    shipment.refresh_from_db()
    assert shipment.received_at is None


def test_totals_leave_out_milk_not_used(approved_donor, make_milk_donor, depot_a, make_dropoff):
    other = make_milk_donor()
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=100)
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=250)
    make_dropoff(
        donor=approved_donor, depot=depot_a, volume_ml=999, status="rejected", rejection_reason="Thawed"
    )
    assert ms.donor_totals([approved_donor.pk, other.pk]) == {approved_donor.pk: 350}


def test_the_lookup_finds_by_the_start_of_any_name_in_name_order(make_milk_donor):
    """A UNION of one prefix query per name field, each cut to the limit: the cut must not lose the first
    donors in name order, and a second word must match too."""
    make_milk_donor(first_name="Zoe", last_name="Nguyen")
    make_milk_donor(first_name="Anh", last_name="Nguyen")
    make_milk_donor(first_name="Nguyet", last_name="Tran")
    preferred = make_milk_donor(first_name="Thi", last_name="Le")
    preferred.preferred_name = "Nguyen-Le"
    preferred.save(update_fields=["preferred_name"])
    make_milk_donor(first_name="Nguyen", last_name="Screening", numbered=False, stage=Donor.Stage.INQUIRY)
    for n in range(9):
        make_milk_donor(first_name=f"Bao{n}", last_name="Nguyenova")

    names = [c.display_name for c in ms.donor_lookup(query="nguy", limit=4)]
    assert names == ["Nguyen-Le Le", "Anh Nguyen", "Zoe Nguyen", "Bao0 Nguyenova"]
    everyone = [c.display_name for c in ms.donor_lookup(query="NGUY", limit=50)]
    assert len(everyone) == 13, "first, last and preferred names; never a donor without a number"
    assert [c.display_name for c in ms.donor_lookup(query="anh nguyen")] == ["Anh Nguyen"]
    assert [c.display_name for c in ms.donor_lookup(query="nguyen anh")] == ["Anh Nguyen"]
    assert ms.donor_lookup(query="guyen") == [], "the start of a name, not the middle"
