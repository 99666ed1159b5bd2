from axes.helpers import get_cool_off
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timesince


def not_found(request, exception=None):
    # The language switcher offers each language's home page: this address is not found in any language.
    return render(request, "404.html", {"page_not_found": True}, status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    """A form refused for a missing or stale security token (CSRF_FAILURE_VIEW): what to do, in our words."""
    return render(request, "403_csrf.html", status=403)


def locked_out(request, original_response=None, credentials=None):
    """Too many failed sign-ins (AXES_LOCKOUT_CALLABLE): say for how long, in words ("30 minutes")."""
    now = timezone.now()
    pause = get_cool_off(request)
    context = {"pause": timesince(now - pause, now).replace("\xa0", " ") if pause else ""}
    return render(request, "registration/locked_out.html", context, status=429)
