"""Paginators for very large tables.

`EstimatedCountPaginator` answers the admin's "how many rows" for an unfiltered changelist on PostgreSQL from
the planner's estimate (`pg_class.reltuples`, kept fresh by autovacuum/ANALYZE) instead of COUNT(*), which
reads the whole table: about 100 ms a page view at a million drop-offs, growing with the table. Any filter,
search or scope (a volunteer's depots) makes the count exact again, as do other databases and small tables.

Use it on a ModelAdmin together with `show_full_result_count = False` (which removes the second COUNT):

    class DropOffAdmin(admin.ModelAdmin):
        paginator = EstimatedCountPaginator
        show_full_result_count = False
"""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet
from django.utils.functional import cached_property

# Below this many rows an exact count is cheap, and an estimate off by a few rows would show.
ESTIMATE_FROM_ROWS = 10_000


def _unfiltered(queryset) -> bool:
    if not isinstance(queryset, QuerySet) or connections[queryset.db].vendor != "postgresql":
        return False
    query = queryset.query
    return not (
        query.where
        or query.distinct
        or query.combinator
        or query.group_by
        or query.low_mark
        or query.high_mark is not None
        or query.extra
    )


def unfiltered_count(queryset, *, at_least: int = ESTIMATE_FROM_ROWS, cap: int | None = None):
    """(count, estimated) for an unfiltered queryset on PostgreSQL, in one query whatever the table's size:
    the planner's estimate when the table holds at least `at_least` rows (and was analyzed), else an exact
    count (of at most `cap` rows). None when the queryset is filtered, or on another database."""
    if not _unfiltered(queryset):
        return None
    connection = connections[queryset.db]
    table = connection.ops.quote_name(queryset.model._meta.db_table)
    limit = f" LIMIT {int(cap)}" if cap else ""
    # The table name is the model's own, quoted by the backend; the numbers are ints.
    sql = (
        "SELECT c.reltuples::bigint, CASE WHEN c.reltuples >= %s THEN NULL "  # noqa: S608
        f"ELSE (SELECT count(*) FROM (SELECT 1 FROM {table}{limit}) AS rows) END "
        "FROM pg_class c WHERE c.oid = to_regclass(%s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [max(at_least, 1), table])
        row = cursor.fetchone()
    if row is None:
        return None
    estimate, exact = row
    if exact is None:
        return int(estimate), True
    return int(exact), False


class EstimatedCountPaginator(Paginator):
    """A Paginator whose count is the PostgreSQL estimate for an unfiltered large table (see module docs)."""

    estimate_from_rows = ESTIMATE_FROM_ROWS

    # A filtered list (a volunteer's depots, a status filter) still needs a real count; counting at most this
    # many rows keeps it constant-time. None counts everything. Pages past the cap are reached by filtering.
    max_exact_count: int | None = None

    @cached_property
    def _unfiltered_count(self):
        return unfiltered_count(self.object_list, at_least=self.estimate_from_rows, cap=self.max_exact_count)

    @cached_property
    def count(self):
        if self._unfiltered_count is not None:
            return self._unfiltered_count[0]
        if self.max_exact_count is not None and isinstance(self.object_list, QuerySet):
            # SELECT COUNT(*) FROM (SELECT ... LIMIT n), without the list's ORDER BY: counting needs no
            # order, and keeping it makes PostgreSQL walk the ordering index far past the cap.
            return self.object_list.order_by()[: self.max_exact_count].count()
        return super().count

    @cached_property
    def is_estimated(self) -> bool:
        """True when `count` came from the planner's estimate (templates may say "about")."""
        return self._unfiltered_count is not None and self._unfiltered_count[1]

    @cached_property
    def is_capped(self) -> bool:
        """True when counting stopped at `max_exact_count`: there may be more (templates say "or more")."""
        return (
            not self.is_estimated and self.max_exact_count is not None and self.count >= self.max_exact_count
        )


class CappedCountPaginator(EstimatedCountPaginator):
    """The estimate when unfiltered and large; else an exact count of at most 10,000 rows (200 pages)."""

    max_exact_count = 10_000


class WorkListPaginator(EstimatedCountPaginator):
    """For a list people work through, not browse (the coordinators' donors): an exact count up to 1,000,
    then "1000 or more". Counting the rows of a filter costs time in step with the rows counted; nobody
    pages past twenty pages of donors needing action, they narrow the list instead."""

    max_exact_count = 1_000
