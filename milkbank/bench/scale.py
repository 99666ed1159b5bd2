"""Seed a large, realistic data set for the scale benchmark (issue 9): donors, depots and drop-offs.

Everything made here is marked so it can be found and removed again without touching real records: donors
and staff users have an email at SCALE_DOMAIN, depots have a name starting with DEPOT_PREFIX. Every other
row made here hangs off those (drop-offs, bloodwork, tests, butterflies).

Rows are produced by generators and written in batches, so memory stays bounded whatever the size: on
PostgreSQL with COPY (psycopg 3's `cursor.copy()`), elsewhere with `bulk_create`. The research-milk triggers
of donors/migrations/0002 are respected rather than bypassed: clinical drop-offs are inserted while their
donor's stage is still "approved", and only afterwards one UPDATE moves the finished donors to "inactive".
"""

from __future__ import annotations

import datetime
import itertools
import random
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from donors import donor_months, milk_months
from donors.models import (
    BloodTest,
    Bloodwork,
    Counter,
    Depot,
    Donor,
    DonorMonth,
    DropOff,
    MilkMonth,
    ScreeningStep,
    Shipment,
    Task,
    TimelineEvent,
    name_key,
    phone_key,
)
from donors.reports.models import rebuild_screening_steps
from memorials.models import Butterfly
from milkbank import roles

SCALE_DOMAIN = "scale.invalid"
DEPOT_PREFIX = "Scale depot "
BATCH = 5_000
YEARS = 10
FREEZER_HOLDS = 150  # drop-offs waiting in one depot's freezer, at most

Stage = Donor.Stage

# Final stages and their share of donors: most donors are finished (inactive) or donating now (approved).
STAGE_SHARES = [
    (Stage.INACTIVE, 55),
    (Stage.APPROVED, 20),
    (Stage.RESEARCH_ONLY, 5),
    (Stage.INQUIRY, 3),
    (Stage.PHONE_SCREEN_PASSED, 1),
    (Stage.QUESTIONNAIRE_SENT, 3),
    (Stage.QUESTIONNAIRE_SUBMITTED, 1),
    (Stage.QUESTIONNAIRE_ACCEPTED, 1),
    (Stage.BLOODWORK_ORDERED, 1),
    (Stage.BLOODWORK_RESULTED, 1),
    (Stage.READY_FOR_SIGNOFF, 1),
    (Stage.DEFERRED, 3),
    (Stage.DECLINED, 2),
    (Stage.WITHDRAWN, 3),
]
NUMBERED = {Stage.APPROVED, Stage.INACTIVE, Stage.RESEARCH_ONLY}
BEREAVED_SHARE = 0.08

FIRST_NAMES = (
    "Amara Ana Aisha Beatriz Carmen Chloe Dana Elena Emily Fatima Grace Hana Ingrid Isabel Jade Jasmine "
    "Kaya Keiko Laila Lucia Maya Mei Mira Nadia Naomi Olivia Priya Quinn Rosa Ruth Sara Sofia Talia Uma "
    "Valeria Wen Ximena Yara Zoe Abigail Brianna Camila Daniela Esther Fiona Gabriela Hope Iris Julia"
).split()
LAST_NAMES = (
    "Anderson Baker Begay Chen Cruz Davis Diaz Edwards Flores Garcia Gonzalez Hansen Hernandez Ibrahim "
    "Jackson Johnson Kim Larson Lee Lopez Martin Martinez Miller Moore Nguyen Nelson Olson Patel Perez "
    "Peterson Quispe Ramirez Rivera Robinson Sanchez Smith Swanson Taylor Thomas Thompson Vang Walker "
    "White Williams Wilson Xiong Yang Young Zimmerman Her Lor Ali Hassan Mohamed Nielsen Schmidt Berg"
).split()
# Most surnames are rare: half the donors carry one built from these parts (about 48,000 of them), so a
# search for one person's surname finds a handful of donors at any size, as in a real bank's records.
SURNAME_STARTS = (
    "Ab Al Am Ar Ba Be Bo Ca Ch Da De Do El Fa Fe Ga Go Ha He Jo Ka Ke Ko La Le Lu Ma Me Mo Na Ne No Oa Pa "
    "Pe Ra Re Ro Sa Se So Ta Te To Va Ve Wa Ya Za"
).split()
SURNAME_MIDDLES = "bb d gg k l ld lm m n nd nn r rd rk rl s st t tt v z".split()
SURNAME_ENDS = (
    "a ack ado ar ard berg dahl e ek el en er ez ford gren ham i ich in ing is kin ko la lund man nen o "
    "off on os ova quist rud sen ski son stad ton uk us vik well"
).split()
BABY_NAMES = (
    "Ava Eli Finn Ivy Leo Luna Mia Noah Nora Oliver Ruby Sam Theo Willow Zara Ezra Hazel Jude".split()
)
REGIONS = [
    ("Minnesota", ["Minneapolis", "St. Paul", "Duluth", "Rochester", "Bemidji", "St. Cloud"]),
    ("Wisconsin", ["Eau Claire", "La Crosse", "Madison"]),
    ("North Dakota", ["Fargo", "Grand Forks"]),
    ("South Dakota", ["Sioux Falls"]),
    ("Iowa", ["Des Moines", "Mason City"]),
]
LABS = ["Quest Diagnostics", "Mayo Clinic Laboratories", "Allina Health Lab", "LabCorp"]


