"""Two-step sign-in in the browser: set up an app by typing the key shown, then sign in with one form."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.conftest import PASSWORD, admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(key: bytes, *, steps_ahead: int = 0) -> str:
    """What an authenticator app fed `key` shows now (or in a later 30-second step, within the tolerance)."""
    totp = TOTP(key)
    totp.time = time.time() + 30 * steps_ahead
    return f"{totp.token():06d}"


def test_staff_set_up_two_step_sign_in_from_the_typed_key_then_sign_in_with_one_form(
    page, coordinator, settings, axe
):
    settings.REQUIRE_STAFF_2FA = True
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/two-step/$"))
    key_shown = page.locator("code.otp-key")
    expect(key_shown).to_have_text(re.compile(r"^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$"))
    axe(page)
    # What a person types into their app: the letters shown, spaces and all.
    key = b32decode(key_shown.inner_text().replace(" ", ""))
    assert key == TOTPDevice.objects.get(user=coordinator).bin_key
    page.get_by_label("The 6-digit code your app shows now").fill(_code(key))
    page.get_by_role("button", name="Turn on two-step sign-in").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()

    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("casey")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Two-step code").fill("000000" if _code(key, steps_ahead=1) != "000000" else "999999")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("That code did not match")).to_be_visible()
    expect(page.get_by_label("Password")).to_have_value("")  # never sent back
    axe(page)
    TOTPDevice.objects.get(user=coordinator).throttle_reset()

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Two-step code").fill(_code(key, steps_ahead=1))  # the next code: the first was used
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Today's work")).to_be_visible()
