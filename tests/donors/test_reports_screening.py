"""Screening reports (issue 17, parts 1 and 2): the numbers on the page against a timeline built in the test,
with medians, 90th percentiles and the funnel worked out by hand below; filters, bad input, who may see
them, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from donors.models import Donor, ScreeningStep, TimelineEvent
from donors.reports.models import STEPS, rebuild_screening_steps
from donors.reports.screening import PercentileCont, percentile_cont
from tests.donors.screening_report_fixtures import History, at, page_tables

pytestmark = pytest.mark.django_db

TURNAROUND = reverse("donors:report_turnaround")
FUNNEL = reverse("donors:report_funnel")
SPRING = {"start": "2026-03-01", "end": "2026-04-30"}
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}


@pytest.fixture
def history(coordinator, coordinator2):
    return History(coordinator, coordinator2)


@pytest.fixture
def casey_client(client, coordinator):
    client.force_login(coordinator)
    return client


def _tables(response):
    assert response.status_code == 200
    return page_tables(response.content.decode())


# --- Percentiles: the definition, the same on both databases --------------------------------------------


def test_percentile_cont_interpolates_like_postgresql():
    assert percentile_cont([2, 4, 9, 10], 0.5) == 6.5
    assert percentile_cont([1, 1, 2, 4], 0.9) == pytest.approx(3.4)
    assert percentile_cont([5], 0.9) == 5
    assert percentile_cont([], 0.5) is None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_percentile_cont_aggregate_matches_python_on_postgresql(history):
    from django.db.models import F

    days = F("days_from_inquiry")
    got = ScreeningStep.objects.filter(step="phone_screen_passed").aggregate(
        median=PercentileCont(days, 0.5), p90=PercentileCont(days, 0.9)
    )
    assert got == {"median": pytest.approx(1.5), "p90": pytest.approx(3.4)}


def test_percentile_fraction_is_checked():
    with pytest.raises(ValueError):
        PercentileCont("reached_at", 1.5)


# --- The timeline summary (ScreeningStep) -------------------------------------------------------------


def test_each_step_is_recorded_once_with_its_time_and_the_step_before(history):
    a = history.donors["A"]
    steps = {s.step: s for s in ScreeningStep.objects.filter(donor=a)}
    assert list(steps) == list(STEPS)
    for step, day in zip(STEPS, History.A, strict=True):
        assert steps[step].reached_at == at(day)
        assert steps[step].inquiry_at == at(0)
        assert steps[step].days_from_inquiry == day
    assert steps["approved"].days_from_previous == History.A[6] - History.A[5]
    assert steps["approved"].reached_month == datetime.date(2026, 4, 1)
    assert steps["phone_screen_passed"].previous_at == at(0)
    assert steps["approved"].previous_at == at(History.A[5])
    assert not ScreeningStep.objects.filter(donor=history.donors["D"]).exists()


def test_the_steps_follow_the_donors_coordinator_and_bereavement(history, coordinator2):
    """A filtered report reads the steps alone: a change on the donor's file moves their steps too."""
    a = history.donors["A"]
    a.coordinator, a.bereaved = coordinator2, True
    a.save()
    assert set(ScreeningStep.objects.filter(donor=a).values_list("coordinator_id", "bereaved")) == {
        (coordinator2.pk, True)
    }
    a.coordinator = None
    a.save(update_fields=["coordinator"])
    assert set(ScreeningStep.objects.filter(donor=a).values_list("coordinator_id", "bereaved")) == {
        (None, True)
    }


def test_rebuilding_from_the_timeline_gives_the_same_rows(history):
    """The migration's backfill (the same SQL as rebuild_screening_steps) makes past donors' rows exactly as
    the transitions do for new ones."""
    made = _rows()
    ScreeningStep.objects.all().delete()
    rebuild_screening_steps()
    assert _rows() == made
    rebuild_screening_steps()  # nothing twice
    assert ScreeningStep.objects.count() == len(made)


def _rows():
    fields = ("donor_id", "coordinator_id", "bereaved", "step", "reached_at", "inquiry_at", "previous_at")
    fields = (*fields, "reached_month")
    return sorted(
        (*row[:-2], round(row[-2], 6), None if row[-1] is None else round(row[-1], 6))
        for row in ScreeningStep.objects.values_list(*fields, "days_from_inquiry", "days_from_previous")
    )


