"""Milk and donor figures per month for the reports (issue 17 item 3), and the board's annual summary.

Every figure is aggregated in SQL and each function runs a fixed number of queries whatever the data: the milk
received comes from the MilkMonth summary the database triggers keep (donors.milk.services
.depot_month_totals), the rest from indexed GROUP BY queries over the period. Counts only: no report names a
donor, a baby or a family. Months are local months (TIME_ZONE), as on the milk totals page.

`donors` knows nothing of `memorials`: milkbank/wiring.py registers the butterflies' monthly count here
(`register_monthly_count`), so this module never imports it.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.formats import date_format

from milkbank.charts import Table

from ..milk.services import depot_month_totals
from ..models import Depot, Donor, DonorMonth, DropOff

# The bank's records start well after this; a report further back is surely a typo.
EARLIEST_MONTH = datetime.date(2000, 1, 1)
# Five years of months is the widest chart that stays readable.
MAX_MONTHS = 60
PERIOD_CHOICES = (12, 18, 24)

ROUTES = [
    (DropOff.Channel.DEPOT, "Left at a depot"),
    (DropOff.Channel.SHIPPED, "Shipped to the bank"),
    (DropOff.Channel.BROUGHT, "Brought to the bank"),
]
# Milk that is not (or not yet) used, by what the records say of it. Rejection and void reasons are free text
# written by staff and may hold anything, so the report counts by kind and never prints them.
NOT_USED = [
    ("rejected", "Not used (rejected)"),
    ("voided", "Voided (logged by mistake)"),
    (DropOff.Hold.FREEZER_WARM, "Held now: warm depot freezer"),
    (DropOff.Hold.THAWED, "Held now: thawed shipment"),
]


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_label(month: datetime.date) -> str:
    return date_format(month, "M Y")


@dataclass(frozen=True)
class Period:
    """Whole local months, from `first`'s month to `last`'s (both the first day of their month)."""

    first: datetime.date
    last: datetime.date

    @classmethod
    def last_months(cls, count: int, today: datetime.date | None = None) -> "Period":
        this_month = (today or timezone.localdate()).replace(day=1)
        return cls(add_months(this_month, 1 - count), this_month)

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 1))

    @property
    def end(self) -> datetime.date:
        """The first day after the period."""
        return add_months(self.last, 1)

    @property
    def months(self) -> list[datetime.date]:
        count = (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1
        return [add_months(self.first, n) for n in range(count)]

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes, local midnight to local midnight."""
        start = timezone.make_aware(datetime.datetime.combine(self.first, datetime.time()))
        end = timezone.make_aware(datetime.datetime.combine(self.end, datetime.time()))
        return start, end

    def __str__(self) -> str:
        if self.first == self.last:
            return date_format(self.first, "F Y")
        return f"{date_format(self.first, 'F Y')} to {date_format(self.last, 'F Y')}"


