"""The pumping-reduction plan: drop one session a day each step until there are none."""

import datetime
from dataclasses import dataclass

SESSIONS_RANGE = (1, 12)
DAYS_PER_STEP_RANGE = (1, 7)


@dataclass(frozen=True)
class PlanDay:
    number: int
    date: datetime.date
    sessions: int
    first_of_step: bool


@dataclass(frozen=True)
class Plan:
    sessions_now: int
    days_per_step: int
    start: datetime.date
    days: list[PlanDay]
    done_on: datetime.date


def build_plan(*, sessions_now: int, days_per_step: int, start: datetime.date) -> Plan:
    """Return the day-by-day schedule.

    Each step lasts `days_per_step` days at one session fewer than the step before: from 6 a day now, the
    first step is 5 a day, then 4, down to 1. The day after the last step is the first day with none.
    Someone expressing once a day has no steps left: their first day with none is the start date.
    """
    low, high = SESSIONS_RANGE
    if not low <= sessions_now <= high:
        raise ValueError(f"sessions_now must be between {low} and {high}")
    low, high = DAYS_PER_STEP_RANGE
    if not low <= days_per_step <= high:
        raise ValueError(f"days_per_step must be between {low} and {high}")

    days = []
    number = 0
    for sessions in range(sessions_now - 1, 0, -1):
        for day_in_step in range(days_per_step):
            days.append(
                PlanDay(
                    number=number + 1,
                    date=start + datetime.timedelta(days=number),
                    sessions=sessions,
                    first_of_step=day_in_step == 0,
                )
            )
            number += 1
    return Plan(
        sessions_now=sessions_now,
        days_per_step=days_per_step,
        start=start,
        days=days,
        done_on=start + datetime.timedelta(days=number),
    )