@dataclass
class SeedReport:
    donors: int = 0
    dropoffs: int = 0
    bloodwork: int = 0
    blood_tests: int = 0
    butterflies: int = 0
    shipments: int = 0
    timeline_events: int = 0
    tasks: int = 0
    audit_entries: int = 0
    depots: int = 0
    users: int = 0
    highest_donor_number: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class ScaleDataExists(Exception):
    """The database already holds scale data and --replace was not given."""


# --- Finding and removing what we made ---------------------------------------------------------------


def scale_donors():
    return Donor.objects.filter(email__endswith="@" + SCALE_DOMAIN)


def has_scale_data() -> bool:
    return (
        scale_donors().exists()
        or Depot.objects.filter(name__startswith=DEPOT_PREFIX).exists()
        or get_user_model().objects.filter(email__endswith="@" + SCALE_DOMAIN).exists()
    )


def _reverse_relations(model) -> list:
    """Every foreign key (and one-to-one) that points at `model`, hidden ones (related_name="+") included."""
    return [
        rel
        for rel in model._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def _delete_where(model, where: str, params: list, depth: int = 0) -> int:
    """Delete rows of `model` matching `where` (raw SQL on its table), children first, in set-based SQL.

    Django's own delete() would load every row into memory to send signals; at a million rows that is
    minutes and gigabytes. Everything deleted here is scale data, so no signal handler needs to see it.
    """
    if depth > 6:
        raise RuntimeError(f"Relations nest too deeply under {model.__name__}")
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    pk = qn(model._meta.pk.column)
    subquery = f"SELECT {pk} FROM {table} WHERE {where}"  # noqa: S608 - names from _meta, values as params
    for rel in _reverse_relations(model):
        child = rel.related_model
        if child is model:
            continue  # a row pointing at a row of its own table (a repeat test): the same DELETE takes both
        child_where = f"{qn(rel.field.column)} IN ({subquery})"
        _delete_where(child, child_where, params, depth + 1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE {where}", params)  # noqa: S608
        return cursor.rowcount


def _delete_audit_entries(like: str) -> int:
    """django-auditlog's rows point at their objects by content type and id, not by a foreign key."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    donors = "SELECT id FROM donors_donor WHERE email LIKE %s"
    total = 0
    with connection.cursor() as cursor:
        for model, ids in (
            (DropOff, f"SELECT id FROM donors_dropoff WHERE donor_id IN ({donors})"),  # noqa: S608 - constant SQL
            (Donor, donors),
        ):
            kind = ContentType.objects.get_for_model(model).pk
            table = connection.ops.quote_name(LogEntry._meta.db_table)
            sql = f"DELETE FROM {table} WHERE content_type_id = %s AND object_id IN ({ids})"  # noqa: S608
            cursor.execute(sql, [kind, like])
            total += cursor.rowcount
    return total


@transaction.atomic
def delete_scale_data() -> dict[str, int]:
    """Remove every row made by `seed` (and by the benchmark's own users), leaving all other data alone."""
    qn = connection.ops.quote_name
    email = qn(Donor._meta.get_field("email").column)
    like = "%@" + SCALE_DOMAIN
    deleted = {
        "audit entries": _delete_audit_entries(like),
        "donors": _delete_where(Donor, f"{email} LIKE %s", [like]),
        "depots": _delete_where(Depot, f"{qn('name')} LIKE %s", [DEPOT_PREFIX + "%"]),
    }
    user_model = get_user_model()
    user_email = qn(user_model._meta.get_field("email").column)
    deleted["users"] = _delete_where(user_model, f"{user_email} LIKE %s", [like])
    return deleted


# --- Writing rows fast -------------------------------------------------------------------------------


def _fill_defaults(model, names: list[str]) -> tuple[list[str], list]:
    """All concrete non-pk fields of `model`: the given names first, then the rest with their defaults."""
    rest = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key and f.attname not in names and f.name not in names
    ]
    now = timezone.now()
    defaults = [
        now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
        for f in rest
    ]
    return [*names, *[f.attname for f in rest]], defaults


def insert_rows(model, names: list[str], rows: Iterable[tuple], *, batch: int = BATCH) -> int:
    """Insert tuples of values for the fields `names`; other fields get their defaults.

    PostgreSQL: COPY FROM STDIN (one statement, rows streamed). Other databases: bulk_create in batches.
    auto_now/auto_now_add fields keep the value given on PostgreSQL (the rows carry realistic dates); with
    bulk_create Django sets them to now.
    """
    columns, defaults = _fill_defaults(model, names)
    extra = tuple(defaults)
    count = 0
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        fields = [model._meta.get_field(n) for n in columns]
        cols = ", ".join(qn(f.column) for f in fields)
        sql = f"COPY {qn(model._meta.db_table)} ({cols}) FROM STDIN"
        with connection.cursor() as wrapper:
            raw = wrapper.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row + extra)
                    count += 1
        return count
    iterator = iter(rows)
    while chunk := list(itertools.islice(iterator, batch)):
        model.objects.bulk_create(
            [model(**dict(zip(columns, row + extra, strict=True))) for row in chunk], batch_size=batch
        )
        count += len(chunk)
    return count


# A donor's way through screening, as the timeline records it (one event per step they passed).
_PATH = [
    Stage.INQUIRY,
    Stage.PHONE_SCREEN_PASSED,
    Stage.QUESTIONNAIRE_SENT,
    Stage.QUESTIONNAIRE_SUBMITTED,
    Stage.QUESTIONNAIRE_ACCEPTED,
    Stage.BLOODWORK_ORDERED,
    Stage.BLOODWORK_RESULTED,
    Stage.READY_FOR_SIGNOFF,
    Stage.APPROVED,
]
_EXITS = {Stage.DEFERRED: 5, Stage.DECLINED: 6, Stage.WITHDRAWN: 3, Stage.RESEARCH_ONLY: 1, Stage.INACTIVE: 9}
# How long each step usually takes, relative to the others (days, roughly): the phone screen waits for a
# call back, the donor takes a while with the questionnaire, the lab a week or two.
_STEP_WEIGHTS = {
    Stage.PHONE_SCREEN_PASSED: (1, 8),
    Stage.QUESTIONNAIRE_SENT: (0.1, 2),
    Stage.QUESTIONNAIRE_SUBMITTED: (1, 20),
    Stage.QUESTIONNAIRE_ACCEPTED: (0.5, 6),
    Stage.BLOODWORK_ORDERED: (0.5, 8),
    Stage.BLOODWORK_RESULTED: (3, 14),
    Stage.READY_FOR_SIGNOFF: (0.5, 10),
    Stage.APPROVED: (0.5, 5),
}


def _step_times(created, last, steps, rng) -> list:
    """When each step after the inquiry happened: gaps of each step's usual length (random, so the report's
    medians and percentiles spread as in a real bank), scaled to end at `last`."""
    weights = [rng.uniform(*_STEP_WEIGHTS.get(step, (1, 10))) for step in steps]
    span = max((last - created).total_seconds(), 60.0)
    times, done = [], 0.0
    for weight in weights:
        done += weight
        times.append(created + datetime.timedelta(seconds=span * done / sum(weights)))
    return times


def _timeline_and_tasks(*, rng, today, coordinator_ids) -> tuple[int, int]:
    """Each donor's timeline, a stage change per step they took (plus a phone-screen and a link event on
    the way), spread from their inquiry to their last change; and the coordinators' tasks: call-backs for
    inquiries (open when recent), follow-ups and reviews, most done."""
    donors = list(
        scale_donors()
        .order_by("pk")
        .values_list("pk", "stage", "created_at", "stage_changed_at", "approved_on", "finished_on")
    )

    def events():
        for pk, stage, created, changed, approved_on, finished_on in donors:
            # Finished donors are still "approved" here (see _donor_rows): their last step is "inactive".
            if stage in (Stage.APPROVED, Stage.INACTIVE) and finished_on is not None:
                stage = Stage.INACTIVE
            steps = _PATH[: _PATH.index(stage) + 1] if stage in _PATH else [*_PATH[: _EXITS[stage]], stage]
            yield (pk, created, None, "stage", "", Stage.INQUIRY, "Asked to donate", "")
            if stage == Stage.INACTIVE:  # screened up to the approval, then finished at the last change
                approved = _aware(approved_on, rng)
                times = [*_step_times(created, min(approved, changed), steps[1:-1], rng), changed]
            else:
                times = _step_times(created, changed, steps[1:], rng)
            for at, (before, after) in zip(times, itertools.pairwise(steps), strict=True):
                by = rng.choice(coordinator_ids)
                if after == Stage.PHONE_SCREEN_PASSED:
                    yield (pk, at, by, "phone_screen", "", "", "Phone screen passed", "")
                if after == Stage.QUESTIONNAIRE_SENT:
                    yield (pk, at, by, "link", "", "", "Questionnaire link sent", "")
                yield (
                    pk,
                    at,
                    by,
                    "stage",
                    before,
                    after,
                    f"{Stage(before).label} -> {Stage(after).label}",
                    "",
                )

    def tasks():
        recent = timezone.now() - datetime.timedelta(days=14)
        for pk, stage, created, *_rest in donors:
            roll = rng.random()
            if stage == Stage.INQUIRY:
                done = created < recent and roll < 0.8
                kind, title = "call_back", "Call back a new inquiry"
            elif roll < 0.3:
                done = roll < 0.28
                kind, title = rng.choice(
                    [("follow_up_result", "Follow up an unclear result"), ("review_flags", "Review answers")]
                )
            else:
                continue
            yield (
                pk,
                kind,
                title,
                created.date() + datetime.timedelta(days=2),
                created,
                (created + datetime.timedelta(days=rng.randrange(1, 5)) if done else None),
                rng.choice(coordinator_ids) if done else None,
            )

    made_events = insert_rows(
        TimelineEvent,
        ["donor_id", "at", "by_id", "kind", "from_stage", "to_stage", "summary", "reason"],
        events(),
    )
    made_tasks = insert_rows(
        Task, ["donor_id", "kind", "title", "due_on", "created_at", "done_at", "done_by_id"], tasks()
    )
    return made_events, made_tasks


def _audit_entries(actor_id: int) -> int:
    """What django-auditlog records as a bank works: the creation of every donor and drop-off (both are
    audited models), and a change on every donor who went past the inquiry. One INSERT ... SELECT each."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    qn = connection.ops.quote_name
    table = qn(LogEntry._meta.db_table)
    total = 0
    sources = [
        (Donor, "0", "'Donor #' || CAST(id AS TEXT)", "created_at", "email LIKE %s", ["%@" + SCALE_DOMAIN]),
        (
            Donor,
            "1",
            "'Donor #' || CAST(id AS TEXT)",
            "stage_changed_at",
            "email LIKE %s AND stage <> 'inquiry'",
            ["%@" + SCALE_DOMAIN],
        ),
        (
            DropOff,
            "0",
            "'Drop-off #' || CAST(id AS TEXT)",
            "received_at",
            "donor_id IN (SELECT id FROM donors_donor WHERE email LIKE %s)",
            ["%@" + SCALE_DOMAIN],
        ),
    ]
    with connection.cursor() as cursor:
        for model, action, text, at, where, params in sources:
            kind = ContentType.objects.get_for_model(model).pk
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_pk, object_id, object_repr, action, "  # noqa: S608
                f"changes_text, actor_id, timestamp) SELECT {int(kind)}, CAST(id AS TEXT), id, {text}, "
                f"{action}, '', {int(actor_id)}, {at} FROM {qn(model._meta.db_table)} WHERE {where}",
                params,
            )
            total += cursor.rowcount
    return total


def _milk_month_triggers(*, enabled: bool) -> None:
    """A row trigger per drop-off would cost the COPY of a million rows minutes: on PostgreSQL, switch it
    off for this transaction (ALTER TABLE is transactional) and rebuild the month totals once at the end."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            switch = "ENABLE" if enabled else "DISABLE"
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no ALTER TABLE while FK checks are pending
            cursor.execute(f"ALTER TABLE donors_dropoff {switch} TRIGGER donors_milkmonth_sync")
            cursor.execute(f"ALTER TABLE donors_dropoff {switch} TRIGGER donors_donormonth_sync")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _analyze(*models_) -> None:
    """Fresh planner statistics. On PostgreSQL outside a transaction, VACUUM too, as autovacuum would soon:
    it sets the hint bits and visibility map of the bulk-loaded rows, so the pages are measured on a table
    in its everyday state, not while each first read still writes."""
    if connection.vendor == "postgresql":
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- The data ----------------------------------------------------------------------------------------


def _aware(day: datetime.date, rng: random.Random) -> datetime.datetime:
    moment = datetime.datetime.combine(day, datetime.time(8)) + datetime.timedelta(minutes=rng.randrange(600))
    return timezone.make_aware(moment)


def _stage_picker(rng: random.Random) -> Callable[[], str]:
    stages = [s for s, _ in STAGE_SHARES]
    weights = list(itertools.accumulate(w for _, w in STAGE_SHARES))
    return lambda: rng.choices(stages, cum_weights=weights)[0]


def _staff(username: str, first: str, role: str | None):
    user_model = get_user_model()
    user = user_model(username=username, first_name=first, email=f"{username}@{SCALE_DOMAIN}", is_staff=True)
    user.set_unusable_password()  # the benchmark signs in with force_login; nobody can log in as these
    user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _make_staff_and_depots(depot_count: int):
    coordinators = [
        _staff(f"scale-coordinator-{i}", f"Coordinator {i}", roles.COORDINATOR) for i in (1, 2, 3)
    ]
    places = [(region, city) for region, cities in REGIONS for city in cities]
    depots, volunteers = [], []
    for i in range(depot_count):
        region, city = places[i % len(places)]
        depot = Depot.objects.create(
            name=f"{DEPOT_PREFIX}{i + 1:02d}",
            address_line1=f"{100 + i * 7} Main Street",
            city=city,
            region=region,
            postal_code=f"55{i:03d}",
            hours="Monday to Friday, 9 am to 5 pm",
            phone=f"555-01{i:02d}",
            contact_name="Depot lead",
            listed_publicly=i % 6 != 5,
        )
        volunteer = _staff(f"scale-volunteer-{i + 1}", f"Volunteer {i + 1}", roles.DEPOT_VOLUNTEER)
        depot.volunteers.add(volunteer)
        depot.volunteer_list = [volunteer]
        depots.append(depot)
        volunteers.append(volunteer)
    return coordinators, depots, volunteers


DONOR_FIELDS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "city",
    "region",
    "pathway",
    "research_consent",
    "contact_consent",
    "bereaved",
    "baby_first_name",
    "baby_birth_date",
    "stage",
    "stage_changed_at",
    "deferred_until",
    "return_stage",
    "exit_reason",
    "donor_number",
    "approved_on",
    "finished_on",
    "coordinator_id",
    "created_at",
    "updated_at",
    "search_first_name",
    "search_last_name",
    "search_phone",
]


