"""Demo depots, volunteers, freezer checks, drop-offs and shipments. Safe to run twice: adds nothing new."""

import datetime
import random
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from ..models import Depot, Donor, DropOff, FreezerCheck, Shipment, TimelineEvent

DEPOTS = [
    {
        "name": "Northside Family Clinic",
        "address_line1": "1200 Lake Avenue",
        "city": "Duluth",
        "region": "Minnesota",
        "postal_code": "55805",
        "hours": "Monday to Friday, 8 am to 5 pm",
        "phone": "555-0141",
        "contact_name": "Front desk",
    },
    {
        "name": "Riverside Women's Health",
        "address_line1": "45 River Road, Suite 3",
        "city": "Rochester",
        "region": "Minnesota",
        "postal_code": "55901",
        "hours": "Tuesday and Thursday, 9 am to 6 pm; Saturday 9 am to noon",
        "phone": "555-0142",
        "contact_name": "Lactation office",
    },
    {
        "name": "Lakeview Hospital Birth Center",
        "address_line1": "800 Shore Drive",
        "city": "Madison",
        "region": "Wisconsin",
        "postal_code": "53703",
        "hours": "Every day, 7 am to 9 pm (ask at the birth center desk)",
        "phone": "555-0143",
        "contact_name": "Birth center desk",
    },
    {
        "name": "Prairie Pediatrics",
        "address_line1": "19 Main Street",
        "city": "Eau Claire",
        "region": "Wisconsin",
        "postal_code": "54701",
        "hours": "Monday to Friday, 9 am to 4 pm",
        "phone": "555-0144",
        "contact_name": "Nurse line",
        "listed_publicly": False,  # a new depot, not yet in the public directory
    },
]
DAYS_OF_CHECKS = 365
# Milk over the past 18 months, so the reports' charts show something real (issue 17).
MILK_HISTORY_DAYS = 548


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _depots(stdout) -> list[Depot]:
    depots = []
    for fields in DEPOTS:
        values = dict(fields)
        depot, created = Depot.objects.get_or_create(
            name=values.pop("name"), city=values.pop("city"), defaults=values
        )
        if created:
            stdout.write(f"  depot: {depot}")
        depots.append(depot)
    return depots


def _freezer_checks(depots: list[Depot], by, rng: random.Random) -> None:
    """A year of daily readings per depot; the first depot misses today so it shows as overdue."""
    limit = settings.MILKBANK["FREEZER_LIMIT_C"]
    today = timezone.localdate()
    checks = []
    for index, depot in enumerate(depots):
        if depot.freezer_checks.exists():
            continue
        for back in range(DAYS_OF_CHECKS, -1, -1):
            if back == 0 and index == 0:
                continue
            day = today - datetime.timedelta(days=back)
            temperature = Decimal(str(round(rng.uniform(-26.0, -21.0), 1)))
            if rng.random() < 0.01:
                temperature = Decimal(str(round(rng.uniform(-19.0, -14.0), 1)))  # the odd warm reading
            checked_at = _at(day, 8 + index, rng.randrange(0, 60))
            checked_at = min(checked_at, timezone.now())
            checks.append(
                FreezerCheck(
                    depot=depot,
                    checked_at=checked_at,
                    temperature_c=temperature,
                    checked_by=by,
                    over_limit=float(temperature) > limit,  # bulk_create skips save(), which sets this
                    notes="Door seal checked." if float(temperature) > limit else "",
                )
            )
    FreezerCheck.objects.bulk_create(checks, batch_size=1000)


def _where(dropoff: DropOff) -> str:
    return f"at {dropoff.depot.name}" if dropoff.depot else f"({dropoff.get_channel_display().lower()})"


