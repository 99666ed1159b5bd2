"""The public pages in a browser: accessible on desktop and phone, the plan tool, feedback, print."""

import re
from importlib import import_module
from types import SimpleNamespace

import pytest
import time_machine
from django.apps import apps
from django.db import connection
from django.utils import timezone
from playwright.sync_api import expect

from resources.models import Feedback
from tests.resources.test_phone_line import SATURDAY_2AM, WEDNESDAY_10AM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _starter_content(transactional_db):
    """Transactional tests empty every table when they end; load the starter content again (idempotent).

    (serialized_rollback would do it too, but Playwright's event loop leaves Django holding another
    connection object, without the serialized copy, from the second browser test on.)
    """
    migration = import_module("resources.migrations.0002_starter_content")
    migration.load_starter_content(apps, SimpleNamespace(connection=connection))


def public_pages():
    today = timezone.localdate().isoformat()
    return [
        "/",
        "/lactation-after-loss/",
        "/suppressing-your-supply/",
        "/continuing-to-express/",
        "/memorializing-milk/",
        "/donating-after-loss/",
        "/for-professionals/",
        "/grief-resources/",
        "/grief-resources/?region=planet",
        "/other-milk-banks/?region=regional",
        "/pumping-plan/",
        f"/pumping-plan/?sessions=6&days_per_step=3&start={today}",
        f"/pumping-plan/?sessions=0&days_per_step=9&start={today}",
        "/donating-after-loss/handout/",
        "/search/?q=milk",
        "/search/?q=nothing-matches-this",
        "/donate/",
        "/donate/thank-you/",
        "/donate/depots/",
        "/donate/my-page/",
        "/butterflies/",
        "/butterflies/thank-you/",
    ]


def _check_every_public_page(browser_page, axe):
    for url in public_pages():
        response = browser_page.goto(url)
        assert response.status == 200, url
        axe(browser_page)
        # Nothing is wider than the screen, so nobody has to scroll sideways to read.
        assert browser_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url


def test_every_public_page_has_no_serious_accessibility_problem_on_a_desktop(page, axe):
    with time_machine.travel(WEDNESDAY_10AM):  # the phone line open
        _check_every_public_page(page, axe)


def test_every_public_page_has_no_serious_accessibility_problem_on_a_phone(phone_page, axe):
    with time_machine.travel(SATURDAY_2AM):  # the phone line closed: the 24-hour lines show
        _check_every_public_page(phone_page, axe)


def test_on_a_phone_every_main_link_shows_without_a_menu_button(phone_page):
    phone_page.goto("/")
    links = phone_page.get_by_role("navigation", name="Main").get_by_role("link")
    expect(links).to_have_count(9)
    for index in range(links.count()):
        expect(links.nth(index)).to_be_visible()


def test_a_parent_makes_a_pumping_plan(page):
    page.goto("/suppressing-your-supply/")
    page.get_by_role("link", name="Make a pumping-reduction plan").click()
    page.get_by_label("Times you express each day now").fill("5")
    page.get_by_label("Days to stay at each step").fill("2")
    page.get_by_role("button", name="Make my plan").click()
    table = page.get_by_role("table", name="Day-by-day schedule")
    expect(table).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(4 * 2 + 1)
    expect(table).to_contain_text("None from today.")
    expect(page.get_by_role("button", name="Print my plan")).to_be_visible()  # shown by site.js

    page.get_by_label("Times you express each day now").fill("20")
    page.get_by_role("button", name="Update my plan").click()
    expect(page.get_by_role("alert").filter(has_text="Enter a whole number from 1 to 12.")).to_be_visible()


def test_a_visitor_says_a_page_helped_and_reports_an_error(page):
    page.goto("/donating-after-loss/")
    page.get_by_label("Yes").check()
    page.get_by_label("Anything you would like to add? (optional)").fill("Clear and kind.")
    page.get_by_role("button", name="Send").click()
    page.wait_for_url(re.compile(r"/donating-after-loss/$"))
    expect(page.get_by_text("Thank you. Your note reached our team.")).to_be_visible()

    page.get_by_text("Report an error on this page").click()
    page.get_by_label("What is wrong or out of date?").fill("The depot list link is old.")
    page.get_by_role("button", name="Report the error").click()
    expect(page.get_by_text("Thank you. Your note reached our team.")).to_be_visible()

    rows = list(Feedback.objects.order_by("created_at").values_list("kind", "helpful", "path", "comment"))
    assert rows == [
        ("helpful", True, "/donating-after-loss/", "Clear and kind."),
        ("error", None, "/donating-after-loss/", "The depot list link is old."),
    ]


def test_printing_leaves_out_the_navigation_and_page_tools(page):
    page.goto("/suppressing-your-supply/")
    page.emulate_media(media="print")
    expect(page.get_by_role("navigation", name="Main")).to_be_hidden()
    expect(page.locator(".page-tools")).to_be_hidden()
    expect(page.locator("h1")).to_be_visible()


def test_the_handout_prints_on_one_sheet_both_sides(page):
    page.goto("/donating-after-loss/handout/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 2
