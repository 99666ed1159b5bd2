"""Issue 3's walk from the coordinator's side, in a real browser: a public inquiry reaches the donor list,
the phone screen and the questionnaire link go through the staff pages (the email is captured), the donor
opens the emailed link, and the coordinator reviews and accepts the answers. The donor's own walk through
every section on a phone is tests/donors/test_intake_browser.py."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import Donor, Questionnaire
from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_screens_an_inquiry_sends_the_link_and_accepts_the_answers(
    page, coordinator, mailoutbox
):
    page.goto("/donate/")
    page.get_by_label("First name").fill("Ngọc")
    page.get_by_label("Last name").fill("Trần")
    page.get_by_label("Email address").fill("ngoc@example.org")
    page.get_by_label("Phone number").fill("555-010-0123")
    page.get_by_label("I am donating after the loss of my baby (optional)").check()
    page.get_by_label("You may call, text or email me about donating milk.").check()
    page.wait_for_timeout(3200)  # posts faster than a person can type are refused as bots
    page.get_by_role("button", name="Send my details").click()
    page.wait_for_url(re.compile(r"/donate/thank-you/"))
    notice = [m for m in mailoutbox if m.to == ["coordinators@example.org"]]
    assert notice and "Ngọc" not in notice[0].body and "555-010-0123" not in notice[0].body

    admin_login(page, "casey")
    page.goto("/admin/donors/donor/")
    page.get_by_role("link", name="Ngọc Trần").click()
    expect(page.get_by_text("Please do not ask about the baby.")).to_be_visible()

    page.get_by_role("link", name="Record the phone screen").click()
    for group in page.locator("fieldset.radio-group").all():
        group.get_by_label("Yes", exact=True).check()
    page.get_by_label("Length of the call (minutes)").fill("22")
    page.get_by_label("Outcome").select_option("passed")
    page.locator('input[type="submit"][value="Record the phone screen"]').click()
    expect(
        page.get_by_text("Phone screen recorded: passed. Next: send the questionnaire link.")
    ).to_be_visible()

    # The next step opens by itself: the questionnaire link's page, email chosen as she gave an address.
    expect(page.get_by_label("Email it to the donor")).to_be_checked()
    page.locator('input[type="submit"][value="Send the questionnaire link"]').click()
    expect(page.get_by_text("Questionnaire link and status page link emailed.")).to_be_visible()
    (mail,) = [m for m in mailoutbox if m.to == ["ngoc@example.org"]]
    link = re.search(r"https?://\S+/donate/q/\S+/", mail.body).group(0)
    assert "your baby is" not in mail.body.lower()

    donor = Donor.objects.get(first_name="Ngọc")
    page.context.clear_cookies()
    page.goto(urlsplit(link).path)
    expect(page.get_by_role("link", name="Start the questionnaire")).to_be_visible()
    q = Questionnaire.objects.get(donor=donor)
    t.questionnaire_submit(
        questionnaire=q, answers={"nicotine": "no", "tattoo_12m": "yes"}, flags=["tattoo_12m"]
    )

    admin_login(page, "casey")
    page.goto(f"/admin/donors/donor/{donor.pk}/change/")
    page.get_by_role("link", name="Review the questionnaire").click()
    expect(page.locator("table.answers")).to_be_visible()
    page.get_by_label("Accept", exact=True).check()
    page.locator('input[type="submit"][value="Review the questionnaire"]').click()
    expect(page.get_by_text("Review recorded: accepted. Next: order bloodwork.")).to_be_visible()
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.QUESTIONNAIRE_ACCEPTED
