"""Setting up two-factor sign-in: an authenticator app (TOTP) plus ten one-time recovery codes."""

import io
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


class TokenForm(forms.Form):
    token = forms.CharField(
        label="The 6-digit code your app shows now",
        min_length=6,
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].strip()
        if not token.isdigit():
            raise forms.ValidationError("Enter the six digits only.", code="digits")
        return token


def typed_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed: base32 in groups of four (the QR code's secret)."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _qr_svg(uri: str) -> str:
    # Path-based SVG with attributes, not inline styles, so it shows under the strict CSP.
    image = qrcode.make(uri, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode()
    return svg[svg.index("<svg") :]


@staff_member_required
@transaction.atomic
def setup(request):
    user = request.user
    confirmed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    if confirmed and not user.is_verified():
        return redirect("admin:login")  # sign in with the app first; then codes can be renewed
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None and not confirmed:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    codes = None
    if request.method == "POST" and not confirmed and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = _new_recovery_codes(user)
            messages.success(request, "Two-step sign-in is on. Keep your recovery codes somewhere safe.")
        else:
            form.add_error(
                "token", "That code did not match. Check the time on your phone and try the newest code."
            )
    elif request.method == "POST" and confirmed and request.POST.get("renew") == "codes":
        codes = _new_recovery_codes(user)
        messages.success(request, "New recovery codes made. The old ones no longer work.")
    context = {
        **admin.site.each_context(request),
        "form": form,
        "confirmed": confirmed or codes is not None,
        "codes": codes,
        "qr": mark_safe(_qr_svg(device.config_url)) if device and not device.confirmed else "",  # noqa: S308 - our own SVG
        "secret": typed_key(device) if device and not device.confirmed else "",
        "title": "Two-step sign-in",
    }
    response = render(request, "registration/two_factor_setup.html", context)
    add_never_cache_headers(response)
    return response


def _new_recovery_codes(user) -> list[str]:
    static, _ = StaticDevice.objects.get_or_create(
        user=user, name="Recovery codes", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes
