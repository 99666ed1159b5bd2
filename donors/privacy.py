"""Data rights: a donor's data on request, anonymization, and the retention period.

Anonymizing keeps what the bank counts (volumes, dates, stages, how many steps and messages) and removes who
the donor is (names, contact, address, date of birth, the baby's name and birth date) and what they told us
about their health (questionnaire and phone-screen answers, notes, lab, provider details, free-text reasons).
The field-by-field audit log holds the old values too, and Django admin's own log the donor's name, so their
entries for this donor are redacted the same way; who changed what and when stays.
"""

import datetime
import json
from typing import Any

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from . import links, questions
from .models import (
    BloodTest,
    Bloodwork,
    Deferral,
    Donor,
    DropOff,
    LabReport,
    PhoneScreen,
    Questionnaire,
    Release,
    SignOff,
    Task,
    TimelineEvent,
)
from .signals import donor_anonymized, donor_exporting
from .transitions import TransitionRefused

ANONYMIZED_NAME = "Anonymized"
REDACTED = "[removed]"

# Donor fields that say who the donor is, and the empty value each becomes.
IDENTITY_FIELDS: dict[str, Any] = {
    "first_name": ANONYMIZED_NAME,
    "last_name": "",
    "preferred_name": "",
    "email": "",
    "phone": "",
    "best_time_to_call": "",
    "date_of_birth": None,
    "address_line1": "",
    "address_line2": "",
    "city": "",
    # `region` (state or province) stays: it is coarse enough to count donors by, and names no one.
    "postal_code": "",
    "baby_first_name": "",
    "baby_birth_date": None,
    "exit_reason": "",
}


def retention_years() -> int:
    """How long a closed donor file is kept before it is anonymized (settings.MILKBANK["RETENTION_YEARS"])."""
    return int(settings.MILKBANK.get("RETENTION_YEARS", 7))


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def retention_cutoff(*, today: datetime.date | None = None) -> datetime.date:
    """Files closed before this day are past the retention period."""
    return _years_before(today or timezone.localdate(), retention_years())


def donors_past_retention(*, today: datetime.date | None = None) -> QuerySet[Donor]:
    """Donors whose file was closed (declined, withdrawn, inactive) longer ago than the retention period,
    and who still carry personal data."""
    cutoff = retention_cutoff(today=today)
    start_of_cutoff = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return Donor.objects.filter(
        stage__in=Donor.Stage.closed(),
        stage_changed_at__lt=start_of_cutoff,
        anonymized_at__isnull=True,
    ).order_by("pk")


def is_past_retention(donor: Donor, *, today: datetime.date | None = None) -> bool:
    return donors_past_retention(today=today).filter(pk=donor.pk).exists()


def anonymize_refusal(donor: Donor, *, today: datetime.date | None = None) -> str:
    """Why this donor cannot be anonymized now, in words for staff; "" when they can."""
    if donor.anonymized_at is not None:
        return "This donor's personal details were already removed."
    if donor.stage == Donor.Stage.WITHDRAWN or is_past_retention(donor, today=today):
        return ""
    if donor.is_closed:
        return (
            f"This file closed less than {retention_years()} years ago, so the bank still keeps it. "
            "It can be anonymized once the retention period has passed, or now if the donor withdraws."
        )
    return "Only a donor who has withdrawn can be anonymized now. Record the withdrawal first."


# --- Export ------------------------------------------------------------------------------------------


def _iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _person(user) -> str | None:
    """Staff are named by their display name only (no email or username)."""
    if user is None:
        return None
    return user.get_full_name() or user.get_username()


