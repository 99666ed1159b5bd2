"""The big admin lists at scale: sorts an index serves, bounded deep pages, the drop-off number search and
"Show counts" (issue 16, items 2, 3, 5 and 6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from donors.models import DropOff, FreezerCheck, Shipment
from milkbank.pagination import CappedCountPaginator, CappedFacetsMixin
from tests.donors.milk_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

DROPOFFS = reverse("admin:donors_dropoff_changelist")
DONORS = reverse("admin:donors_donor_changelist")
on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")

# Drop-off list columns: id, received_at, donor_number, depot, containers, volume_ml, use, status, shipment.
SORTED_DROPOFFS = {
    "1": ["-received_at", "-id"],  # the default, by the ordering's own index
    "2": ["received_at", "pk"],
    "-2": ["-received_at", "-pk"],
    "3": ["donor__donor_number", "pk"],
    "6": ["volume_ml", "pk"],
    "-6": ["-volume_ml", "-pk"],
    "9": ["shipment_id", "pk"],
    "-9": ["-shipment_id", "-pk"],
}


@pytest.fixture
def some_dropoffs(depot_a, approved_donor, coordinator, make_dropoff):
    shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="Courier")
    made = [make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=100 + i) for i in range(3)]
    made[0].shipment, made[0].status = shipment, DropOff.Status.IN_TRANSIT
    made[0].save(update_fields=["shipment", "status"])
    return made


def _ordering(client, url, order):
    response = client.get(url, {"o": order} if order != "1" else {})
    assert response.status_code == 200
    return list(response.context["cl"].queryset.query.order_by)


@pytest.mark.parametrize(("order", "expected"), SORTED_DROPOFFS.items())
def test_each_dropoff_sort_breaks_ties_by_id_in_its_own_direction(
    client, coordinator, some_dropoffs, order, expected
):
    """Ties go by id in the column's direction (Django always adds "-pk"), so one (column, id) index
    serves the sort both ways."""
    client.force_login(coordinator)
    assert _ordering(client, DROPOFFS, order) == expected


@pytest.mark.parametrize("order", ["4", "-5", "7", "-8"])
def test_depot_containers_use_and_status_do_not_sort(client, coordinator, some_dropoffs, order):
    """They are narrowed with the filters; even a hand-made ?o= keeps the default order, and the header
    offers no sort link."""
    client.force_login(coordinator)
    assert _ordering(client, DROPOFFS, order) == ["-received_at", "-id"]
    html = client.get(DROPOFFS).content.decode()
    assert 'class="sortable column-volume_ml' in html and 'class="sortable column-shipment_link' in html
    assert 'class="column-depot"' in html and 'class="column-status"' in html, "shown, not sortable"


def test_only_the_first_of_several_sort_columns_counts(client, coordinator, some_dropoffs):
    client.force_login(coordinator)
    assert _ordering(client, DROPOFFS, "6.2") == ["volume_ml", "pk"]


def test_donors_sort_by_number_with_ties_by_id(client, coordinator):
    client.force_login(coordinator)
    # No actions on the donor list, so no checkbox column: the donor number is column 5.
    assert _ordering(client, DONORS + "?show=all", "5") == ["donor_number", "pk"]
    assert _ordering(client, DONORS + "?show=all", "-5") == ["-donor_number", "-pk"]


def _explain_without_sorting(queryset) -> str:
    """The plan PostgreSQL picks when sorting is all but forbidden: a Sort node stays only when no index
    can give the order. (The test tables are tiny, so a sort would otherwise be chosen anyway.)"""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@on_postgres
@pytest.mark.parametrize("order", [o for o in SORTED_DROPOFFS if o not in ("3",)])
def test_postgresql_reads_each_dropoff_sort_from_an_index(client, coordinator, some_dropoffs, order):
    client.force_login(coordinator)
    response = client.get(DROPOFFS, {"o": order} if order != "1" else {})
    page = response.context["cl"].queryset[:100]
    plan = _explain_without_sorting(page)
    assert "Index" in plan and " Sort " not in plan and "Sort Key" not in plan, plan


@on_postgres
@pytest.mark.parametrize("order", ["5", "-5"])
def test_postgresql_reads_the_donor_number_sort_from_an_index(client, coordinator, order):
    client.force_login(coordinator)
    page = client.get(DONORS, {"show": "all", "o": order}).context["cl"].queryset[:50]
    plan = _explain_without_sorting(page)
    assert "donors_donor_number_sort_idx" in plan and "Sort Key" not in plan, plan


def test_deep_pages_stop_at_the_cap_and_say_how_to_narrow(
    client, coordinator, some_dropoffs, monkeypatch, django_assert_num_queries
):
    """Page 10,000 of a million rows was an OFFSET over 999,900 joined rows (5 s). The pages stop at
    max_rows_paged; a number past them shows the last page, and a deep page picks its ids first."""
    monkeypatch.setattr(CappedCountPaginator, "max_rows_paged", 2)
    monkeypatch.setattr(CappedCountPaginator, "max_exact_count", 10)
    from donors.milk.admin import DropOffAdmin

    monkeypatch.setattr(DropOffAdmin, "list_per_page", 1)
    client.force_login(coordinator)
    with django_assert_num_queries(7):  # session, user, 2 permissions, depots, count, the page
        response = client.get(DROPOFFS, {"p": "10000"})
    assert response.status_code == 200
    cl = response.context["cl"]
    assert cl.paginator.num_pages == 2 and cl.paginator.is_page_capped
    assert [d.pk for d in cl.result_list] == [some_dropoffs[1].pk], "the second newest: the last page shown"
    assert "The pages stop at 2: search or use the filters to find the rest." in response.content.decode()
    first = client.get(DROPOFFS)
    assert "The pages stop at" in first.content.decode() and "p=2" in first.content.decode()
    assert "p=3" not in first.content.decode()


def test_a_deep_page_reads_ids_from_the_ordering_first(some_dropoffs):
    ordered = DropOff.objects.select_related("donor", "depot").order_by("-received_at", "-id")
    paginator = CappedCountPaginator(ordered, 1)
    with CaptureQueriesContext(connection) as queries:
        page = list(paginator.page(2))
    assert [d.pk for d in page] == [some_dropoffs[1].pk]
    rows_sql = queries[-1]["sql"]
    assert 'IN (SELECT U0."id"' in rows_sql and "OFFSET 1" in rows_sql


@pytest.mark.parametrize("term", ["{pk}", "#{pk}", " {pk} "])
def test_search_by_dropoff_number_uses_the_primary_key(client, coordinator, some_dropoffs, term):
    """The admin's own "=id" search compared id::text, reading every row (0.41 s at a million)."""
    client.force_login(coordinator)
    wanted = some_dropoffs[1]
    with CaptureQueriesContext(connection) as queries:
        response = client.get(DROPOFFS, {"q": term.format(pk=wanted.pk)})
    assert [d.pk for d in response.context["cl"].result_list] == [wanted.pk]
    rows_sql = next(q["sql"] for q in queries if 'FROM "donors_dropoff"' in q["sql"] and "LIMIT" in q["sql"])
    assert f'"donors_dropoff"."id" = {wanted.pk}' in rows_sql
    assert "::text" not in rows_sql and "CAST" not in rows_sql.upper()


