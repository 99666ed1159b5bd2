"""Screening reports for the coordinators: how long screening takes (turnaround) and where people stop (the
funnel). Read from ScreeningStep (the first time each donor reached each step, kept from the timeline) and
the donor rows; no name is ever read.

Each report runs a fixed number of queries whatever the number of donors. On PostgreSQL the medians and
90th percentiles are computed in SQL with percentile_cont (`PercentileCont`); other databases (SQLite, in
development) read one values query and compute the same percentile_cont definition in Python
(`percentile_cont`): the value at position p * (n - 1) of the sorted values, interpolated between the two
nearest values.
"""

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection
from django.db.models import Aggregate, Count, Exists, F, FloatField, OuterRef, Q
from django.utils import timezone

from milkbank.charts import Table

from ..models import Donor
from .models import STEPS, ScreeningStep

Stage = Donor.Stage

# Short names for the steps, as the tables and charts show them.
STEP_LABELS = {
    Stage.PHONE_SCREEN_PASSED: "Phone screen",
    Stage.QUESTIONNAIRE_SENT: "Questionnaire sent",
    Stage.QUESTIONNAIRE_SUBMITTED: "Questionnaire submitted",
    Stage.QUESTIONNAIRE_ACCEPTED: "Questionnaire accepted",
    Stage.BLOODWORK_ORDERED: "Bloodwork ordered",
    Stage.BLOODWORK_RESULTED: "Bloodwork resulted",
    Stage.APPROVED: "Approved",
}
PREVIOUS_LABELS = {step: (["Inquiry"] + [STEP_LABELS[s] for s in STEPS])[i] for i, step in enumerate(STEPS)}

PERCENTILE_NOTE = (
    "Medians and 90th percentiles are interpolated between the two nearest values (the definition of "
    "PostgreSQL's percentile_cont): the median of 2, 4, 9 and 10 days is 6.5 days."
)


