"""Milk records stay true (issue 13): voiding and correcting drop-offs, a warm freezer or a thawed
shipment holds milk until a coordinator decides, the milk tiles, what the volunteer's forms start on."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from donors.milk import services as ms
from donors.models import Donor, DropOff, FreezerCheck, Shipment
from tests.donors.milk_fixtures import *  # noqa: F403
from tests.donors.milk_fixtures import days_ago

pytestmark = pytest.mark.django_db

NEW = reverse("donors:dropoff_new")
WORK = reverse("donors:depot_work")
HELD = reverse("donors:dropoffs_held")
FREEZER = reverse("donors:freezer_check_new")


def _void_url(dropoff):
    return reverse("donors:dropoff_void", args=[dropoff.pk])


def _correct_url(dropoff):
    return reverse("donors:dropoff_correct", args=[dropoff.pk])


def _log(donor, depot, by, **fields):
    data = {
        "donor": donor,
        "by": by,
        "depot": depot,
        "containers": 2,
        "volume_ml": 400,
        "expressed_from": days_ago(6),
        "expressed_to": days_ago(2),
        "health_declaration": True,
    }
    data.update(fields)
    return ms.dropoff_log(**data)


# --- Volume per container ----------------------------------------------------------------------------


def test_a_volume_per_container_above_the_setting_is_refused(
    approved_donor, volunteer_at_a, depot_a, settings
):
    with pytest.raises(ValidationError) as refused:
        _log(approved_donor, depot_a, volunteer_at_a, containers=2, volume_ml=40_000)
    assert (
        "40,000 mL in 2 containers is more than 500 mL a container"
        in refused.value.message_dict["volume_ml"][0]
    )
    assert _log(approved_donor, depot_a, volunteer_at_a, containers=2, volume_ml=1000).volume_ml == 1000
    settings.MILKBANK = {**settings.MILKBANK, "MAX_ML_PER_CONTAINER": 250}
    with pytest.raises(ValidationError, match="more than 250 mL a container"):
        _log(approved_donor, depot_a, volunteer_at_a, containers=2, volume_ml=1000)
    assert DropOff.objects.count() == 1


# --- Void ---------------------------------------------------------------------------------------------


def test_a_volunteer_voids_their_own_recent_dropoff_and_the_total_follows(
    approved_donor, volunteer_at_a, depot_a
):
    dropoff = _log(approved_donor, depot_a, volunteer_at_a)
    assert ms.donor_totals([approved_donor.pk]) == {approved_donor.pk: 400}
    with pytest.raises(ValidationError) as refused:
        ms.dropoff_void(dropoff=dropoff, by=volunteer_at_a, reason="   ")
    assert refused.value.message_dict["reason"] == ["Say why this drop-off is voided."]
    ms.dropoff_void(dropoff=dropoff, by=volunteer_at_a, reason="Wrong donor number")
    dropoff.refresh_from_db()
    assert dropoff.status == DropOff.Status.VOIDED and dropoff.void_reason == "Wrong donor number"
    assert ms.donor_totals([approved_donor.pk]) == {}
    entry = LogEntry.objects.get_for_object(dropoff).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes["status"] == ["at_depot", "voided"]
    assert entry.additional_data == {"reason": "Wrong donor number"} and entry.actor == volunteer_at_a
    assert approved_donor.timeline.filter(summary__contains="voided", reason="Wrong donor number").exists()
    with pytest.raises(ValidationError, match="already voided"):
        ms.dropoff_void(dropoff=dropoff, by=volunteer_at_a, reason="again")


def test_a_volunteer_cannot_void_after_24_hours_someone_elses_or_shipped_milk(
    approved_donor, volunteer_at_a, volunteer, coordinator, depot_a, make_dropoff
):
    old = _log(approved_donor, depot_a, volunteer_at_a)
    DropOff.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(hours=25))
    theirs = make_dropoff(donor=approved_donor, depot=depot_a, by=coordinator)
    shipped = _log(approved_donor, depot_a, volunteer_at_a)
    DropOff.objects.filter(pk=shipped.pk).update(status=DropOff.Status.IN_TRANSIT)
    for dropoff, words in ((old, "24 hours"), (theirs, "you logged yourself"), (shipped, "left the depot")):
        with pytest.raises(ValidationError, match=words):
            ms.dropoff_void(dropoff=dropoff, by=volunteer_at_a, reason="Mistake")
    assert not DropOff.objects.filter(status=DropOff.Status.VOIDED).exists()
    ms.dropoff_void(dropoff=old, by=coordinator, reason="Logged twice")  # a coordinator may void any
    assert DropOff.objects.get(pk=old.pk).status == DropOff.Status.VOIDED


def test_the_void_page_voids_then_offers_the_form_again_for_a_new_label(
    client, approved_donor, volunteer_at_a, depot_a
):
    dropoff = _log(approved_donor, depot_a, volunteer_at_a)
    client.force_login(volunteer_at_a)
    listed = client.get(NEW).content.decode()
    assert _void_url(dropoff) in listed, "the volunteer's drop-offs of the last 24 hours offer a void link"
    empty = client.post(_void_url(dropoff), {"reason": ""})
    assert empty.status_code == 200 and "Say why, in a few words." in empty.content.decode()
    long = client.post(_void_url(dropoff), {"reason": "x" * 301})
    assert "Keep the reason under 300 characters." in long.content.decode()
    assert DropOff.objects.get().status == DropOff.Status.AT_DEPOT, "nothing half-saved"
    response = client.post(_void_url(dropoff), {"reason": "<script>alert(1)</script> wrong donor"})
    assert response.status_code == 302 and response.url == f"{NEW}?donor={approved_donor.number_label}"
    page = client.get(response.url).content.decode()
    assert "is voided and left out of every total" in page and "<script>alert(1)" not in page
    assert f'value="{approved_donor.number_label}"' in page


def test_the_void_and_correct_pages_answer_404_outside_the_persons_depots(
    client, approved_donor, volunteer_at_a, coordinator, depot_b, make_dropoff
):
    theirs = make_dropoff(donor=approved_donor, depot=depot_b)
    client.force_login(volunteer_at_a)
    assert client.get(_void_url(theirs)).status_code == 404
    assert client.post(_void_url(theirs), {"reason": "x"}).status_code == 404
    assert client.get(_correct_url(theirs)).status_code == 403, "volunteers do not correct"
    assert client.get(HELD).status_code == 403
    client.force_login(coordinator)
    assert client.get(_correct_url(theirs)).status_code == 200
    assert client.get(reverse("donors:dropoff_correct", args=[theirs.pk + 1000])).status_code == 404


# --- Correct ------------------------------------------------------------------------------------------


def _correction(**overrides):
    """The coordinator's correction form: 400 mL in 2 containers corrected to 300 mL."""
    return {
        "action": "correct",
        "fix-containers": "2",
        "fix-volume_ml": "300",
        "fix-expressed_from": days_ago(6).isoformat(),
        "fix-expressed_to": days_ago(2).isoformat(),
        "fix-reason": "Typo",
        **overrides,
    }