def _month(value) -> datetime.date:
    """A TruncMonth result (a date, or an aware datetime on some databases) as the month's first day."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def for_chart(table: Table) -> Table:
    """The same numbers with short month names for a chart's axis ("Jan ’26" on the first month and each
    January, then "Feb", "Mar"...), where "Dec 2025" under every bar would run together; the table under
    the chart keeps the whole names."""
    rows = []
    for index, (label, *values) in enumerate(table.rows):
        month, _space, year = label.partition(" ")
        rows.append([f"{month} ’{year[-2:]}" if index == 0 or month == "Jan" else month, *values])
    return Table(caption=table.caption, columns=table.columns, rows=rows)


def _table(caption: str, columns: list[str], period: Period, cells: dict, keys: list) -> Table:
    """One row per month of the period, one column per key; months without data read 0."""
    rows = [[month_label(month), *(cells.get((month, key), 0) for key in keys)] for month in period.months]
    return Table(caption=caption, columns=["Month", *columns], rows=rows)


# --- Milk ---------------------------------------------------------------------------------------------


@dataclass
class MilkFigures:
    period: Period
    by_route: Table
    by_use: Table
    by_depot: Table
    not_used: Table
    clinical_ml: int = 0
    research_ml: int = 0
    dropoffs: int = 0
    route_ml: dict[str, int] = field(default_factory=dict)
    not_used_ml: dict[str, int] = field(default_factory=dict)

    @property
    def total_ml(self) -> int:
        return self.clinical_ml + self.research_ml


def milk_figures(*, user, period: Period, depot: Depot | None = None) -> MilkFigures:
    """Milk received per month by route, by use and by depot, and milk not used by kind, for the depots the
    user may see (one depot when `depot` is given: the caller has checked it is theirs).

    Four queries for a coordinator, five for a volunteer (their depots)."""
    rows = depot_month_totals(user=user, since=period.first, until=period.last)
    if depot is not None:
        rows = [row for row in rows if row["depot_id"] == depot.pk]
    route, use, by_depot = {}, {}, {}
    depots: dict[int, str] = {}
    figures_route = dict.fromkeys((key for key, _ in ROUTES), 0)
    clinical = research = count = 0
    for row in rows:
        month, ml = row["month"], row["clinical_ml"] + row["research_ml"]
        route[month, row["channel"]] = route.get((month, row["channel"]), 0) + ml
        use[month, "clinical"] = use.get((month, "clinical"), 0) + row["clinical_ml"]
        use[month, "research"] = use.get((month, "research"), 0) + row["research_ml"]
        if row["depot_id"]:
            depots[row["depot_id"]] = f"{row['depot__name']}, {row['depot__city']}"
            by_depot[month, row["depot_id"]] = by_depot.get((month, row["depot_id"]), 0) + ml
        figures_route[row["channel"]] = figures_route.get(row["channel"], 0) + ml
        clinical += row["clinical_ml"]
        research += row["research_ml"]
        count += row["count"]
    depot_ids = sorted(depots, key=lambda pk: depots[pk])

    start, end = period.bounds()
    not_used_rows = (
        DropOff.objects.for_user(user)
        .filter(received_at__gte=start, received_at__lt=end)
        .filter(Q(status__in=DropOff.Status.not_counted()) | ~Q(hold=""))
    )
    if depot is not None:
        not_used_rows = not_used_rows.filter(depot=depot)
    not_used, not_used_totals = {}, dict.fromkeys((key for key, _ in NOT_USED), 0)
    for month, status, hold, ml in (
        not_used_rows.annotate(month=TruncMonth("received_at"))
        .values_list("month", "status", "hold")
        .annotate(ml=Sum("volume_ml"))
        .order_by()
    ):
        kind = hold or status
        month = _month(month)
        not_used[month, kind] = not_used.get((month, kind), 0) + ml
        not_used_totals[kind] += ml

    return MilkFigures(
        period=period,
        by_route=_table(
            "Milk received per month by route (mL)",
            [label for _, label in ROUTES],
            period,
            route,
            [key for key, _ in ROUTES],
        ),
        by_use=_table(
            "Milk received per month, for babies (clinical) and for research (mL)",
            ["For babies (clinical)", "Research"],
            period,
            use,
            ["clinical", "research"],
        ),
        by_depot=_table(
            "Milk left at each depot per month (mL)",
            [depots[pk] for pk in depot_ids],
            period,
            by_depot,
            depot_ids,
        ),
        not_used=_table(
            "Milk not used, voided or held, per month (mL)",
            [label for _, label in NOT_USED],
            period,
            not_used,
            [key for key, _ in NOT_USED],
        ),
        clinical_ml=clinical,
        research_ml=research,
        dropoffs=count,
        route_ml=figures_route,
        not_used_ml=not_used_totals,
    )


# --- Donors and butterflies ---------------------------------------------------------------------------

# name -> (column label, function(first_day, end_day) -> {month: count}): counts other apps add (wiring).
_monthly_counts: dict[str, tuple[str, Callable[[datetime.date, datetime.date], dict]]] = {}


def register_monthly_count(name: str, label: str, count: Callable[[datetime.date, datetime.date], dict]):
    """Add a column to the donor report: `count(first, end)` returns {first day of month: count} for the
    months from `first` up to (not including) `end`, in one query."""
    _monthly_counts[name] = (label, count)


DONOR_COLUMNS = [
    ("new", "New inquiries"),
    ("new_bereaved", "New inquiries, bereaved"),
    ("approved", "Approved"),
    ("active", "Gave milk"),
    ("active_bereaved", "Gave milk, bereaved"),
]


@dataclass
class DonorFigures:
    period: Period
    table: Table
    totals: dict[str, int]
    extra: list[tuple[str, str]]  # (name, label) of the registered counts, in the table's order
    active_in_period: int = 0  # donors who gave milk in the period, each once
    bereaved_active_in_period: int = 0


def _active_donors(period: Period, *, whole_period: bool) -> tuple[dict, tuple[int, int]]:
    """Donors who gave milk (and how many of them are bereaved) per local month, and in the whole period
    counted once each: {month: (donors, bereaved)}, (donors, bereaved).

    Read from DonorMonth (one row per UTC month and donor, kept by triggers), not from the drop-offs: a
    million drop-offs make COUNT(DISTINCT) too slow for a page. A local month starts a few hours before or
    after its UTC month; the counted drop-offs of those hours at each month's edge (a small query on the
    received_at index) and the month rows of their donors move those donors to their local months. Four
    queries (two where local time is UTC), two more for the whole period."""
    first, end = period.first, period.end
    bereaved_ids = Donor.objects.filter(bereaved=True).values("pk")
    is_bereaved = Q(donor_key__in=bereaved_ids)
    rows = DonorMonth.objects.filter(month__gte=first, month__lt=end)
    # Bereaved donors are a few percent: their count reads their rows through the donor index.
    monthly = {
        month: [n, 0] for month, n in rows.values_list("month").annotate(n=Count("donor_key")).order_by()
    }
    for month, n in rows.filter(is_bereaved).values_list("month").annotate(n=Count("donor_key")).order_by():
        monthly.setdefault(month, [0, 0])[1] = n
    distinct = [0, 0]
    if whole_period:
        distinct = [
            rows.values("donor_key").distinct().count(),
            rows.filter(is_bereaved).values("donor_key").distinct().count(),
        ]

    edges = Q()
    for month in [*period.months, end]:
        local = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
        utc = datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)
        if local != utc:
            edges |= Q(received_at__gte=min(local, utc), received_at__lt=max(local, utc))
    if edges:
        edge_dropoffs = DropOff.objects.counted().filter(edges)
        moved: dict[int, list] = {}
        bereaved: dict[int, bool] = {}
        is_bereaved_donor = Exists(Donor.objects.filter(pk=OuterRef("donor_id"), bereaved=True))
        for donor_id, received_at, donor_bereaved in edge_dropoffs.annotate(b=is_bereaved_donor).values_list(
            "donor_id", "received_at", "b"
        ):
            utc_month = received_at.astimezone(datetime.UTC).date().replace(day=1)
            moved.setdefault(donor_id, []).append(
                (utc_month, timezone.localtime(received_at).date().replace(day=1))
            )
            bereaved[donor_id] = donor_bereaved
        counts: dict[int, dict] = {}
        for donor_key, month, dropoffs in DonorMonth.objects.filter(
            donor_key__in=edge_dropoffs.values("donor_id"),
            month__gte=add_months(first, -1),
            month__lt=add_months(end, 1),
        ).values_list("donor_key", "month", "dropoffs"):
            counts.setdefault(donor_key, {})[month] = dropoffs
        for donor_id, items in moved.items():
            at_edge: dict[datetime.date, int] = {}
            for utc_month, _local in items:
                at_edge[utc_month] = at_edge.get(utc_month, 0) + 1
            months = counts.get(donor_id, {})
            utc_set = {m for m, n in months.items() if n > 0 and first <= m < end}
            local_set = {m for m, n in months.items() if n > at_edge.get(m, 0)}
            local_set |= {local for _utc, local in items}
            local_set = {m for m in local_set if first <= m < end}
            step = (1, 1 if bereaved[donor_id] else 0)
            for month in utc_set - local_set:
                cell = monthly.setdefault(month, [0, 0])
                cell[0], cell[1] = cell[0] - step[0], cell[1] - step[1]
            for month in local_set - utc_set:
                cell = monthly.setdefault(month, [0, 0])
                cell[0], cell[1] = cell[0] + step[0], cell[1] + step[1]
            change = bool(local_set) - bool(utc_set)
            distinct = [distinct[0] + change, distinct[1] + change * step[1]]
    return {month: tuple(cell) for month, cell in monthly.items()}, (distinct[0], distinct[1])


def donor_figures(*, period: Period, whole_period: bool = False) -> DonorFigures:
    """New inquiries, approvals, donors who gave milk (and how many of each were bereaved) per month, plus
    each registered count (the butterflies); with `whole_period`, the donors who gave milk in the period
    counted once each too. Counts only, for coordinators. Five queries (three where local time is UTC), two
    more for the whole period, plus one per registered count."""
    start, end = period.bounds()
    cells: dict[tuple, int] = {}

    def put(month, key, value):
        cells[_month(month), key] = value

    # One pass over the period's rows on a covering index, each month a filtered count: no time zone
    # arithmetic per row, and local months exact.
    new_counts, approved_counts = {}, {}
    for index, month in enumerate(period.months):
        since, until = Period(month, month).bounds()
        in_month = Q(created_at__gte=since, created_at__lt=until)
        new_counts[f"n{index}"] = Count("id", filter=in_month)
        new_counts[f"b{index}"] = Count("id", filter=in_month & Q(bereaved=True))
        approved_counts[f"a{index}"] = Count(
            "id", filter=Q(approved_on__gte=month, approved_on__lt=add_months(month, 1))
        )
    # New and approved in the same pass: at a large size the period holds a good share of all donors, and
    # one scan costs half of two.
    counts = Donor.objects.filter(
        Q(created_at__gte=start, created_at__lt=end)
        | Q(approved_on__gte=period.first, approved_on__lt=period.end)
    ).aggregate(**new_counts, **approved_counts)
    for index, month in enumerate(period.months):
        put(month, "new", counts[f"n{index}"])
        put(month, "new_bereaved", counts[f"b{index}"])
        put(month, "approved", counts[f"a{index}"])
    monthly, distinct = _active_donors(period, whole_period=whole_period)
    for month, (active, bereaved) in monthly.items():
        put(month, "active", active)
        put(month, "active_bereaved", bereaved)
    columns = list(DONOR_COLUMNS)
    for name, (label, count) in _monthly_counts.items():
        for month, value in count(period.first, period.end).items():
            put(month, name, value)
        columns.append((name, label))
    table = _table(
        "Donors and butterflies per month",
        [label for _, label in columns],
        period,
        cells,
        [key for key, _ in columns],
    )
    totals = {key: sum(value for (_m, k), value in cells.items() if k == key) for key, _ in columns}
    extra = [(name, label) for name, (label, _count) in _monthly_counts.items()]
    return DonorFigures(
        period=period,
        table=table,
        totals=totals,
        extra=extra,
        active_in_period=distinct[0],
        bereaved_active_in_period=distinct[1],
    )


# --- The board's annual summary -----------------------------------------------------------------------


@dataclass
class AnnualSummary:
    year: int
    milk: MilkFigures
    donors: DonorFigures
    active_in_year: int
    bereaved_active_in_year: int
    by_month: Table


def annual_summary(*, user, year: int) -> AnnualSummary:
    """A year in figures for the board: the milk and donor reports over the calendar year, and the donors
    who gave milk at any time in it (counted once however many months they gave)."""
    period = Period.year(year)
    milk = milk_figures(user=user, period=period)
    donors = donor_figures(period=period, whole_period=True)
    by_month = Table(
        caption=f"Milk received per month in {year}, for babies and for research (mL)",
        columns=milk.by_use.columns,
        rows=[[label[:3], *values] for label, *values in milk.by_use.rows],
    )
    return AnnualSummary(
        year=year,
        milk=milk,
        donors=donors,
        active_in_year=donors.active_in_period,
        bereaved_active_in_year=donors.bereaved_active_in_period,
        by_month=by_month,
    )
