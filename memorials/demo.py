"""Demo quilts and butterflies in every status, for trying the memorial registry. Safe to run twice."""

import datetime

from django.utils import timezone

from donors.models import Donor

from .models import Butterfly, Quilt

QUILTS = [
    # name, capacity, started, completed, on display since, where
    (
        "Quilt 1",
        24,
        datetime.date(2021, 10, 1),
        datetime.date(2023, 3, 15),
        datetime.date(2023, 4, 1),
        "Lobby",
    ),
    ("Quilt 2", 36, datetime.date(2023, 4, 1), None, None, "Sewing room"),
]

# Older paper records and website requests: first name, birth date, family, address, status, quilt place,
# keepsake (made, sent, how), consent, approved. Names in several scripts, as families write them.
FAMILIES = [
    (
        "Zoë",
        datetime.date(2021, 9, 2),
        "The Lindqvist family",
        "12 Elm Street\nDuluth, MN 55802",
        "on_quilt",
        ("Quilt 1", 1),
        (True, True, "mailed"),
        True,
        True,
    ),
    (
        "李明",
        datetime.date(2022, 2, 14),
        "Wei Chen",
        "400 Cedar Ave\nMinneapolis, MN 55454",
        "on_quilt",
        ("Quilt 1", 2),
        (True, True, "given"),
        True,
        True,
    ),
    (
        "Ngọc",
        datetime.date(2022, 7, 30),
        "Lan Tran",
        "88 River Road\nSt. Paul, MN 55101",
        "on_quilt",
        ("Quilt 2", 1),
        (True, False, ""),
        True,
        False,
    ),
    (
        "عائشة",
        datetime.date(2023, 11, 5),
        "Amina Hassan",
        "5 Lake Drive\nRochester, MN 55901",
        "sewing",
        None,
        (False, False, ""),
        False,
        False,
    ),
    (
        "Mateo",
        datetime.date(2024, 1, 20),
        "Sofia Ruiz",
        "31 Pine Court\nMankato, MN 56001",
        "requested",
        None,
        (False, False, ""),
        True,
        False,
    ),
    # Website requests: one waiting for review, one declined (it was already on a quilt).
    (
        "Theo",
        datetime.date(2024, 6, 3),
        "Grace Miller",
        "",
        "to_review",
        None,
        (False, False, ""),
        True,
        False,
    ),
    (
        "Zoë",
        datetime.date(2021, 9, 2),
        "Erik Lindqvist",
        "12 Elm Street\nDuluth, MN 55802",
        "declined",
        None,
        (False, False, ""),
        False,
        False,
    ),
]
DECLINE_NOTE = (
    "Zoë's butterfly is already on our first quilt, from the request your family sent before. "
    "Her keepsake reached you in the spring; if you would like another, please call us."
)


def _days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def _butterfly(defaults, lookup, status, place, keepsake, approved, quilts, by):
    if Butterfly.objects.filter(**lookup).exists():
        return False
    butterfly = Butterfly(**lookup, **defaults)
    # Demo rows are written directly to show every state at once; staff go through memorials.services.
    if status in ("to_review", "declined"):
        butterfly.source = Butterfly.Source.FORM
        butterfly.contact_email = "family@example.org"
        butterfly.keepsake_wish = (
            Butterfly.KeepsakeWish.MAIL if butterfly.mailing_address else Butterfly.KeepsakeWish.COLLECT
        )
        butterfly.status = Butterfly.Status(status)
    if status == "declined":
        butterfly.decline_note = DECLINE_NOTE
        butterfly.reviewed_at, butterfly.reviewed_by = timezone.now(), by
    if status in ("sewing", "on_quilt"):
        butterfly.status = Butterfly.Status.SEWING
        butterfly.sewing_started_on = _days_ago(90)
    if status == "on_quilt":
        quilt = quilts[place[0]]
        butterfly.status = Butterfly.Status.ON_QUILT
        butterfly.quilt, butterfly.position, butterfly.placed_on = quilt, place[1], _days_ago(60)
    made, sent, method = keepsake
    if made:
        butterfly.keepsake_made_on = _days_ago(60)
    if sent:
        butterfly.keepsake_sent_on, butterfly.keepsake_method = _days_ago(45), method
    if approved:
        butterfly.approved, butterfly.approved_at, butterfly.approved_by = True, timezone.now(), by
    butterfly.save()
    return True


def seed(*, users, stdout):
    quilts = {}
    for name, capacity, started, completed, on_display, where in QUILTS:
        quilts[name], _ = Quilt.objects.get_or_create(
            name=name,
            defaults={
                "capacity": capacity,
                "started_on": started,
                "completed_on": completed,
                "on_display_since": on_display,
                "location": where,
            },
        )
    by = users.get("memorial")
    added = 0
    # Requests spread over the past 18 months, so the reports count butterflies month by month.
    for index, (first, born, family, address, status, place, keepsake, consent, approved) in enumerate(
        FAMILIES
    ):
        added += _butterfly(
            {
                "mailing_address": address,
                "source": Butterfly.Source.PAPER,
                "requested_on": max(born, _days_ago(540 - 60 * index)),
                "show_name_consent": consent,
            },
            {"first_name": first, "birth_date": born, "family_name": family},
            status,
            place,
            keepsake,
            approved,
            quilts,
            by,
        )

    # Bereaved donors from the donors demo, if any: one butterfly each, in turn requested, sewing, on Quilt 2.
    donors = Donor.objects.filter(bereaved=True).exclude(baby_first_name="").exclude(baby_birth_date=None)
    statuses = ["requested", "sewing", "on_quilt"]
    for index, donor in enumerate(donors.order_by("id")[:6]):
        status = statuses[index % 3]
        place = ("Quilt 2", 10 + index) if status == "on_quilt" else None
        added += _butterfly(
            {
                "first_name": donor.baby_first_name[:20],
                "birth_date": donor.baby_birth_date,
                "requested_on": max(donor.baby_birth_date, _days_ago(20 + 75 * index)),
                "show_name_consent": index % 2 == 0,
            },
            {"donor": donor},
            status,
            place,
            (status == "on_quilt", False, ""),
            index % 2 == 0,
            quilts,
            by,
        )
    stdout.write(f"Forever Butterflies: {len(quilts)} quilts, {added} new butterflies.")
