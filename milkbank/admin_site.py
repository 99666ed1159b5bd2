"""The staff admin site: Django's admin with two-factor sign-in (django-otp) when REQUIRE_STAFF_2FA is on.

Staff with an authenticator set up must give its code (or a one-time recovery code) at sign-in. Staff without
one sign in with their password and are sent straight to set one up; until then no admin page opens.
"""

from django import forms
from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django_otp import devices_for_user
from django_otp.admin import OTPAdminSite
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice


def has_confirmed_device(user) -> bool:
    return any(True for _ in devices_for_user(user, confirmed=True))


class StaffLoginForm(AdminAuthenticationForm):
    """One form, one submit: username, password and, once two-step sign-in is set up, the code from the
    member's authenticator app or one of their recovery codes. The device is the member's own, chosen by the
    code's shape (six digits: the app; otherwise a recovery code). The password is never sent back."""

    code = forms.CharField(
        label="Two-step code",
        required=False,
        max_length=20,
        help_text="The 6-digit code your authenticator app shows now, or one of your recovery codes. "
        "Leave it empty if you have not set up two-step sign-in yet.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autocapitalize": "none"}),
    )
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "code_required": "Enter the code your authenticator app shows now, or one of your recovery codes.",
        "code_wrong": "That code did not match. Check the time on your phone and try the newest code, "
        "or use one of your recovery codes.",
        "code_paused": "Too many wrong codes. Please wait a minute and try the newest code.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not settings.REQUIRE_STAFF_2FA:
            del self.fields["code"]

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        if settings.REQUIRE_STAFF_2FA and user is not None and has_confirmed_device(user):
            try:
                user.otp_device = self._verified_device(user, "".join(cleaned.get("code", "").split()))
            except forms.ValidationError as refused:
                self.add_error("code", refused)
        return cleaned

    def _verified_device(self, user, code):
        if not code:
            raise forms.ValidationError(self.error_messages["code_required"], code="code_required")
        kind = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
        code = code if kind is TOTPDevice else code.lower()
        paused = False
        with transaction.atomic():
            for device in kind.objects.devices_for_user(user, confirmed=True).select_for_update():
                allowed, _ = device.verify_is_allowed()
                if not allowed:
                    paused = True
                elif device.verify_token(code):
                    return device
        if paused:
            raise forms.ValidationError(self.error_messages["code_paused"], code="code_paused")
        raise forms.ValidationError(self.error_messages["code_wrong"], code="code_wrong")


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
    login_template = "registration/staff_login.html"

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