def _donor_rows(count: int, *, rng, today, first_number: int, coordinator_ids: list[int], numbers: list):
    """Donor rows. Donors who will end as "inactive" are written as approved, with finished_on set.

    `numbers` receives the donor numbers handed out, so the caller can move the counter past them.
    """
    pick_stage = _stage_picker(rng)
    next_number = first_number
    ten_years = YEARS * 365
    for i in range(count):
        stage = pick_stage()
        first = rng.choice(FIRST_NAMES)
        if rng.random() < 0.5:
            last = rng.choice(LAST_NAMES)
        else:
            last = rng.choice(SURNAME_STARTS) + rng.choice(SURNAME_MIDDLES) + rng.choice(SURNAME_ENDS)
        region, cities = rng.choice(REGIONS)
        bereaved = rng.random() < BEREAVED_SHARE
        pathway = Donor.Pathway.RESEARCH if stage == Stage.RESEARCH_ONLY else Donor.Pathway.CLINICAL
        number = approved_on = finished_on = deferred_until = None
        return_stage = exit_reason = ""
        if stage == Stage.INACTIVE:
            approved_on = today - datetime.timedelta(days=rng.randrange(365, ten_years))
            finished_on = approved_on + datetime.timedelta(days=rng.randrange(30, 365))
            changed = finished_on
        elif stage == Stage.APPROVED:
            approved_on = today - datetime.timedelta(days=rng.randrange(1, 365))
            changed = approved_on
        elif stage == Stage.RESEARCH_ONLY:
            changed = today - datetime.timedelta(days=rng.randrange(1, ten_years))
        elif stage in Stage.in_screening():
            changed = today - datetime.timedelta(days=rng.randrange(0, 45))
        elif stage == Stage.DEFERRED:
            changed = today - datetime.timedelta(days=rng.randrange(1, 120))
            deferred_until = today + datetime.timedelta(days=rng.randrange(-10, 180))
            return_stage = Stage.QUESTIONNAIRE_ACCEPTED
            exit_reason = "A new medication; eligible again when it is finished."
        else:
            changed = today - datetime.timedelta(days=rng.randrange(1, ten_years))
            exit_reason = "The donor decided not to go on." if stage == Stage.WITHDRAWN else "Not eligible."
        if stage in NUMBERED:
            number = next_number
            next_number += 1
            numbers.append(number)
        insert_stage = Stage.APPROVED if stage == Stage.INACTIVE else stage
        changed_at = _aware(changed, rng)
        # Screening took 10 to 90 days before the last change (before the approval, for finished donors).
        screened = _aware(approved_on, rng) if stage == Stage.INACTIVE else changed_at
        created = min(screened, changed_at) - datetime.timedelta(days=rng.randrange(10, 90))
        baby_birth = today - datetime.timedelta(days=rng.randrange(30, ten_years)) if bereaved else None
        phone = f"555-{rng.randrange(1000, 10000)}"
        yield (
            first,
            last,
            f"{first.lower()}.{last.lower()}.{i}@{SCALE_DOMAIN}",
            phone,
            rng.choice(cities),
            region,
            pathway,
            pathway == Donor.Pathway.RESEARCH or rng.random() < 0.4,
            rng.random() < 0.7,
            bereaved,
            rng.choice(BABY_NAMES) if bereaved else "",
            baby_birth,
            insert_stage,
            changed_at,
            deferred_until,
            return_stage,
            exit_reason,
            number,
            approved_on,
            finished_on,
            rng.choice(coordinator_ids),
            created,
            changed_at,
            name_key(first),  # as Donor.save() would (COPY and bulk_create skip it)
            name_key(last),
            phone_key(phone),
        )


