"""Every change of a butterfly's status goes through here: a website request is reviewed (accepted, linked
to its donor record, or declined with a kind note), then requested -> being sewn -> on a quilt, the
keepsake, and staff approval for the public wall. Each function checks its rule and refuses with a message
staff can act on (a ValidationError), so a form can show it next to the right field and nothing is half-saved.
"""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from donors import notify
from donors.models import Donor
from milkbank import roles

from .models import Butterfly, Quilt
from .validators import validate_no_markup

EMAIL_FOLDER = "memorials/email"


class MemorialRefusal(ValidationError):
    """A status change the rules do not allow; the message says why and what to do instead."""


def _lock(butterfly: Butterfly) -> Butterfly:
    """Re-read the butterfly under a row lock, so two staff acting at once cannot both change it."""
    return Butterfly.objects.select_for_update().get(pk=butterfly.pk)


def _today(on: datetime.date | None) -> datetime.date:
    today = timezone.localdate()
    day = on or today
    if day > today:
        raise MemorialRefusal("That date is in the future.", code="future")
    return day


def _full_clean_and_save(butterfly: Butterfly) -> Butterfly:
    butterfly.full_clean()
    butterfly.save()
    return butterfly


@transaction.atomic
def butterfly_request_for_family(
    *,
    first_name: str,
    birth_date: datetime.date,
    family_name: str,
    mailing_address: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    keepsake_wish: str = "",
    show_name_consent: bool = False,
    source: str = Butterfly.Source.FORM,
    requested_on: datetime.date | None = None,
    notes: str = "",
    language: str = "",
) -> Butterfly:
    """Record a butterfly for a family without a donor record: a website request or an older paper record.

    A website request waits for staff review: memorial staff are emailed (in English), and the family gets a
    short acknowledgement, in `language` (the page's they asked on), when they gave an email. Records staff
    write themselves go straight to the queue.
    """
    from_website = source == Butterfly.Source.FORM
    butterfly = Butterfly(
        status=Butterfly.Status.TO_REVIEW if from_website else Butterfly.Status.REQUESTED,
        keepsake_wish=keepsake_wish,
        first_name=first_name.strip(),
        birth_date=birth_date,
        family_name=family_name.strip(),
        mailing_address=mailing_address.strip(),
        contact_email=contact_email.strip(),
        contact_phone=contact_phone.strip(),
        show_name_consent=show_name_consent,
        source=source,
        requested_on=requested_on or timezone.localdate(),
        notes=notes,
        language=notify.language_for(language),
    )
    butterfly = _full_clean_and_save(butterfly)
    if from_website:
        _email_memorial_staff()
        _email_family(butterfly, "request_received")
    return butterfly


