"""A donor's whole intake in a phone-sized browser: the inquiry with the self-check, then the questionnaire
over two visits, resumed where they left off, and sent. Staff steps in between use the real transitions."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import Donor, Questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _answer(page, question, choice):
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_it_takes_a_donor_from_inquiry_to_sent_answers_on_a_phone(phone_page, axe, coordinator):
    page = phone_page
    page.goto("/donate/")
    axe(page)
    _no_sideways_scroll(page)

    # The self-check answers as soon as a box is ticked, kindly, and never blocks the form.
    page.get_by_label("I smoke, vape").check()
    result = page.locator(".self-check-result")
    expect(result).to_contain_text("may mean we can't take milk for babies right now")
    expect(result).to_contain_text("Nicotine passes into milk")
    expect(result).not_to_contain_text("waiting until 4 months")

    page.get_by_label("First name").fill("Ngọc")
    page.get_by_label("Last name").fill("Trần")
    page.get_by_label("Phone number").fill("555-010-0123")
    page.get_by_label("Email address").fill("ngoc@example.org")
    page.get_by_label("You may call, text or email me about donating milk.").check()
    page.wait_for_timeout(3200)  # a person takes more than a few seconds; faster posts are refused
    page.get_by_role("button", name="Send my details").click()
    page.wait_for_url(re.compile(r"/donate/thank-you/"))
    expect(page.get_by_role("heading", name="Thank you for getting in touch")).to_be_visible()

    # Staff steps: the phone screen, then the link by email.
    donor = Donor.objects.get(first_name="Ngọc")
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    path = urlsplit(t.questionnaire_send(donor=donor, by=coordinator)).path

    # First visit: section 1 in full, part of section 2, then leave.
    page.goto(path)
    axe(page)
    page.get_by_role("link", name="Start the questionnaire").click()
    expect(page.get_by_text("Section 1 of 8").first).to_be_visible()
    axe(page)
    _no_sideways_scroll(page)
    page.get_by_label("When did you give birth?").fill("2026-01-05")
    _answer(page, "Are you in good general health today?", "Yes")
    _answer(page, re.compile("long-term illness"), "No")
    page.get_by_label("Your own health care provider's name and clinic").fill("Dr. Ortiz")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Medicines and supplements")).to_be_visible()

    # A mistake gets a clear message on the page.
    _answer(page, re.compile("Do you take any medicines now"), "Yes")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("Please tell us a little more.").first).to_be_visible()
    axe(page)

    # Typing, then leaving the page: the autosave keeps it without any button.
    page.get_by_label("If yes, please list each medicine").fill("Levothyroxine, daily")
    with page.expect_response(re.compile(r"/save/$")) as saved:
        page.evaluate("window.dispatchEvent(new Event('pagehide'))")
    assert saved.value.ok
    page.goto("about:blank")
    q = Questionnaire.objects.get(donor=donor)
    assert q.answers["medications_list"] == "Levothyroxine, daily"

    # Second visit, from the same link: back where they left off, with what they typed.
    page.goto(path)
    expect(page.get_by_role("heading", name="Medicines and supplements")).to_be_visible()
    expect(page.get_by_text("Welcome back")).to_be_visible()
    expect(page.get_by_label("If yes, please list each medicine")).to_have_value("Levothyroxine, daily")
    _answer(page, re.compile("herbal products"), "No")
    page.get_by_role("button", name="Save and continue").click()

    yes_no = {
        "Tobacco, alcohol and drugs": ["tobacco or nicotine", "recreational drugs"],
        "Blood, transplants and needles": ["blood or a blood product", "transplant", "tattoo"],
        "Travel and time abroad": ["Between 1980 and 1996", "Since 1980", "travelled or lived"],
        "Infections and family history": ["sexual partner", "tested positive", "Creutzfeldt"],
    }
    for heading, asked in yes_no.items():
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        for question in asked:
            _answer(page, re.compile(question), "No")
        if heading == "Tobacco, alcohol and drugs":
            page.get_by_label(re.compile("how many alcoholic drinks")).fill("0")
        page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Your baby")).to_be_visible()
    _answer(page, "Is your baby healthy and growing well?", "Yes")
    page.get_by_label("Your baby's health care provider's name and clinic").fill("Northside Pediatrics")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", name="Anything else")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Check and send your answers")).to_be_visible()
    axe(page)
    _no_sideways_scroll(page)
    expect(page.get_by_text("Levothyroxine, daily")).to_be_visible()
    page.get_by_label("These answers are true to the best of my knowledge.").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you, we have your answers")).to_be_visible()
    axe(page)

    q.refresh_from_db()
    donor.refresh_from_db()
    assert q.status == Questionnaire.Status.SUBMITTED
    assert donor.stage == Donor.Stage.QUESTIONNAIRE_SUBMITTED
    assert q.answers["infant_provider"] == "Northside Pediatrics"


def test_it_works_without_javascript(browser, live_server, coordinator):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/donate/")
        page.get_by_label("I had a blood transfusion").check()
        page.get_by_role("button", name="Check my answers").click()
        expect(page.get_by_text("waiting until 4 months have passed")).to_be_visible()
        donor = t.donor_create_inquiry(first_name="Zoë", email="zoe@example.org", contact_consent=True)
        t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
        path = urlsplit(t.questionnaire_send(donor=donor, by=coordinator)).path
        page.goto(f"{path}section/3/")
        _answer(page, re.compile("tobacco or nicotine"), "No")
        page.get_by_role("button", name="Save and finish later").click()
        expect(page.get_by_role("heading", name="Your answers are saved")).to_be_visible()
        assert Questionnaire.objects.get(donor=donor).answers == {"nicotine": "no"}
    finally:
        context.close()
