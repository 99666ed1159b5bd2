import re

import pytest
from playwright.sync_api import expect

from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_home_page_renders_with_the_banks_name(page, settings):
    page.goto("/")
    expect(page.locator("h1").first).to_be_visible()
    assert settings.MILKBANK["NAME"] in page.title()
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(1)


def test_a_staff_user_logs_in_to_the_admin(page, coordinator):
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="Today's work")).to_be_visible()


def test_axe_finds_no_serious_problems_on_the_home_page(page, axe):
    page.goto("/")
    axe(page)
