"""On a phone: a Spanish donor opens her page by its link, finds an old link closed, asks for a new one on
/es/donate/my-page/ by clicking, and opens it; each page in Spanish and axe clean. The same in French."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import Donor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Stage = Donor.Stage


@pytest.fixture(autouse=True)
def _fresh_flood_limits():
    cache.clear()
    yield
    cache.clear()


def _wait_for_mail(page, count=1):
    for _ in range(50):
        if len(mail.outbox) >= count:
            return
        page.wait_for_timeout(100)


WORDS = {
    "es": {
        "hello": "Hola, Ana",
        "steps": "Sus tres pasos",
        "closed": "Este enlace no está abierto",
        "new_link": "Envíenme un enlace nuevo por correo",
        "email": "Su correo electrónico",
        "send": "Envíenme un enlace",
        "sent": "Si tenemos esa dirección",
        "subject": "Su página de donante",
        "required": "Este campo es obligatorio",
    },
    "fr": {
        "hello": "Bonjour, Ana",
        "steps": "Vos trois étapes",
        "closed": "Ce lien n'est pas ouvert",
        "new_link": "M'envoyer un nouveau lien par courriel",
        "email": "Votre adresse courriel",
        "send": "M'envoyer un lien",
        "sent": "Si cette adresse figure dans nos dossiers",
        "subject": "Votre page de donneuse",
        "required": "Ce champ est obligatoire",
    },
}


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_a_donor_opens_her_page_and_asks_for_a_new_link_in_her_language(
    lang, phone_page, make_donor, coordinator, axe
):
    words = WORDS[lang]
    donor = make_donor(Stage.BLOODWORK_ORDERED, first_name="Ana", email="ana@example.org", language=lang)
    page = phone_page

    # The link from her email opens her page in her language.
    old = urlsplit(t.status_link_send(donor=donor, by=coordinator).url).path
    assert old.startswith(f"/{lang}/donate/s/")
    page.goto(old)
    expect(page.get_by_role("heading", name=words["hello"])).to_be_visible()
    expect(page.get_by_role("heading", name=words["steps"])).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", lang)
    axe(page)

    # A newer link closes that one; the closed page says so, and leads to the form, in her language.
    t.status_link_send(donor=donor, by=coordinator)
    mail.outbox.clear()
    page.goto(old)
    expect(page.get_by_role("heading", name=words["closed"])).to_be_visible()
    axe(page)
    page.get_by_role("link", name=words["new_link"]).click()
    page.wait_for_url(f"**/{lang}/donate/my-page/")
    expect(page.locator("html")).to_have_attribute("lang", lang)

    # Sent empty: the error in her language, nothing sent.
    page.get_by_role("button", name=words["send"], exact=True).click()
    expect(page.get_by_text(words["required"])).to_be_visible()
    axe(page)
    page.get_by_label(words["email"]).fill("ANA@example.org")
    page.get_by_role("button", name=words["send"], exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(words["sent"])
    axe(page)

    _wait_for_mail(page)
    [message] = mail.outbox
    assert message.to == [donor.email] and words["subject"] in message.subject
    new = re.search(r"https?://\S+/donate/s/\S+/", message.body).group(0)
    assert f"/{lang}/donate/s/" in new
    page.goto(urlsplit(new).path)
    expect(page.get_by_role("heading", name=words["hello"])).to_be_visible()


def test_the_page_follows_the_donor_not_the_address(phone_page, make_donor, coordinator):
    """A Spanish donor's link typed without its prefix, or under /fr/, still shows her page in Spanish."""
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, first_name="Ana", language="es")
    path = urlsplit(t.status_link_send(donor=donor, by=coordinator).url).path
    page = phone_page
    for address in (path.removeprefix("/es"), "/fr" + path.removeprefix("/es")):
        page.goto(address)
        expect(page.get_by_role("heading", name="Hola, Ana")).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", "es")