@dataclass(frozen=True)
class _Giver:
    pk: int
    research: bool
    research_consent: bool
    start: datetime.date
    end: datetime.date


DROPOFF_FIELDS = [
    "donor_id",
    "channel",
    "depot_id",
    "received_at",
    "received_by_id",
    "containers",
    "volume_ml",
    "expressed_from",
    "expressed_to",
    "health_declaration",
    "use",
    "status",
    "rejection_reason",
    "created_at",
    "shipment_id",
]


def _allocate(total: int, weights: list[int]) -> Iterator[int]:
    """Split `total` into len(weights) whole parts proportional to the weights, summing exactly to total."""
    whole = sum(weights)
    running = 0
    given = 0
    for w in weights:
        running += w
        upto = total * running // whole
        yield upto - given
        given = upto


def _week(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _shipment_rows(depots, *, rng, today, coordinator_ids, years: int = 11):
    """Each depot ships its freezer to the bank every week (Sunday evening), received the next morning."""
    week = _week(today - datetime.timedelta(days=365 * years))
    last = _week(today) - datetime.timedelta(days=7)
    while week <= last:
        shipped_at = timezone.make_aware(
            datetime.datetime.combine(week, datetime.time(18)) + datetime.timedelta(days=6)
        )
        for depot in depots:
            by = rng.choice(coordinator_ids)
            yield (
                depot.pk,
                shipped_at,
                by,
                "Courier",
                f"SC{depot.pk:03d}{week:%Y%m%d}",
                "dry_ice",
                rng.randrange(2, 40),
                shipped_at + datetime.timedelta(hours=rng.randrange(12, 40)),
                by,
                "frozen_solid" if rng.random() > 0.01 else "partly_thawed",
            )
        week += datetime.timedelta(days=7)


SHIPMENT_FIELDS = [
    "depot_id",
    "shipped_at",
    "shipped_by_id",
    "carrier",
    "tracking",
    "coolant",
    "containers",
    "received_at",
    "received_by_id",
    "condition",
]


def _dropoff_rows(givers: list[_Giver], total: int, *, rng, today, depots, coordinator_ids, shipments):
    depot_staff = [(d.pk, [v.pk for v in d.volunteer_list]) for d in depots]
    weights = [rng.choice((1, 2, 3, 4, 6, 8, 12)) for _ in givers]
    recent = today - datetime.timedelta(days=21)
    # A depot's freezer holds so much: milk from the last three weeks waits there until it is full; a busier
    # bank ships more often and opens more depots rather than keeping thousands of bags in one freezer.
    waiting = dict.fromkeys((d.pk for d in depots), 0)
    for giver, n in zip(givers, _allocate(total, weights), strict=True):
        span = max((giver.end - giver.start).days, 1)
        home_depot, home_volunteers = depot_staff[giver.pk % len(depot_staff)]
        for _ in range(n):
            day = giver.start + datetime.timedelta(days=rng.randrange(span))
            received_at = _aware(day, rng)
            roll = rng.random()
            if roll < 0.75:
                channel, depot_id, by = DropOff.Channel.DEPOT, home_depot, rng.choice(home_volunteers)
            elif roll < 0.9:
                channel, depot_id, by = DropOff.Channel.SHIPPED, None, rng.choice(coordinator_ids)
            else:
                channel, depot_id, by = DropOff.Channel.BROUGHT, None, rng.choice(coordinator_ids)
            expressed_to = day - datetime.timedelta(days=rng.randrange(0, 10))
            expressed_from = expressed_to - datetime.timedelta(days=rng.randrange(0, 60))
            if giver.research or (giver.research_consent and rng.random() < 0.05):
                use = DropOff.Use.RESEARCH
            else:
                use = DropOff.Use.CLINICAL
            reason = ""
            if channel == DropOff.Channel.DEPOT and day >= recent and waiting[depot_id] < FREEZER_HOLDS:
                status = DropOff.Status.AT_DEPOT
                waiting[depot_id] += 1
            elif rng.random() < 0.02:
                status, reason = DropOff.Status.REJECTED, "Thawed in transit"
            else:
                status = DropOff.Status.RECEIVED
            shipment = None
            if channel == DropOff.Channel.DEPOT and status != DropOff.Status.AT_DEPOT:
                shipment = shipments.get((depot_id, _week(day)))
            yield (
                giver.pk,
                channel,
                depot_id,
                received_at,
                by,
                rng.randrange(1, 30),
                rng.randrange(60, 12_000),
                expressed_from,
                expressed_to,
                True,
                use,
                status,
                reason,
                received_at,
                shipment,
            )


BLOODWORK_FIELDS = [
    "donor_id",
    "ordered_at",
    "ordered_by_id",
    "lab",
    "drawn_on",
    "cost",
    "resulted_at",
    "recorded_by_id",
    "status",
]


def _bloodwork_rows(donors: list[tuple], *, rng, today, coordinator_ids):
    """One clear panel per donor who was approved: drawn before approval, still valid for current donors."""
    from decimal import Decimal

    for pk, approved_on, finished_on in donors:
        if finished_on is None:  # donating now: bloodwork within the validity window
            drawn = max(approved_on - datetime.timedelta(days=14), today - datetime.timedelta(days=150))
        else:
            drawn = approved_on - datetime.timedelta(days=rng.randrange(7, 30))
        by = rng.choice(coordinator_ids)
        ordered_at = _aware(drawn - datetime.timedelta(days=3), rng)
        yield (
            pk,
            ordered_at,
            by,
            rng.choice(LABS),
            drawn,
            Decimal(rng.choice(("95.00", "120.50", "143.25"))),
            ordered_at + datetime.timedelta(days=7),
            by,
            Bloodwork.Status.CLEAR,
        )


def _blood_test_rows(bloodwork_ids: Iterable[int]):
    for pk in bloodwork_ids:
        for test in BloodTest.Test.values:
            yield (pk, test, BloodTest.Result.NEGATIVE, False)


def _butterfly_rows(bereaved: Iterable[tuple], *, rng, today, coordinator_id):
    """A butterfly for about half the bereaved donors; most families agree to show the name."""
    for pk, name, birth in bereaved:
        if rng.random() >= 0.5:
            continue
        shown = rng.random() < 0.7
        requested = birth + datetime.timedelta(days=rng.randrange(30, 200))
        requested = min(requested, today)
        yield (
            name,
            birth,
            pk,
            Butterfly.Source.STAFF,
            requested,
            Butterfly.Status.REQUESTED,
            shown,
            shown,
            _aware(requested, rng) if shown else None,
            coordinator_id if shown else None,
        )


BUTTERFLY_FIELDS = [
    "first_name",
    "birth_date",
    "donor_id",
    "source",
    "requested_on",
    "status",
    "show_name_consent",
    "approved",
    "approved_at",
    "approved_by_id",
]


def seed(
    *, donors: int, dropoffs: int, depots: int = 12, replace: bool = False, seed_value: int = 9, log=None
) -> SeedReport:
    """Create `donors` donors and `dropoffs` drop-offs (and their depots, staff, bloodwork, butterflies).

    Refuses (ScaleDataExists) when scale data is already there, unless `replace`, which first removes only
    the rows an earlier run made.
    """
    log = log or (lambda message: None)
    report = SeedReport()
    rng = random.Random(seed_value)  # noqa: S311 - test data, repeatable on purpose
    today = timezone.localdate()

    def step(name):
        started = time.monotonic()

        def done():
            report.seconds[name] = round(time.monotonic() - started, 2)
            log(f"  {name}: {report.seconds[name]:.1f} s")

        return done

    with transaction.atomic():
        _milk_month_triggers(enabled=False)
        if has_scale_data():
            if not replace:
                raise ScaleDataExists(
                    f"This database already holds scale data (emails @{SCALE_DOMAIN}). "
                    "Run with --replace to remove it and seed again."
                )
            done = step("delete old scale data")
            delete_scale_data()
            done()

        done = step("staff and depots")
        coordinators, depot_list, volunteers = _make_staff_and_depots(depots)
        coordinator_ids = [c.pk for c in coordinators]
        report.depots, report.users = len(depot_list), len(coordinators) + len(volunteers)
        done()

        # Donor numbers continue after the highest ever used, so none is reused (rule 6).
        counter, _ = Counter.objects.select_for_update().get_or_create(name="donor_number")
        highest = Donor.objects.aggregate(m=models.Max("donor_number"))["m"] or 0
        first_number = max(counter.value, highest) + 1

        done = step("donors")
        numbers: list[int] = []
        report.donors = insert_rows(
            Donor,
            DONOR_FIELDS,
            _donor_rows(
                donors,
                rng=rng,
                today=today,
                first_number=first_number,
                coordinator_ids=coordinator_ids,
                numbers=numbers,
            ),
        )
        report.highest_donor_number = numbers[-1] if numbers else counter.value
        if numbers:
            counter.value = max(counter.value, report.highest_donor_number)
            counter.save(update_fields=["value"])
        done()

        done = step("bloodwork and tests")
        approved = list(
            scale_donors()
            .filter(stage=Stage.APPROVED)
            .order_by("pk")
            .values_list("pk", "approved_on", "finished_on")
        )
        report.bloodwork = insert_rows(
            Bloodwork,
            BLOODWORK_FIELDS,
            _bloodwork_rows(approved, rng=rng, today=today, coordinator_ids=coordinator_ids),
        )
        bloodwork_ids = (
            Bloodwork.objects.filter(donor__email__endswith="@" + SCALE_DOMAIN)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Read before writing: a COPY in progress holds the connection, so no cursor can fetch meanwhile.
        bloodwork_ids = list(bloodwork_ids)
        report.blood_tests = insert_rows(
            BloodTest, ["bloodwork_id", "test", "result", "confirmed"], _blood_test_rows(bloodwork_ids)
        )
        done()

        done = step("shipments")
        report.shipments = insert_rows(
            Shipment,
            SHIPMENT_FIELDS,
            _shipment_rows(depot_list, rng=rng, today=today, coordinator_ids=coordinator_ids),
        )
        shipments = {
            (depot_id, _week(timezone.localtime(shipped_at).date())): pk
            for pk, depot_id, shipped_at in Shipment.objects.filter(depot__in=depot_list).values_list(
                "pk", "depot_id", "shipped_at"
            )
        }
        done()

        done = step("timeline events and tasks")
        report.timeline_events, report.tasks = _timeline_and_tasks(
            rng=rng, today=today, coordinator_ids=coordinator_ids
        )
        done()

        done = step("screening steps (the reports' summary of the timeline)")
        _analyze(Donor, TimelineEvent)  # the rows just loaded, so the planner sees their real numbers
        rebuild_screening_steps(
            donor_ids_sql="SELECT id FROM donors_donor WHERE email LIKE %s", params=["%@" + SCALE_DOMAIN]
        )
        done()

        done = step("drop-offs")
        givers = [
            _Giver(pk, pathway == Donor.Pathway.RESEARCH, consent, start, end)
            for pk, pathway, consent, start, end in _givers(today)
        ]
        report.dropoffs = insert_rows(
            DropOff,
            DROPOFF_FIELDS,
            _dropoff_rows(
                givers,
                dropoffs,
                rng=rng,
                today=today,
                depots=depot_list,
                coordinator_ids=coordinator_ids,
                shipments=shipments,
            ),
        )
        del givers
        done()

        done = step("finished donors to inactive")
        # One UPDATE, after their clinical milk is recorded (the trigger checks the stage only on insert).
        scale_donors().filter(stage=Stage.APPROVED, finished_on__isnull=False).update(stage=Stage.INACTIVE)
        done()

        done = step("butterflies")
        bereaved = (
            scale_donors()
            .filter(bereaved=True, baby_birth_date__isnull=False)
            .order_by("pk")
            .values_list("pk", "baby_first_name", "baby_birth_date")
        )
        bereaved = list(bereaved)
        report.butterflies = insert_rows(
            Butterfly,
            BUTTERFLY_FIELDS,
            _butterfly_rows(bereaved, rng=rng, today=today, coordinator_id=coordinator_ids[0]),
        )
        done()

        done = step("audit log")
        report.audit_entries = _audit_entries(coordinator_ids[0])
        done()

        done = step("milk month totals")
        _milk_month_triggers(enabled=True)
        milk_months.rebuild()
        donor_months.rebuild()
        done()

    done = step("analyze")
    _analyze(Donor, DropOff, Bloodwork, BloodTest, Butterfly, Depot, MilkMonth, DonorMonth, ScreeningStep)
    done()
    return report


def _givers(today: datetime.date) -> Iterator[tuple]:
    """Donors who give milk, with the window they gave it in: approved (now or before) and research donors."""
    rows = (
        scale_donors()
        .filter(stage__in=[Stage.APPROVED, Stage.RESEARCH_ONLY])
        .order_by("pk")
        .values_list("pk", "pathway", "research_consent", "approved_on", "finished_on", "stage_changed_at")
    )
    for pk, pathway, consent, approved_on, finished_on, changed_at in rows:
        if pathway == Donor.Pathway.RESEARCH:
            start = timezone.localdate(changed_at)
            end = min(start + datetime.timedelta(days=365), today)
        else:
            start, end = approved_on, finished_on or today
        yield pk, pathway, consent, start, end
