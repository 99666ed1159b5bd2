"""The thanks page after the inquiry: for a bereaved donor it speaks to the loss and says how to keep milk."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.donors.intake_fixtures import inquiry_data

URL = reverse("donors:inquiry")
THANKS = reverse("donors:inquiry_thanks")


@pytest.mark.django_db
def test_a_bereaved_donor_is_met_with_sympathy_when_we_call_how_to_keep_milk_and_the_butterflies(client):
    response = client.post(URL, inquiry_data(bereaved="on"), follow=True)
    assert response.redirect_chain == [(THANKS, 302)]  # nothing about the loss in the address
    html = response.content.decode()
    assert "<h1>Thank you, and we are so sorry</h1>" in html
    assert "We are so sorry that your baby has died." in html
    assert "A coordinator will call you within 3 working days, during our hours: Monday to Friday" in html
    assert "Freeze your milk soon after you express it." in html
    assert "milk storage bags" in html and "Write the date you expressed it" in html
    assert "There is no minimum." in html
    assert 'href="/butterflies/"' in html
    assert "What happens next" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow" and "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_anyone_else_gets_the_usual_thanks_without_talk_of_a_loss(client, settings):
    settings.MILKBANK = {**settings.MILKBANK, "CALLBACK_WORKING_DAYS": 1}
    html = client.post(URL, inquiry_data(), follow=True).content.decode()
    assert "<h1>Thank you for getting in touch</h1>" in html
    assert "A coordinator calls you within 1 working day." in html  # the bank's own promise, from settings
    assert "so sorry" not in html and "Forever Butterflies</h2>" not in html
    # Opened directly, without sending anything: the usual page too.
    fresh = client.__class__().get(THANKS).content.decode()
    assert "<h1>Thank you for getting in touch</h1>" in fresh


@pytest.mark.django_db
def test_a_refused_inquiry_does_not_reach_either_thanks_page(client):
    response = client.post(URL, inquiry_data(bereaved="on", contact_consent=None))
    assert response.status_code == 200
    assert "Please tick this box so we can contact you." in response.content.decode()
    assert client.get(THANKS).content.decode().count("so sorry that your baby has died") == 0


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_bereaved_donor_sends_the_form_on_a_phone_and_reads_the_gentle_thanks(phone_page, axe):
    page = phone_page
    page.goto(URL)
    page.get_by_label("First name").fill("Amara")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_label("Phone number").fill("555-010-0144")
    page.get_by_label("I am donating after the loss of my baby (optional)").check()
    page.get_by_label("You may call, text or email me about donating milk.").check()
    page.wait_for_timeout(3200)  # faster posts are refused as a bot's
    page.get_by_role("button", name="Send my details").click()
    page.wait_for_url(re.compile(r"/donate/thank-you/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you, and we are so sorry")
    expect(page.get_by_role("heading", name="Keeping your milk until we talk")).to_be_visible()
    butterflies = page.get_by_role("link", name="Read about Forever Butterflies")
    expect(butterflies).to_have_attribute("href", "/butterflies/")
    axe(page)
