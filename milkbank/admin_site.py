"""The staff admin site: Django's admin with two-factor sign-in (django-otp) when REQUIRE_STAFF_2FA is on.

Staff with an authenticator set up must give its code (or a one-time recovery code) at sign-in. Staff without
one sign in with their password and are sent straight to set one up; until then no admin page opens.
"""

from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import Http404
from django.shortcuts import redirect
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


class StaffLoginForm(OTPAdminAuthenticationForm):
    def clean(self):
        cleaned = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if settings.REQUIRE_STAFF_2FA and user is not None and has_confirmed_device(user):
            self.clean_otp(user)
        return cleaned


class MissingRecordIs404:
    """A record that does not exist answers 404 on every admin page of it (change, history, audit log,
    delete), like one outside the user's scope; Django would redirect, and the audit-log page would crash."""

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such record.")
        return obj


class MilkbankAdminSite(OTPAdminSite):
    login_form = StaffLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        # Every ModelAdmin, ours and the packages' (auth, auditlog, axes, otp), gets the same rule.
        admin_class = admin_class or ModelAdmin
        if not issubclass(admin_class, MissingRecordIs404):
            bases = (MissingRecordIs404, admin_class)
            admin_class = type(admin_class.__name__, bases, {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)

    def __init__(self, name="admin"):
        # OTPAdminSite names itself "otpadmin"; as the default site it must keep the "admin" namespace.
        super().__init__(name)

    def has_permission(self, request):
        if not settings.REQUIRE_STAFF_2FA:
            return AdminSite.has_permission(self, request)
        return super().has_permission(request)

    def login(self, request, extra_context=None):
        user = request.user
        if (
            settings.REQUIRE_STAFF_2FA
            and user.is_authenticated
            and user.is_active
            and user.is_staff
            and not user.is_verified()
            and not has_confirmed_device(user)
        ):
            return redirect("two_factor_setup")
        return super().login(request, extra_context)
