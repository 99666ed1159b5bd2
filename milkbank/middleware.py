import time

from auditlog.middleware import AuditlogMiddleware as PackageAuditlogMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import Http404
from django.utils.translation import get_language_from_path

from .net import client_ip

SESSION_STARTED = "milkbank_session_started"


@receiver(user_logged_in)
def _mark_session_start(sender, request, user, **kwargs):
    request.session[SESSION_STARTED] = int(time.time())


class StaffPagesInEnglish:
    """The staff site stays in English: a staff page asked for under a language prefix (/es/.../staff/...)
    is not found, so there is one address for each staff page and no half-translated staff screen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = get_language_from_path(request.path_info)
        if language and language != settings.LANGUAGE_CODE and "/staff/" in request.path_info:
            raise Http404("The staff pages are in English.")
        return self.get_response(request)


class StaffSessionLimitMiddleware:
    """End a signed-in session after an absolute limit, however active (the idle limit is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED)
            if started is None:
                request.session[SESSION_STARTED] = int(time.time())
            elif time.time() - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
        return self.get_response(request)


class AuditlogMiddleware(PackageAuditlogMiddleware):
    """django-auditlog's, recording the visitor's address found behind our proxies (the package takes the
    leftmost X-Forwarded-For entry, which the visitor writes)."""

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request) or None
