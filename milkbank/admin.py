"""The audit and access log in the admin (superusers only): django-auditlog's page, saying how each record
was read, and itself logging each raw audit entry of a health record that a superuser opens."""

from auditlog.admin import LogEntryAdmin
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib import admin
from django.contrib.admin.utils import unquote

from .access import record_audit_entry_read

admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class AuditEntryAdmin(LogEntryAdmin):
    list_display = [*LogEntryAdmin.list_display[:3], "read_how", *LogEntryAdmin.list_display[3:]]
    readonly_fields = [*LogEntryAdmin.readonly_fields, "read_how"]
    fieldsets = [
        LogEntryAdmin.fieldsets[0],
        (LogEntryAdmin.fieldsets[1][0], {"fields": ["action", "read_how", "msg"]}),
    ]

    @admin.display(description="read how")
    def read_how(self, entry):
        return (
            (entry.additional_data or {}).get("access", "") if entry.action == LogEntry.Action.ACCESS else ""
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        entry = self.get_object(request, unquote(object_id))
        model = entry.content_type.model_class()
        audited = model is not None and auditlog.contains(model)
        if audited and entry.action != LogEntry.Action.ACCESS and self.has_view_permission(request, entry):
            record_audit_entry_read(entry)
        return super().change_view(request, object_id, form_url, extra_context)
