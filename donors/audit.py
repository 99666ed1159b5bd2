"""Which donor and milk records are audited field by field (rule 9), and the one way to change them in bulk.

Reads are logged separately. A bare `QuerySet.update()` on an audited model leaves no entry, so every bulk
write goes through `update_logged()` (pretix's habit: after a bulk_update, one audit entry per row).
"""

import copy

from auditlog.cid import get_cid
from auditlog.diff import model_instance_diff
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import QuerySet

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
    Shipment,
    SignOff,
    Task,
)

# The search columns only repeat the names and phone in folded form (kept by Donor.save()).
auditlog.register(Donor, exclude_fields=[key for key, _fold in Donor.SEARCH_KEYS.values()])
auditlog.register(PhoneScreen)
auditlog.register(Questionnaire)
auditlog.register(Bloodwork)
auditlog.register(BloodTest)
auditlog.register(Release)
auditlog.register(SignOff)
auditlog.register(Deferral)
auditlog.register(DropOff)
auditlog.register(Shipment)
auditlog.register(Task)
auditlog.register(LabReport)


@transaction.atomic
def update_logged(queryset: QuerySet, *, by, reason: str = "", **values) -> list:
    """Set `values` on every row of `queryset` (locked), with one audit entry per changed row.

    Returns the rows that changed. The entries carry `by` as the actor and the reason, if any, in
    `additional_data`, so a correction's old values and its why stay together in the history.
    Three queries whatever the number of rows: the locked read, the bulk update, the bulk insert of entries.
    """
    model = queryset.model
    fields = list(values)
    changed = []
    for row in queryset.select_for_update().order_by("pk"):
        before = copy.copy(row)
        for field, value in values.items():
            setattr(row, field, value)
        diff = model_instance_diff(before, row, fields_to_check=fields)
        if diff:
            changed.append((row, diff))
    if not changed:
        return []
    model.objects.bulk_update([row for row, _diff in changed], fields)
    content_type = ContentType.objects.get_for_model(model)
    cid = get_cid()
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=content_type,
            object_pk=str(row.pk),
            object_id=row.pk,
            object_repr=str(row)[:2000],
            action=LogEntry.Action.UPDATE,
            changes=diff,
            actor=by,
            actor_email=getattr(by, "email", None),
            additional_data={"reason": reason} if reason else None,
            cid=cid,
        )
        for row, diff in changed
    )
    return [row for row, _diff in changed]
