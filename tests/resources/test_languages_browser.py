"""The public site in Spanish and French in a browser: the switcher at phone width keeps the page, axe finds
nothing serious in either language, and the plan and the handout print in the reader's language."""

import io
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.resources.test_browser import _starter_content  # noqa: F401 - autouse fixture
from tests.resources.test_phone_line import SATURDAY_2AM, WEDNESDAY_10AM

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("start", ["/lactation-after-loss/", "/donate/"])
def test_at_phone_width_the_switcher_keeps_the_page_in_each_language(phone_page, start):
    phone_page.goto(start)
    expect(phone_page.locator("html")).to_have_attribute("lang", "en")
    switcher = phone_page.get_by_role("navigation", name="Language")
    switcher.get_by_role("link", name="Español").click()
    expect(phone_page).to_have_url(re.compile(f"/es{re.escape(start)}$"))
    expect(phone_page.locator("html")).to_have_attribute("lang", "es")
    expect(phone_page.get_by_role("link", name="Ir al contenido principal")).to_be_attached()
    switcher = phone_page.get_by_role("navigation", name="Idioma")
    expect(switcher.get_by_role("link", name="Español")).to_have_attribute("aria-current", "true")
    switcher.get_by_role("link", name="Français").click()
    expect(phone_page).to_have_url(re.compile(f"/fr{re.escape(start)}$"))
    expect(phone_page.locator("html")).to_have_attribute("lang", "fr")
    phone_page.get_by_role("navigation", name="Langue").get_by_role("link", name="English").click()
    expect(phone_page).to_have_url(re.compile(f"{re.escape(start)}$"))
    expect(phone_page.locator("html")).to_have_attribute("lang", "en")


def _main_pages(language: str) -> list[str]:
    today = timezone.localdate().isoformat()
    return [
        f"/{language}/",
        f"/{language}/lactation-after-loss/",
        f"/{language}/pumping-plan/?sessions=5&days_per_step=2&start={today}",
        f"/{language}/donating-after-loss/handout/",
        f"/{language}/grief-resources/",
        f"/{language}/search/?q=milk",
        f"/{language}/donate/",
        f"/{language}/butterflies/",
    ]


@pytest.mark.parametrize("language", ["es", "fr"])
def test_the_main_pages_have_no_serious_accessibility_problem_in_each_language(phone_page, axe, language):
    with time_machine.travel(SATURDAY_2AM):  # the line closed: the 24-hour lines show too
        for url in _main_pages(language):
            response = phone_page.goto(url)
            assert response.status == 200, url
            expect(phone_page.locator("html")).to_have_attribute("lang", language)
            axe(phone_page)
            assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), url


@pytest.mark.parametrize(
    ("language", "plan_words", "handout_words"),
    [
        (
            "es",
            ["Calendariodíaadía", "lun30nov", "Ningunadesdehoy"],
            ["Trespasosparadonar", "Darlecheabebés"],
        ),
        (
            "fr",
            ["Calendrierjourparjour", "lun30nov", "Aucuneàpartird"],
            ["Troisétapespourdonner", "Donnerdulait"],
        ),
    ],
)
def test_the_plan_and_the_handout_print_in_the_readers_language(page, language, plan_words, handout_words):
    from pypdf import PdfReader

    def printed(url: str) -> str:
        page.goto(url)
        pdf = PdfReader(io.BytesIO(page.pdf(format="Letter")))
        return "".join(re.sub(r"\s+", "", sheet.extract_text()) for sheet in pdf.pages)

    with time_machine.travel(WEDNESDAY_10AM):
        plan = printed(f"/{language}/pumping-plan/?sessions=3&days_per_step=2&start=2026-11-30")
        handout = printed(f"/{language}/donating-after-loss/handout/")
    for words in plan_words:
        assert words in plan, f"{words!r} not on the printed plan"
    for words in handout_words:
        assert words in handout, f"{words!r} not on the printed handout"