def donor_export(*, donor: Donor) -> dict:
    """Everything the bank holds about one donor, as plain JSON-ready data (a subject access request).

    Private link secrets are never included: only their hashes are stored, and they open nothing.
    """
    donor = Donor.objects.select_related("coordinator").get(pk=donor.pk)
    questionnaires = list(donor.questionnaires.order_by("number"))
    for q in questionnaires:
        q.donor = donor
    bloodwork = list(donor.bloodwork_set.order_by("ordered_at").prefetch_related("tests", "reports"))
    data = {
        "exported_at": _iso(timezone.now()),
        "bank": settings.MILKBANK["NAME"],
        "donor": {
            "id": donor.pk,
            "donor_number": donor.number_label or None,
            "first_name": donor.first_name,
            "last_name": donor.last_name,
            "preferred_name": donor.preferred_name,
            "email": donor.email,
            "phone": donor.phone,
            "best_time_to_call": donor.best_time_to_call,
            "preferred_contact": donor.get_preferred_contact_display(),
            "date_of_birth": _iso(donor.date_of_birth),
            "address_line1": donor.address_line1,
            "address_line2": donor.address_line2,
            "city": donor.city,
            "region": donor.region,
            "postal_code": donor.postal_code,
            "pathway": donor.get_pathway_display(),
            "research_consent": donor.research_consent,
            "contact_consent": donor.contact_consent,
            "reminders_opt_out": donor.reminders_opt_out,
            "bereaved": donor.bereaved,
            "baby_first_name": donor.baby_first_name,
            "baby_birth_date": _iso(donor.baby_birth_date),
            "stage": donor.get_stage_display(),
            "stage_changed_at": _iso(donor.stage_changed_at),
            "screening_round": donor.screening_round,
            "deferred_until": _iso(donor.deferred_until),
            "exit_reason": donor.exit_reason,
            "decline_reason": donor.get_decline_reason_display(),
            "approved_on": _iso(donor.approved_on),
            "finished_on": _iso(donor.finished_on),
            "coordinator": _person(donor.coordinator),
            "created_at": _iso(donor.created_at),
            "anonymized_at": _iso(donor.anonymized_at),
        },
        "phone_screens": [
            {
                "screened_at": _iso(s.screened_at),
                "screened_by": _person(s.screened_by),
                "minutes": s.minutes,
                "outcome": s.get_outcome_display(),
                "answers": s.answers,
                "notes": s.notes,
            }
            for s in donor.phone_screens.select_related("screened_by").order_by("screened_at")
        ],
        "questionnaires": [
            {
                "number": q.number,
                "question_set": q.question_set,
                "status": q.get_status_display(),
                "started_at": _iso(q.started_at),
                "submitted_at": _iso(q.submitted_at),
                "reviewed_at": _iso(q.reviewed_at),
                "review_note": q.review_note,
                "answers": [
                    {
                        "section": row.section,
                        "question": row.text,
                        "answer": row.answer,
                        "flagged": row.flagged,
                    }
                    for row in questions.review_rows(q)
                ],
                "flags": list(q.flags or []),
            }
            for q in questionnaires
        ],
        "bloodwork": [
            {
                "ordered_at": _iso(b.ordered_at),
                "lab": b.lab,
                "drawn_on": _iso(b.drawn_on),
                "resulted_at": _iso(b.resulted_at),
                "status": b.get_status_display(),
                "cost": str(b.cost) if b.cost is not None else None,
                "tests": [
                    {"test": t.get_test_display(), "result": t.get_result_display(), "confirmed": t.confirmed}
                    for t in b.tests.all()
                ],
                "lab_reports": [
                    {"added": _iso(r.uploaded_at), "type": r.get_content_type_display()}
                    for r in b.reports.all()
                ],
            }
            for b in bloodwork
        ],
        "releases": [
            {
                "kind": r.get_kind_display(),
                "provider_name": r.provider_name,
                "provider_phone": r.provider_phone,
                "provider_fax": r.provider_fax,
                "clinic": r.clinic,
                "status": r.get_status_display(),
                "sent_on": _iso(r.sent_on),
                "received_on": _iso(r.received_on),
                "notes": r.notes,
            }
            for r in donor.releases.order_by("kind")
        ],
        "signoffs": [
            {"round": s.screening_round, "by": _person(s.by), "at": _iso(s.at), "note": s.note}
            for s in donor.signoffs.select_related("by").order_by("at")
        ],
        "deferrals": [
            {
                "kind": d.get_kind_display(),
                "reason": d.reason,
                "starts_on": _iso(d.starts_on),
                "ends_on": _iso(d.ends_on),
            }
            for d in donor.deferrals.order_by("starts_on", "id")
        ],
        "dropoffs": [
            {
                "received_at": _iso(d.received_at),
                "channel": d.get_channel_display(),
                "depot": d.depot.name if d.depot else None,
                "containers": d.containers,
                "volume_ml": d.volume_ml,
                "expressed_from": _iso(d.expressed_from),
                "expressed_to": _iso(d.expressed_to),
                "health_declaration": d.health_declaration,
                "use": d.get_use_display(),
                "status": d.get_status_display(),
                "rejection_reason": d.rejection_reason,
            }
            for d in donor.dropoffs.select_related("depot").order_by("received_at", "id")
        ],
        "timeline": [
            {
                "at": _iso(e.at),
                "what": e.get_kind_display(),
                "summary": e.summary,
                "reason": e.reason,
                "by": _person(e.by),
            }
            for e in donor.timeline.select_related("by").order_by("at", "id")
        ],
    }
    # What other apps keep about the donor (the memorial registry's butterflies).
    for _receiver, sections in donor_exporting.send(sender=Donor, donor=donor):
        data.update(sections or {})
    return data


