"""Changes to quilts and butterflies are kept in the audit log: who changed a name, a place or a consent."""

from auditlog.registry import auditlog

from .models import Butterfly, Quilt

auditlog.register(Quilt)
auditlog.register(Butterfly)
