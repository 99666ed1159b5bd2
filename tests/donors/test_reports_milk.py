"""The milk and donor reports and the annual summary (issue 17 items 3-6): figures built in the test with
known months, depots, routes and volumes are what the page and its CSV say; who sees what; bad input; a
fixed number of queries."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from donors.models import Donor, DropOff
from donors.reports.milk import add_months, month_label
from memorials.models import Butterfly
from tests.donors.milk_fixtures import *  # noqa: F403

MILK = reverse("donors:report_milk")
DONORS = reverse("donors:report_donors")
ANNUAL = reverse("donors:report_annual")
INDEX = reverse("donors:reports")


def _this_month():
    return timezone.localdate().replace(day=1)


def _at(month: datetime.date, day: int = 15) -> datetime.datetime:
    """Noon local time on a day of the month: far from any month edge."""
    return timezone.make_aware(datetime.datetime(month.year, month.month, day, 12))


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(
        csv.reader(
            io.StringIO(b"".join(response).decode() if response.streaming else response.content.decode())
        )
    )


def _row(rows, month):
    """The CSV row of a month, its numbers as ints (empty cells as 0)."""
    for row in rows:
        if row[0] == month_label(month):
            return [int(v) if v else 0 for v in row[1:]]
    raise AssertionError(f"no row for {month_label(month)} in {rows}")


@pytest.fixture
def milk(depot_a, depot_b, approved_donor, research_donor, make_dropoff):
    """Known milk over three past months (one month ago, two, three), by depot, route and use, and milk not
    used, voided and held."""
    one, two, three = (add_months(_this_month(), -n) for n in (1, 2, 3))
    make = make_dropoff
    make(donor=approved_donor, depot=depot_a, volume_ml=100, received_at=_at(one), status="received")
    make(donor=approved_donor, depot=depot_a, volume_ml=50, received_at=_at(one, 20), status="received")
    make(donor=approved_donor, depot=depot_b, volume_ml=70, received_at=_at(one), status="received")
    make(donor=approved_donor, depot=None, channel="shipped", volume_ml=400, received_at=_at(two))
    make(donor=approved_donor, depot=None, channel="brought", volume_ml=30, received_at=_at(two))
    make(donor=research_donor, depot=depot_a, volume_ml=25, received_at=_at(three), use=DropOff.Use.RESEARCH)
    make(
        donor=approved_donor,
        depot=depot_a,
        volume_ml=900,
        received_at=_at(three),
        status="rejected",
        rejection_reason="Ada's milk thawed",  # free text: never shown on a report
    )
    make(
        donor=approved_donor,
        depot=depot_b,
        volume_ml=11,
        received_at=_at(two),
        status="voided",
        void_reason="Typo",
    )
    make(donor=approved_donor, depot=depot_a, volume_ml=60, received_at=_at(one), hold="freezer_warm")
    return {"one": one, "two": two, "three": three}


# --- The figures ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_milk_csvs_hold_the_milk_built_per_month_route_use_and_depot(client, coordinator, milk):
    client.force_login(coordinator)
    one, two, three = milk["one"], milk["two"], milk["three"]
    url = lambda table: reverse("donors:report_milk_csv", args=[table])  # noqa: E731

    route = _csv(client.get(url("by-route")))
    assert route[0] == ["Month", "Left at a depot", "Shipped to the bank", "Brought to the bank"]
    assert len(route) == 1 + 12  # the last 12 months, each a row, empty ones too
    assert _row(route, one) == [100 + 50 + 70 + 60, 0, 0]  # held milk still counts until decided
    assert _row(route, two) == [0, 400, 30]  # the voided 11 mL counts nowhere
    assert _row(route, three) == [25, 0, 0]  # the rejected 900 mL neither
    assert _row(route, _this_month()) == [0, 0, 0]

    use = _csv(client.get(url("by-use")))
    assert _row(use, one) == [280, 0]
    assert _row(use, two) == [430, 0]
    assert _row(use, three) == [0, 25]

    depots = _csv(client.get(url("by-depot")))
    assert depots[0] == ["Month", "Lakeside Hospital, Madison", "Northside Clinic, Duluth"]
    assert _row(depots, one) == [70, 210]
    assert _row(depots, three) == [0, 25]

    not_used = _csv(client.get(url("not-used")))
    assert not_used[0][1:] == [
        "Not used (rejected)",
        "Voided (logged by mistake)",
        "Held now: warm depot freezer",
        "Held now: thawed shipment",
    ]
    assert _row(not_used, one) == [0, 0, 60, 0]
    assert _row(not_used, two) == [0, 11, 0, 0]
    assert _row(not_used, three) == [900, 0, 0, 0]


@pytest.mark.django_db
def test_the_milk_page_shows_the_same_numbers_as_its_csv(client, coordinator, milk):
    client.force_login(coordinator)
    response = client.get(MILK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "735 mL</strong> in 7 drop-offs" in page  # 280 + 430 + 25
    assert "710 mL for babies (clinical) and 25 mL for research" in page
    tables = {s["slug"]: s["table"] for s in response.context["sections"]}
    for slug, table in tables.items():
        rows = _csv(client.get(reverse("donors:report_milk_csv", args=[slug])))
        assert rows == [table.columns, *[[str(v) for v in row] for row in table.rows]]
    assert "Ada" not in page  # the donor's name, nor the reason text written about her milk
    assert "milk thawed" not in page


@pytest.mark.django_db
def test_a_period_from_and_to_chosen_months(client, coordinator, milk):
    client.force_login(coordinator)
    two, three = milk["two"], milk["three"]
    query = f"?start={three:%Y-%m}&end={two:%Y-%m}"
    response = client.get(MILK + query)
    assert response.status_code == 200
    assert "455 mL</strong> in 3 drop-offs" in response.content.decode()  # 25 + 400 + 30
    rows = _csv(client.get(reverse("donors:report_milk_csv", args=["by-route"]) + query))
    assert [r[0] for r in rows[1:]] == [month_label(three), month_label(two)]
    for months in (12, 18, 24):
        response = client.get(MILK, {"months": months})
        assert response.status_code == 200
        assert len(response.context["sections"][0]["table"].rows) == months


@pytest.mark.django_db
def test_one_depot_at_a_time(client, coordinator, milk, depot_b):
    client.force_login(coordinator)
    response = client.get(MILK, {"depot": depot_b.pk})
    assert response.status_code == 200
    assert "Milk received: Lakeside Hospital, Madison" in response.content.decode()
    assert "70 mL</strong> in 1 drop-offs" in response.content.decode()
    rows = _csv(client.get(reverse("donors:report_milk_csv", args=["not-used"]), {"depot": depot_b.pk}))
    assert _row(rows, milk["two"]) == [0, 11, 0, 0]
    assert _row(rows, milk["three"]) == [0, 0, 0, 0]  # depot A's rejected milk is not here


@pytest.fixture
def donors_built(make_milk_donor, depot_a, make_dropoff):
    """Donors who asked, were approved and gave milk in known months; butterflies asked for in known
    months."""
    one, two = (add_months(_this_month(), -n) for n in (1, 2))
    first = make_milk_donor(first_name="Ada")
    second = make_milk_donor(first_name="Grace")
    third = make_milk_donor(stage=Donor.Stage.INQUIRY, drawn_days_ago=None, numbered=False, first_name="Hedy")
    Donor.objects.filter(pk=first.pk).update(created_at=_at(two), approved_on=_at(one).date(), bereaved=True)
    Donor.objects.filter(pk=second.pk).update(created_at=_at(two, 3), approved_on=_at(two, 25).date())
    Donor.objects.filter(pk=third.pk).update(created_at=_at(one), bereaved=True)
    for day in (3, 10, 17):  # one donor three times in a month counts once
        make_dropoff(donor=first, depot=depot_a, received_at=_at(one, day))
    make_dropoff(donor=second, depot=depot_a, received_at=_at(one))
    make_dropoff(donor=second, depot=depot_a, received_at=_at(two))
    make_dropoff(  # milk not used: its donor did not "give milk" that counts
        donor=first, depot=depot_a, received_at=_at(two), status="rejected", rejection_reason="x"
    )
    born = datetime.date(2024, 5, 1)
    Butterfly.objects.create(
        first_name="Iris", birth_date=born, family_name="F1", requested_on=_at(one).date()
    )
    Butterfly.objects.create(
        first_name="Juno", birth_date=born, family_name="F2", requested_on=_at(one).date()
    )
    Butterfly.objects.create(
        first_name="Kai", birth_date=born, family_name="F3", requested_on=_at(two).date()
    )
    Butterfly.objects.create(  # a website request no one has reviewed yet: not counted
        first_name="Lior", birth_date=born, family_name="F4", requested_on=_at(two).date(), status="to_review"
    )
    return {"one": one, "two": two}


@pytest.mark.django_db
def test_the_donor_report_counts_new_approved_active_bereaved_and_butterflies(
    client, coordinator, donors_built
):
    client.force_login(coordinator)
    one, two = donors_built["one"], donors_built["two"]
    rows = _csv(client.get(reverse("donors:report_donors_csv")))
    assert rows[0] == [
        "Month",
        "New inquiries",
        "New inquiries, bereaved",
        "Approved",
        "Gave milk",
        "Gave milk, bereaved",
        "Butterflies",
    ]
    assert _row(rows, one) == [1, 1, 1, 2, 1, 2]
    assert _row(rows, two) == [2, 1, 1, 1, 0, 1]
    response = client.get(DONORS)
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 new inquiries (2 bereaved)" in page
    assert "2 donors approved, 3 butterflies" in page
    for name in ("Ada", "Grace", "Hedy", "Iris", "Juno", "Kai", "F1"):
        assert name not in page  # counts only


@pytest.mark.django_db
def test_the_annual_summary_adds_up_the_year(client, coordinator, depot_a, approved_donor, make_dropoff):
    client.force_login(coordinator)
    year = timezone.localdate().year - 1
    Donor.objects.filter(pk=approved_donor.pk).update(bereaved=True)
    make_dropoff(
        donor=approved_donor, depot=depot_a, volume_ml=120, received_at=_at(datetime.date(year, 3, 1))
    )
    make_dropoff(
        donor=approved_donor, depot=depot_a, volume_ml=80, received_at=_at(datetime.date(year, 11, 1))
    )
    make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        volume_ml=5,
        received_at=_at(datetime.date(year, 11, 1)),
        use="research",
    )
    make_dropoff(  # the year after: not in this summary
        donor=approved_donor, depot=depot_a, volume_ml=999, received_at=_at(datetime.date(year + 1, 1, 1))
    )
    Butterfly.objects.create(
        first_name="Iris",
        birth_date=datetime.date(2024, 5, 1),
        family_name="F",
        requested_on=datetime.date(year, 6, 2),
    )
    response = client.get(ANNUAL)  # last year by default
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{year} in figures" in page
    assert '<dd id="annual-clinical">200 mL</dd>' in page
    assert '<dd id="annual-research">5 mL</dd>' in page
    assert '<dd id="annual-active">1</dd>' in page  # once, however many months
    assert '<dd id="annual-bereaved">1</dd>' in page
    assert '<dd id="annual-butterflies">1</dd>' in page
    assert "{# screening" not in page
    rows = _csv(client.get(reverse("donors:report_annual_csv"), {"year": year}))
    assert len(rows) == 13
    assert rows[3][1:] == ["120", "0"] and rows[11][1:] == ["80", "5"]


# --- Who sees what -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_volunteer_sees_their_depots_milk_only(client, volunteer_at_a, milk, depot_a, depot_b):
    client.force_login(volunteer_at_a)
    response = client.get(MILK)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Your depots only." in page
    assert "235 mL</strong> in 4 drop-offs" in page  # depot A: 100 + 50 + 60 held + 25 research
    rows = _csv(client.get(reverse("donors:report_milk_csv", args=["by-route"])))
    assert _row(rows, milk["one"]) == [210, 0, 0]
    assert _row(rows, milk["two"]) == [0, 0, 0]  # shipped and brought milk is the bank's, not the depot's
    depots = _csv(client.get(reverse("donors:report_milk_csv", args=["by-depot"])))
    assert depots[0] == ["Month", "Northside Clinic, Duluth"]
    not_used = _csv(client.get(reverse("donors:report_milk_csv", args=["not-used"])))
    assert _row(not_used, milk["two"]) == [0, 0, 0, 0]  # depot B's voided milk
    assert client.get(MILK, {"depot": depot_a.pk}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        MILK,
        reverse("donors:report_milk_csv", args=["by-route"]),
        reverse("donors:report_milk_csv", args=["not-used"]),
    ],
)
def test_another_depots_figures_answer_404_to_a_volunteer(client, volunteer_at_a, milk, depot_b, url):
    client.force_login(volunteer_at_a)
    assert client.get(url, {"depot": depot_b.pk}).status_code == 404
    assert client.get(url, {"depot": depot_b.pk + 1000}).status_code == 404


@pytest.mark.django_db
def test_a_volunteer_gets_no_donor_figures_and_no_annual_summary(client, volunteer_at_a, milk):
    client.force_login(volunteer_at_a)
    index = client.get(INDEX)
    assert index.status_code == 200
    assert "Milk received" in index.content.decode()
    assert DONORS not in index.content.decode() and ANNUAL not in index.content.decode()
    for url in (DONORS, reverse("donors:report_donors_csv"), ANNUAL, reverse("donors:report_annual_csv")):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_memorial_staff_and_strangers_see_no_reports(client, memorial_staff, milk):
    assert client.get(MILK).status_code == 302  # to the staff login
    client.force_login(memorial_staff)
    for url in (INDEX, MILK, DONORS, ANNUAL):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_the_reports_are_linked_from_the_staff_home_and_the_depot_pages(client, coordinator, volunteer_at_a):
    client.force_login(coordinator)
    assert INDEX in client.get(reverse("admin:index")).content.decode()
    dashboard = client.get(reverse("admin:donors_donor_dashboard"))
    assert dashboard.status_code == 200 and f'href="{INDEX}"' in dashboard.content.decode()
    client.force_login(volunteer_at_a)
    page = client.get(reverse("donors:depot_work")).content.decode()
    assert f'href="{INDEX}"' in page


# --- Bad input -----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2025-13"}, "Write the month as year-month"),
        ({"start": "January"}, "Write the month as year-month"),
        ({"start": "<script>alert(1)</script>"}, "at most 7 characters"),
        ({"start": "2" * 5000}, "at most 7 characters"),
        ({"start": "2025-1"}, "Write the month as year-month"),
        ({"start": "2025-01\x00x"}, "at most 7 characters"),  # control characters are dropped first
        ({"start": "1999-12"}, "from 2000 on"),
        ({"start": "2025-06", "end": "2025-01"}, "on or after the first"),
        ({"start": "2000-01", "end": "2020-01"}, "at most 60 months"),
        ({"end": "2025-01"}, "Choose the first month too"),
        ({"start": "2999-01"}, "The first month cannot be in the future"),
        ({"months": "7"}, "Select a valid choice"),
        ({"months": "'; DROP TABLE x"}, "Select a valid choice"),
        ({"depot": "abc"}, "Select a valid choice"),
        ({"depot": "²"}, "Select a valid choice"),  # a digit to str.isdigit, not to int()
        ({"start": "0000-01"}, "Write the month as year-month"),  # no year 0 in a calendar
        ({"start": "2025-01", "end": "0000-01"}, "Write the month as year-month"),
    ],
)
def test_bad_periods_say_what_is_wrong(client, coordinator, depot_a, query, message):
    client.force_login(coordinator)
    for url in (
        MILK,
        DONORS,
        reverse("donors:report_milk_csv", args=["by-use"]),
        reverse("donors:report_donors_csv"),
    ):
        if "depot" in query and "donors" in url:
            continue
        response = client.get(url, query)
        assert response.status_code == 400, url
        page = response.content.decode()
        assert message in page, url
        assert "<script>alert" not in page
        assert "<h1>" in page  # the report page itself, with its form, not an error page


@pytest.mark.django_db
def test_a_month_in_the_future_is_refused(client, coordinator):
    client.force_login(coordinator)
    future = add_months(_this_month(), 1)
    response = client.get(MILK, {"start": f"{_this_month():%Y-%m}", "end": f"{future:%Y-%m}"})
    assert response.status_code == 400
    assert "cannot be in the future" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1999", "3000", "", "2" * 1000])
def test_a_bad_year_says_so(client, coordinator, year):
    client.force_login(coordinator)
    for url in (ANNUAL, reverse("donors:report_annual_csv")):
        response = client.get(url, {"year": year})
        assert response.status_code == 400
        assert "Choose a year from the list." in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_csv_table_is_404(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("donors:report_milk_csv", args=["names"])).status_code == 404


# --- A fixed number of queries -------------------------------------------------------------------------


def _more_milk(make_dropoff, approved_donor, depot, months):
    for n in range(months):
        for channel in ("shipped", "brought"):
            make_dropoff(
                donor=approved_donor,
                depot=None,
                channel=channel,
                received_at=_at(add_months(_this_month(), -n)),
            )
        make_dropoff(donor=approved_donor, depot=depot, received_at=_at(add_months(_this_month(), -n), 3))
        make_dropoff(
            donor=approved_donor,
            depot=depot,
            received_at=_at(add_months(_this_month(), -n), 4),
            status="rejected",
            rejection_reason="x",
        )


# Session, user and permissions (4), the depot choices (1), then milk_figures: the month summary, the
# month edges, the depot names, milk not used (4); a volunteer adds their depots for the summary (1).
MILK_QUERIES = {"coordinator": 9, "volunteer": 10}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["coordinator", "volunteer"])
@pytest.mark.parametrize("months", [3, 20])
def test_the_milk_report_runs_a_fixed_number_of_queries(
    client,
    request,
    persona,
    months,
    depot_a,
    depot_b,
    approved_donor,
    make_dropoff,
    django_assert_num_queries,
):
    """The same queries for 3 months of milk or 20, at one depot or two: the month summary and GROUP BY."""
    user = request.getfixturevalue("volunteer_at_a" if persona == "volunteer" else "coordinator")
    _more_milk(make_dropoff, approved_donor, depot_a, months)
    _more_milk(make_dropoff, approved_donor, depot_b, months)
    client.force_login(user)
    for url in (MILK + "?months=24", reverse("donors:report_milk_csv", args=["by-depot"]) + "?months=24"):
        with django_assert_num_queries(MILK_QUERIES[persona]):
            assert client.get(url).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("months", [3, 20])
def test_the_donor_report_and_annual_summary_run_a_fixed_number_of_queries(
    client,
    coordinator,
    months,
    depot_a,
    approved_donor,
    make_dropoff,
    donors_built,
    django_assert_num_queries,
):
    """Donors: session, user and permissions (4), then new and approved (1), donors who gave milk (per
    month, bereaved per month, the month-edge drop-offs and their donors' months: 4) and butterflies (1).
    The annual summary: the same 4, the milk figures (4), the donor figures (6) and the donors who gave
    milk in the year, each once, and the bereaved among them (2); the page adds the screening days (1)."""
    _more_milk(make_dropoff, approved_donor, depot_a, months)
    client.force_login(coordinator)
    with django_assert_num_queries(10):
        assert client.get(DONORS, {"months": 24}).status_code == 200
    with django_assert_num_queries(10):
        assert client.get(reverse("donors:report_donors_csv"), {"months": 24}).status_code == 200
    year = timezone.localdate().year
    with django_assert_num_queries(17):
        assert client.get(ANNUAL, {"year": year}).status_code == 200
    with django_assert_num_queries(16):
        assert client.get(reverse("donors:report_annual_csv"), {"year": year}).status_code == 200