def test_a_coordinator_corrects_a_dropoff_and_the_old_values_stay_in_the_history(
    client, approved_donor, volunteer_at_a, coordinator, depot_a
):
    dropoff = _log(approved_donor, depot_a, volunteer_at_a)
    client.force_login(coordinator)
    data = _correction(**{"fix-reason": ""})
    refused = client.post(_correct_url(dropoff), data)
    assert refused.status_code == 200 and "Say why, in a few words." in refused.content.decode()
    too_much = client.post(_correct_url(dropoff), {**data, "fix-volume_ml": "40000", "fix-reason": "Typo"})
    assert "more than 500 mL a container" in too_much.content.decode()
    backwards = {**data, "fix-expressed_from": days_ago(1).isoformat(), "fix-reason": "Dates"}
    assert "on or before the latest" in client.post(_correct_url(dropoff), backwards).content.decode()
    assert DropOff.objects.get().volume_ml == 400, "nothing saved from a refused correction"

    response = client.post(_correct_url(dropoff), {**data, "fix-reason": "Scale read in ounces"})
    assert response.status_code == 302
    dropoff.refresh_from_db()
    assert dropoff.volume_ml == 300
    assert ms.donor_totals([approved_donor.pk]) == {approved_donor.pk: 300}, "the total follows at once"
    entry = LogEntry.objects.get_for_object(dropoff).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes == {"volume_ml": ["400", "300"]} and entry.actor == coordinator
    assert entry.additional_data == {"reason": "Scale read in ounces"}
    event = approved_donor.timeline.get(summary__contains="corrected")
    assert "400 → 300" in event.summary and event.reason == "Scale read in ounces"
    same = client.post(_correct_url(dropoff), {**data, "fix-reason": "again"})
    assert "Nothing changed" in same.content.decode()


