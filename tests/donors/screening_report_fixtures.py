"""A screening history with known dates, built through the real transitions at known times (time-machine),
and a reader for the numbers a report page shows in its tables."""

import datetime
from html.parser import HTMLParser

import time_machine

from donors import transitions as t
from donors.models import Donor
from tests.donors.conftest import walk

Stage = Donor.Stage
UTC = datetime.UTC
# Every step at 16:00 UTC (10 or 11 am in Chicago), whole days apart: days between steps are exact.
BASE = datetime.datetime(2026, 3, 2, 16, 0, tzinfo=UTC)
PATH = [
    Stage.PHONE_SCREEN_PASSED,
    Stage.QUESTIONNAIRE_SENT,
    Stage.QUESTIONNAIRE_SUBMITTED,
    Stage.QUESTIONNAIRE_ACCEPTED,
    Stage.BLOODWORK_ORDERED,
    Stage.BLOODWORK_RESULTED,
    Stage.APPROVED,
]


def at(days: float) -> datetime.datetime:
    return BASE + datetime.timedelta(days=days)


class History:
    """Seven people who asked to donate on March 2, 2026 (day 0), and what happened to each, in days after."""

    # Days after the inquiry at which A, B and C reached each step of PATH.
    A = [2, 3, 10, 12, 14, 24, 30]  # coordinator Casey, not bereaved: approved on April 1
    B = [4, 4.5, 6, 7, 9, 20, 21]  # coordinator Robin, bereaved: approved on March 23
    C = [1, 2, 20]  # Casey: questionnaire submitted on day 20, then withdrew on day 25

    def __init__(self, coordinator, coordinator2):
        self.casey, self.robin = coordinator, coordinator2
        self.donors = {}
        self.donors["A"] = self._walk("A", self.A, coordinator=coordinator)
        self.donors["B"] = self._walk("B", self.B, coordinator=coordinator2, bereaved=True)
        self.donors["C"] = self._walk("C", self.C, coordinator=coordinator)
        with time_machine.travel(at(25), tick=False):
            t.donor_withdraw(donor=self.donors["C"], by=coordinator, reason="Back at work")
        # D: asked, and was never reached (no answer since March 2).
        self.donors["D"] = self._inquiry("D", coordinator=coordinator)
        # E: not able to donate (a medicine), declined at the phone screen on day 1.
        self.donors["E"] = self._inquiry("E", coordinator=coordinator)
        with time_machine.travel(at(1), tick=False):
            t.phone_screen_record(
                donor=self.donors["E"],
                by=coordinator,
                minutes=10,
                answers={},
                outcome="not_eligible",
                reason="A medicine that passes into milk",
                decline_reason="medicines",
            )
        # F: phone screen passed on day 1, deferred on day 3 (still deferred: nobody ended it).
        self.donors["F"] = self._walk("F", [1], coordinator=coordinator)
        with time_machine.travel(at(3), tick=False):
            t.donor_defer(donor=self.donors["F"], by=coordinator, reason="Travel", until=at(60).date())
        # G: research only from the start, on day 2.
        self.donors["G"] = self._inquiry("G", coordinator=coordinator)
        with time_machine.travel(at(2), tick=False):
            t.donor_move_to_research(donor=self.donors["G"], by=coordinator, consent=True)

    def _inquiry(self, name, *, coordinator, bereaved=False):
        with time_machine.travel(at(0), tick=False):
            donor = t.donor_create_inquiry(
                first_name=f"Donor {name}",
                last_name="Example",
                email=f"{name.lower()}@example.org",
                phone="555-0111",
                bereaved=bereaved,
                contact_consent=True,
            )
        Donor.objects.filter(pk=donor.pk).update(coordinator=coordinator)
        donor.refresh_from_db()
        return donor

    def _walk(self, name, days, *, coordinator, bereaved=False):
        donor = self._inquiry(name, coordinator=coordinator, bereaved=bereaved)
        for step, day in zip(PATH, days, strict=False):
            with time_machine.travel(at(day), tick=False):
                walk(donor, step, by=self.casey, by2=self.robin)
        return donor


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._cell, self._row, self._caption = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        if tag == "caption":
            self._caption = ""
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self.tables[self._caption.strip()] = self._current = []
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None:
            self._row.append(" ".join(self._cell.split()))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._current.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def page_tables(html: str) -> dict[str, dict[str, list[str]]]:
    """Each table on the page by its caption: {row label: [the other cells as shown]} (header row kept)."""
    parser = _Tables()
    parser.feed(html)
    return {caption: {row[0]: row[1:] for row in rows} for caption, rows in parser.tables.items()}
