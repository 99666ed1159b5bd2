"""The staff admin for depots, freezer checks, drop-offs and shipments: scope, health data, queries."""

import re

import pytest
from django.urls import reverse

from donors.models import Depot, DropOff, FreezerCheck, Shipment
from milkbank.pagination import CappedCountPaginator
from tests.donors.milk_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

HEALTH_WORDS = (
    "questionnaire",
    "bloodwork",
    "phone screen",
    "hepatitis",
    "hiv",
    "medical release",
    "deferral",
)


@pytest.fixture
def records(volunteer_at_a, coordinator, depot_a, depot_b, approved_donor, make_dropoff):
    """One of each record at depot A (the volunteer's) and at depot B (not theirs)."""
    out = {}
    for key, depot in (("a", depot_a), ("b", depot_b)):
        dropoff = make_dropoff(donor=approved_donor, depot=depot)
        shipment = Shipment.objects.create(depot=depot, shipped_by=coordinator, carrier="Courier")
        dropoff.shipment, dropoff.status = shipment, DropOff.Status.IN_TRANSIT
        dropoff.save(update_fields=["shipment", "status"])
        make_dropoff(donor=approved_donor, depot=depot)
        check = FreezerCheck.objects.create(depot=depot, checked_by=coordinator, temperature_c=-22)
        out[key] = {"depot": depot, "dropoff": dropoff, "shipment": shipment, "freezercheck": check}
    return out


def _change_url(obj):
    return reverse(f"admin:donors_{obj._meta.model_name}_change", args=[obj.pk])


@pytest.mark.parametrize("kind", ["depot", "dropoff", "shipment", "freezercheck"])
def test_a_volunteer_gets_404_for_another_depots_records(client, volunteer_at_a, records, kind):
    client.force_login(volunteer_at_a)
    assert client.get(_change_url(records["a"][kind])).status_code == 200
    theirs = _change_url(records["b"][kind])
    assert client.get(theirs).status_code == 404
    assert client.get(theirs.replace("/change/", "/history/")).status_code == 404


@pytest.mark.parametrize("model", ["depot", "dropoff", "shipment", "freezercheck"])
def test_a_volunteers_lists_show_only_their_depot(client, volunteer_at_a, records, model):
    client.force_login(volunteer_at_a)
    html = client.get(reverse(f"admin:donors_{model}_changelist")).content.decode()
    assert "Northside Clinic" in html
    assert "Lakeside Hospital" not in html, "not even in the depot filter"


def test_a_volunteer_never_sees_health_words_on_admin_pages(client, volunteer_at_a, records):
    client.force_login(volunteer_at_a)
    urls = [reverse("admin:index")]
    for kind in ("depot", "dropoff", "shipment", "freezercheck"):
        urls.append(reverse(f"admin:donors_{kind}_changelist"))
        urls.append(_change_url(records["a"][kind]))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = re.sub(r"<[^>]+>", " ", response.content.decode()).lower()
        found = [word for word in HEALTH_WORDS if word in text]
        assert not found, f"{url} shows {found}"


def test_a_volunteer_has_no_way_into_the_donor_admin(client, volunteer_at_a, approved_donor):
    client.force_login(volunteer_at_a)
    assert client.get(reverse("admin:donors_donor_changelist")).status_code == 403
    assert client.get(reverse("admin:donors_donor_change", args=[approved_donor.pk])).status_code in (
        403,
        404,
    )


def test_a_volunteer_can_view_but_not_change_a_dropoff(client, volunteer_at_a, records):
    client.force_login(volunteer_at_a)
    url = _change_url(records["a"]["dropoff"])
    html = client.get(url).content.decode()
    assert 'name="status"' not in html
    response = client.post(url, {"status": "rejected", "rejection_reason": "x"})
    assert response.status_code == 403


def test_the_admin_refuses_to_edit_a_dropoffs_status_or_shipment(client, coordinator, records):
    """A received drop-off set back to "At the depot" would show phantom milk and block the next shipment:
    status and shipment change only through the milk services, never on the admin form."""
    client.force_login(coordinator)
    dropoff = records["a"]["dropoff"]
    DropOff.objects.filter(pk=dropoff.pk).update(status=DropOff.Status.RECEIVED)
    url = _change_url(dropoff)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "Received at the bank" in html
    assert 'name="status"' not in html and 'name="shipment"' not in html
    assert 'name="rejection_reason"' not in html
    client.post(url, {"status": "at_depot", "shipment": "", "rejection_reason": "x", "volume_ml": "1"})
    dropoff.refresh_from_db()
    assert dropoff.status == DropOff.Status.RECEIVED
    assert dropoff.shipment == records["a"]["shipment"]
    assert dropoff.volume_ml == 300 and dropoff.rejection_reason == ""


