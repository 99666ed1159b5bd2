"""Which donor records are audited field by field (rule 9). Reads are logged separately."""

from auditlog.registry import auditlog

from .models import (
    BloodTest,
    Bloodwork,
    Deferral,
    Donor,
    DropOff,
    PhoneScreen,
    Questionnaire,
    Release,
    SignOff,
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