def test_a_coordinator_marks_milk_not_used_only_with_a_reason(client, approved_donor, coordinator, depot_a):
    dropoff = _log(approved_donor, depot_a, coordinator)
    client.force_login(coordinator)
    empty = client.post(_correct_url(dropoff), {"action": "not_used", "not-used-reason": ""})
    assert "Say why, in a few words." in empty.content.decode()
    assert DropOff.objects.get().status == DropOff.Status.AT_DEPOT
    client.post(_correct_url(dropoff), {"action": "not_used", "not-used-reason": "Container leaked"})
    dropoff.refresh_from_db()
    assert dropoff.status == DropOff.Status.REJECTED and dropoff.rejection_reason == "Container leaked"
    assert ms.donor_totals([approved_donor.pk]) == {}


# --- Holds --------------------------------------------------------------------------------------------


def test_a_warm_reading_holds_the_milk_in_the_freezer_and_any_logged_since_the_last_good_reading(
    approved_donor, volunteer_at_a, coordinator, depot_a, depot_b, make_dropoff
):
    ms.freezer_check_record(
        depot=depot_a,
        by=volunteer_at_a,
        temperature_c=-22,
        checked_at=timezone.now() - datetime.timedelta(hours=5),
    )
    before = make_dropoff(
        donor=approved_donor, depot=depot_a, received_at=timezone.now() - datetime.timedelta(hours=8)
    )
    Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="C")
    shipped_early = make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        status=DropOff.Status.RECEIVED,
        received_at=timezone.now() - datetime.timedelta(hours=9),
    )
    shipped_since = make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        status=DropOff.Status.IN_TRANSIT,
        received_at=timezone.now() - datetime.timedelta(hours=2),
    )
    elsewhere = make_dropoff(donor=approved_donor, depot=depot_b)
    check = ms.freezer_check_record(depot=depot_a, by=volunteer_at_a, temperature_c=-12)
    assert check.over_limit and check.held_count == 2
    held = set(DropOff.objects.held().values_list("pk", flat=True))
    assert held == {before.pk, shipped_since.pk}
    assert shipped_early.pk not in held and elsewhere.pk not in held
    assert "2 drop-offs at this depot are held" in mail.outbox[-1].body
    entry = LogEntry.objects.get_for_object(before).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.changes == {"hold": ["", "freezer_warm"]}
    again = ms.freezer_check_record(depot=depot_a, by=volunteer_at_a, temperature_c=-10)
    assert again.held_count == 0, "milk already held is not held twice"


def test_a_shipment_received_partly_thawed_holds_its_dropoffs(
    approved_donor, volunteer_at_a, coordinator, depot_a, make_dropoff
):
    dropoffs = [make_dropoff(donor=approved_donor, depot=depot_a) for _ in range(2)]
    shipment = ms.shipment_create(
        depot=depot_a, by=volunteer_at_a, dropoffs=dropoffs, carrier="C", coolant="dry_ice", containers=1
    )
    ms.shipment_receive(shipment=shipment, by=coordinator, condition=Shipment.Condition.PARTLY_THAWED)
    assert set(shipment.dropoffs.values_list("status", "hold")) == {
        (DropOff.Status.RECEIVED, DropOff.Hold.THAWED)
    }
    solid = ms.shipment_create(
        depot=depot_a,
        by=volunteer_at_a,
        dropoffs=[make_dropoff(donor=approved_donor, depot=depot_a)],
        carrier="C",
        coolant="dry_ice",
        containers=1,
    )
    ms.shipment_receive(shipment=solid, by=coordinator, condition=Shipment.Condition.FROZEN_SOLID)
    assert set(solid.dropoffs.values_list("hold", flat=True)) == {""}


def test_a_coordinator_releases_held_milk_or_marks_it_not_used(
    client, approved_donor, volunteer_at_a, coordinator, depot_a, make_dropoff
):
    keep = make_dropoff(donor=approved_donor, depot=depot_a)
    lose = make_dropoff(donor=approved_donor, depot=depot_a)
    ms.freezer_check_record(depot=depot_a, by=volunteer_at_a, temperature_c=-5)
    with pytest.raises(ValidationError, match="Only coordinators"):
        ms.dropoff_decide(dropoff=keep, by=volunteer_at_a, use=True)
    client.force_login(coordinator)
    listed = client.get(HELD).content.decode()
    assert _correct_url(keep) in listed and _correct_url(lose) in listed
    response = client.post(_correct_url(keep), {"action": "use"})
    assert response.status_code == 302 and response.url == HELD
    response = client.post(
        _correct_url(lose), {"action": "not_used", "not-used-reason": "Thawed in the freezer"}
    )
    assert response.status_code == 302
    keep.refresh_from_db()
    lose.refresh_from_db()
    assert (keep.hold, keep.status) == ("", DropOff.Status.AT_DEPOT)
    assert (lose.hold, lose.status, lose.rejection_reason) == (
        "",
        DropOff.Status.REJECTED,
        "Thawed in the freezer",
    )
    assert "No milk is held" in client.get(HELD).content.decode()
    with pytest.raises(ValidationError, match="is not held"):
        ms.dropoff_decide(dropoff=keep, by=coordinator, use=True)
    again = client.post(_correct_url(keep), {"action": "use"})
    assert again.status_code == 200 and f"Drop-off #{keep.pk} is not held." in again.content.decode()