@pytest.mark.parametrize("term", ["soup", "12a", "9" * 40, "<script>", "D"])
def test_search_with_no_number_finds_nothing_and_says_so(client, coordinator, some_dropoffs, term):
    client.force_login(coordinator)
    response = client.get(DROPOFFS, {"q": term})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []
    assert "0 drop-offs" in response.content.decode()


def test_search_by_donor_number_still_works(client, coordinator, some_dropoffs, approved_donor):
    client.force_login(coordinator)
    response = client.get(DROPOFFS, {"q": approved_donor.number_label})
    assert len(response.context["cl"].result_list) == 3


LISTS = {
    "dropoff": reverse("admin:donors_dropoff_changelist"),
    "freezercheck": reverse("admin:donors_freezercheck_changelist"),
    "shipment": reverse("admin:donors_shipment_changelist"),
}


@pytest.mark.parametrize("model", LISTS)
def test_show_counts_answers_on_the_milk_lists(client, coordinator, some_dropoffs, depot_a, model):
    """ "Show counts" answered 500 ('int' object has no attribute 'isdigit' in the depot filter)."""
    FreezerCheck.objects.create(depot=depot_a, checked_by=coordinator, temperature_c=-22)
    client.force_login(coordinator)
    response = client.get(LISTS[model], {"_facets": "1"})
    assert response.status_code == 200
    assert f"{depot_a.name} (" in response.content.decode()


def test_show_counts_are_true_and_capped(client, coordinator, some_dropoffs, depot_a, depot_b, monkeypatch):
    client.force_login(coordinator)
    html = client.get(DROPOFFS, {"_facets": "1"}).content.decode()
    assert f"{depot_a.name} (3)" in html and f"{depot_b.name} (0)" in html
    assert "On the way to the bank (1)" in html and "At the depot (2)" in html
    monkeypatch.setattr(CappedFacetsMixin, "facet_cap", 2)
    html = client.get(DROPOFFS, {"_facets": "1"}).content.decode()
    assert f"{depot_a.name} (2+)" in html and "On the way to the bank (1)" in html


@pytest.mark.parametrize("model", LISTS)
def test_show_counts_run_a_fixed_number_of_queries(
    client, coordinator, depot_a, approved_donor, make_dropoff, django_assert_num_queries, model
):
    """One capped count per filter choice, whatever the number of rows: the count stops at the cap."""
    client.force_login(coordinator)

    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LISTS[model], {"_facets": "1"}).status_code == 200
        return len(queries)

    make_dropoff(donor=approved_donor, depot=depot_a)
    before = measure()
    for _ in range(15):
        make_dropoff(donor=approved_donor, depot=depot_a)
        FreezerCheck.objects.create(depot=depot_a, checked_by=coordinator, temperature_c=-22)
        Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="C")
    with django_assert_num_queries(before):
        assert client.get(LISTS[model], {"_facets": "1"}).status_code == 200


def test_show_counts_on_the_donor_list_are_capped(client, coordinator, approved_donor):
    client.force_login(coordinator)
    response = client.get(DONORS, {"show": "all", "_facets": "1"})
    assert response.status_code == 200
    assert "Approved (1)" in response.content.decode()


def test_a_page_past_the_end_shows_the_last_page_at_any_size(client, coordinator, some_dropoffs):
    """Not only past the cap: page 10,000 of a small list shows its last page, not the error redirect."""
    client.force_login(coordinator)
    response = client.get(DROPOFFS, {"p": "10000"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 3


def test_the_shipment_list_counts_drop_offs_per_shown_row(
    client, coordinator, some_dropoffs, django_assert_num_queries
):
    """No GROUP BY joining every shipment to its drop-offs (2 s at 1M): a subquery per shown row, and a
    count that reads only the shipments."""
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:donors_shipment_changelist"))
    assert response.status_code == 200
    assert [s.dropoff_count for s in response.context["cl"].result_list] == [1]
    assert not any('GROUP BY "donors_shipment"."id"' in q["sql"] for q in queries)
    assert not any("GROUP BY 1" in q["sql"] for q in queries), "the count groups nothing"