def test_rebuild_takes_the_first_time_a_step_was_reached(history):
    """A donor back at a step after a deferral counts from the first time."""
    a = history.donors["A"]
    TimelineEvent.objects.create(
        donor=a, at=at(90), kind="stage", from_stage="deferred", to_stage="bloodwork_ordered", summary="Back"
    )
    ScreeningStep.objects.all().delete()
    rebuild_screening_steps()
    assert ScreeningStep.objects.get(donor=a, step="bloodwork_ordered").reached_at == at(History.A[4])


# --- Turnaround: the numbers on the page --------------------------------------------------------------

# Worked out by hand from History (days after the inquiry; A, B, C, F reached the phone screen):
#   phone screen   A 2, B 4, C 1, F 1 -> 1, 1, 2, 4: median 1.5; 90th: position 2.7 -> 2 + 0.7 * 2 = 3.4
#   q. sent        A 3, B 4.5, C 2    -> median 3; 90th: position 1.8 -> 3 + 0.8 * 1.5 = 4.2
#   q. submitted   A 10, B 6, C 20    -> median 10; 90th 10 + 0.8 * 10 = 18
#   q. accepted    A 12, B 7          -> median 9.5; 90th 7 + 0.9 * 5 = 11.5
#   bloodwork ord. A 14, B 9          -> 11.5; 13.5
#   resulted       A 24, B 20         -> 22; 23.6
#   approved       A 30, B 21         -> 25.5; 29.1
FROM_INQUIRY = {
    "Phone screen": ["4", "1.5", "3.4"],
    "Questionnaire sent": ["3", "3", "4.2"],
    "Questionnaire submitted": ["3", "10", "18"],
    "Questionnaire accepted": ["2", "9.5", "11.5"],
    "Bloodwork ordered": ["2", "11.5", "13.5"],
    "Bloodwork resulted": ["2", "22", "23.6"],
    "Approved": ["2", "25.5", "29.1"],
}
# Between steps: sent A 1, B 0.5, C 1; submitted A 7, B 1.5, C 18 (median 7, 90th 7 + 0.8 * 11 = 15.8);
# accepted A 2, B 1; ordered 2, 2; resulted A 10, B 11; approved A 6, B 1.
BETWEEN = {
    "Inquiry to phone screen": ["4", "1.5", "3.4"],
    "Phone screen to questionnaire sent": ["3", "1", "1"],
    "Questionnaire sent to questionnaire submitted": ["3", "7", "15.8"],
    "Questionnaire submitted to questionnaire accepted": ["2", "1.5", "1.9"],
    "Questionnaire accepted to bloodwork ordered": ["2", "2", "2"],
    "Bloodwork ordered to bloodwork resulted": ["2", "10.5", "10.9"],
    "Bloodwork resulted to approved": ["2", "3.5", "5.5"],
}


def test_turnaround_page_shows_the_hand_worked_medians_and_percentiles(casey_client, history):
    tables = _tables(casey_client.get(TURNAROUND, SPRING))
    from_inquiry = tables["Days from inquiry to each step"]
    assert from_inquiry.pop("Step") == ["Donors", "Median days", "90th percentile days"]
    assert from_inquiry == FROM_INQUIRY
    between = tables["Days from the step before to each step"]
    between.pop("Step")
    assert between == BETWEEN


def test_turnaround_by_month(casey_client, history):
    tables = _tables(casey_client.get(TURNAROUND, SPRING))
    median = tables["Median days from inquiry, by month"]
    header = median.pop("Month")
    assert list(median) == ["Mar 2026", "Apr 2026"]
    approved = header.index("Approved")
    # B approved on March 23 (21 days), A on April 1 (30 days).
    assert median["Mar 2026"][approved] == "21"
    assert median["Apr 2026"][approved] == "30"
    # Every phone screen was in March: 1, 1, 2, 4; none in April.
    assert median["Mar 2026"][header.index("Phone screen")] == "1.5"
    assert median["Apr 2026"][header.index("Phone screen")] == "–"
    p90 = tables["90th percentile days from inquiry, by month"]
    assert p90["Mar 2026"][header.index("Phone screen")] == "3.4"
    # Resulted: A on March 26 (24 days), B on March 22 (20): 20 + 0.9 * 4 = 23.6.
    assert p90["Mar 2026"][header.index("Bloodwork resulted")] == "23.6"
    between = tables["Median days from the step before, by month"]
    assert between["Apr 2026"][approved] == "6"