def _email_memorial_staff() -> None:
    """Tell memorial staff a request is waiting; the email holds no family details (they are in the list)."""
    to = list(
        get_user_model()
        .objects.filter(groups__name=roles.MEMORIAL_STAFF, is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    notify.email_people(to=to, name="staff_new_request", context={}, folder=EMAIL_FOLDER)


def _email_family(butterfly: Butterfly, name: str) -> bool:
    """Write to the family when they gave an email; say whether a message was written."""
    if not butterfly.contact_email:
        return False
    notify.email_people(
        to=[butterfly.contact_email],
        name=name,
        context={"butterfly": butterfly},
        folder=EMAIL_FOLDER,
        language=butterfly.language,
    )
    return True


def _lock_to_review(butterfly: Butterfly) -> Butterfly:
    butterfly = _lock(butterfly)
    if butterfly.status != Butterfly.Status.TO_REVIEW:
        raise MemorialRefusal(
            "This request has already been reviewed; it is %(status)s.",
            code="reviewed",
            params={"status": butterfly.get_status_display().lower()},
        )
    return butterfly


@transaction.atomic
def butterfly_request_accept(*, butterfly: Butterfly, by: AbstractBaseUser) -> Butterfly:
    """Accept a website request: it joins the sewing queue and the quilters' work order."""
    butterfly = _lock_to_review(butterfly)
    butterfly.status = Butterfly.Status.REQUESTED
    butterfly.reviewed_at = timezone.now()
    butterfly.reviewed_by = by
    butterfly.save(update_fields=["status", "reviewed_at", "reviewed_by", "updated_at"])
    return butterfly


@transaction.atomic
def butterfly_request_link_donor(*, butterfly: Butterfly, donor: Donor, by: AbstractBaseUser) -> Butterfly:
    """Link a website request to the donor record it matches; the family's own contact details stay."""
    butterfly = _lock_to_review(butterfly)
    # Only a record that matches this request (same email, phone, or baby's name and date), never any other.
    if not butterfly.donor_matches().filter(pk=donor.pk).exists():
        raise MemorialRefusal(
            "That donor record does not match this request, so it cannot be linked.",
            code="not_linkable",
        )
    butterfly.donor = donor
    butterfly.save(update_fields=["donor", "updated_at"])
    return butterfly


@transaction.atomic
def butterfly_request_decline(
    *, butterfly: Butterfly, by: AbstractBaseUser, note: str
) -> tuple[Butterfly, bool]:
    """Decline a website request with a kind note, emailed to the family when they gave an email.

    Returns the butterfly and whether the family was emailed (if not, staff call them with the note).
    """
    butterfly = _lock_to_review(butterfly)
    note = note.strip()
    if not note:
        raise MemorialRefusal("Please write a few kind words to the family.", code="no_note")
    butterfly.status = Butterfly.Status.DECLINED
    butterfly.decline_note = note
    butterfly.reviewed_at = timezone.now()
    butterfly.reviewed_by = by
    validate_no_markup(note)  # the note alone: the rest of the request was checked when it arrived
    butterfly.save(update_fields=["status", "decline_note", "reviewed_at", "reviewed_by", "updated_at"])
    return butterfly, _email_family(butterfly, "request_declined")


@transaction.atomic
def butterfly_start_sewing(*, butterfly: Butterfly, on: datetime.date | None = None) -> Butterfly:
    butterfly = _lock(butterfly)
    if butterfly.status == Butterfly.Status.TO_REVIEW:
        raise MemorialRefusal(
            "This request from the website is waiting for review; accept it first.", code="to_review"
        )
    if butterfly.status != Butterfly.Status.REQUESTED:
        raise MemorialRefusal(
            "Only a requested butterfly can go to the quilters; this one is already %(status)s.",
            code="not_requested",
            params={"status": butterfly.get_status_display().lower()},
        )
    butterfly.status = Butterfly.Status.SEWING
    butterfly.sewing_started_on = _today(on)
    butterfly.save(update_fields=["status", "sewing_started_on", "updated_at"])
    return butterfly


@transaction.atomic
def butterfly_place_on_quilt(
    *,
    butterfly: Butterfly,
    quilt: Quilt,
    position: int,
    on: datetime.date | None = None,
    onto_completed: bool = False,
) -> Butterfly:
    """Sew a finished butterfly onto a quilt at a numbered place (or move it to another place).

    A completed quilt is refused unless `onto_completed` says staff saw the warning and mean it.
    """
    butterfly = _lock(butterfly)
    # Lock the quilt too: its capacity cannot change, and no one else can take the place, until we commit.
    quilt = Quilt.objects.select_for_update().get(pk=quilt.pk)
    if butterfly.status not in (Butterfly.Status.SEWING, Butterfly.Status.ON_QUILT):
        raise MemorialRefusal("This butterfly has not been sewn yet; start sewing it first.", code="not_sewn")
    if quilt.completed_on and not onto_completed and butterfly.quilt_id != quilt.pk:
        raise MemorialRefusal(
            "%(quilt)s was completed on %(completed)s. Tick the box to place this butterfly on it anyway.",
            code="quilt_completed",
            params={"quilt": quilt.name, "completed": date_format(quilt.completed_on, "F j, Y")},
        )
    if not 1 <= position <= quilt.capacity:
        raise MemorialRefusal(
            "%(quilt)s has places 1 to %(capacity)d.",
            code="position_out_of_range",
            params={"quilt": quilt.name, "capacity": quilt.capacity},
        )
    taken = Butterfly.objects.filter(quilt=quilt, position=position).exclude(pk=butterfly.pk).first()
    if taken is not None:
        raise MemorialRefusal(
            "Place %(position)d on %(quilt)s already holds %(name)s's butterfly.",
            code="position_taken",
            params={"position": position, "quilt": quilt.name, "name": taken.first_name},
        )
    butterfly.status = Butterfly.Status.ON_QUILT
    butterfly.quilt = quilt
    butterfly.position = position
    butterfly.placed_on = _today(on)
    if butterfly.sewing_started_on is None:
        butterfly.sewing_started_on = butterfly.placed_on
    butterfly.save(
        update_fields=["status", "quilt", "position", "placed_on", "sewing_started_on", "updated_at"]
    )
    return butterfly


@transaction.atomic
def keepsake_record_made(*, butterfly: Butterfly, on: datetime.date | None = None) -> Butterfly:
    butterfly = _lock(butterfly)
    if butterfly.status not in Butterfly.Status.accepted():
        raise MemorialRefusal(
            "This butterfly is %(status)s, so no keepsake is being made.",
            code="not_accepted",
            params={"status": butterfly.get_status_display().lower()},
        )
    day = _today(on)
    if butterfly.keepsake_sent_on and day > butterfly.keepsake_sent_on:
        raise MemorialRefusal("The keepsake was already given or mailed before that date.", code="after_sent")
    butterfly.keepsake_made_on = day
    butterfly.save(update_fields=["keepsake_made_on", "updated_at"])
    return butterfly


@transaction.atomic
def keepsake_record_sent(*, butterfly: Butterfly, method: str, on: datetime.date | None = None) -> Butterfly:
    """Record that the family has the keepsake butterfly: given in person or mailed, and when."""
    butterfly = _lock(butterfly)
    if method not in (Butterfly.KeepsakeMethod.GIVEN, Butterfly.KeepsakeMethod.MAILED):
        raise MemorialRefusal("Choose whether it was given in person or mailed.", code="method")
    if butterfly.keepsake_made_on is None:
        raise MemorialRefusal(
            "Record that the keepsake has been made before it is given or mailed.", code="not_made"
        )
    day = _today(on)
    if day < butterfly.keepsake_made_on:
        raise MemorialRefusal(
            "It cannot be given or mailed before it was made (%(made)s).",
            code="before_made",
            params={"made": butterfly.keepsake_made_on.isoformat()},
        )
    if method == Butterfly.KeepsakeMethod.MAILED and not butterfly.keepsake_address:
        raise MemorialRefusal(
            "There is no mailing address for this family; add one before recording it as mailed.",
            code="no_address",
        )
    butterfly.keepsake_sent_on = day
    butterfly.keepsake_method = method
    butterfly.save(update_fields=["keepsake_sent_on", "keepsake_method", "updated_at"])
    return butterfly


@transaction.atomic
def butterfly_set_approval(*, butterfly: Butterfly, approved: bool, by: AbstractBaseUser) -> Butterfly:
    """Staff approval for the public wall. The wall still needs the family's own consent as well."""
    butterfly = _lock(butterfly)
    if approved and butterfly.status not in Butterfly.Status.accepted():
        raise MemorialRefusal(
            "This butterfly is %(status)s; accept the request before approving the name for the wall.",
            code="not_accepted",
            params={"status": butterfly.get_status_display().lower()},
        )
    butterfly.approved = approved
    butterfly.approved_at = timezone.now() if approved else None
    butterfly.approved_by = by if approved else None
    butterfly.save(update_fields=["approved", "approved_at", "approved_by", "updated_at"])
    return butterfly


def forget_donor_family(*, donor: Donor, **_signal_kwargs) -> int:
    """When a donor is anonymized, remove how to reach the family from the donor's butterflies.

    The baby's first name and birth date stay: they are sewn on a quilt, and whether they show online is the
    family's own consent, which stays as they gave it. Audit entries lose the old values, as the donor's do.
    Returns how many butterflies were changed.
    """
    from auditlog.context import disable_auditlog

    from donors.privacy import anonymized_label, redact_audit_entries

    pks = list(Butterfly.objects.filter(donor=donor).values_list("pk", flat=True))
    if not pks:
        return 0
    with disable_auditlog():
        Butterfly.objects.filter(pk__in=pks).update(
            family_name="", mailing_address="", contact_email="", contact_phone=""
        )
    redact_audit_entries({Butterfly: pks}, label=anonymized_label(donor))
    return len(pks)


def donor_butterflies_export(*, donor: Donor, **_signal_kwargs) -> dict:
    """The donor's butterflies for their data export (donors.privacy.donor_export)."""
    rows = Butterfly.objects.filter(donor=donor).select_related("quilt").order_by("requested_on", "id")
    return {
        "butterflies": [
            {
                "first_name": b.first_name,
                "birth_date": b.birth_date.isoformat(),
                "requested_on": b.requested_on.isoformat(),
                "status": b.get_status_display(),
                "quilt": str(b.quilt) if b.quilt else None,
                "position": b.position,
                "keepsake_made_on": b.keepsake_made_on.isoformat() if b.keepsake_made_on else None,
                "keepsake_sent_on": b.keepsake_sent_on.isoformat() if b.keepsake_sent_on else None,
                "keepsake_method": b.get_keepsake_method_display() if b.keepsake_method else "",
                "show_name_online": b.show_name_consent,
                "family_name": b.family_name,
                "mailing_address": b.mailing_address,
                "contact_email": b.contact_email,
                "contact_phone": b.contact_phone,
            }
            for b in rows
        ]
    }
