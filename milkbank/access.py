"""One gate for staff pages that live outside the admin (depot work, data rights, memorial work lists), and
the access log: who read which record, and how."""

from functools import wraps

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.decorators import permission_required
from django.utils.cache import add_never_cache_headers


def staff_permission(perm: str):
    """The admin site's own gate (signed in, staff, and two-step verified when REQUIRE_STAFF_2FA is on; others
    go to the staff login), then the one permission the page needs (403 without it). Never cached."""

    def decorator(view):
        @wraps(view)
        def private(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            response["X-Robots-Tag"] = "noindex, nofollow"
            return response

        return wraps(view)(admin.site.admin_view(permission_required(perm, raise_exception=True)(private)))

    return decorator


# How a record was read, as the access log says it.
VIEW, EXPORT, PRINT, AUDIT_ENTRY = "view", "export", "print", "audit entry"


def record_access(instance, *, how: str) -> None:
    """Write to the access log that the signed-in user read `instance` (who, when and from where come from
    the request, via the audit-log middleware): opened it (VIEW), downloaded it (EXPORT) or printed it."""
    LogEntry.objects.log_create(
        instance, action=LogEntry.Action.ACCESS, force_log=True, additional_data={"access": how}
    )


def record_audit_entry_read(entry: LogEntry) -> None:
    """Write to the access log that the signed-in user read a raw audit entry: it holds the record's old
    values, so it counts as reading the record itself (which may no longer exist)."""
    LogEntry.objects.create(
        content_type=entry.content_type,
        object_pk=entry.object_pk,
        object_id=entry.object_id,
        object_repr=entry.object_repr,
        action=LogEntry.Action.ACCESS,
        additional_data={"access": AUDIT_ENTRY, "entry": entry.pk},
    )