def test_turnaround_filters_by_coordinator_and_bereaved(casey_client, history, coordinator, coordinator2):
    casey = _tables(casey_client.get(TURNAROUND, {**SPRING, "coordinator": coordinator.pk}))
    rows = casey["Days from inquiry to each step"]
    # Casey's donors: A, C and F at the phone screen (2, 1, 1): median 1; 90th 1 + 0.8 * 1 = 1.8.
    assert rows["Phone screen"] == ["3", "1", "1.8"]
    assert rows["Approved"] == ["1", "30", "30"]
    bereaved = _tables(casey_client.get(TURNAROUND, {**SPRING, "bereaved": "yes"}))
    assert bereaved["Days from inquiry to each step"]["Approved"] == ["1", "21", "21"]
    others = _tables(casey_client.get(TURNAROUND, {**SPRING, "bereaved": "no"}))
    assert others["Days from inquiry to each step"]["Phone screen"] == ["3", "1", "1.8"]
    robin = _tables(casey_client.get(TURNAROUND, {**SPRING, "coordinator": coordinator2.pk}))
    assert robin["Days from inquiry to each step"]["Questionnaire sent"] == ["1", "4.5", "4.5"]


def test_turnaround_counts_only_steps_reached_in_the_period(casey_client, history):
    april = _tables(casey_client.get(TURNAROUND, {"start": "2026-04-01", "end": "2026-04-30"}))
    rows = april["Days from inquiry to each step"]
    assert rows["Approved"] == ["1", "30", "30"]
    assert rows["Phone screen"] == ["0", "–", "–"]


def test_turnaround_says_which_percentile_it_uses(casey_client, history):
    response = casey_client.get(TURNAROUND, SPRING)
    assert b"interpolated between the two nearest values" in response.content
    assert b"percentile_cont" in response.content


def test_no_report_shows_a_name(casey_client, history):
    for url, query in ((TURNAROUND, SPRING), (FUNNEL, MARCH)):
        body = casey_client.get(url, query).content.decode()
        for donor in history.donors.values():
            assert donor.first_name not in body
            assert donor.email not in body


# --- The funnel ---------------------------------------------------------------------------------------

# By hand: 7 inquiries in March (A to G). Reached the phone screen: A, B, C, F (4 of 7 = 57.1%); the
# questionnaire sent and submitted: A, B, C (42.9%); accepted, bloodwork, approved: A and B (28.6%).
# The others: E declined (a medicine), C withdrew, F deferred, G research only, D no answer.
REACHED = {
    "Inquiry": ["7", "100"],
    "Phone screen": ["4", "57.1"],
    "Questionnaire sent": ["3", "42.9"],
    "Questionnaire submitted": ["3", "42.9"],
    "Questionnaire accepted": ["2", "28.6"],
    "Bloodwork ordered": ["2", "28.6"],
    "Bloodwork resulted": ["2", "28.6"],
    "Approved": ["2", "28.6"],
}


def test_funnel_page_shows_the_hand_counted_funnel(casey_client, history):
    tables = _tables(casey_client.get(FUNNEL, MARCH))
    reached = tables["How far the inquiries got"]
    reached.pop("Step")
    assert reached == REACHED
    stopped = tables["Where the others are now"]
    stopped.pop("Where")
    assert stopped["Declined: medicines, herbs or supplements"] == ["1", "14.3"]
    assert stopped["Declined: health history or a medical condition"] == ["0", "0"]
    assert stopped["Declined: reason not recorded"] == ["0", "0"]
    assert stopped["Withdrew"] == ["1", "14.3"]
    assert stopped["Deferred (paused for now)"] == ["1", "14.3"]
    assert stopped["Research only"] == ["1", "14.3"]
    assert stopped["No answer for 30 days or more"] == ["1", "14.3"]
    assert stopped["Still in screening (a step in the last 30 days)"] == ["0", "0"]


def test_funnel_counts_each_inquiry_once(casey_client, history, coordinator):
    """An approved donor who later withdrew still counts as approved; a research-only donor who finished
    still counts as research only: the others and the approved add up to the inquiries."""
    from donors import transitions as t

    t.donor_withdraw(donor=history.donors["A"], by=coordinator, reason="Moving away")
    t.donor_finish(donor=history.donors["G"], by=coordinator)
    tables = _tables(casey_client.get(FUNNEL, MARCH))
    assert tables["How far the inquiries got"]["Approved"] == ["2", "28.6"]
    stopped = tables["Where the others are now"]
    stopped.pop("Where")
    assert stopped["Withdrew"] == ["1", "14.3"]
    assert stopped["Research only"] == ["1", "14.3"]
    assert sum(int(count) for count, _share in stopped.values()) + 2 == 7


