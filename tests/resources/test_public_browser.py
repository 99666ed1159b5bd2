"""Public pages in a browser: the phone's first screen, form borders, and the phone line's status."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from tests.resources.test_browser import _starter_content  # noqa: F401 - autouse fixture
from tests.resources.test_phone_line import SATURDAY_2AM, WEDNESDAY_10AM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _contrast(rgb_a: str, rgb_b=(255, 255, 255)) -> float:
    def luminance(rgb):
        channels = []
        for value in rgb:
            c = value / 255
            channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
        return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]

    rgb = tuple(int(part) for part in rgb_a.strip("rgba() ").split(",")[:3])
    high, low = sorted((luminance(rgb), luminance(rgb_b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("when", [WEDNESDAY_10AM, SATURDAY_2AM], ids=["line open", "line closed"])
def test_on_a_phone_if_your_baby_has_died_is_on_the_first_screen(phone_page, when):
    with time_machine.travel(when):
        phone_page.goto("/")
    heading = phone_page.get_by_role("heading", name="If your baby has died")
    expect(heading).to_be_in_viewport(ratio=1)
    expect(phone_page.get_by_role("link", name="Read about lactation after loss")).to_be_in_viewport(ratio=1)
    # Every menu link is still there, without JavaScript or a menu button.
    nav = phone_page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_count(9)


@pytest.mark.parametrize("url", ["/pumping-plan/", "/grief-resources/", "/search/?q=milk"])
def test_form_control_borders_stand_out_at_least_3_to_1_against_white(page, url):
    page.goto(url)
    controls = page.locator("main input:not([type=hidden]), main select, main textarea")
    expect(controls.first).to_be_visible()
    colours = controls.evaluate_all("els => els.map(e => getComputedStyle(e).borderTopColor)")
    assert colours
    for colour in colours:
        assert _contrast(colour) >= 3, (url, colour)


def test_a_parent_searches_in_her_own_words_on_a_phone(phone_page, axe):
    from resources.search import rebuild_index

    rebuild_index()  # the starter content was loaded without signals
    phone_page.goto("/")
    phone_page.get_by_label("Search the pages").fill("stop my milk")
    phone_page.get_by_role("button", name="Search").click()
    results = phone_page.locator(".search-results a")
    expect(results.first).to_have_text("Suppressing your supply")
    axe(phone_page)
    results.first.click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Suppressing your supply")


def test_choosing_a_place_on_the_grief_list_keeps_the_24_hour_lines(page, axe):
    page.goto("/grief-resources/")
    page.get_by_label("Place").select_option("Ontario")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"area=Ontario"))
    entries = page.locator(".directory-entry h3")
    expect(entries.filter(has_text="Pregnancy and Infant Loss (PAIL) Network")).to_have_count(1)
    expect(entries.filter(has_text="988 Suicide & Crisis Lifeline")).to_have_count(1)
    expect(entries.filter(has_text="National Maternal Mental Health Hotline")).to_have_count(1)
    expect(entries.filter(has_text="Star Legacy Foundation")).to_have_count(0)
    axe(page)