def _milk(depots: list[Depot], users, rng: random.Random, stdout) -> None:
    """Drop-offs over the past 18 months for approved demo donors, most at a depot, some shipped or brought
    to the bank, a few not used; older depot milk shipped and received; research milk every month or so.

    Demo donors are approved today by the transitions: to give milk earlier they are shown approved from
    the start of their milk history (approved_on only; the timeline keeps its own dates)."""
    donors = list(Donor.objects.approved().order_by("pk")[:12])
    if not donors or DropOff.objects.filter(depot__in=depots).exists():
        return  # already seeded (or no approved donor to give milk yet)
    volunteer, coordinator = users["volunteer"], users["coordinator"]
    today = timezone.localdate()
    listed = [d for d in depots if d.listed_publicly]
    made = []
    for donor in donors:
        start = today - datetime.timedelta(days=MILK_HISTORY_DAYS - rng.randrange(0, 120))
        if donor.approved_on is None or donor.approved_on > start:
            Donor.objects.filter(pk=donor.pk).update(approved_on=start)
        day = start
        depot = rng.choice(listed)
        while day <= today:
            expressed_to = day - datetime.timedelta(days=rng.randrange(0, 3))
            expressed_from = expressed_to - datetime.timedelta(days=rng.randrange(3, 40))
            route = rng.random()
            channel = (
                DropOff.Channel.SHIPPED
                if route < 0.12
                else DropOff.Channel.BROUGHT
                if route < 0.2
                else DropOff.Channel.DEPOT
            )
            at_depot = channel == DropOff.Channel.DEPOT
            status = DropOff.Status.AT_DEPOT if at_depot else DropOff.Status.RECEIVED
            reason = ""
            if not at_depot and rng.random() < 0.15:
                status, reason = DropOff.Status.REJECTED, "Arrived thawed"
            made.append(
                DropOff(
                    donor=donor,
                    channel=channel,
                    depot=depot if at_depot else None,
                    received_at=min(_at(day, rng.randrange(9, 17)), timezone.now()),
                    received_by=volunteer if at_depot and depot == depots[0] else coordinator,
                    containers=rng.randrange(2, 25),
                    volume_ml=rng.randrange(8, 120) * 30,
                    expressed_from=expressed_from,
                    expressed_to=expressed_to,
                    health_declaration=True,
                    status=status,
                    rejection_reason=reason,
                )
            )
            day += datetime.timedelta(days=rng.randrange(14, 45))
    research = Donor.objects.filter(stage=Donor.Stage.RESEARCH_ONLY, research_consent=True).first()
    if research is not None:
        for back in range(0, MILK_HISTORY_DAYS, 35):  # about monthly, the latest today
            day = today - datetime.timedelta(days=back)
            made.append(
                DropOff(
                    donor=research,
                    channel=DropOff.Channel.SHIPPED,
                    received_at=timezone.now() if back == 0 else _at(day, 11),
                    received_by=coordinator,
                    containers=6,
                    volume_ml=rng.randrange(10, 40) * 30,
                    expressed_from=day - datetime.timedelta(days=20),
                    expressed_to=day - datetime.timedelta(days=2),
                    use=DropOff.Use.RESEARCH,
                    status=DropOff.Status.RECEIVED,
                )
            )
    DropOff.objects.bulk_create(made, batch_size=1000)
    TimelineEvent.objects.bulk_create(
        [
            TimelineEvent(
                donor=d.donor,
                at=d.received_at,
                by=d.received_by,
                kind=TimelineEvent.Kind.MILK,
                summary=f"Milk received {_where(d)}: {d.containers} containers, {d.volume_ml:,} mL",
            )
            for d in made
        ],
        batch_size=1000,
    )
    # Ship everything older than two weeks, a depot-month at a time; a shipment left yesterday is on its way.
    cutoff = _at(today - datetime.timedelta(days=14), 0)
    shipped = 0
    for depot in listed:
        waiting = list(
            depot.dropoffs.filter(received_at__lt=cutoff, status=DropOff.Status.AT_DEPOT).order_by(
                "received_at"
            )
        )
        by_month: dict[tuple[int, int], list[DropOff]] = {}
        for dropoff in waiting:
            by_month.setdefault((dropoff.received_at.year, dropoff.received_at.month), []).append(dropoff)
        for batch in by_month.values():
            left = batch[-1].received_at + datetime.timedelta(days=rng.randrange(1, 5))
            left = min(left, timezone.now() - datetime.timedelta(days=1))
            shipment = Shipment.objects.create(
                depot=depot,
                shipped_at=left,
                shipped_by=volunteer if depot == depots[0] else coordinator,
                carrier=rng.choice(["Courier Express", "Volunteer driver", "Overnight freight"]),
                tracking=f"TRK{rng.randrange(10**9, 10**10)}",
                coolant=Shipment.Coolant.DRY_ICE,
                containers=max(1, len(batch) // 6),
                received_at=left + datetime.timedelta(hours=rng.randrange(5, 30)),
                received_by=coordinator,
                condition=Shipment.Condition.FROZEN_SOLID,
            )
            DropOff.objects.filter(pk__in=[d.pk for d in batch]).update(
                shipment=shipment, status=DropOff.Status.RECEIVED
            )
            shipped += 1
    stdout.write(f"  milk: {len(made)} drop-offs, {shipped} shipments")


def seed(*, users, stdout):
    rng = random.Random(20210901)  # noqa: S311 - demo data, the same every time
    depots = _depots(stdout)
    depots[0].volunteers.add(users["volunteer"])
    _freezer_checks(depots, users["volunteer"], rng)
    _milk(depots, users, rng, stdout)
