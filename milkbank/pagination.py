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

from django.contrib.admin import SimpleListFilter
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.core.paginator import EmptyPage, Paginator
from django.db import connections
from django.db.models import QuerySet, Subquery
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
    """The estimate when unfiltered and large; else an exact count of at most 10,000 rows. Pages go as deep
    as 10,000 rows too: page 10,000 of a million rows is an OFFSET that reads and drops 999,900 of them (5 s),
    and nobody looks for a drop-off that way. A number past the last page shows the last page (at any size,
    not Django's error redirect); the list says to narrow it with the search or the filters
    (templates/admin/pagination.html)."""

    max_exact_count = 10_000
    max_rows_paged = 10_000

    @cached_property
    def num_pages(self):
        return min(super().num_pages, max(1, self.max_rows_paged // self.per_page))

    @cached_property
    def is_page_capped(self) -> bool:
        """True when there are more rows than pages to show them."""
        return self.count > self.num_pages * self.per_page

    def page(self, number):
        """A deep page picks its ids first, from the ordering index alone, then joins just those rows:
        OFFSET n with the list's joins (donor, depot, shipment...) would join every skipped row too."""
        number = self.validate_number(number)
        if number == 1 or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=Subquery(ids)), number, self)

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) > self.num_pages:  # past the last page (or the cap): the last page
                return self.num_pages
            raise


class WorkListPaginator(EstimatedCountPaginator):
    """For a list people work through, not browse (the coordinators' donors): an exact count up to 1,000,
    then "1000 or more". Counting the rows of a filter costs time in step with the rows counted; nobody
    pages past twenty pages of donors needing action, they narrow the list instead."""

    max_exact_count = 1_000


# --- "Show counts" (the admin's facets) ------------------------------------------------------------------
#
# Django counts each filter choice with COUNT(...) FILTER (WHERE pk IN (<the choice's queryset>)) over the
# whole list: one pass over a million drop-offs per filter, and a semi-join per choice of a SimpleListFilter.
# These filters count each choice in its own query instead, stopping at `facet_cap` rows, the way the
# paginators above cap their count; a choice with more says "10,000+". Each query walks an index (or the
# table) only until the cap is reached.


def _capped(queryset, cap: int):
    count = queryset.order_by()[: cap + 1].count()
    return f"{cap:,}+" if count > cap else count


class CappedFacetsMixin:
    """Mix into a list filter (before the Django class): its "Show counts" counts at most `facet_cap`."""

    facet_cap = CappedCountPaginator.max_exact_count

    def get_facet_queryset(self, changelist):
        filtered = changelist.get_queryset(self.request, exclude_parameters=self.expected_parameters())
        if isinstance(self, SimpleListFilter):
            # Each choice's own queryset, as SimpleListFilter.get_facet_counts builds them, counted directly.
            original, counts = self.used_parameters.get(self.parameter_name), {}
            for index, (value, _title) in enumerate(self.lookup_choices):
                self.used_parameters[self.parameter_name] = str(value)
                chosen = self.queryset(self.request, filtered)
                if chosen is not None:
                    counts[f"{index}__c"] = _capped(chosen, self.facet_cap)
            self.used_parameters[self.parameter_name] = original
            return counts
        return {
            key: _capped(filtered.filter(aggregate.filter), self.facet_cap)
            for key, aggregate in self.get_facet_counts(changelist.pk_attname, filtered).items()
        }


def capped_facets(filter_class, cap: int | None = None):
    """`filter_class` (a Django list filter) with capped "Show counts"; for list_filter's (field, class)."""
    attrs = {"facet_cap": cap} if cap else {}
    return type(f"Capped{filter_class.__name__}", (CappedFacetsMixin, filter_class), attrs)


# --- Sorting ---------------------------------------------------------------------------------------------


class IndexedSortChangeList(ChangeList):
    """A changelist sorted by one column at a time, only by a column in `sortable_by`, ties broken by the
    primary key in the same direction as the column. So an index on (column, id) serves the sort both ways,
    and a LIMIT stops after a page of rows instead of sorting a million (Django breaks ties by "-pk" always,
    which no single index serves in both directions, and lets a hand-made ?o= sort by any column)."""

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)

    def get_ordering(self, request, queryset):
        if self.params.get(ORDER_VAR):
            first = self.params[ORDER_VAR].split(".")[0]
            try:
                column = self.list_display[int(first.rpartition("-")[2])]
            except (IndexError, ValueError):
                column = None
            if column is None or not self.get_ordering_field(column):
                del self.params[ORDER_VAR]  # not a column that sorts: the list's own order
            else:
                self.params[ORDER_VAR] = first
        ordering = super().get_ordering(request, queryset)
        first = ordering[0] if ordering else None
        if len(ordering) == 2 and ordering[-1] == "-pk" and isinstance(first, str) and first[:1] != "-":
            ordering[-1] = "pk"
        return ordering
