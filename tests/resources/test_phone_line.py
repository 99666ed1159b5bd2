"""Next to the phone number: whether the line is open now, and where to turn at any hour when it is closed."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from resources.hours import line_status, parse_schedule

pytestmark = pytest.mark.django_db

CHICAGO = zoneinfo.ZoneInfo("America/Chicago")
WEDNESDAY_10AM = datetime.datetime(2026, 11, 25, 10, 0, tzinfo=CHICAGO)
FRIDAY_5PM = datetime.datetime(2026, 11, 27, 17, 0, tzinfo=CHICAGO)
SATURDAY_2AM = datetime.datetime(2026, 11, 28, 2, 0, tzinfo=CHICAGO)


def test_the_schedule_reads_days_and_times_and_finds_the_next_change():
    openings = parse_schedule("mon-fri 08:00-16:30; sat 09:00-12:00")
    assert line_status(openings, WEDNESDAY_10AM).open is True
    assert line_status(openings, WEDNESDAY_10AM).changes_at == WEDNESDAY_10AM.replace(hour=16, minute=30)
    closed = line_status(openings, FRIDAY_5PM)
    assert closed.open is False
    assert closed.changes_at == datetime.datetime(2026, 11, 28, 9, 0, tzinfo=CHICAGO)  # Saturday morning
    after_saturday = line_status(openings, datetime.datetime(2026, 11, 28, 12, 0, tzinfo=CHICAGO))
    assert after_saturday.changes_at == datetime.datetime(2026, 11, 30, 8, 0, tzinfo=CHICAGO)
    # A range may wrap past Sunday.
    assert parse_schedule("fri-mon 08:00-09:00")[0].weekdays == {4, 5, 6, 0}
    assert line_status((), WEDNESDAY_10AM) == line_status((), FRIDAY_5PM)  # never staffed: always closed


@pytest.mark.parametrize(
    "text", ["weekdays 8-4", "mon-fri 16:30-08:00", "mon-xyz 08:00-09:00", "mon 25:00-26:00"]
)
def test_a_schedule_it_cannot_read_is_refused_in_words(text):
    with pytest.raises(ValueError, match=r"mon|closes before|impossible|unknown"):
        parse_schedule(text)


def test_the_settings_refuse_to_start_with_a_schedule_they_cannot_read():
    from tests.milkbank.test_settings import load, loaded

    result = load(DJANGO_DEBUG="true", MILKBANK_SUPPORT_SCHEDULE="weekdays 8 to 4")
    assert result.returncode != 0
    assert "MILKBANK_SUPPORT_SCHEDULE: cannot read" in result.stderr
    bank = loaded(DJANGO_DEBUG="true", MILKBANK_AFTER_HOURS_LINES="Night line|555-0199")["bank"]
    assert bank["AFTER_HOURS_LINES"] == [{"name": "Night line", "phone": "555-0199"}]
    assert "988" in str(loaded(DJANGO_DEBUG="true")["bank"]["AFTER_HOURS_LINES"])
    assert load(DJANGO_DEBUG="true", MILKBANK_AFTER_HOURS_LINES="no number here").returncode != 0


def test_while_the_line_is_open_every_page_says_so_and_until_when(client):
    with time_machine.travel(WEDNESDAY_10AM, tick=False):
        html = client.get("/").content.decode()
    assert "If your baby has died" in html  # the home page itself
    assert "open now" in html
    assert "Our line is open now, until 4:30 p.m. Central time." in html
    assert "closed now" not in html and "1-833-852-6262" not in html


def test_at_night_it_says_closed_when_it_opens_and_lists_the_lines_that_answer_at_every_hour(client):
    with time_machine.travel(SATURDAY_2AM, tick=False):
        html = client.get(reverse("resources:page", args=["suppressing-your-supply"])).content.decode()
    assert "<h1>Suppressing your supply</h1>" in html
    assert 'href="#after-hours"' in html and 'id="after-hours"' in html
    assert "Our line is closed now." in html
    assert "It opens again Monday at 8 a.m. Central time." in html
    assert 'href="tel:988"' in html
    assert 'href="tel:18338526262"' in html and "National Maternal Mental Health Hotline" in html
    assert "9-8-8 Suicide Crisis Helpline (Canada)" in html
    assert "A fever, or a hot, red, painful breast: call your provider's after-hours line." in html


def test_a_cached_page_never_says_open_after_the_line_closes(client):
    """Whole public pages are cached; each opening and closing has its own copy."""
    closing = FRIDAY_5PM.replace(hour=16, minute=30)
    with time_machine.travel(closing - datetime.timedelta(minutes=1), tick=False):
        assert "Our line is open now" in client.get("/").content.decode()
    with time_machine.travel(closing, tick=False):
        html = client.get("/").content.decode()
    assert "Our line is closed now." in html and "Our line is open now" not in html


def test_the_bank_sets_its_own_hours_and_night_lines(client, settings):
    settings.MILKBANK = {
        **settings.MILKBANK,
        "SUPPORT_SCHEDULE": "mon-sun 00:00-23:59",
        "AFTER_HOURS_LINES": [{"name": "Night nurse", "phone": "555-0199"}],
    }
    with time_machine.travel(SATURDAY_2AM, tick=False):
        assert "Our line is open now, until 11:59 p.m." in client.get("/").content.decode()
    settings.MILKBANK = {**settings.MILKBANK, "SUPPORT_SCHEDULE": "mon 09:00-10:00"}
    with time_machine.travel(SATURDAY_2AM, tick=False):
        html = client.get("/other-milk-banks/").content.decode()
    assert "It opens again Monday at 9 a.m." in html
    assert 'Night nurse: <a href="tel:5550199">555-0199</a>' in html


def test_choosing_a_place_keeps_the_national_lines_that_answer_at_every_hour(client):
    html = client.get(reverse("resources:grief_resources"), {"area": "Ontario"}).content.decode()
    assert "Pregnancy and Infant Loss (PAIL) Network" in html  # the place's own resource
    assert "988 Suicide &amp; Crisis Lifeline" in html
    assert "9-8-8 Suicide Crisis Helpline" in html
    assert "National Maternal Mental Health Hotline" in html
    assert "always stay on this list" in html
    # Other national entries that are not 24-hour lines follow the filter.
    assert "Star Legacy Foundation" not in html
    assert "Minnesota Center for Stillbirth" not in html


def test_a_place_with_nothing_listed_says_so_and_still_shows_the_24_hour_lines(client):
    html = client.get(reverse("resources:grief_resources"), {"region": "regional"}).content.decode()
    assert "We have no resources listed for that region yet." in html
    assert "988 Suicide &amp; Crisis Lifeline" in html
    # Milk banks have no crisis lines: the filter there is plain.
    html = client.get(reverse("resources:milk_banks"), {"area": "Ontario"}).content.decode()
    assert "Rogers Hixon Ontario Human Milk Bank" in html and "NorthernStar" not in html
    assert "always stay on this list" not in html
