"""Staff sign-in and browser protections: CSP and headers, lockout, session limits, two-step sign-in."""

import datetime

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ADMIN = "/admin/"
LOGIN = "/admin/login/"


@pytest.mark.parametrize("url", ["/", "/admin/login/", "/donate/"])
def test_every_page_carries_a_strict_content_security_policy_and_safety_headers(client, url):
    response = client.get(url)
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_admin_pages_have_no_inline_script_or_style(client, coordinator):
    client.force_login(coordinator)
    for url in (ADMIN, reverse("admin:donors_donor_changelist"), reverse("admin:donors_donor_dashboard")):
        body = client.get(url).content.decode()
        assert "<script>" not in body and " style=" not in body and "<style" not in body, url


def test_passwords_must_be_long_and_uncommon():
    for bad in ("short", "password1234", "123456789012"):
        with pytest.raises(ValidationError):
            validate_password(bad)


def test_repeated_failed_sign_ins_lock_the_account_from_that_address(client, coordinator, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "casey", "password": "wrong-password-123"})
    locked = client.post(LOGIN, {"username": "casey", "password": PASSWORD})
    assert locked.status_code == 429
    assert "Signing in is paused" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_an_idle_session_ends_after_thirty_minutes(client, coordinator, settings):
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client.post(LOGIN, {"username": "casey", "password": PASSWORD})
    assert client.get(ADMIN).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20)):
        assert client.get(ADMIN).status_code == 200  # activity keeps it alive
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=20 + 31)):
        assert client.get(ADMIN).status_code == 302


def test_a_session_ends_after_twelve_hours_however_active(client, coordinator, settings):
    settings.SESSION_SAVE_EVERY_REQUEST = True
    client.post(LOGIN, {"username": "casey", "password": PASSWORD})
    start = timezone.now()
    for minutes in range(20, 12 * 60, 20):
        with time_machine.travel(start + datetime.timedelta(minutes=minutes)):
            assert client.get(ADMIN).status_code == 200
    with time_machine.travel(start + datetime.timedelta(hours=12, minutes=10)):
        response = client.get(ADMIN)
    assert response.status_code == 302 and LOGIN in response["Location"]


class TestTwoStepSignIn:
    @pytest.fixture(autouse=True)
    def _on(self, settings):
        settings.REQUIRE_STAFF_2FA = True

    def test_staff_without_an_authenticator_must_set_one_up_before_anything(self, client, coordinator):
        response = client.post(LOGIN, {"username": "casey", "password": PASSWORD}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("two_factor_setup")
        assert client.get(reverse("admin:donors_donor_changelist")).status_code == 302

    def test_setup_refuses_a_wrong_code_and_a_right_one_gives_recovery_codes(self, client, coordinator):
        client.post(LOGIN, {"username": "casey", "password": PASSWORD})
        page = client.get(reverse("two_factor_setup"))
        assert "<svg" in page.content.decode()
        device = TOTPDevice.objects.get(user=coordinator)
        right = f"{TOTP(device.bin_key).token():06d}"
        wrong = "111111" if right != "111111" else "222222"
        assert "did not match" in client.post(reverse("two_factor_setup"), {"token": wrong}).content.decode()
        for bad in ("", "12345", "abcdef", "<b>1</b>"):
            assert client.post(reverse("two_factor_setup"), {"token": bad}).status_code == 200
        device.refresh_from_db()
        assert not device.confirmed
        device.throttle_reset()  # a wrong code slows the next try down; the test does not wait for it
        done = client.post(reverse("two_factor_setup"), {"token": f"{TOTP(device.bin_key).token():06d}"})
        assert "Your recovery codes" in done.content.decode()
        assert StaticToken.objects.filter(device__user=coordinator).count() == 10
        assert client.get(reverse("admin:donors_donor_changelist")).status_code == 200

    def test_once_set_up_sign_in_needs_the_code_or_a_recovery_code_used_once(self, client, coordinator):
        device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
        from milkbank.two_factor import _new_recovery_codes

        codes = _new_recovery_codes(coordinator)
        without = client.post(LOGIN, {"username": "casey", "password": PASSWORD})
        assert without.status_code == 200 and "_auth_user_id" not in client.session
        good = client.post(
            LOGIN, {"username": "casey", "password": PASSWORD, "code": f"{TOTP(device.bin_key).token():06d}"}
        )
        assert good.status_code == 302
        assert client.get(ADMIN).status_code == 200
        client.logout()
        data = {"username": "casey", "password": PASSWORD, "code": codes[0].upper()}
        assert client.post(LOGIN, data).status_code == 302
        client.logout()
        assert client.post(LOGIN, data).status_code == 200  # each recovery code works once

    def test_sign_in_is_one_form_in_our_words_and_never_sends_the_password_back(self, client, coordinator):
        device = TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
        form = client.get(LOGIN).content.decode()
        assert 'name="code"' in form and "authenticator app" in form and "otp_device" not in form

        right = f"{TOTP(device.bin_key).token():06d}"
        wrong = "111111" if right != "111111" else "222222"
        for code, message in (("", "Enter the code"), (wrong, "That code did not match")):
            response = client.post(LOGIN, {"username": "casey", "password": PASSWORD, "code": code})
            page = response.content.decode()
            assert response.status_code == 200 and message in page
            assert PASSWORD not in page
            assert "Please select a device" not in page and "OTP" not in page
            assert "_auth_user_id" not in client.session
        device.throttle_reset()
        signed_in = client.post(LOGIN, {"username": "casey", "password": PASSWORD, "code": right})
        assert signed_in.status_code == 302 and client.get(ADMIN).status_code == 200

    def test_a_code_from_someone_elses_device_does_not_sign_you_in(self, client, coordinator, coordinator2):
        TOTPDevice.objects.create(user=coordinator, name="app", confirmed=True)
        theirs = TOTPDevice.objects.create(user=coordinator2, name="app", confirmed=True)
        code = f"{TOTP(theirs.bin_key).token():06d}"
        response = client.post(LOGIN, {"username": "casey", "password": PASSWORD, "code": code})
        assert response.status_code == 200 and "_auth_user_id" not in client.session

    def test_the_setup_page_gives_the_key_in_base32_groups_of_four(self, client, coordinator):
        import base64
        import re

        client.post(LOGIN, {"username": "casey", "password": PASSWORD})
        page = client.get(reverse("two_factor_setup")).content.decode()
        device = TOTPDevice.objects.get(user=coordinator)
        shown = re.search(r'<code class="otp-key">([^<]+)</code>', page)[1]
        assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})*", shown), shown
        assert base64.b32decode(shown.replace(" ", "")) == device.bin_key
        assert device.key not in page  # not the hex form apps cannot take