# --- Anonymization -----------------------------------------------------------------------------------


def _redact_changes(changes):
    """Keep which fields changed, drop every value."""
    if not isinstance(changes, dict):
        return {}
    return {
        field: [REDACTED, REDACTED] if isinstance(value, list | tuple) else REDACTED
        for field, value in changes.items()
    }


def _redact_admin_message(message: str) -> str:
    """Django admin's change message: keep which fields changed, drop the names of added or deleted rows."""
    try:
        parts = json.loads(message)
    except ValueError:
        return REDACTED if message else ""
    if not isinstance(parts, list):
        return REDACTED
    for part in parts:
        for detail in part.values() if isinstance(part, dict) else ():
            if isinstance(detail, dict) and "object" in detail:
                detail["object"] = REDACTED
    return json.dumps(parts)


def redact_audit_entries(related: dict, *, label: str) -> int:
    """Redact the audit entries of the given objects ({model: [pk, ...]}): django-auditlog's field-by-field
    and access entries, and Django admin's own log (shown as "Recent actions" on the staff home).

    Which fields changed, who changed them and when stay; every value goes, and each entry is named `label`
    plus its kind instead of the object's old name.
    """
    condition, admin_condition = Q(pk__in=[]), Q(pk__in=[])
    for model, pks in related.items():
        if pks:
            content_type = ContentType.objects.get_for_model(model)
            condition |= Q(content_type=content_type, object_pk__in=[str(pk) for pk in pks])
            admin_condition |= Q(content_type=content_type, object_id__in=[str(pk) for pk in pks])
    admin_entries = list(AdminLogEntry.objects.filter(admin_condition).select_related("content_type"))
    for entry in admin_entries:
        entry.object_repr = f"{entry.content_type.name} {label}"[:200]
        entry.change_message = _redact_admin_message(entry.change_message)
    AdminLogEntry.objects.bulk_update(admin_entries, ["object_repr", "change_message"], batch_size=500)
    entries = list(LogEntry.objects.filter(condition).select_related("content_type"))
    for entry in entries:
        entry.object_repr = f"{entry.content_type.name} {label}"
        entry.changes = _redact_changes(entry.changes)
        entry.changes_text = ""
        entry.serialized_data = None
        entry.additional_data = None
    LogEntry.objects.bulk_update(
        entries,
        ["object_repr", "changes", "changes_text", "serialized_data", "additional_data"],
        batch_size=500,
    )
    return len(entries)


def _redact_audit_log(donor: Donor) -> int:
    """Redact the field-by-field audit entries of the donor and everything hanging off them."""
    related = {
        Donor: [donor.pk],
        PhoneScreen: list(donor.phone_screens.values_list("pk", flat=True)),
        Questionnaire: list(donor.questionnaires.values_list("pk", flat=True)),
        Bloodwork: list(donor.bloodwork_set.values_list("pk", flat=True)),
        BloodTest: list(BloodTest.objects.filter(bloodwork__donor=donor).values_list("pk", flat=True)),
        Release: list(donor.releases.values_list("pk", flat=True)),
        SignOff: list(donor.signoffs.values_list("pk", flat=True)),
        Deferral: list(donor.deferrals.values_list("pk", flat=True)),
        DropOff: list(donor.dropoffs.values_list("pk", flat=True)),
    }
    return redact_audit_entries(related, label=anonymized_label(donor))


def anonymized_label(donor: Donor) -> str:
    return f"of an anonymized donor (#{donor.pk})"


@transaction.atomic
def donor_anonymize(*, donor: Donor, by, today: datetime.date | None = None) -> None:
    """Remove the donor's identity and health answers, keep the statistics, revoke their links.

    Allowed for a donor who withdrew, or whose closed file is past the retention period. Refused (with a
    message for staff) otherwise, or when already done.
    """
    locked = Donor.objects.select_for_update().get(pk=donor.pk)
    problem = anonymize_refusal(locked, today=today)
    if problem:
        raise TransitionRefused(problem, code="not_allowed")
    why = "the donor withdrew" if locked.stage == Donor.Stage.WITHDRAWN else "the retention period ended"
    now = timezone.now()
    # The writes below would copy every old value into the audit log; it records one entry naming the fields.
    with disable_auditlog():
        for name, value in IDENTITY_FIELDS.items():
            setattr(locked, name, value)
        locked.reminders_opt_out = True
        locked.anonymized_at = now
        locked.save(update_fields=[*IDENTITY_FIELDS, "reminders_opt_out", "anonymized_at", "updated_at"])
        PhoneScreen.objects.filter(donor=locked).update(answers={}, notes="")
        Questionnaire.objects.filter(donor=locked).update(answers={}, flags=[], review_note="")
        Bloodwork.objects.filter(donor=locked).update(lab="")
        # The lab's reports carry her name: the rows go now, the files once this commits.
        reports = LabReport.objects.filter(bloodwork__donor=locked)
        files = [(r.file.storage, r.file.name) for r in reports]
        reports.delete()
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
        Release.objects.filter(donor=locked).update(
            provider_name="", provider_phone="", provider_fax="", clinic="", notes=""
        )
        SignOff.objects.filter(donor=locked).update(note="")
        Deferral.objects.filter(donor=locked).update(reason="")
        TimelineEvent.objects.filter(donor=locked).update(reason="")
        Task.objects.filter(donor=locked, done_at__isnull=True).update(done_at=now, done_by=by)
    links.link_revoke_all(donor=locked)
    redacted = _redact_audit_log(locked)
    # Other apps (the memorial registry) remove what they keep about the donor, in this transaction.
    donor_anonymized.send(sender=Donor, donor=locked, by=by)
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Donor),
        object_pk=str(locked.pk),
        object_id=locked.pk,
        object_repr=f"Anonymized donor (#{locked.pk})",
        action=LogEntry.Action.UPDATE,
        changes={name: [REDACTED, REDACTED] for name in IDENTITY_FIELDS},
        actor=by,
        additional_data={"anonymized": True, "why": why, "audit_entries_redacted": redacted},
    )
    TimelineEvent.objects.create(
        donor=locked,
        by=by,
        kind=TimelineEvent.Kind.NOTE,
        summary="Personal details and health answers removed (anonymized)",
        reason=f"Anonymized because {why}.",
    )
    donor.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
