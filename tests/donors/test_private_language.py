"""On a donor's own pages the language choice changes the language stored for her (her pages and emails
follow it, not the address): posted by a click on a phone, checked for every way it can go wrong."""

from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import Donor, TimelineEvent

Stage = Donor.Stage


def _status_path(donor, coordinator):
    return urlsplit(t.status_link_send(donor=donor, by=coordinator).url).path


def _token(path):
    return path.rstrip("/").rsplit("/", 1)[1]


@pytest.mark.django_db
def test_the_status_page_offers_the_choice_as_a_form_that_posts_same_origin(client, make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, language="es")
    path = _status_path(donor, coordinator)
    response = client.get(path)
    body = response.content.decode()
    action = reverse("donors:status_language", args=[_token(path)])
    assert f'action="{action}"' in body
    assert 'name="language" value="fr"' in body
    # Chromium posts `Origin: null` from a no-referrer page, which the CSRF check refuses.
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_choosing_french_stores_it_notes_it_and_shows_the_same_page_in_french(
    client, make_donor, coordinator
):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, language="es")
    token = _token(_status_path(donor, coordinator))
    response = client.post(reverse("donors:status_language", args=[token]), {"language": "fr"})
    with_french = reverse("donors:status", args=[token]).replace("/donate/", "/fr/donate/", 1)
    assert response.status_code == 302 and response["Location"] == with_french
    assert response["Cache-Control"].startswith("no-store")
    donor.refresh_from_db()
    assert donor.language == "fr"
    assert donor.timeline.filter(kind=TimelineEvent.Kind.NOTE, summary__contains="Français").exists()
    page = client.get(with_french)
    assert '<html lang="fr"' in page.content.decode()
    assert "Vos pages et vos courriels sont maintenant dans cette langue." in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["", "de", "ES", "e" * 5000, "<script>", "es\x00"])
def test_a_language_the_site_does_not_offer_changes_nothing_and_says_so(
    client, make_donor, coordinator, value
):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, language="es")
    token = _token(_status_path(donor, coordinator))
    response = client.post(reverse("donors:status_language", args=[token]), {"language": value}, follow=True)
    assert response.status_code == 200
    assert "Elija English, Español o Français." in response.content.decode()  # in her language
    donor.refresh_from_db()
    assert donor.language == "es"


@pytest.mark.django_db
def test_a_closed_or_forged_link_changes_nothing(client, make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, language="es")
    old = _token(_status_path(donor, coordinator))
    t.status_link_send(donor=donor, by=coordinator)  # closes the old one
    assert client.post(reverse("donors:status_language", args=[old]), {"language": "fr"}).status_code == 410
    forged = client.post(reverse("donors:status_language", args=["not-a-real-token"]), {"language": "fr"})
    assert forged.status_code == 404
    donor.refresh_from_db()
    assert donor.language == "es"


@pytest.mark.django_db
def test_the_questionnaire_offers_the_choice_too(client, make_donor, coordinator):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, language="en")
    token = _token(urlsplit(t.questionnaire_send(donor=donor, by=coordinator).url).path)
    start = client.get(reverse("donors:questionnaire", args=[token]))
    assert start["Referrer-Policy"] == "same-origin"
    assert reverse("donors:questionnaire_language", args=[token]) in start.content.decode()
    response = client.post(reverse("donors:questionnaire_language", args=[token]), {"language": "es"})
    assert response["Location"].startswith("/es/donate/q/")
    donor.refresh_from_db()
    assert donor.language == "es"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_a_donor_switches_her_own_page_to_french_by_a_click(
    phone_page, make_donor, coordinator, axe
):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, first_name="Ana", language="es")
    page = phone_page
    page.goto(_status_path(donor, coordinator))
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("button", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_text("Vos pages et vos courriels sont maintenant dans cette langue.")).to_be_visible()
    expect(page.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    axe(page)
    donor.refresh_from_db()
    assert donor.language == "fr"
