"""Milk logistics: drop-offs, freezer checks, shipments and totals.

Writes are keyword-only, typed and atomic, and raise `ValidationError` keyed by form field so a form can
show each message next to the field it is about. The database triggers of migration 0002 hold the
research-milk rule underneath; these functions refuse first, with words a depot volunteer can act on.
"""

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.formats import date_format

from .. import notify
from ..audit import update_logged
from ..models import Bloodwork, Depot, Donor, DropOff, FreezerCheck, MilkMonth, Shipment, TimelineEvent
from .models import MAX_DROPOFF_ML, sees_all_depots

# A depot holding milk this close to its age limit is flagged "ship soon".
SHIP_SOON_DAYS = 14
# Research milk has no clinical age limit, but anything older than this is surely a typo.
MAX_RESEARCH_AGE_DAYS = 3 * 365
MAX_CONTAINERS = 500
# Clocks drift: a time a few minutes ahead of the server's is still "now".
CLOCK_SKEW = datetime.timedelta(minutes=5)
ML_PER_US_FL_OZ = Decimal("29.5735")

_NUMBER = re.compile(r"^\s*[Dd]?\s*0*(\d{1,9})\s*$")


def _day(value: datetime.date) -> str:
    return date_format(value, "N j, Y")


def _coordinator_phone() -> str:
    return settings.MILKBANK["COORDINATOR_PHONE"]


def can_see_all_depots(user) -> bool:
    return sees_all_depots(user)


def ounces_to_ml(ounces: Decimal) -> int:
    """US fluid ounces to whole millilitres (1 US fl oz = 29.5735 mL)."""
    return int((Decimal(ounces) * ML_PER_US_FL_OZ).quantize(Decimal("1")))


# --- Finding a donor without seeing their file -------------------------------------------------------


@dataclass(frozen=True)
class DonorCard:
    """All a depot volunteer may know about a donor: never health answers, never contact details."""

    pk: int
    number_label: str
    display_name: str
    approved: bool
    valid_until: datetime.date | None
    research_consent: bool
    # Shown as a discreet marker: volunteers meet these donors in person and must not ask about the baby.
    bereaved: bool = False
    research_only: bool = False

    @property
    def bloodwork_valid(self) -> bool:
        return self.valid_until is not None and self.valid_until >= timezone.localdate()


def parse_donor_number(text: str) -> int | None:
    """Read "D000123", "d123" or "123" as 123; None when it is not a donor number."""
    match = _NUMBER.match(text or "")
    return int(match.group(1)) if match else None


def _with_last_clear_draw(queryset: QuerySet) -> QuerySet:
    newest = (
        Bloodwork.objects.clear().filter(donor=OuterRef("pk")).order_by("-drawn_on").values("drawn_on")[:1]
    )
    return queryset.annotate(last_clear_draw=Subquery(newest))


NAME_FIELDS = ("last_name", "first_name", "preferred_name")
LOOKUP_ONLY = (
    "pk",
    "donor_number",
    "first_name",
    "last_name",
    "preferred_name",
    "stage",
    "research_consent",
    "bereaved",
    "pathway",
)
LOOKUP_ORDER = ("last_name", "first_name", "pk")


def donor_lookup(*, query: str, limit: int = 8) -> list[DonorCard]:
    """Donors with a donor number matching a number or the start of their names, in one query.

    Only donors who have been given a number (approved at some point, or research only) are found: a volunteer
    has no reason to search people still in screening.

    A name search is a UNION of one prefix query per name field, each able to use that field's
    UPPER(...) text_pattern_ops index and each cut to `limit` rows, then ordered and cut again. One query
    with the three prefixes OR-ed together had the planner walk the whole (last_name, first_name) index to
    find 8 rows (550 ms at 100k donors).
    """
    query = (query or "").strip()
    if not query:
        return []
    numbered = Donor.objects.filter(donor_number__isnull=False).only(*LOOKUP_ONLY)
    number = parse_donor_number(query)
    if number is not None:
        donors = _with_last_clear_draw(numbered.filter(donor_number=number)).order_by(*LOOKUP_ORDER)[:limit]
    else:
        words = query.split()[:3]
        if any(len(word) < 2 for word in words):
            return []
        # The longest word is the most selective: it drives the index; the others only filter its rows.
        lead = max(words, key=len)
        others = list(words)
        others.remove(lead)
        for word in others:
            numbered = numbered.filter(
                Q(first_name__istartswith=word)
                | Q(last_name__istartswith=word)
                | Q(preferred_name__istartswith=word)
            )
        # LOOKUP_ORDER written as expressions: the same order, but one the planner cannot take from walking
        # donors_donor_name_idx (it did, filtering 10,000 rows to find 8 "Nguyen"s at 20k donors); it reads
        # the rows the prefix index finds and keeps the first `limit` of them.
        in_order = [Concat("last_name", Value("")), Concat("first_name", Value("")), "pk"]
        branches = [
            _with_last_clear_draw(numbered.filter(**{f"{field}__istartswith": lead})).order_by(*in_order)
            for field in NAME_FIELDS
        ]
        if connections[numbered.db].features.supports_slicing_ordering_in_compound:
            branches = [branch[:limit] for branch in branches]
        else:
            # SQLite cannot cut the parts of a UNION; its tables are small, so the outer LIMIT is enough.
            branches = [branch.order_by() for branch in branches]
        donors = branches[0].union(*branches[1:]).order_by(*LOOKUP_ORDER)[:limit]
    days = datetime.timedelta(days=settings.MILKBANK["BLOODWORK_VALID_DAYS"])
    return [
        DonorCard(
            pk=d.pk,
            number_label=d.number_label,
            display_name=d.display_name,
            approved=d.stage == Donor.Stage.APPROVED,
            valid_until=d.last_clear_draw + days if d.last_clear_draw else None,
            research_consent=d.research_consent,
            bereaved=d.bereaved,
            research_only=d.pathway == Donor.Pathway.RESEARCH or d.stage == Donor.Stage.RESEARCH_ONLY,
        )
        for d in donors
    ]


