"""When the coordinators' phone line is staffed, read from MILKBANK_SUPPORT_SCHEDULE, in the bank's time zone.

The schedule is written for people: "mon-fri 08:00-16:30", several parts joined with ";", e.g.
"mon-fri 08:00-16:30; sat 09:00-12:00". This module is plain Python so the settings can check it at start-up.
"""

import datetime
import functools
import re
from dataclasses import dataclass


def gettext_noop(text: str) -> str:
    """Marks a string for the catalogues (makemessages knows this name) without needing Django set up."""
    return text


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PART = re.compile(r"^(?P<days>[a-z]{3}(?:-[a-z]{3})?)\s+(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})$")


@dataclass(frozen=True)
class Opening:
    weekdays: frozenset[int]  # Monday is 0
    opens: datetime.time
    closes: datetime.time


def parse_schedule(text: str) -> tuple[Opening, ...]:
    """The openings a schedule describes; ValueError, in words for whoever set it, if it cannot be read."""
    openings = []
    for part in filter(None, (piece.strip().lower() for piece in (text or "").split(";"))):
        match = _PART.match(part)
        if not match:
            raise ValueError(f"cannot read {part!r}: write it like 'mon-fri 08:00-16:30'")
        first, _, last = match["days"].partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"unknown day in {part!r}: use mon, tue, wed, thu, fri, sat, sun")
        start, end = DAYS.index(first), DAYS.index(last or first)
        weekdays = frozenset(day % 7 for day in range(start, end + 1 if end >= start else end + 8))
        try:
            opens = datetime.time.fromisoformat(match["opens"].zfill(5))
            closes = datetime.time.fromisoformat(match["closes"].zfill(5))
        except ValueError:
            raise ValueError(f"impossible time in {part!r}") from None
        if closes <= opens:
            raise ValueError(f"in {part!r} the line closes before it opens")
        openings.append(Opening(weekdays, opens, closes))
    return tuple(openings)


@dataclass(frozen=True)
class LineStatus:
    open: bool
    # While open: when it closes today. While closed: when it next opens (None if the schedule is empty).
    changes_at: datetime.datetime | None

    @property
    def cache_key(self) -> str:
        """Pages that say whether the line is open are the same for everyone until the next change."""
        change = self.changes_at.isoformat() if self.changes_at else "-"
        return f"{'open' if self.open else 'closed'}:{change}"


def line_status(openings: tuple[Opening, ...], now: datetime.datetime) -> LineStatus:
    """Whether the line is staffed at `now` (an aware time in the bank's zone) and when that changes."""
    tz = now.tzinfo
    for opening in openings:
        if now.weekday() in opening.weekdays and opening.opens <= now.time() < opening.closes:
            return LineStatus(True, datetime.datetime.combine(now.date(), opening.closes, tz))
    starts = [
        datetime.datetime.combine(now.date() + datetime.timedelta(days=ahead), opening.opens, tz)
        for ahead in range(8)
        for opening in openings
        if (now.date() + datetime.timedelta(days=ahead)).weekday() in opening.weekdays
    ]
    return LineStatus(False, min((start for start in starts if start > now), default=None))


# The default after-hours lines (MILKBANK_AFTER_HOURS_LINES), so each language has their names; a bank's own
# names show as written.
DEFAULT_LINE_NAMES = (
    gettext_noop("988 Suicide & Crisis Lifeline (United States)"),
    gettext_noop("National Maternal Mental Health Hotline (United States)"),
    gettext_noop("9-8-8 Suicide Crisis Helpline (Canada)"),
)


def describe(openings: tuple[Opening, ...]) -> str:
    """The schedule in words in the active language: "lunes a viernes, de 08:00 a 16:30"."""
    from django.utils import formats
    from django.utils.dates import WEEKDAYS
    from django.utils.translation import gettext

    parts = []
    for opening in openings:
        days = sorted(opening.weekdays)
        # A run that wraps past Sunday (fri-mon) starts at its first day after a gap.
        for index, day in enumerate(days):
            if (day - 1) % 7 not in opening.weekdays:
                days = days[index:] + days[:index]
                break
        if len(days) == 1:
            day_words = str(WEEKDAYS[days[0]])
        else:
            day_words = gettext("%(first)s to %(last)s") % {
                "first": WEEKDAYS[days[0]],
                "last": WEEKDAYS[days[-1]],
            }
        parts.append(
            gettext("%(days)s, %(opens)s to %(closes)s")
            % {
                "days": day_words,
                "opens": formats.time_format(opening.opens),
                "closes": formats.time_format(opening.closes),
            }
        )
    return "; ".join(parts)


def current_status() -> LineStatus:
    """The coordinators' line right now, from the settings, in the bank's time zone."""
    from django.conf import settings
    from django.utils import timezone

    return line_status(_openings(settings.MILKBANK["SUPPORT_SCHEDULE"]), timezone.localtime())


def support_hours() -> str:
    """When the coordinators' line answers, in words: the bank's own (MILKBANK_SUPPORT_HOURS) in the default
    language, read from MILKBANK_SUPPORT_SCHEDULE in the others."""
    from django.conf import settings
    from django.utils import translation

    if translation.get_language() in (None, settings.LANGUAGE_CODE):
        return settings.MILKBANK["SUPPORT_HOURS"]
    return describe(_openings(settings.MILKBANK["SUPPORT_SCHEDULE"]))


@functools.cache
def _openings(text: str) -> tuple[Opening, ...]:
    return parse_schedule(text)