# --- The period and filters ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    start: datetime.date  # first day, inclusive
    end: datetime.date  # last day, inclusive
    coordinator_id: int | None = None
    bereaved: bool | None = None

    @property
    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The period as aware datetimes in the bank's time zone: [start 00:00, the day after end 00:00)."""
        tz = timezone.get_current_timezone()
        first = datetime.datetime.combine(self.start, datetime.time.min, tzinfo=tz)
        after = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
        return first, after

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches, in order."""
        months, month = [], self.start.replace(day=1)
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months

    def donor_q(self, prefix: str = "") -> Q:
        q = Q()
        if self.coordinator_id is not None:
            q &= Q(**{f"{prefix}coordinator_id": self.coordinator_id})
        if self.bereaved is not None:
            q &= Q(**{f"{prefix}bereaved": self.bereaved})
        return q


# --- Percentiles ----------------------------------------------------------------------------------------


class PercentileCont(Aggregate):
    """PostgreSQL's `percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)`: the interpolated
    percentile of a group's values (NULLs left out)."""

    function = "PERCENTILE_CONT"
    name = "PercentileCont"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        fraction = float(fraction)
        if not 0 <= fraction <= 1:
            raise ValueError("A percentile is a fraction between 0 and 1.")
        super().__init__(expression, fraction=repr(fraction), **extra)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    """The same definition as PostgreSQL's percentile_cont, in Python: sorted values, position
    fraction * (n - 1), interpolated between its two neighbours. None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass
class Stats:
    count: int = 0
    from_inquiry_median: float | None = None
    from_inquiry_p90: float | None = None
    from_previous_count: int = 0
    from_previous_median: float | None = None
    from_previous_p90: float | None = None


def _stats_from_row(row: dict) -> Stats:
    return Stats(row["count"], row["inq50"], row["inq90"], row["prev_count"], row["prev50"], row["prev90"])


def _stats_from_days(from_inquiry: list[float], from_previous: list[float]) -> Stats:
    return Stats(
        len(from_inquiry),
        percentile_cont(from_inquiry, 0.5),
        percentile_cont(from_inquiry, 0.9),
        len(from_previous),
        percentile_cont(from_previous, 0.5),
        percentile_cont(from_previous, 0.9),
    )


# --- Turnaround -----------------------------------------------------------------------------------------


@dataclass
class Turnaround:
    filters: Filters
    by_step: dict[str, Stats]  # the whole period
    by_month: dict[tuple[str, datetime.date], Stats]  # (step, first day of the month)

    def tables(self) -> dict[str, Table]:
        """The report's tables, by the name its CSV link uses."""
        months = self.filters.months()
        steps = [self.by_step.get(step, Stats()) for step in STEPS]

        def per_month(caption, attribute):
            rows = [
                [f"{month:%b %Y}"]
                + [_round(getattr(self.by_month.get((step, month), Stats()), attribute)) for step in STEPS]
                for month in months
            ]
            return Table(caption, ["Month", *(STEP_LABELS[s] for s in STEPS)], rows)

        return {
            "from-inquiry": Table(
                "Days from inquiry to each step",
                ["Step", "Donors", "Median days", "90th percentile days"],
                [
                    [STEP_LABELS[step], s.count, _round(s.from_inquiry_median), _round(s.from_inquiry_p90)]
                    for step, s in zip(STEPS, steps, strict=True)
                ],
            ),
            "between-steps": Table(
                "Days from the step before to each step",
                ["Step", "Donors", "Median days", "90th percentile days"],
                [
                    [
                        f"{PREVIOUS_LABELS[step]} to {STEP_LABELS[step].lower()}",
                        s.from_previous_count,
                        _round(s.from_previous_median),
                        _round(s.from_previous_p90),
                    ]
                    for step, s in zip(STEPS, steps, strict=True)
                ],
            ),
            "median-by-month": per_month("Median days from inquiry, by month", "from_inquiry_median"),
            "p90-by-month": per_month("90th percentile days from inquiry, by month", "from_inquiry_p90"),
            "between-median-by-month": per_month(
                "Median days from the step before, by month", "from_previous_median"
            ),
            "between-p90-by-month": per_month(
                "90th percentile days from the step before, by month", "from_previous_p90"
            ),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def turnaround(filters: Filters, *, by_month: bool = True) -> Turnaround:
    """For the steps reached in the period (each donor's first time at each step): days from the inquiry and
    from the step before, median and 90th percentile, per step and (unless by_month=False) per step and
    month. Two queries on PostgreSQL (each read from an index in its group order), one elsewhere."""
    first, after = filters.bounds
    months = filters.months()
    steps = ScreeningStep.objects.filter(
        filters.donor_q(), step__in=STEPS, reached_at__gte=first, reached_at__lt=after
    ).order_by()
    if connection.vendor == "postgresql":
        measures = {
            "count": Count("step"),  # a column the index holds (COUNT(id) would read the table)
            "inq50": PercentileCont(F("days_from_inquiry"), 0.5),
            "inq90": PercentileCont(F("days_from_inquiry"), 0.9),
            "prev_count": Count("days_from_previous"),
            "prev50": PercentileCont(F("days_from_previous"), 0.5),
            "prev90": PercentileCont(F("days_from_previous"), 0.9),
        }
        by_month = (
            {
                (row["step"], row["reached_month"]): _stats_from_row(row)
                for row in steps.filter(reached_month__gte=months[0], reached_month__lte=months[-1])
                .values("reached_month", "step")
                .annotate(**measures)
            }
            if by_month
            else {}
        )
        by_step = {row["step"]: _stats_from_row(row) for row in steps.values("step").annotate(**measures)}
        return Turnaround(filters, by_step, by_month)

    days = defaultdict(lambda: ([], []))
    for step, month, from_inquiry, from_previous in steps.values_list(
        "step", "reached_month", "days_from_inquiry", "days_from_previous"
    ).iterator(chunk_size=5000):
        for key in (step, (step, month)):
            days[key][0].append(from_inquiry)
            if from_previous is not None:
                days[key][1].append(from_previous)
    by_step = {key: _stats_from_days(*v) for key, v in days.items() if isinstance(key, str)}
    by_month = {key: _stats_from_days(*v) for key, v in days.items() if isinstance(key, tuple)}
    return Turnaround(filters, by_step, by_month)


# --- The funnel -----------------------------------------------------------------------------------------

# Declines by the group of reasons the coordinator chose (Donor.DeclineReason); the reasons' own words stay
# on each donor's file (they may hold health details) and are never read here. Declines recorded before the
# groups existed count as "reason not recorded".
DECLINED_BY = {
    reason: f"Declined: {label[0].lower()}{label[1:]}" for reason, label in Donor.DeclineReason.choices
}
DECLINED_UNRECORDED = "Declined: reason not recorded"


@dataclass
class Funnel:
    filters: Filters
    quiet_days: int
    inquiries: int
    reached: dict[str, int]
    stopped: list[tuple[str, int]]  # (where, donors), in a fixed order

    def tables(self) -> dict[str, Table]:
        def share(count):
            return round(100 * count / self.inquiries, 1) if self.inquiries else None

        reached_rows = [["Inquiry", self.inquiries, share(self.inquiries)]] + [
            [STEP_LABELS[step], self.reached.get(step, 0), share(self.reached.get(step, 0))] for step in STEPS
        ]
        return {
            "reached": Table(
                "How far the inquiries got", ["Step", "Donors", "Share of inquiries (%)"], reached_rows
            ),
            "stopped": Table(
                "Where the others are now",
                ["Where", "Donors", "Share of inquiries (%)"],
                [[where, count, share(count)] for where, count in self.stopped],
            ),
        }


def funnel(filters: Filters, *, quiet_days: int) -> Funnel:
    """Of the inquiries in the period: how many reached each step (ever), and where the ones not approved are
    now. Three queries on any database."""
    first, after = filters.bounds
    inquiries = Donor.objects.filter(
        filters.donor_q(), created_at__gte=first, created_at__lt=after
    ).order_by()
    quiet_since = timezone.now() - datetime.timedelta(days=quiet_days)
    in_screening = Stage.in_screening()
    # Where the others are now: the donors who never reached approval (an approved donor who later withdrew
    # or paused counts as approved, once).
    others = Q(approved=False)
    inquiries = inquiries.annotate(
        approved=Exists(ScreeningStep.objects.filter(donor=OuterRef("pk"), step=Stage.APPROVED))
    )
    by_stage = {
        row["stage"]: row
        for row in inquiries.values("stage").annotate(
            count=Count("id"),
            others=Count("id", filter=others),
            quiet=Count("id", filter=others & Q(stage_changed_at__lt=quiet_since)),
        )
    }
    reached = dict(
        ScreeningStep.objects.filter(filters.donor_q(), inquiry_at__gte=first, inquiry_at__lt=after)
        .order_by()
        .values("step")
        .annotate(count=Count("step"))
        .values_list("step", "count")
    )
    declined = defaultdict(int)
    for row in (
        inquiries.filter(others, stage=Stage.DECLINED).values("decline_reason").annotate(count=Count("id"))
    ):
        declined[DECLINED_BY.get(row["decline_reason"], DECLINED_UNRECORDED)] += row["count"]

    def count(*stages, key="others"):
        return sum(by_stage.get(stage, {}).get(key, 0) for stage in stages)

    screening_quiet = count(*in_screening, key="quiet")
    stopped = [
        *((where, declined[where]) for where in [*DECLINED_BY.values(), DECLINED_UNRECORDED]),
        ("Withdrew", count(Stage.WITHDRAWN)),
        ("Deferred (paused for now)", count(Stage.DEFERRED)),
        # Research only, giving milk now or finished (a donor never approved finishes from research only).
        ("Research only", count(Stage.RESEARCH_ONLY, Stage.INACTIVE)),
        (f"No answer for {_days_text(quiet_days)} or more", screening_quiet),
        (
            f"Still in screening (a step in the last {_days_text(quiet_days)})",
            count(*in_screening) - screening_quiet,
        ),
    ]
    total = sum(row["count"] for row in by_stage.values())
    return Funnel(filters, quiet_days, total, reached, stopped)


def _days_text(days: int) -> str:
    return "1 day" if days == 1 else f"{days} days"
