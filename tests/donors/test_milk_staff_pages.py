"""Staff pages for depot work: the quick drop-off log, freezer checks, shipments, labels, totals."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from donors.models import DropOff, FreezerCheck, Shipment
from tests.donors.milk_fixtures import *  # noqa: F403
from tests.donors.milk_fixtures import days_ago

pytestmark = pytest.mark.django_db

NEW = reverse("donors:dropoff_new")
FREEZER = reverse("donors:freezer_check_new")
WORK = reverse("donors:depot_work")


def _dropoff_post(who, where, **overrides):
    data = {
        "donor": who.number_label,
        "depot": where.pk if where else "",
        "containers": "3",
        "volume_ml": "450",
        "volume_oz": "",
        "expressed_from": days_ago(10).isoformat(),
        "expressed_to": days_ago(2).isoformat(),
        "health_declaration": "on",
        "use": "clinical",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Access ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("anonymous", 302), ("no_role", 403), ("memorial", 403), ("editor", 403), ("volunteer", 200)],
)
def test_it_lets_only_depot_staff_log_dropoffs(client, personas, persona, expected):
    if personas[persona]:
        client.force_login(personas[persona])
    response = client.get(NEW)
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("admin:login"))


def test_it_answers_404_for_another_depots_label_shipment_page_and_ship_form(
    client, volunteer_at_a, depot_b, approved_donor, make_dropoff
):
    theirs = make_dropoff(donor=approved_donor, depot=depot_b)
    client.force_login(volunteer_at_a)
    assert client.get(reverse("donors:dropoff_label", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("donors:dropoff_labels") + f"?id={theirs.pk}").status_code == 404
    assert client.get(reverse("donors:shipment_new", args=[depot_b.pk])).status_code == 404


def test_only_coordinators_receive_shipments_and_export(client, volunteer_at_a, coordinator, depot_a):
    shipment = Shipment.objects.create(depot=depot_a, shipped_by=volunteer_at_a, carrier="Val")
    client.force_login(volunteer_at_a)
    assert client.get(reverse("donors:shipment_receive", args=[shipment.pk])).status_code == 403
    assert client.get(reverse("donors:dropoff_export")).status_code == 403
    client.force_login(coordinator)
    assert client.get(reverse("donors:shipment_receive", args=[shipment.pk])).status_code == 200


# --- The quick drop-off log --------------------------------------------------------------------------


def test_a_volunteer_logs_a_dropoff_in_one_form(client, volunteer_at_a, depot_a, approved_donor):
    client.force_login(volunteer_at_a)
    page = client.get(NEW)
    assert page.context["form"].initial["depot"] == depot_a.pk, "a volunteer's only depot is chosen already"
    assert 'name="channel"' not in page.content.decode(), "volunteers log milk at depots only"
    response = client.post(NEW, _dropoff_post(approved_donor, depot_a))
    assert response.status_code == 302
    dropoff = DropOff.objects.get()
    assert (dropoff.donor, dropoff.depot, dropoff.volume_ml) == (approved_donor, depot_a, 450)
    follow = client.get(response.url)
    assert f"Saved drop-off #{dropoff.pk}" in follow.content.decode()
    assert reverse("donors:dropoff_label", args=[dropoff.pk]) in follow.content.decode()


def test_the_donor_number_can_be_typed_without_the_d_and_zeros(
    client, volunteer_at_a, depot_a, approved_donor
):
    client.force_login(volunteer_at_a)
    response = client.post(
        NEW, _dropoff_post(approved_donor, depot_a, donor=str(approved_donor.donor_number))
    )
    assert response.status_code == 302 and DropOff.objects.count() == 1


def test_ounces_are_converted_when_millilitres_are_empty(client, volunteer_at_a, depot_a, approved_donor):
    client.force_login(volunteer_at_a)
    client.post(NEW, _dropoff_post(approved_donor, depot_a, volume_ml="", volume_oz="10"))
    assert DropOff.objects.get().volume_ml == 296


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"donor": ""}, "Enter the donor number"),
        ({"donor": "<b>x</b>"}, "like D000123 or 123"),
        ({"donor": "D999999"}, "No donor has the number D999999"),
        ({"containers": ""}, "Enter the containers"),
        ({"containers": "0"}, "at least 1"),
        ({"containers": "-3"}, "at least 1"),
        ({"volume_ml": "", "volume_oz": ""}, "Enter the volume in mL (or in ounces)"),
        ({"volume_ml": "0"}, "at least 1 mL"),
        ({"volume_ml": "-100"}, "at least 1 mL"),
        ({"volume_ml": "99999999999999999999"}, "more than 40 litres"),
        ({"volume_ml": "12.5"}, "Enter a whole number"),
        (
            {"volume_ml": "40000", "containers": "2"},
            "40,000 mL in 2 containers is more than 500 mL a container",
        ),
        ({"volume_ml": "", "volume_oz": "100", "containers": "1"}, "2,957 mL in 1 container is more than"),
        ({"volume_ml": "", "volume_oz": "-4"}, "more than 0 ounces"),
        ({"volume_ml": "", "volume_oz": "1e400"}, "far too many ounces"),
        ({"expressed_from": ""}, "Enter the earliest expression date"),
        ({"expressed_to": "not a date"}, "Enter a real date"),
        ({"expressed_to": "99999-01-01"}, "Enter a real date"),
        ({"expressed_to": (timezone.localdate() + datetime.timedelta(days=2)).isoformat()}, "in the future"),
        ({"health_declaration": None}, "health declaration"),
        ({"use": "transfusion"}, "Select a valid choice"),
        ({"depot": ""}, "Choose the depot"),
    ],
)
def test_bad_dropoff_input_gets_a_clear_message_and_saves_nothing(
    client, volunteer_at_a, depot_a, approved_donor, overrides, message
):
    client.force_login(volunteer_at_a)
    response = client.post(NEW, _dropoff_post(approved_donor, depot_a, **overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Not saved yet" in html and 'role="alert"' in html
    assert "<b>x</b>" not in html, "markup typed into a field is shown as text, never run"
    assert not DropOff.objects.exists()


def test_an_unapproved_donor_and_old_milk_are_refused_on_the_page(
    client, volunteer_at_a, depot_a, approved_donor, unapproved_donor, settings
):
    client.force_login(volunteer_at_a)
    html = client.post(NEW, _dropoff_post(unapproved_donor, depot_a)).content.decode()
    assert "is not approved to give milk for babies today" in html
    limit = settings.MILKBANK["MILK_AGE_LIMIT_DAYS"]
    old = days_ago(limit + 1).isoformat()
    html = client.post(NEW, _dropoff_post(approved_donor, depot_a, expressed_from=old)).content.decode()
    assert f"more than {limit} days old" in html
    assert not DropOff.objects.exists()


def test_a_volunteer_cannot_post_to_another_depot(client, volunteer_at_a, depot_b, approved_donor):
    client.force_login(volunteer_at_a)
    response = client.post(NEW, _dropoff_post(approved_donor, depot_b))
    assert "Select a valid choice" in response.content.decode()
    assert not DropOff.objects.exists()


def test_a_coordinator_logs_milk_brought_to_the_bank(client, coordinator, approved_donor):
    client.force_login(coordinator)
    response = client.post(NEW, _dropoff_post(approved_donor, None, channel="brought"))
    assert response.status_code == 302
    dropoff = DropOff.objects.get()
    assert dropoff.channel == "brought" and dropoff.depot is None and dropoff.status == "received"


def test_the_lookup_shows_approval_and_bloodwork_but_no_health_or_contact_details(
    client, volunteer_at_a, approved_donor, django_assert_num_queries
):
    """One query for the donors whatever their number. The 8: session, user, two permission reads, the
    search, the volunteer's only depot (to choose it for them), the depot choices, and what they logged in
    the last 24 hours (to void a mistake)."""
    client.force_login(volunteer_at_a)
    with django_assert_num_queries(8):
        response = client.post(NEW, {"q": "lovelace", "find": "1"})  # POST: a name never goes in a URL
    html = response.content.decode()
    assert approved_donor.number_label in html and "Ada Lovelace" in html
    assert "Bloodwork valid until" in html
    for private in (approved_donor.email, "questionnaire", "phone screen", "hepatitis", "HIV", "tattoo"):
        assert private.lower() not in html.lower()


# --- Freezer checks ----------------------------------------------------------------------------------


def test_a_warm_freezer_reading_is_flagged_on_the_page_and_emails_coordinators(
    client, volunteer_at_a, depot_a, django_capture_on_commit_callbacks
):
    client.force_login(volunteer_at_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FREEZER, {"depot": depot_a.pk, "temperature_c": "-15"}, follow=True)
    assert "Saved, and flagged" in response.content.decode()
    assert FreezerCheck.objects.get().over_limit
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the temperature"),
        ("cold", "Enter the temperature as a number"),
        ("-95", "between -90 and 40"),
        ("41", "between -90 and 40"),
        ("99999999", "between -90 and 40"),
        ("-20.55", "one decimal place"),
        ("<script>", "Enter the temperature as a number"),
    ],
)
def test_bad_freezer_readings_get_a_clear_message(client, volunteer_at_a, depot_a, value, message):
    client.force_login(volunteer_at_a)
    response = client.post(FREEZER, {"depot": depot_a.pk, "temperature_c": value, "notes": "<i>x</i>"})
    html = response.content.decode()
    assert message in html and "<i>x</i>" not in html
    assert not FreezerCheck.objects.exists()


def test_the_work_page_lists_depots_with_no_check_today(client, volunteer_at_a, depot_a, coordinator):
    client.force_login(volunteer_at_a)
    html = client.get(WORK).content.decode()
    assert "no check today or yesterday" in html
    FreezerCheck.objects.create(depot=depot_a, checked_by=coordinator, temperature_c=-25)
    assert "Every freezer has been checked today" in client.get(WORK).content.decode()


# --- Shipments ---------------------------------------------------------------------------------------


def test_a_volunteer_ships_and_a_coordinator_receives(
    client, volunteer_at_a, coordinator, depot_a, approved_donor, make_dropoff
):
    first = make_dropoff(donor=approved_donor, depot=depot_a)
    second = make_dropoff(donor=approved_donor, depot=depot_a)
    client.force_login(volunteer_at_a)
    url = reverse("donors:shipment_new", args=[depot_a.pk])
    form = client.get(url).context["form"]
    assert set(form.initial["dropoffs"]) == {first.pk, second.pk}, "everything waiting is ticked"
    data = {"dropoffs": [first.pk], "carrier": "Courier Co", "coolant": "dry_ice", "containers": "1"}
    assert client.post(url, data).status_code == 302
    shipment = Shipment.objects.get()
    assert list(shipment.dropoffs.all()) == [first]
    again = client.post(url, data)
    assert f"Drop-off #{first.pk} is no longer waiting here" in again.content.decode()

    client.force_login(coordinator)
    receive = reverse("donors:shipment_receive", args=[shipment.pk])
    arrived = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(receive, {"received_at": arrived, "condition": "frozen_solid"}, follow=True)
    assert "received (frozen solid) after" in response.content.decode()
    first.refresh_from_db()
    assert first.status == DropOff.Status.RECEIVED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose at least one drop-off"),
        ({"carrier": "", "containers": "1"}, "This field is required"),
        ({"containers": "0"}, "between 1 and 100"),
        ({"containers": "-1"}, "between 1 and 100"),
        ({"containers": "100000000000"}, "between 1 and 100"),
        ({"coolant": "ice cream"}, "Select a valid choice"),
        ({"carrier": "x" * 101}, "at most 100 characters"),
    ],
)
def test_bad_shipment_input_gets_a_clear_message(
    client, volunteer_at_a, depot_a, approved_donor, make_dropoff, data, message
):
    dropoff = make_dropoff(donor=approved_donor, depot=depot_a)
    client.force_login(volunteer_at_a)
    post = {"dropoffs": [dropoff.pk], "carrier": "<b>Val</b>", "coolant": "dry_ice", "containers": "1"}
    post.update(data)
    if not data:
        del post["dropoffs"]
    response = client.post(reverse("donors:shipment_new", args=[depot_a.pk]), post)
    assert message in response.content.decode()
    assert not Shipment.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"received_at": "", "condition": "thawed"}, "Enter when it arrived"),
        ({"received_at": "yesterday", "condition": "thawed"}, "Enter a real date and time"),
        ({"received_at": "2000-01-01T10:00", "condition": "thawed"}, "cannot arrive before it left"),
        ({"received_at": "2999-01-01T10:00", "condition": "thawed"}, "cannot be in the future"),
        ({"condition": ""}, "Choose the condition"),
        ({"condition": "<b>warm</b>"}, "Select a valid choice"),
    ],
)
def test_bad_receiving_input_gets_a_clear_message(client, coordinator, depot_a, data, message):
    shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="Val")
    client.force_login(coordinator)
    post = {"received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), **data}
    response = client.post(reverse("donors:shipment_receive", args=[shipment.pk]), post)
    html = response.content.decode()
    assert message in html and "<b>warm</b>" not in html
    shipment.refresh_from_db()
    assert shipment.received_at is None


# --- Labels, totals, export --------------------------------------------------------------------------


def test_a_label_has_the_donor_number_dates_depot_and_an_inline_barcode(
    client, volunteer_at_a, depot_a, approved_donor, make_dropoff
):
    dropoff = make_dropoff(donor=approved_donor, depot=depot_a)
    client.force_login(volunteer_at_a)
    html = client.get(reverse("donors:dropoff_label", args=[dropoff.pk])).content.decode()
    assert approved_donor.number_label in html and depot_a.name in html
    assert dropoff.expressed_from.isoformat() in html and f"#{dropoff.pk}" in html
    assert "<svg" in html and "<rect" in html and dropoff.label_code in html
    assert "style=" not in html and "<script>" not in html, "no inline styles or scripts (strict CSP)"
    assert "milk-label.css" in html


def test_list_pages_run_a_fixed_number_of_queries(
    client,
    coordinator,
    depot_a,
    depot_b,
    approved_donor,
    make_dropoff,
    django_assert_num_queries,
    empty_cache,
):
    """The work page, report and labels read in set queries whatever the number of drop-offs, so a bank with
    a million drop-offs sees the same speed. Each starts with 4 (session, user, two permission reads); then
    the work page reads depots and shipments, the report (live, never cached) its month rows, the drop-offs
    at the months' edges and the depots' names, the labels their drop-offs."""
    client.force_login(coordinator)

    def counts():
        ids = list(DropOff.objects.values_list("pk", flat=True))
        labels = reverse("donors:dropoff_labels") + "?" + "&".join(f"id={i}" for i in ids)
        with django_assert_num_queries(6):
            client.get(WORK)
        with django_assert_num_queries(7):
            client.get(reverse("donors:milk_report"))
        with django_assert_num_queries(5):
            client.get(labels)

    make_dropoff(donor=approved_donor, depot=depot_a)
    counts()
    for depot in (depot_a, depot_b):
        for day in range(5):
            make_dropoff(donor=approved_donor, depot=depot, expressed_from=days_ago(day + 3))
    counts()


def test_the_work_page_sums_only_the_milk_waiting_at_each_depot(
    client, volunteer_at_a, depot_a, approved_donor, make_dropoff, django_assert_num_queries
):
    """The depot query reads waiting milk by status through donors_dropoff_depot_idx, never every drop-off
    the depot took: a join over all of them took ~1 s at a million drop-offs. The 6: session, user, two
    permission reads, the depots, the shipments on the way."""
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=300)
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=200)
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=7000, status=DropOff.Status.RECEIVED)
    make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        volume_ml=9000,
        status=DropOff.Status.REJECTED,
        rejection_reason="Thawed",
    )
    client.force_login(volunteer_at_a)
    with django_assert_num_queries(6) as captured:
        response = client.get(WORK)
    [depot] = response.context["depots"]
    assert (depot.waiting_count, depot.waiting_ml) == (2, 500)
    [sql] = [q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "donors_depot"')]
    assert "'at_depot'" in sql, "the waiting milk is picked by status"
    assert 'JOIN "donors_dropoff"' not in sql, "no join over every drop-off of the depot"


def test_the_report_shows_a_window_of_months(
    client, coordinator, depot_a, approved_donor, make_dropoff, empty_cache
):
    """Twelve months by default; older milk only when a longer window is asked for."""
    now = timezone.now()
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=1111, received_at=now)
    make_dropoff(
        donor=approved_donor, depot=depot_a, volume_ml=2222, received_at=now - datetime.timedelta(days=400)
    )
    client.force_login(coordinator)
    default = client.get(reverse("donors:milk_report"))
    assert default.context["total_ml"] == 1111
    assert default.context["since"] > timezone.localdate() - datetime.timedelta(days=366)
    longer = client.get(reverse("donors:milk_report"), {"months": 24})
    assert longer.context["total_ml"] == 3333


def test_the_report_is_live_scoped_and_counts_clinical_and_research_apart(
    client,
    coordinator,
    volunteer_at_a,
    depot_a,
    depot_b,
    approved_donor,
    make_dropoff,
    django_assert_num_queries,
):
    """No cache: each view reads the summary the triggers keep (7 queries: session, user, two permission
    reads, the month rows, the month edges, the depots' names), so a drop-off logged, corrected or marked
    not used shows at once; a volunteer sees only their depots (one more: which depots are theirs)."""
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=100)
    make_dropoff(donor=approved_donor, depot=depot_b, volume_ml=20)
    make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=7, use=DropOff.Use.RESEARCH)
    report = reverse("donors:milk_report")
    client.force_login(coordinator)
    with django_assert_num_queries(7):
        page = client.get(report)
    assert (page.context["clinical_ml"], page.context["research_ml"], page.context["total_ml"]) == (
        120,
        7,
        127,
    )
    assert "7 mL for research" in page.content.decode()
    late = make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=3)
    with django_assert_num_queries(7):
        assert client.get(report).context["clinical_ml"] == 123, "shows at once"
    late.status, late.rejection_reason = DropOff.Status.REJECTED, "Thawed in the car"
    late.save(update_fields=["status", "rejection_reason"])
    assert client.get(report).context["clinical_ml"] == 120, "not used: out at once"
    client.force_login(volunteer_at_a)
    with django_assert_num_queries(8):
        rows = client.get(report).context["rows"]
    assert {r["depot_id"] for r in rows} == {depot_a.pk}
    assert sum(r["clinical_ml"] for r in rows) == 100 and sum(r["research_ml"] for r in rows) == 7


def test_the_export_streams_every_dropoff_in_one_query(
    client, coordinator, depot_a, approved_donor, make_dropoff, django_assert_num_queries
):
    """One query for the rows (read in chunks), whatever their number: constant memory and time per row.
    The 5: session, user, two permission reads, the rows."""
    for _ in range(7):
        make_dropoff(donor=approved_donor, depot=depot_a)
    make_dropoff(donor=approved_donor, depot=None, channel="shipped", status="received")
    client.force_login(coordinator)
    with django_assert_num_queries(5):
        response = client.get(reverse("donors:dropoff_export"))
        body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv"
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:2] == ["drop-off", "donor number"]
    assert len(rows) == 10
    assert {r[1] for r in rows[1:-1]} == {approved_donor.number_label}
    assert rows[-1] == ["# complete: 8 drop-offs"], "the last line says the file is whole"
    assert approved_donor.first_name not in body, "the export carries donor numbers, not names"


def test_an_empty_export_still_says_it_is_complete(client, coordinator):
    client.force_login(coordinator)
    body = b"".join(client.get(reverse("donors:dropoff_export")).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][0] == "drop-off" and rows[1:] == [["# complete: 0 drop-offs"]]


def test_the_work_page_says_how_to_tell_a_whole_export(client, coordinator, volunteer_at_a, depot_a):
    client.force_login(coordinator)
    page = client.get(WORK).content.decode()
    assert reverse("donors:dropoff_export") in page
    assert "if that line is missing, the download was cut short" in page
    client.force_login(volunteer_at_a)
    response = client.get(WORK)
    assert response.status_code == 200 and depot_a.name in response.content.decode()
    assert "the download was cut short" not in response.content.decode(), "no export for a volunteer"


def test_the_export_defuses_spreadsheet_formulas(client, coordinator, depot_a, approved_donor, make_dropoff):
    make_dropoff(donor=approved_donor, depot=depot_a, status="rejected", rejection_reason="=HYPERLINK(1)")
    client.force_login(coordinator)
    body = b"".join(client.get(reverse("donors:dropoff_export")).streaming_content).decode()
    assert "'=HYPERLINK(1)" in body


def test_every_simple_problem_shows_at_once(client, volunteer_at_a, depot_a, approved_donor):
    client.force_login(volunteer_at_a)
    post = _dropoff_post(approved_donor, depot_a, containers="0", volume_ml="", volume_oz="")
    html = client.post(NEW, post).content.decode()
    assert "Enter how many containers: at least 1." in html
    assert "Enter the volume in mL (or in ounces)." in html
