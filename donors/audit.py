"""Which donor records are audited field by field (rule 9). Reads are logged separately."""

from auditlog.registry import auditlog

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
)

auditlog.register(Donor)
auditlog.register(PhoneScreen)
auditlog.register(Questionnaire)
auditlog.register(Bloodwork)
auditlog.register(BloodTest)
auditlog.register(Release)
auditlog.register(SignOff)
auditlog.register(Deferral)
auditlog.register(DropOff)
auditlog.register(LabReport)
