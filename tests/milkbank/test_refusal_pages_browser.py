"""The pages a person meets when refused: a sign-in pause and a form whose security token went stale."""

import pytest
from playwright.sync_api import expect

from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_too_many_wrong_passwords_show_the_pause_in_the_banks_words(page, coordinator, settings, axe):
    settings.AXES_ENABLED = True
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        admin_login(page, "casey", password="not-the-password-1")
        expect(page.get_by_text("Please enter the correct username and password")).to_be_visible()
    admin_login(page, "casey", password="not-the-password-1")
    expect(page.get_by_role("heading", name="Signing in is paused for 30 minutes")).to_be_visible()
    admin_login(page, "casey")  # the right password, too soon
    expect(page.get_by_role("heading", name="Signing in is paused for 30 minutes")).to_be_visible()
    expect(page.get_by_text(settings.MILKBANK["NAME"]).first).to_be_visible()
    axe(page)


def test_a_form_sent_without_its_security_cookie_says_what_to_do(phone_page, settings, axe):
    phone_page.goto("/donate/")
    phone_page.context.clear_cookies()  # as when cookies are blocked or the page sat open too long
    phone_page.get_by_label("First name").fill("Maya")
    phone_page.get_by_role("button", name="Send my details").click()
    expect(phone_page.get_by_role("heading", name="That did not go through")).to_be_visible()
    expect(phone_page.get_by_text("Please go back, reload the page and try again.")).to_be_visible()
    axe(phone_page)
