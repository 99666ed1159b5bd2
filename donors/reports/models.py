"""A summary of the timeline for the screening reports: the first time each donor reached each step.

The timeline (TimelineEvent) already records every stage change with its time; this keeps one row per donor
per step reached, with the inquiry's time and the previous step's, so the turnaround report reads one indexed
table instead of pivoting the timeline on every request. `transitions._move` adds a row the first time a donor
reaches a step; the migration that made the table (and `rebuild_screening_steps`, for bulk-loaded data) fills
it from the timeline, so it is true for past donors too.

The days from the inquiry and from the step before, and the month (in the bank's time zone), are kept ready
too, with indexes whose order is the reports' grouping (by step; by month and step) and which hold every
column the report reads: PostgreSQL reads the index alone, already in group order, and sorts only each group's
values for its percentiles (100,000 donors: see bench-results).
"""

import datetime

from django.conf import settings
from django.db import connection, models
from django.db.models import FloatField, Func
from django.utils import timezone

from ..models import Donor

Stage = Donor.Stage

# The steps of screening the reports follow, in order (the inquiry itself is the donor's created_at).
STEPS = [
    Stage.PHONE_SCREEN_PASSED,
    Stage.QUESTIONNAIRE_SENT,
    Stage.QUESTIONNAIRE_SUBMITTED,
    Stage.QUESTIONNAIRE_ACCEPTED,
    Stage.BLOODWORK_ORDERED,
    Stage.BLOODWORK_RESULTED,
    Stage.APPROVED,
]


class ScreeningStep(models.Model):
    """The first time a donor reached one step of screening. No personal data: times only."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="screening_steps")
    step = models.CharField(max_length=30, choices=[(s.value, s.label) for s in STEPS])
    reached_at = models.DateTimeField()
    inquiry_at = models.DateTimeField(
        help_text="When the donor first asked to donate (the donor's created_at)."
    )
    previous_at = models.DateTimeField(
        null=True, blank=True, help_text="When the donor reached the step before this one, if they did."
    )
    # The donor's coordinator and bereavement, kept in step by Donor.save(), so a filtered report reads this
    # table's index alone (no join to the donors).
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    bereaved = models.BooleanField(default=False)
    # Kept from the times above (see fill_derived), so the reports compute nothing per row.
    reached_month = models.DateField(null=True, help_text="The month reached_at falls in (bank's time zone).")
    days_from_inquiry = models.FloatField(null=True)
    days_from_previous = models.FloatField(null=True)

    class Meta:
        app_label = "donors"
        ordering = ["donor", "reached_at"]
        constraints = [
            models.UniqueConstraint(fields=["donor", "step"], name="donors_screeningstep_once"),
        ]
        indexes = [
            # Turnaround, per step over the period, and per month and step (include: PostgreSQL only).
            models.Index(
                fields=["step", "reached_at"],
                include=["coordinator", "bereaved", "days_from_inquiry", "days_from_previous"],
                name="donors_step_reached_idx",
            ),
            models.Index(
                fields=["reached_month", "step", "reached_at"],
                include=["coordinator", "bereaved", "days_from_inquiry", "days_from_previous"],
                name="donors_step_month_idx",
            ),
            # Funnel: the steps reached by the inquiries of a period.
            models.Index(
                fields=["inquiry_at", "step"],
                include=["coordinator", "bereaved"],
                name="donors_step_inquiry_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_step_display()} on {self.reached_at:%Y-%m-%d}"


def record_step(donor: Donor, stage: str, at) -> None:
    """Called by transitions._move: remember the first time this donor reached `stage` (a screening step)."""
    if stage not in STEPS:
        return
    reached = dict(ScreeningStep.objects.filter(donor=donor).values_list("step", "reached_at"))
    if stage in reached:
        return
    index = STEPS.index(stage)
    previous_at = donor.created_at if index == 0 else reached.get(STEPS[index - 1])
    ScreeningStep.objects.create(
        donor=donor,
        coordinator_id=donor.coordinator_id,
        bereaved=donor.bereaved,
        step=stage,
        reached_at=at,
        inquiry_at=donor.created_at,
        previous_at=previous_at,
        reached_month=timezone.localtime(at).date().replace(day=1),
        days_from_inquiry=_days(at, donor.created_at),
        days_from_previous=None if previous_at is None else _days(at, previous_at),
    )


def _days(later: datetime.datetime, earlier: datetime.datetime) -> float:
    return (later - earlier).total_seconds() / 86400


class DaysBetween(Func):
    """`later - earlier` in days, as a float, on PostgreSQL (date_part: EXTRACT gives a slow numeric)."""

    arity = 2
    output_field = FloatField()
    template = "(date_part('epoch', %(expressions)s) / 86400.0)"
    arg_joiner = " - "


def fill_derived() -> None:
    """Set the month and the days on the rows that lack them (the rows the rebuild SQL just made): in one
    UPDATE on PostgreSQL, row by row elsewhere (SQLite has no time zones; its data sets are small)."""
    missing = ScreeningStep.objects.filter(days_from_inquiry__isnull=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE donors_screeningstep SET "
                "reached_month = date_trunc('month', reached_at AT TIME ZONE %s)::date, "
                "days_from_inquiry = date_part('epoch', reached_at - inquiry_at) / 86400.0, "
                "days_from_previous = date_part('epoch', reached_at - previous_at) / 86400.0 "
                "WHERE days_from_inquiry IS NULL",
                [timezone.get_current_timezone_name()],
            )
        return
    for row in missing.only("reached_at", "inquiry_at", "previous_at").iterator():
        row.reached_month = timezone.localtime(row.reached_at).date().replace(day=1)
        row.days_from_inquiry = _days(row.reached_at, row.inquiry_at)
        row.days_from_previous = None if row.previous_at is None else _days(row.reached_at, row.previous_at)
        row.save(update_fields=["reached_month", "days_from_inquiry", "days_from_previous"])


def _case(column: str, pairs) -> str:
    whens = " ".join(f"WHEN '{key}' THEN {value}" for key, value in pairs)
    return f"CASE {column} {whens} END"


_PREVIOUS = [(after, f"'{before}'") for before, after in zip(STEPS, STEPS[1:], strict=False)]

# Portable SQL (PostgreSQL and SQLite 3.25+): the first stage change into each step, per donor, from the
# timeline, and the step before it (a window, so no self-join: one pass whatever the planner knows).
REBUILD_SQL = f"""
WITH firsts AS (
    SELECT donor_id, to_stage AS step, MIN(at) AS at
    FROM donors_timelineevent
    WHERE kind = 'stage' AND to_stage IN ({", ".join(f"'{s}'" for s in STEPS)}){{where}}
    GROUP BY donor_id, to_stage
),
ordered AS (
    SELECT donor_id, step, at,
           LAG(step) OVER w AS before_step,
           LAG(at) OVER w AS before_at
    FROM firsts
    WINDOW w AS (PARTITION BY donor_id ORDER BY {_case("step", ((s, i) for i, s in enumerate(STEPS)))})
)
INSERT INTO donors_screeningstep
    (donor_id, coordinator_id, bereaved, step, reached_at, inquiry_at, previous_at)