# --- Drop-offs ---------------------------------------------------------------------------------------


def _research_hint(donor: Donor) -> str:
    if donor.research_consent and not donor.is_closed:
        return " They agreed to research use, so you can log this milk as research only instead."
    return ""


def containers_problem(containers: int | None) -> str:
    """What is wrong with a container count, or "" (the form uses this too, to show every problem at once)."""
    if containers is None or containers < 1:
        return "Enter how many containers: at least 1."
    if containers > MAX_CONTAINERS:
        return f"That is more than {MAX_CONTAINERS} containers: please check the count."
    return ""


def volume_problem(volume_ml: int | None, containers: int | None = None) -> str:
    """What is wrong with a volume in mL (for that many containers), or "". No minimum beyond 1 mL."""
    if volume_ml is None or volume_ml < 1:
        return "Enter the volume: at least 1 mL. Any amount is welcome."
    if volume_ml > MAX_DROPOFF_ML:
        return f"{volume_ml:,} mL is more than 40 litres: please check the number (is it in ounces?)."
    most = settings.MILKBANK["MAX_ML_PER_CONTAINER"]
    if containers and containers >= 1 and volume_ml > most * containers:
        return (
            f"{volume_ml:,} mL in {containers} container{'s' if containers != 1 else ''} is more than "
            f"{most:,} mL a container: please check the number (is it in ounces?) and the count."
        )
    return ""