def test_funnel_no_answer_days_is_a_filter(casey_client, history):
    # D has been quiet since March 2, 2026: far more than 365 days only once that long has passed.
    quiet = _tables(casey_client.get(FUNNEL, {**MARCH, "quiet_days": "365"}))["Where the others are now"]
    since = (datetime.datetime.now(tz=datetime.UTC) - at(0)).days
    expected = "1" if since >= 365 else "0"
    assert quiet["No answer for 365 days or more"][0] == expected


def test_funnel_filters_by_coordinator_and_bereaved(casey_client, history, coordinator2):
    robin = _tables(casey_client.get(FUNNEL, {**MARCH, "coordinator": coordinator2.pk}))
    assert robin["How far the inquiries got"]["Inquiry"] == ["1", "100"]
    assert robin["How far the inquiries got"]["Approved"] == ["1", "100"]
    others = _tables(casey_client.get(FUNNEL, {**MARCH, "bereaved": "no"}))
    assert others["How far the inquiries got"]["Inquiry"] == ["6", "100"]
    assert others["How far the inquiries got"]["Approved"] == ["1", "16.7"]


def test_empty_period_shows_zeros_not_an_error(casey_client, history):
    tables = _tables(casey_client.get(FUNNEL, {"start": "2025-01-01", "end": "2025-01-31"}))
    assert tables["How far the inquiries got"]["Inquiry"] == ["0", "–"]
    tables = _tables(casey_client.get(TURNAROUND, {"start": "2025-01-01", "end": "2025-01-31"}))
    assert tables["Days from inquiry to each step"]["Approved"] == ["0", "–", "–"]


# --- CSV: the same numbers ----------------------------------------------------------------------------


def test_csv_has_the_same_numbers_as_the_table(casey_client, history):
    response = casey_client.get(reverse("donors:report_turnaround_csv"), {**SPRING, "table": "from-inquiry"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "Step,Donors,Median days,90th percentile days"
    assert "Approved,2,25.5,29.1" in lines
    funnel = casey_client.get(reverse("donors:report_funnel_csv"), {**MARCH, "table": "reached"})
    assert "Phone screen,4,57.1" in funnel.content.decode("utf-8-sig").splitlines()


def test_csv_without_a_table_gives_the_first(casey_client, history):
    response = casey_client.get(reverse("donors:report_funnel_csv"), MARCH)
    assert response.content.decode("utf-8-sig").splitlines()[0] == "Step,Donors,Share of inquiries (%)"


def test_csv_links_on_the_page_keep_the_filters(casey_client, history):
    body = casey_client.get(TURNAROUND, {**SPRING, "bereaved": "yes"}).content.decode()
    assert (
        "turnaround.csv?start=2026-03-01&amp;end=2026-04-30&amp;bereaved=yes&amp;table=from-inquiry" in body
    )


@pytest.mark.parametrize(
    "query",
    [
        {"table": "nope"},
        {"table": "x" * 5000},
        {"start": "2026-05-01", "end": "2026-04-01", "table": "reached"},
    ],
)
def test_csv_refuses_an_unknown_table_or_bad_filters(casey_client, query):
    assert casey_client.get(reverse("donors:report_funnel_csv"), query).status_code == 404


# --- Bad input: a message on the page, never a 500 ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "2026-04-30", "end": "2026-03-01"}, "The first date is after the second."),
        ({"start": "2020-01-01", "end": "2026-03-01"}, "at most three years"),
        ({"start": "2026-03-01"}, "Give both dates"),
        ({"end": "2026-03-01"}, "Give both dates"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "Enter a valid date"),
        ({"start": "yesterday", "end": "2026-03-01"}, "Enter a valid date"),
        ({"start": "9999-12-31", "end": "9999-12-31"}, "starts in the future"),
        ({"start": "<script>alert(1)</script>", "end": "x" * 5000}, "Enter a valid date"),
        ({"start": "2026-03-01\x00", "end": "2026-03-02"}, "Enter a valid date"),
        ({"days": "7"}, "Select a valid choice"),
        ({"days": "-1"}, "Select a valid choice"),
        ({"coordinator": "999999"}, "Select a valid choice"),
        ({"coordinator": "casey"}, "Select a valid choice"),
        ({"bereaved": "maybe"}, "Select a valid choice"),
    ],
)
@pytest.mark.parametrize("url", [TURNAROUND, FUNNEL])
def test_bad_filters_show_a_message(casey_client, url, query, message):
    response = casey_client.get(url, query)
    assert response.status_code == 200
    body = response.content.decode()
    assert message in body
    assert "No numbers shown" in body
    assert "<script>alert(1)</script>" not in body


