"""One gate for staff pages that live outside the admin (depot work, data rights, memorial work lists)."""

from functools import wraps

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