def test_the_depot_page_keeps_saying_a_freezer_is_warm_until_a_good_reading(
    client, approved_donor, volunteer_at_a, depot_a, make_dropoff, settings
):
    make_dropoff(donor=approved_donor, depot=depot_a)
    client.force_login(volunteer_at_a)
    response = client.post(FREEZER, {"depot": depot_a.pk, "temperature_c": "-11"}, follow=True)
    html = response.content.decode()
    assert "check it again within 60 minutes" in html and "1 drop-off is held" in html
    assert "Freezer too warm" in html and "Every freezer has been checked today" not in html
    assert "Check it again by" in html and "1 drop-off held until a coordinator decides" in html
    FreezerCheck.objects.update(checked_at=timezone.now() - datetime.timedelta(minutes=61))
    late = client.get(WORK).content.decode()
    assert "please check it now" in late
    settings.MILKBANK = {**settings.MILKBANK, "FREEZER_RECHECK_MINUTES": 120}
    assert "Check it again by" in client.get(WORK).content.decode()
    client.post(FREEZER, {"depot": depot_a.pk, "temperature_c": "-24"})
    good = client.get(WORK).content.decode()
    assert "Freezer too warm" not in good and "Every freezer has been checked today" in good
    assert "1 drop-off held" in good, "a good reading does not release held milk: a coordinator decides"


def test_the_held_list_runs_a_fixed_number_of_queries(
    client, approved_donor, volunteer_at_a, coordinator, depot_a, make_dropoff, django_assert_num_queries
):
    """Session, user, two permission reads, then one query for the held drop-offs with their donor and
    depot, whatever their number (the list is cut at 200, read through donors_dropoff_held_idx)."""
    client.force_login(coordinator)
    for n in (1, 25):
        for _ in range(n):
            make_dropoff(donor=approved_donor, depot=depot_a, hold=DropOff.Hold.FREEZER_WARM)
        with django_assert_num_queries(5):
            assert client.get(HELD).status_code == 200


def test_the_work_page_still_runs_six_queries_with_warm_freezers_and_held_milk(
    client, approved_donor, coordinator, depot_a, depot_b, make_dropoff, django_assert_num_queries
):
    """The incident and held counts ride in the one depots query (see test_list_pages_run_a_fixed_number)."""
    client.force_login(coordinator)
    with django_assert_num_queries(6):
        client.get(WORK)
    for depot in (depot_a, depot_b):
        make_dropoff(donor=approved_donor, depot=depot)
        ms.freezer_check_record(depot=depot, by=coordinator, temperature_c=-3)
    with django_assert_num_queries(6):
        html = client.get(WORK).content.decode()
    assert html.count("held until a coordinator decides") == 2


# --- Dashboard tiles ----------------------------------------------------------------------------------


def test_the_dashboard_tiles_count_and_link_to_their_lists(
    client,
    approved_donor,
    volunteer_at_a,
    coordinator,
    depot_a,
    depot_b,
    make_dropoff,
    django_assert_num_queries,
):
    """Three queries for the four tiles whatever the numbers: the depots (with freezer state and waiting
    milk), the shipments still on the way, and the held drop-offs."""
    from django.core.cache import cache

    client.force_login(coordinator)
    url = reverse("admin:donors_donor_dashboard")
    client.get(url)
    coordinator.has_perm("donors.view_all_depots")  # the permission cache, as a request has it already
    with django_assert_num_queries(3):
        tiles = ms.milk_tiles(user=coordinator)
    assert tiles == {"to_receive": 0, "freezers": 2, "warm": 0, "ship_soon": 0, "held": 0}
    limit = timezone.localdate() - datetime.timedelta(days=180 - 3)
    make_dropoff(donor=approved_donor, depot=depot_a, expressed_from=limit)
    ms.freezer_check_record(depot=depot_b, by=coordinator, temperature_c=-24)
    ms.freezer_check_record(depot=depot_a, by=coordinator, temperature_c=-8)
    ms.shipment_create(
        depot=depot_b,
        by=coordinator,
        dropoffs=[make_dropoff(donor=approved_donor, depot=depot_b)],
        carrier="C",
        coolant="dry_ice",
        containers=1,
    )
    with django_assert_num_queries(3):
        tiles = ms.milk_tiles(user=coordinator)
    assert tiles == {"to_receive": 1, "freezers": 1, "warm": 1, "ship_soon": 1, "held": 1}
    cache.clear()
    html = client.get(url).content.decode()
    assert "1</strong> shipment to receive" in html
    assert f"{reverse('admin:donors_shipment_changelist')}?arrival=on_the_way" in html
    assert f"{WORK}#freezers" in html and f"{WORK}#ship-soon" in html and HELD in html
    assert "1</strong> drop-off held for a decision" in html