def _milk_fact_errors(
    *,
    containers: int,
    volume_ml: int,
    expressed_from: datetime.date,
    expressed_to: datetime.date,
    received_day: datetime.date,
    use: str,
    hint: str = "",
) -> dict[str, list[str]]:
    """How much milk and when it was expressed: the facts a drop-off is logged (or corrected) with."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if message := containers_problem(containers):
        add("containers", message)
    if message := volume_problem(volume_ml, containers):
        add("volume_ml", message)
    if expressed_from > expressed_to:
        add("expressed_from", "The earliest expression date must be on or before the latest.")
    if expressed_to > received_day:
        if received_day >= timezone.localdate():
            add("expressed_to", "The latest expression date cannot be in the future.")
        else:
            add("expressed_to", "The latest expression date cannot be after the day the milk came in.")
    age_days = (received_day - expressed_from).days
    limit = settings.MILKBANK["MILK_AGE_LIMIT_DAYS"]
    if use == DropOff.Use.RESEARCH and age_days > MAX_RESEARCH_AGE_DAYS:
        add("expressed_from", "That date is more than three years ago: please check it.")
    if use == DropOff.Use.CLINICAL and age_days > limit:
        add(
            "expressed_from",
            f"Milk expressed on {_day(expressed_from)} is more than {limit} days old, so it cannot go to "
            f"babies.{hint}",
        )
    return errors


def _dropoff_errors(
    *,
    donor: Donor,
    channel: str,
    depot: Depot | None,
    by,
    containers: int,
    volume_ml: int,
    expressed_from: datetime.date,
    expressed_to: datetime.date,
    health_declaration: bool,
    use: str,
    received_at: datetime.datetime,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    now = timezone.now()
    received_day = timezone.localdate(received_at)
    # Where the milk came in, and whether this person may log it there.
    if channel not in DropOff.Channel.values:
        add("channel", "Choose how the milk came in.")
    elif channel == DropOff.Channel.DEPOT:
        if depot is None:
            add("depot", "Choose the depot where the milk was left.")
        elif not depot.active or not Depot.objects.for_user(by).filter(pk=depot.pk).exists():
            add("depot", "You can log milk only at an open depot you help at.")
    else:
        if depot is not None:
            add("depot", "Milk shipped or brought to the bank has no depot.")
        if not can_see_all_depots(by):
            add("channel", "Only coordinators log milk that comes straight to the bank.")
    if received_at > now + CLOCK_SKEW:
        add("received_at", "The time the milk came in cannot be in the future.")
    # How much, and when it was expressed.
    hint = _research_hint(donor) if use == DropOff.Use.CLINICAL else ""
    for field, messages in _milk_fact_errors(
        containers=containers,
        volume_ml=volume_ml,
        expressed_from=expressed_from,
        expressed_to=expressed_to,
        received_day=received_day,
        use=use,
        hint=hint,
    ).items():
        errors.setdefault(field, []).extend(messages)
    # What it is for, and whether this donor may give it.
    if use not in DropOff.Use.values:
        add("use", "Choose whether the milk is for babies or for research.")
        return errors
    label = donor.number_label or "This donor"
    if donor.is_closed:
        add(
            "donor",
            f"{label} is no longer giving milk, so it cannot be logged. Please ask them to call the "
            f"coordinator at {_coordinator_phone()}.",
        )
        return errors
    if use == DropOff.Use.RESEARCH:
        if not (donor.research_consent or donor.pathway == Donor.Pathway.RESEARCH):
            add("use", f"{label} has not agreed to research use, so this milk cannot be logged for research.")
        return errors
    # Clinical milk: approved on the day, bloodwork still valid, younger than the age limit, declared well.
    if donor.pathway != Donor.Pathway.CLINICAL or not donor.is_approved_on(received_day):
        add(
            "donor",
            f"{label} is not approved to give milk for babies today. Please ask them to call the coordinator "
            f"at {_coordinator_phone()}.{hint}",
        )
    else:
        valid_until = donor.bloodwork_valid_until()
        if valid_until is None or valid_until < received_day:
            when = f" ran out on {_day(valid_until)}" if valid_until else " is missing"
            add(
                "donor",
                f"{label}'s bloodwork{when}, so this milk cannot go to babies until new bloodwork is done. "
                f"The coordinator ({_coordinator_phone()}) will arrange it.{hint}",
            )
    if not health_declaration:
        add(
            "health_declaration",
            "Milk for babies needs the donor's health declaration: ask them and tick the box.",
        )
    return errors


@transaction.atomic
def dropoff_log(
    *,
    donor: Donor,
    by,
    containers: int,
    volume_ml: int,
    expressed_from: datetime.date,
    expressed_to: datetime.date,
    health_declaration: bool,
    use: str = DropOff.Use.CLINICAL,
    depot: Depot | None = None,
    channel: str = DropOff.Channel.DEPOT,
    received_at: datetime.datetime | None = None,
) -> DropOff:
    """Log milk received from a donor, at a depot or (coordinators only) straight at the bank."""
    # Lock the donor so a deferral made at the same moment cannot slip between the check and the save.
    donor = Donor.objects.select_for_update().get(pk=donor.pk)
    received_at = received_at or timezone.now()
    errors = _dropoff_errors(
        donor=donor,
        channel=channel,
        depot=depot,
        by=by,
        containers=containers,
        volume_ml=volume_ml,
        expressed_from=expressed_from,
        expressed_to=expressed_to,
        health_declaration=health_declaration,
        use=use,
        received_at=received_at,
    )
    if errors:
        raise ValidationError(errors)
    dropoff = DropOff.objects.create(
        donor=donor,
        channel=channel,
        depot=depot if channel == DropOff.Channel.DEPOT else None,
        received_at=received_at,
        received_by=by,
        containers=containers,
        volume_ml=volume_ml,
        expressed_from=expressed_from,
        expressed_to=expressed_to,
        health_declaration=health_declaration,
        use=use,
        status=DropOff.Status.AT_DEPOT if channel == DropOff.Channel.DEPOT else DropOff.Status.RECEIVED,
    )
    where = f"at {depot.name}" if depot else f"({dropoff.get_channel_display().lower()})"
    research = ", research only" if use == DropOff.Use.RESEARCH else ""
    TimelineEvent.objects.create(
        donor=donor,
        by=by,
        kind=TimelineEvent.Kind.MILK,
        summary=(
            f"Milk received {where}: {containers} container{'s' if containers != 1 else ''}, "
            f"{volume_ml:,} mL{research} (drop-off #{dropoff.pk})"
        ),
    )
    return dropoff


# --- Corrections: void, correct, not used, hold decisions -------------------------------------------

# A volunteer may void a drop-off they logged for this long; after that a coordinator corrects it.
VOID_WINDOW = datetime.timedelta(hours=24)
REASON_MAX = 300


def _reason_problem(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        return f"Say why {what}."
    if len(reason) > REASON_MAX:
        return f"Keep the reason under {REASON_MAX} characters."
    return ""


def _locked_dropoff(dropoff: DropOff, by) -> DropOff:
    """The drop-off, row-locked, if this person may see it (else DropOff.DoesNotExist: the page's 404)."""
    return (
        DropOff.objects.for_user(by)
        .select_for_update(of=("self",))
        .select_related("donor")
        .get(pk=dropoff.pk)
    )


def _change(dropoff: DropOff, *, by, reason: str, summary: str, **values) -> DropOff:
    """Change one locked drop-off: its audit entry carries the reason, and the donor's timeline says so."""
    reason = reason.strip()
    changed = update_logged(DropOff.objects.filter(pk=dropoff.pk), by=by, reason=reason, **values)
    TimelineEvent.objects.create(
        donor=dropoff.donor, by=by, kind=TimelineEvent.Kind.MILK, summary=summary, reason=reason
    )
    return changed[0] if changed else dropoff


def void_refusal(dropoff: DropOff, by) -> str:
    """Why this person may not void this drop-off, or "" when they may."""
    if dropoff.status == DropOff.Status.VOIDED:
        return f"Drop-off #{dropoff.pk} is already voided."
    if can_see_all_depots(by) and by.has_perm("donors.change_dropoff"):
        return ""
    if dropoff.received_by_id != by.pk:
        return "You can void only drop-offs you logged yourself. Please ask a coordinator."
    if dropoff.created_at < timezone.now() - VOID_WINDOW:
        return "You can void a drop-off only in the 24 hours after logging it. Please ask a coordinator."
    if dropoff.status != DropOff.Status.AT_DEPOT:
        return "This milk has already left the depot. Please ask a coordinator."
    return ""


@transaction.atomic
def dropoff_void(*, dropoff: DropOff, by, reason: str) -> DropOff:
    """Void a drop-off logged by mistake; its milk leaves every total. Log it again for a new label."""
    dropoff = _locked_dropoff(dropoff, by)
    errors = {}
    if refusal := void_refusal(dropoff, by):
        errors["__all__"] = [refusal]
    if problem := _reason_problem(reason, "this drop-off is voided"):
        errors["reason"] = [problem]
    if errors:
        raise ValidationError(errors)
    return _change(
        dropoff,
        by=by,
        reason=reason,
        summary=f"Drop-off #{dropoff.pk} voided (logged by mistake)",
        status=DropOff.Status.VOIDED,
        void_reason=reason.strip(),
        hold="",
    )


CORRECTABLE = ("containers", "volume_ml", "expressed_from", "expressed_to")


@transaction.atomic
def dropoff_correct(
    *,
    dropoff: DropOff,
    by,
    reason: str,
    containers: int,
    volume_ml: int,
    expressed_from: datetime.date,
    expressed_to: datetime.date,
) -> DropOff:
    """A coordinator corrects the amount or the dates of a drop-off. The old values stay in the history."""
    dropoff = _locked_dropoff(dropoff, by)
    errors = _milk_fact_errors(
        containers=containers,
        volume_ml=volume_ml,
        expressed_from=expressed_from,
        expressed_to=expressed_to,
        received_day=timezone.localdate(dropoff.received_at),
        use=dropoff.use,
    )
    if not by.has_perm("donors.change_dropoff"):
        errors["__all__"] = ["Only coordinators correct drop-offs."]
    elif dropoff.status == DropOff.Status.VOIDED:
        errors["__all__"] = ["A voided drop-off cannot be corrected."]
    if problem := _reason_problem(reason, "this drop-off is corrected"):
        errors["reason"] = [problem]
    new = {
        "containers": containers,
        "volume_ml": volume_ml,
        "expressed_from": expressed_from,
        "expressed_to": expressed_to,
    }
    changes = [(field, getattr(dropoff, field), value) for field, value in new.items()]
    changes = [change for change in changes if change[1] != change[2]]
    if not errors and not changes:
        errors["__all__"] = ["Nothing changed: change a value, or go back."]
    if errors:
        raise ValidationError(errors)
    said = ", ".join(
        f"{DropOff._meta.get_field(f).verbose_name} {old} → {value}" for f, old, value in changes
    )
    return _change(dropoff, by=by, reason=reason, summary=f"Drop-off #{dropoff.pk} corrected: {said}", **new)


@transaction.atomic
def dropoff_decide(*, dropoff: DropOff, by, use: bool, reason: str = "") -> DropOff:
    """A coordinator's decision on a drop-off: use it (ends a hold), or not used, with the reason."""
    dropoff = _locked_dropoff(dropoff, by)
    errors = {}
    if not by.has_perm("donors.change_dropoff"):
        errors["__all__"] = ["Only coordinators decide what happens to milk."]
    elif dropoff.status in DropOff.Status.not_counted():
        errors["__all__"] = [f"Drop-off #{dropoff.pk} is already {dropoff.get_status_display().lower()}."]
    elif use and not dropoff.hold:
        errors["__all__"] = [f"Drop-off #{dropoff.pk} is not held."]
    if not use and (problem := _reason_problem(reason, "the milk is not used")):
        errors["reason"] = [problem]
    if errors:
        raise ValidationError(errors)
    if use:
        summary = f"Drop-off #{dropoff.pk}: held milk checked and released for use"
        return _change(dropoff, by=by, reason=reason, summary=summary, hold="")
    return _change(
        dropoff,
        by=by,
        reason=reason,
        summary=f"Drop-off #{dropoff.pk} not used",
        status=DropOff.Status.REJECTED,
        rejection_reason=reason.strip(),
        hold="",
    )


def _hold(queryset: QuerySet, *, by, hold: str, reason: str) -> int:
    """Hold the open, not yet held drop-offs of a queryset for a coordinator's decision."""
    open_ = [DropOff.Status.AT_DEPOT, DropOff.Status.IN_TRANSIT, DropOff.Status.RECEIVED]
    return len(update_logged(queryset.filter(hold="", status__in=open_), by=by, reason=reason, hold=hold))


# What a list or a label shows of a drop-off (never anything about the donor but their number).
DROPOFF_ROW_FIELDS = (
    "pk",
    "channel",
    "received_at",
    "containers",
    "volume_ml",
    "expressed_from",
    "expressed_to",
    "use",
    "donor__donor_number",
    "depot__name",
    "depot__city",
)


def held_dropoffs(*, user) -> QuerySet:
    """The held drop-offs this person may see, newest first, for the held list (one query)."""
    return (
        DropOff.objects.for_user(user)
        .held()
        .select_related("donor", "depot")
        .only(*DROPOFF_ROW_FIELDS, "status", "hold")
        .order_by("-received_at", "-pk")
    )


# --- Freezer checks ----------------------------------------------------------------------------------


@transaction.atomic
def freezer_check_record(
    *,
    depot: Depot,
    by,
    temperature_c: Decimal,
    checked_at: datetime.datetime | None = None,
    notes: str = "",
) -> FreezerCheck:
    """Record a depot freezer reading. A reading above the limit is flagged and coordinators are emailed."""
    errors: dict[str, list[str]] = {}
    if not Depot.objects.for_user(by).filter(pk=depot.pk).exists():
        errors["depot"] = ["You can record checks only at a depot you help at."]
    if temperature_c is None or not (Decimal(-90) <= Decimal(temperature_c) <= Decimal(40)):
        errors["temperature_c"] = ["Enter the reading in °C, between -90 and 40."]
    checked_at = checked_at or timezone.now()
    if checked_at > timezone.now() + CLOCK_SKEW:
        errors["checked_at"] = ["A check cannot be in the future."]
    if len(notes) > 500:
        errors["notes"] = ["Keep the note under 500 characters."]
    if errors:
        raise ValidationError(errors)
    check = FreezerCheck.objects.create(
        depot=depot, checked_by=by, temperature_c=temperature_c, checked_at=checked_at, notes=notes
    )
    check.held_count = 0
    if check.over_limit:
        # The milk in the freezer now, and any logged since the last good reading (it may have left since),
        # waits for a coordinator: use it, or not used with a reason.
        last_good = (
            FreezerCheck.objects.filter(depot=depot, over_limit=False, checked_at__lt=check.checked_at)
            .order_by("-checked_at")
            .values_list("checked_at", flat=True)
            .first()
        )
        exposed = Q(status=DropOff.Status.AT_DEPOT)
        if last_good is not None:
            exposed |= Q(received_at__gte=last_good)
        check.held_count = _hold(
            DropOff.objects.filter(exposed, depot=depot),
            by=by,
            hold=DropOff.Hold.FREEZER_WARM,
            reason=f"Freezer read {check.temperature_c} °C",
        )
        context = {
            "depot": depot,
            "check": check,
            "limit": settings.MILKBANK["FREEZER_LIMIT_C"],
            "by_name": by.get_full_name() or by.get_username(),
            "held_count": check.held_count,
            "recheck_minutes": settings.MILKBANK["FREEZER_RECHECK_MINUTES"],
        }
        notify.email_coordinators(name="freezer_alert", context=context)  # sent once the reading is saved
    return check


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, start + datetime.timedelta(days=1)


def depots_for_work(*, user) -> QuerySet:
    """The depots a user works with, each with today's freezer state and the milk waiting to ship.

    One query: freezer checks today and yesterday as EXISTS, the waiting milk as correlated subqueries.
    Each subquery reads only the depot's drop-offs still waiting (status at_depot) through the index
    donors_dropoff_depot_idx (depot, status, expressed_from), so the cost follows the milk in the freezer,
    not every drop-off the depot ever took. A join-and-aggregate over `dropoffs` read them all (~1 s at 1M).
    """
    today = timezone.localdate()
    t0, t1 = _day_bounds(today)
    y0, _ = _day_bounds(today - datetime.timedelta(days=1))
    checks = FreezerCheck.objects.filter(depot=OuterRef("pk"))
    # A drop-off with a depot is always channel "depot" (constraint donors_dropoff_depot_matches_channel),
    # so the status alone picks the waiting milk and the index answers without reading the table for it.
    waiting = DropOff.objects.filter(depot=OuterRef("pk"), status=DropOff.Status.AT_DEPOT).order_by()
    per_depot = waiting.values("depot")
    latest = checks.order_by("-checked_at")
    return (
        Depot.objects.for_user(user)
        .filter(active=True)
        .annotate(
            checked_today=Exists(checks.filter(checked_at__gte=t0, checked_at__lt=t1)),
            checked_yesterday=Exists(checks.filter(checked_at__gte=y0, checked_at__lt=t0)),
            last_checked_at=Subquery(latest.values("checked_at")[:1]),
            last_temperature=Subquery(
                latest.values("temperature_c")[:1], output_field=DecimalField(max_digits=4, decimal_places=1)
            ),
            last_over_limit=Subquery(latest.values("over_limit")[:1]),
            waiting_count=Coalesce(
                Subquery(per_depot.annotate(n=Count("*")).values("n"), output_field=IntegerField()), 0
            ),
            waiting_ml=Coalesce(
                Subquery(per_depot.annotate(ml=Sum("volume_ml")).values("ml"), output_field=IntegerField()), 0
            ),
            oldest_expressed=Subquery(waiting.order_by("expressed_from").values("expressed_from")[:1]),
            # Read through the small partial index donors_dropoff_held_idx: held milk is rare.
            held_count=Coalesce(
                Subquery(
                    DropOff.objects.filter(depot=OuterRef("pk"))
                    .held()
                    .order_by()
                    .values("depot")
                    .annotate(n=Count("*"))
                    .values("n"),
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .order_by("region", "name")
    )


def depot_flags(depot: Depot) -> Depot:
    """Add `ship_soon`, `days_left`, `freezer_overdue` and the warm-freezer incident (`freezer_warm`,
    `recheck_by`, `recheck_late`) to a depot from depots_for_work().

    A warm reading stays an incident until a later reading is within the limit: the latest reading decides.
    """
    limit = settings.MILKBANK["MILK_AGE_LIMIT_DAYS"]
    oldest = depot.oldest_expressed
    depot.days_left = None if oldest is None else limit - (timezone.localdate() - oldest).days
    depot.ship_soon = depot.days_left is not None and depot.days_left <= SHIP_SOON_DAYS
    depot.freezer_warm = bool(depot.last_over_limit)
    depot.freezer_overdue = not depot.checked_today and not depot.freezer_warm
    depot.recheck_by = None
    depot.recheck_late = False
    if depot.freezer_warm:
        minutes = settings.MILKBANK["FREEZER_RECHECK_MINUTES"]
        depot.recheck_by = depot.last_checked_at + datetime.timedelta(minutes=minutes)
        depot.recheck_late = timezone.now() > depot.recheck_by
    return depot


def milk_tiles(*, user) -> dict[str, int]:
    """The coordinator dashboard's milk tiles, in three queries: the depots (as on the depot page), the
    shipments still on the way, and the held drop-offs (through their small partial index)."""
    depots = [depot_flags(d) for d in depots_for_work(user=user)]
    return {
        "to_receive": Shipment.objects.for_user(user).filter(received_at__isnull=True).count(),
        "freezers": sum(1 for d in depots if d.freezer_warm or d.freezer_overdue),
        "warm": sum(1 for d in depots if d.freezer_warm),
        "ship_soon": sum(1 for d in depots if d.ship_soon),
        "held": DropOff.objects.for_user(user).held().count(),
    }


# --- Shipments ---------------------------------------------------------------------------------------


@transaction.atomic
def shipment_create(
    *,
    depot: Depot,
    by,
    dropoffs: Iterable[DropOff | int],
    carrier: str,
    coolant: str,
    containers: int,
    tracking: str = "",
    notes: str = "",
    shipped_at: datetime.datetime | None = None,
) -> Shipment:
    """Ship drop-offs waiting at a depot to the bank. A drop-off is never in two shipments."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if not Depot.objects.for_user(by).filter(pk=depot.pk).exists():
        raise ValidationError({"depot": "You can ship only from a depot you help at."})
    ids = sorted({d.pk if isinstance(d, DropOff) else int(d) for d in dropoffs})
    if not ids:
        add("dropoffs", "Choose at least one drop-off to ship.")
    locked = {d.pk: d for d in DropOff.objects.select_for_update().filter(pk__in=ids)}
    for pk in ids:
        d = locked.get(pk)
        if d is None or d.depot_id != depot.pk:
            add("dropoffs", f"Drop-off #{pk} is not at this depot.")
        elif d.shipment_id is not None:
            add("dropoffs", f"Drop-off #{pk} is already in a shipment.")
        elif d.status != DropOff.Status.AT_DEPOT:
            add("dropoffs", f"Drop-off #{pk} is not waiting at the depot.")
    if not carrier.strip():
        add("carrier", "Enter who is carrying the milk (a courier, or a volunteer's name).")
    if coolant not in Shipment.Coolant.values:
        add("coolant", "Choose the coolant.")
    if containers is None or not (1 <= containers <= 100):
        add("containers", "Enter how many coolers or boxes: between 1 and 100.")
    shipped_at = shipped_at or timezone.now()
    if shipped_at > timezone.now() + CLOCK_SKEW:
        add("shipped_at", "A shipment cannot leave in the future.")
    if errors:
        raise ValidationError(errors)
    shipment = Shipment.objects.create(
        depot=depot,
        shipped_by=by,
        shipped_at=shipped_at,
        carrier=carrier.strip(),
        tracking=tracking.strip(),
        coolant=coolant,
        containers=containers,
        notes=notes,
    )
    # The guard on shipment__isnull makes a concurrent second shipment of the same drop-off a no-op.
    moved = update_logged(
        DropOff.objects.filter(pk__in=ids, shipment__isnull=True, status=DropOff.Status.AT_DEPOT),
        by=by,
        shipment=shipment,
        status=DropOff.Status.IN_TRANSIT,
    )
    if len(moved) != len(ids):
        raise ValidationError({"dropoffs": "Some of these drop-offs were just shipped by someone else."})
    return shipment


@transaction.atomic
def shipment_receive(
    *,
    shipment: Shipment,
    by,
    condition: str,
    received_at: datetime.datetime | None = None,
    notes: str = "",
) -> Shipment:
    """Record a shipment's arrival at the bank and move its drop-offs to received."""
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    received_at = received_at or timezone.now()
    errors: dict[str, list[str]] = {}
    if shipment.received_at is not None:
        when = date_format(timezone.localtime(shipment.received_at), "N j, Y, P")
        raise ValidationError({"received_at": f"This shipment was already received on {when}."})
    if condition not in Shipment.Condition.values:
        errors["condition"] = ["Choose the condition the milk arrived in."]
    if shipment.shipped_at.replace(second=0, microsecond=0) <= received_at < shipment.shipped_at:
        # The form works to the minute: "arrived 10:42" for a shipment that left at 10:42:30 is fine.
        received_at = shipment.shipped_at
    if received_at < shipment.shipped_at:
        errors["received_at"] = ["A shipment cannot arrive before it left."]
    elif received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = ["The arrival time cannot be in the future."]
    if errors:
        raise ValidationError(errors)
    shipment.received_at = received_at
    shipment.received_by = by
    shipment.condition = condition
    if notes.strip():
        shipment.notes = f"{shipment.notes}\n{notes.strip()}".strip()
    shipment.save(update_fields=["received_at", "received_by", "condition", "notes"])
    update_logged(
        shipment.dropoffs.filter(status=DropOff.Status.IN_TRANSIT), by=by, status=DropOff.Status.RECEIVED
    )
    if condition != Shipment.Condition.FROZEN_SOLID:
        # Milk that thawed on the way, even partly, waits for a coordinator's decision like a warm freezer's.
        what = shipment.get_condition_display().lower()
        _hold(shipment.dropoffs.all(), by=by, hold=DropOff.Hold.THAWED, reason=f"Shipment arrived {what}")
    return shipment


# --- Totals and reports ------------------------------------------------------------------------------


def donor_totals(donor_ids: Iterable[int]) -> dict[int, int]:
    """Lifetime millilitres per donor id, in one query. Milk marked "not used" or voided is left out."""
    rows = (
        DropOff.objects.filter(donor_id__in=list(donor_ids))
        .counted()
        .values("donor_id")
        .annotate(total=Sum("volume_ml"))
        .order_by()
    )
    return {row["donor_id"]: row["total"] for row in rows}


def _month_starts(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every month from `first`'s to the one after `last`'s."""
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return [*months, month]


def depot_month_totals(*, user, since: datetime.date, until: datetime.date | None = None) -> list[dict]:
    """Millilitres (clinical and research apart) and drop-offs per depot per month from `since`'s month to
    `until`'s (default: this month), for the depots a user may see. Milk marked "not used" is left out.

    Read live on every view, so a drop-off logged, corrected or marked not used shows at once, and cheaply at
    any size: the months come from MilkMonth, which database triggers keep per UTC month. A local month
    starts a few hours before or after its UTC month, so the drop-offs of those few hours at each month's
    edge (one small query on the received_at index) move to their local month. Three queries (four for a
    volunteer: their depots).
    """
    months = _month_starts(since, until or timezone.localdate())
    first, end = months[0], months[-1]
    mine = None
    summary = MilkMonth.objects.filter(month__gte=first, month__lt=end)
    if not can_see_all_depots(user):
        mine = set(Depot.objects.for_user(user).values_list("pk", flat=True))
        summary = summary.filter(depot_key__in=mine)
    cells: dict[tuple, list[int]] = {}

    def add(month, depot_key, channel, use, ml, count):
        cell = cells.setdefault((month, depot_key, channel), [0, 0, 0])
        cell[0 if use == DropOff.Use.CLINICAL else 1] += ml
        cell[2] += count

    for row in summary.values_list("month", "depot_key", "channel", "use", "volume_ml", "dropoffs"):
        add(*row)
    edges = Q()
    for month in months:
        local = timezone.make_aware(datetime.datetime(month.year, month.month, 1))
        utc = datetime.datetime(month.year, month.month, 1, tzinfo=datetime.UTC)
        if local != utc:
            edges |= Q(received_at__gte=min(local, utc), received_at__lt=max(local, utc))
    if edges:
        moved = (
            DropOff.objects.for_user(user)
            .filter(edges)
            .counted()
            .values_list("received_at", "depot_id", "channel", "use", "volume_ml")
        )
        for received_at, depot_id, channel, use, ml in moved:
            utc_month = received_at.astimezone(datetime.UTC).date().replace(day=1)
            local_month = timezone.localtime(received_at).date().replace(day=1)
            if utc_month != local_month:
                add(utc_month, depot_id or 0, channel, use, -ml, -1)
                add(local_month, depot_id or 0, channel, use, ml, 1)
    kept = {key: cell for key, cell in cells.items() if first <= key[0] < end and cell[2] > 0}
    depots = Depot.objects.filter(pk__in={key[1] for key in kept if key[1]}).values_list("pk", "name", "city")
    names = {pk: (name, city) for pk, name, city in depots} if kept else {}
    rows = [
        {
            "month": month,
            "depot_id": depot_key or None,
            "depot__name": names.get(depot_key, (None, None))[0],
            "depot__city": names.get(depot_key, (None, None))[1],
            "channel": channel,
            "clinical_ml": cell[0],
            "research_ml": cell[1],
            "count": cell[2],
        }
        for (month, depot_key, channel), cell in kept.items()
    ]
    rows.sort(
        key=lambda r: (
            -r["month"].toordinal(),
            r["depot__name"] is None,
            r["depot__name"] or "",
            r["channel"],
        )
    )
    return rows


EXPORT_COLUMNS = [
    ("id", "drop-off"),
    ("donor__donor_number", "donor number"),
    ("channel", "channel"),
    ("depot__name", "depot"),
    ("received_at", "received at"),
    ("containers", "containers"),
    ("volume_ml", "volume (mL)"),
    ("expressed_from", "earliest expression"),
    ("expressed_to", "latest expression"),
    ("health_declaration", "health declaration"),
    ("use", "use"),
    ("status", "status"),
    ("rejection_reason", "rejection reason"),
    ("shipment_id", "shipment"),
    ("shipment__received_at", "received at bank"),
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="minutes")
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value)
    # A cell starting with =, +, - or @ would run as a formula in a spreadsheet.
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


# The export's last line. A download cut short (a dropped connection, a restarted server) lacks it, so a
# partial file never looks complete; no data row can start with "#" (the first column is a number).
EXPORT_COMPLETE = "# complete: {count} drop-offs"


def dropoff_export_rows(*, user, chunk_size: int = 2000) -> Iterator[list[str]]:
    """The header, one row per drop-off the user may see (read in chunks in a single query), then the
    EXPORT_COMPLETE line with the number of rows written."""
    yield [title for _field, title in EXPORT_COLUMNS]
    fields = [field for field, _title in EXPORT_COLUMNS]
    rows = DropOff.objects.for_user(user).order_by("-received_at", "-id").values_list(*fields)
    count = 0
    for row in rows.iterator(chunk_size=chunk_size):
        values = list(row)
        values[1] = f"D{values[1]:06d}" if values[1] else ""
        count += 1
        yield [_cell(v) for v in values]
    yield [EXPORT_COMPLETE.format(count=count)]


def depots_for_approved_donor() -> QuerySet:
    """Depots with their street addresses, for an approved donor's private page (never the public one)."""
    return Depot.objects.public()