@pytest.mark.parametrize(
    "url",
    [
        "/donate/staff/depots/",
        "/donate/staff/dropoffs/new/",
        "/donate/staff/dropoffs/export.csv",
        "/butterflies/staff/queue/",
    ],
)
def test_staff_pages_outside_the_admin_also_need_the_second_step(client, coordinator, settings, url):
    settings.REQUIRE_STAFF_2FA = True
    client.post(LOGIN, {"username": "casey", "password": PASSWORD, "next": ADMIN})  # password only
    response = client.get(url)
    assert response.status_code == 302 and LOGIN in response["Location"]


def test_the_data_export_needs_the_second_step(client, coordinator, settings):
    from donors import transitions as t

    donor = t.donor_create_inquiry(first_name="Ada", phone="555-0100", contact_consent=True)
    settings.REQUIRE_STAFF_2FA = True
    client.post(LOGIN, {"username": "casey", "password": PASSWORD, "next": ADMIN})
    response = client.get(reverse("donors:donor_export_json", args=[donor.pk]))
    assert response.status_code == 302 and b"Ada" not in response.content


class TestLockoutBehindTheProxy:
    """Behind our reverse proxy every request comes from the proxy's address: lockouts must key on the visitor
    found in X-Forwarded-For (as the flood limits do), together with the username."""

    @pytest.fixture(autouse=True)
    def _on(self, settings):
        settings.AXES_ENABLED = True
        settings.TRUSTED_PROXY_COUNT = 1

    @staticmethod
    def _post(client, visitor, password):
        return client.post(
            LOGIN,
            {"username": "casey", "password": password},
            REMOTE_ADDR="10.0.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR=f"6.6.6.6, {visitor}",  # the leftmost entry is the visitor's own claim
        )

    def test_a_stranger_cannot_lock_a_staff_member_out(self, client, coordinator, settings):
        from axes.models import AccessAttempt

        for _ in range(settings.AXES_FAILURE_LIMIT):
            self._post(client, "198.51.100.9", "wrong-password-123")
        assert self._post(client, "198.51.100.9", PASSWORD).status_code == 429  # the stranger is paused
        attempt = AccessAttempt.objects.get(username="casey")
        assert attempt.ip_address == "198.51.100.9"  # the visitor, not the proxy nor the spoofable claim

        client.cookies.clear()
        signed_in = self._post(client, "203.0.113.7", PASSWORD)  # casey, from her own address
        assert signed_in.status_code == 302 and "_auth_user_id" in client.session

    def test_a_spoofed_leftmost_address_does_not_reset_the_count(self, client, coordinator, settings):
        for n in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                LOGIN,
                {"username": "casey", "password": "wrong-password-123"},
                REMOTE_ADDR="10.0.0.2",
                HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 198.51.100.9",
            )
        assert self._post(client, "198.51.100.9", PASSWORD).status_code == 429


def test_the_lockout_page_speaks_in_the_banks_words_and_an_administrator_can_lift_it(
    client, coordinator, settings
):
    from django.core.management import call_command

    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(LOGIN, {"username": "casey", "password": "wrong-password-123"})
    locked = client.post(LOGIN, {"username": "casey", "password": PASSWORD})

    page = locked.content.decode()
    assert locked.status_code == 429
    assert "Signing in is paused for 30 minutes" in page
    assert settings.MILKBANK["NAME"] in page and settings.MILKBANK["COORDINATOR_PHONE"] in page
    assert "PT30M" not in page and "Django administration" not in page
    # The README's way to lift it early.
    call_command("axes_reset_username", "casey")
    assert client.post(LOGIN, {"username": "casey", "password": PASSWORD}).status_code == 302


def test_a_form_refused_for_a_missing_or_old_security_token_says_what_to_do_in_our_words(settings):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("donors:inquiry"), {"first_name": "Ada"})

    page = response.content.decode()
    assert response.status_code == 403
    assert "Please go back, reload the page and try again" in page
    assert settings.MILKBANK["NAME"] in page and settings.MILKBANK["COORDINATOR_PHONE"] in page
    assert "CSRF" not in page and "Forbidden" not in page and "Django" not in page