def test_add_buttons_lead_to_the_pages_that_apply_the_rules(client, volunteer_at_a, coordinator, records):
    client.force_login(volunteer_at_a)
    assert client.get(reverse("admin:donors_dropoff_add")).url == reverse("donors:dropoff_new")
    assert client.get(reverse("admin:donors_freezercheck_add")).url == reverse("donors:freezer_check_new")
    assert client.get(reverse("admin:donors_shipment_add")).url == reverse("donors:depot_work")
    assert client.get(reverse("admin:donors_depot_add")).status_code == 403


def test_coordinators_choose_the_volunteers_of_a_depot(client, coordinator, volunteer, depot_b):
    client.force_login(coordinator)
    url = _change_url(depot_b)
    data = {
        "name": depot_b.name,
        "city": depot_b.city,
        "region": depot_b.region,
        "active": "on",
        "listed_publicly": "on",
        "lockable_freezer": "on",
        "volunteers": [volunteer.pk],
    }
    assert client.post(url, data).status_code == 302
    assert list(Depot.objects.for_user(volunteer)) == [depot_b]


def test_searching_dropoffs_by_donor_number_or_id(client, coordinator, records, approved_donor):
    client.force_login(coordinator)
    url = reverse("admin:donors_dropoff_changelist")
    by_number = client.get(url, {"q": approved_donor.number_label})
    assert by_number.context["cl"].result_count == 4
    by_id = client.get(url, {"q": str(records["b"]["dropoff"].pk)})
    assert [d.pk for d in by_id.context["cl"].result_list] == [records["b"]["dropoff"].pk]
    assert client.get(url, {"q": "D<script>"}).status_code == 200


def test_the_print_labels_action_opens_the_chosen_labels(client, volunteer_at_a, records):
    client.force_login(volunteer_at_a)
    pk = records["a"]["dropoff"].pk
    response = client.post(
        reverse("admin:donors_dropoff_changelist"), {"action": "print_labels", "_selected_action": [pk]}
    )
    assert response.status_code == 302 and response.url.endswith(f"?id={pk}")


def test_the_receive_action_records_arrival_and_says_so(client, coordinator, records):
    client.force_login(coordinator)
    shipment = records["a"]["shipment"]
    response = client.post(
        reverse("admin:donors_shipment_changelist"),
        {"action": "receive_frozen_solid", "_selected_action": [shipment.pk]},
        follow=True,
    )
    assert "1 shipment(s) received, frozen solid." in response.content.decode()
    shipment.refresh_from_db()
    assert shipment.condition == "frozen_solid"
    assert DropOff.objects.get(pk=records["a"]["dropoff"].pk).status == "received"


@pytest.mark.parametrize(
    ("model", "queries"),
    [("dropoff", 7), ("shipment", 7), ("freezercheck", 7), ("depot", 7)],
)
def test_admin_lists_run_a_fixed_number_of_queries(
    client,
    volunteer_at_a,
    depot_a,
    approved_donor,
    coordinator,
    make_dropoff,
    django_assert_num_queries,
    model,
    queries,
):
    """A volunteer's lists read the same number of queries for 1 row or 40 (no per-row queries): session,
    user, two permission reads, the filter's choices (depots, or regions on the depot list), the page's
    count and its rows. show_full_result_count=False spares a second count over the whole table."""
    url = reverse(f"admin:donors_{model}_changelist")
    client.force_login(volunteer_at_a)

    def add_rows(n):
        for _ in range(n):
            dropoff = make_dropoff(donor=approved_donor, depot=depot_a)
            shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="C")
            dropoff.shipment = shipment
            dropoff.save(update_fields=["shipment"])
            FreezerCheck.objects.create(depot=depot_a, checked_by=coordinator, temperature_c=-25)
            Depot.objects.create(name=f"Depot {Depot.objects.count()}", city="X", region="Y").volunteers.add(
                volunteer_at_a
            )

    add_rows(1)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    add_rows(40)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("model", ["dropoff", "shipment", "freezercheck"])
def test_large_lists_count_at_most_a_capped_number_of_rows(
    client, volunteer_at_a, depot_a, approved_donor, coordinator, make_dropoff, monkeypatch, model
):
    """COUNT(*) over a million drop-offs cost more than the page: the big lists count at most
    CappedCountPaginator.max_exact_count rows (10,000; 2 here),
    and estimate an unfiltered table on PostgreSQL."""
    monkeypatch.setattr(CappedCountPaginator, "max_exact_count", 2)
    for _ in range(3):
        dropoff = make_dropoff(donor=approved_donor, depot=depot_a)
        dropoff.shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="C")
        dropoff.save(update_fields=["shipment"])
        FreezerCheck.objects.create(depot=depot_a, checked_by=coordinator, temperature_c=-25)
    client.force_login(volunteer_at_a)
    changelist = client.get(reverse(f"admin:donors_{model}_changelist")).context["cl"]
    assert changelist.result_count == 2
    assert not changelist.show_full_result_count