# --- What the volunteer's forms start on (issue 13, item 6) -------------------------------------------


def test_the_donor_card_shows_the_bereavement_marker(client, volunteer_at_a, make_milk_donor):
    donor = make_milk_donor(first_name="Iris", last_name="Mourning")
    Donor.objects.filter(pk=donor.pk).update(bereaved=True)
    other = make_milk_donor(first_name="Opal", last_name="Mourning")
    client.force_login(volunteer_at_a)
    html = client.post(NEW, {"q": "Mourning", "find": "1"}).content.decode()
    assert html.count("After a loss") == 1 and "Please do not ask about the baby." in html
    assert other.number_label in html
    chosen = client.get(f"{NEW}?donor={donor.number_label}").content.decode()
    assert "After a loss" in chosen


def test_a_research_only_donors_form_starts_on_research_milk(
    client, volunteer_at_a, depot_a, research_donor, approved_donor
):
    client.force_login(volunteer_at_a)
    research = client.get(f"{NEW}?donor={research_donor.number_label}")
    assert research.context["form"].initial["use"] == DropOff.Use.RESEARCH
    assert "Research only" in research.content.decode()
    clinical = client.get(f"{NEW}?donor={approved_donor.number_label}")
    assert "use" not in clinical.context["form"].initial


def test_the_freezer_form_picks_the_volunteers_only_depot(
    client, volunteer_at_a, depot_a, depot_b, coordinator
):
    client.force_login(volunteer_at_a)
    assert client.get(FREEZER).context["form"].initial["depot"] == depot_a.pk
    depot_b.volunteers.add(volunteer_at_a)
    assert client.get(FREEZER).context["form"].initial["depot"] is None, "two depots: they choose"
    assert client.get(f"{FREEZER}?depot={depot_b.pk}").context["form"].initial["depot"] == depot_b.pk


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"fix-volume_ml": ""}, "Enter the volume (mL)."),
        ({"fix-volume_ml": "abc"}, "Enter a whole number."),
        ({"fix-volume_ml": "0"}, "at least 1 mL"),
        ({"fix-volume_ml": "99999999999999999999"}, "more than 40 litres"),
        ({"fix-containers": "-1"}, "at least 1"),
        ({"fix-expressed_to": "2026-02-31"}, "Enter a real date."),
        (
            {"fix-expressed_to": (timezone.localdate() + datetime.timedelta(days=3)).isoformat()},
            "in the future",
        ),
        ({"fix-reason": "x" * 301}, "Keep the reason under 300 characters."),
    ],
)
def test_bad_correction_input_gets_a_clear_message_and_saves_nothing(
    client, approved_donor, coordinator, depot_a, overrides, message
):
    dropoff = _log(approved_donor, depot_a, coordinator)
    client.force_login(coordinator)
    response = client.post(_correct_url(dropoff), _correction(**overrides))
    assert response.status_code == 200 and message in response.content.decode()
    dropoff.refresh_from_db()
    assert (dropoff.volume_ml, dropoff.containers) == (400, 2)
    assert not LogEntry.objects.get_for_object(dropoff).filter(action=LogEntry.Action.UPDATE).exists()


def test_a_volunteer_posting_to_void_a_colleagues_dropoff_is_refused_on_the_page(
    client, approved_donor, volunteer_at_a, coordinator, depot_a
):
    dropoff = _log(approved_donor, depot_a, coordinator)
    client.force_login(volunteer_at_a)
    response = client.post(_void_url(dropoff), {"reason": "Not mine"})
    assert response.status_code == 200
    assert "You can void only drop-offs you logged yourself" in response.content.decode()
    assert DropOff.objects.get().status == DropOff.Status.AT_DEPOT
