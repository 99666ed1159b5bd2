import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from resources.plan import build_plan

START = datetime.date(2026, 3, 2)


def test_it_drops_one_session_each_step_down_to_none():
    plan = build_plan(sessions_now=6, days_per_step=3, start=START)
    assert [day.sessions for day in plan.days] == [5, 5, 5, 4, 4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1]
    assert [day.number for day in plan.days] == list(range(1, 16))
    assert [day.first_of_step for day in plan.days][:4] == [True, False, False, True]
    assert plan.days[0].date == START
    assert plan.done_on == START + datetime.timedelta(days=15)


def test_once_a_day_has_no_steps_left_and_ends_on_the_start_date():
    plan = build_plan(sessions_now=1, days_per_step=7, start=START)
    assert plan.days == []
    assert plan.done_on == START


def test_the_largest_plan_runs_twelve_down_to_one_over_seventy_seven_days():
    plan = build_plan(sessions_now=12, days_per_step=7, start=START)
    assert len(plan.days) == 11 * 7
    assert plan.days[0].sessions == 11 and plan.days[-1].sessions == 1
    assert plan.done_on == START + datetime.timedelta(days=77)


def test_dates_run_on_across_month_year_and_leap_day():
    plan = build_plan(sessions_now=3, days_per_step=2, start=datetime.date(2027, 12, 31))
    assert [day.date for day in plan.days] == [
        datetime.date(2027, 12, 31),
        datetime.date(2028, 1, 1),
        datetime.date(2028, 1, 2),
        datetime.date(2028, 1, 3),
    ]
    leap = build_plan(sessions_now=2, days_per_step=2, start=datetime.date(2028, 2, 28))
    assert [day.date for day in leap.days] == [datetime.date(2028, 2, 28), datetime.date(2028, 2, 29)]
    assert leap.done_on == datetime.date(2028, 3, 1)


@pytest.mark.parametrize(("sessions", "days"), [(0, 3), (13, 3), (6, 0), (6, 8)])
def test_it_refuses_inputs_outside_the_ranges(sessions, days):
    with pytest.raises(ValueError, match="must be between"):
        build_plan(sessions_now=sessions, days_per_step=days, start=START)


# --- The page ----------------------------------------------------------------------------------------


def _get(client, **params):
    return client.get(reverse("resources:pumping_plan"), params)


def test_the_page_shows_the_form_with_today_and_no_plan_at_first(client, db):
    response = _get(client)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'method="get"' in html
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in html
    assert "Day-by-day schedule" not in html
    for sign in ("a fever", "a hot, red or painful area", "flu-like"):
        assert sign in html
    assert "Cold compresses or chilled cabbage leaves" in html


def test_it_makes_a_printable_day_by_day_schedule(client, db, django_assert_num_queries):
    """The plan is computed, not stored: the page needs no database at all."""
    start = timezone.localdate()
    with django_assert_num_queries(0):
        response = _get(client, sessions=4, days_per_step=2, start=start.isoformat())
    html = response.content.decode()
    assert "Day-by-day schedule" in html
    assert html.count('<th scope="row">') == 3 * 2 + 1
    done = start + datetime.timedelta(days=6)
    assert f"{done:%B} {done.day}, {done.year}" in html
    assert "None from today." in html
    assert "Print my plan" in html


def test_once_a_day_is_told_they_can_stop_now(client, db):
    html = _get(client, sessions=1, days_per_step=3, start=timezone.localdate().isoformat()).content.decode()
    assert "no step left to take" in html
    assert "Day-by-day schedule" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"sessions": "0", "days_per_step": "3"}, "Enter a whole number from 1 to 12."),
        ({"sessions": "13", "days_per_step": "3"}, "Enter a whole number from 1 to 12."),
        ({"sessions": "six", "days_per_step": "3"}, "Enter a whole number from 1 to 12."),
        ({"sessions": "2.5", "days_per_step": "3"}, "Enter a whole number from 1 to 12."),
        ({"sessions": "", "days_per_step": "3"}, "Enter a whole number from 1 to 12."),
        ({"sessions": "6", "days_per_step": "0"}, "Enter a whole number from 1 to 7."),
        ({"sessions": "6", "days_per_step": "8"}, "Enter a whole number from 1 to 7."),
        (
            {"sessions": "6", "days_per_step": "3", "start": "2026-02-30"},
            "Enter the start date as year-month-day",
        ),
        ({"sessions": "6", "days_per_step": "3", "start": "soon"}, "Enter the start date as year-month-day"),
        ({"sessions": "6", "days_per_step": "3", "start": ""}, "Enter a start date"),
        ({"sessions": "6", "days_per_step": "3", "start": "2099-01-01"}, "within a year of today"),
        ({"sessions": "6", "days_per_step": "3", "start": "1999-01-01"}, "within a year of today"),
    ],
)
def test_bad_inputs_get_a_clear_message_and_no_plan(client, db, params, message):
    params.setdefault("start", timezone.localdate().isoformat())
    response = _get(client, **params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Please check your answers" in html
    assert message in html
    assert "Day-by-day schedule" not in html
