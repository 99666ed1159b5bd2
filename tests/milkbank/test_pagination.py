"""EstimatedCountPaginator: the planner's estimate only for an unfiltered large table on PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from donors.models import Counter
from milkbank.pagination import CappedCountPaginator, EstimatedCountPaginator, unfiltered_count

pytestmark = pytest.mark.django_db

on_postgres = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
on_other = pytest.mark.skipif(connection.vendor == "postgresql", reason="for databases other than PostgreSQL")


class SmallThreshold(EstimatedCountPaginator):
    estimate_from_rows = 10


def _counters(start, stop):
    Counter.objects.bulk_create([Counter(name=f"bench-{i:04d}", value=i) for i in range(start, stop)])


def _analyze():
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE donors_counter")


@on_postgres
def test_it_uses_the_planner_estimate_for_an_unfiltered_table():
    _counters(0, 50)
    _analyze()
    _counters(50, 60)  # after ANALYZE: the estimate does not see these, a COUNT would
    paginator = SmallThreshold(Counter.objects.order_by("name"), 20)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == 50
    assert len(queries) == 1  # one query at any size: the estimate, or the count below the threshold
    assert "reltuples" in queries[0]["sql"]
    assert paginator.is_estimated
    assert paginator.num_pages == 3
    assert [c.name for c in paginator.page(1)][:2] == ["bench-0000", "bench-0001"]


@on_postgres
def test_it_counts_exactly_when_the_queryset_is_filtered():
    _counters(0, 50)
    _analyze()
    _counters(50, 60)
    paginator = SmallThreshold(Counter.objects.filter(value__gte=5).order_by("name"), 20)
    assert paginator.count == 55
    assert not paginator.is_estimated


@on_postgres
def test_it_counts_exactly_below_the_threshold():
    _counters(0, 50)
    _analyze()
    _counters(50, 60)
    assert EstimatedCountPaginator(Counter.objects.order_by("name"), 20).count == 60


@on_postgres
def test_it_counts_exactly_when_the_estimate_is_small():
    """ANALYZE writes reltuples in place (it survives the test's rollback), so analyze here, then add rows."""
    _counters(0, 5)
    _analyze()
    _counters(5, 8)
    assert unfiltered_count(Counter.objects.all(), at_least=10) == (8, False)  # exact, in the same one query
    assert SmallThreshold(Counter.objects.order_by("name"), 20).count == Counter.objects.count()


@on_other
def test_it_counts_exactly_on_other_databases():
    _counters(0, 60)
    paginator = SmallThreshold(Counter.objects.order_by("name"), 20)
    with CaptureQueriesContext(connection) as queries:
        assert paginator.count == Counter.objects.count()
    assert "COUNT(" in queries[0]["sql"].upper()
    assert not paginator.is_estimated


def test_it_counts_a_list_like_any_paginator():
    assert SmallThreshold(list(range(45)), 20).count == 45
    assert SmallThreshold(list(range(45)), 20).num_pages == 3


def test_it_caps_the_count_of_a_filtered_list():
    _counters(0, 60)

    class Capped(CappedCountPaginator):
        estimate_from_rows = 10**9  # never estimate here: the filtered path is what is tested
        max_exact_count = 25

    filtered = Counter.objects.filter(name__startswith="bench-").order_by("name")
    with CaptureQueriesContext(connection) as queries:
        assert Capped(filtered, 10).count == 25
    assert "LIMIT 25" in queries[0]["sql"].upper()
    assert Capped(filtered.filter(value__lt=7), 10).count == 7
    assert EstimatedCountPaginator(filtered, 10).count == 60