@pytest.mark.parametrize("quiet", ["0", "-5", "366", "99999999999999999999", "ten", " "])
def test_bad_no_answer_days_show_a_message(casey_client, quiet):
    response = casey_client.get(FUNNEL, {"quiet_days": quiet})
    assert response.status_code == 200
    if quiet.strip():
        assert "No numbers shown" in response.content.decode()


def test_a_volunteer_cannot_pick_herself_as_a_coordinator(casey_client, volunteer):
    response = casey_client.get(TURNAROUND, {"coordinator": volunteer.pk})
    assert "Select a valid choice" in response.content.decode()


def test_only_post_is_refused(casey_client):
    assert casey_client.post(TURNAROUND).status_code == 405


# --- Who may see them ---------------------------------------------------------------------------------

URLS = [
    TURNAROUND,
    FUNNEL,
    reverse("donors:report_turnaround_csv") + "?table=from-inquiry",
    reverse("donors:report_funnel_csv") + "?table=reached",
]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("coordinator", 200), ("volunteer", 403), ("memorial", 403), ("editor", 403), ("no_role", 403)],
)
def test_only_coordinators_see_the_reports(client, personas, url, persona, status):
    client.force_login(personas[persona])
    response = client.get(url)
    assert response.status_code == status
    if status == 200:
        assert "max-age=0" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"]


@pytest.mark.parametrize("url", URLS)
def test_anonymous_visitors_go_to_the_staff_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_the_staff_home_links_to_the_reports(casey_client):
    body = casey_client.get(reverse("admin:index")).content.decode()
    assert TURNAROUND in body
    assert FUNNEL in body


# --- A fixed number of queries ------------------------------------------------------------------------


def _queries(vendor_extra_pg: int, base: int) -> int:
    return base + (vendor_extra_pg if connection.vendor == "postgresql" else 0)


# Session and user (2), the user's permissions (2), the coordinator list for the filter (1), then the report:
# turnaround 1 values query (2 on PostgreSQL: by month and by step), funnel 3.
TURNAROUND_QUERIES = 6
FUNNEL_QUERIES = 8


@pytest.mark.parametrize("extra", [0, 1])
def test_turnaround_runs_a_fixed_number_of_queries(
    casey_client, history, make_donor, django_assert_num_queries, extra
):
    for _ in range(extra * 3):
        make_donor(Donor.Stage.APPROVED, bereaved=True)
    query = {**SPRING, "bereaved": "yes"} if extra else {"days": "365"}
    with django_assert_num_queries(_queries(1, TURNAROUND_QUERIES)):
        casey_client.get(TURNAROUND, query)


@pytest.mark.parametrize("extra", [0, 1])
def test_funnel_runs_a_fixed_number_of_queries(
    casey_client, history, make_donor, django_assert_num_queries, extra
):
    for _ in range(extra * 3):
        make_donor(Donor.Stage.QUESTIONNAIRE_SENT)
    with django_assert_num_queries(FUNNEL_QUERIES):
        casey_client.get(FUNNEL, {**MARCH, "quiet_days": "10"} if extra else {})


def test_a_coordinator_filter_adds_no_query(casey_client, history, coordinator, django_assert_num_queries):
    # The chosen coordinator is checked against the list (one more query), whatever the number of donors.
    with django_assert_num_queries(_queries(1, TURNAROUND_QUERIES + 1)):
        casey_client.get(TURNAROUND, {"coordinator": coordinator.pk})


def test_the_annual_summary_gives_the_board_the_days_to_approval(casey_client, history):
    """A (30 days) and B (21 days) were approved in 2026: median 25.5, 90th percentile 21 + 0.9 x 9 = 29.1."""
    page = casey_client.get(reverse("donors:report_annual"), {"year": 2026}).content.decode()
    assert "a first approval (2 donors)" in page
    assert '<dd id="annual-median-days">25.5</dd>' in page
    assert '<dd id="annual-p90-days">29.1</dd>' in page
    earlier = casey_client.get(reverse("donors:report_annual"), {"year": 2025}).content.decode()
    assert "a first approval (0 donors)" in earlier and '<dd id="annual-median-days">–</dd>' in earlier