SELECT o.donor_id, d.coordinator_id, d.bereaved, o.step, o.at, d.created_at,
       CASE
           WHEN o.step = '{STEPS[0]}' THEN d.created_at
           WHEN o.before_step = {_case("o.step", _PREVIOUS)} THEN o.before_at
       END
FROM ordered o
JOIN donors_donor d ON d.id = o.donor_id
WHERE NOT EXISTS (
    SELECT 1 FROM donors_screeningstep s WHERE s.donor_id = o.donor_id AND s.step = o.step
)
"""  # noqa: S608 - built from our own constants only


def rebuild_screening_steps(*, donor_ids_sql: str = "", params=()) -> None:
    """Add the missing rows from the timeline (for bulk-loaded donors: the scale seed, a restore). With
    `donor_ids_sql` (a SELECT of donor ids), only those donors."""
    where = f" AND donor_id IN ({donor_ids_sql})" if donor_ids_sql else ""
    with connection.cursor() as cursor:
        cursor.execute(REBUILD_SQL.format(where=where), list(params))
    fill_derived()  # noqa: S608 - our own constants


def follow_donor(donor: Donor) -> None:
    """Called by Donor.save(): the donor's coordinator or bereavement changed on their file, so their steps
    follow (one UPDATE, which touches nothing when they already agree)."""
    ScreeningStep.objects.filter(donor=donor).exclude(
        models.Q(coordinator_id=donor.coordinator_id) & models.Q(bereaved=donor.bereaved)
    ).update(coordinator_id=donor.coordinator_id, bereaved=donor.bereaved)
