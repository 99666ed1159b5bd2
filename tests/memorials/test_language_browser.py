"""On a phone, a French family asks for a butterfly on /fr/butterflies/ by clicking; the form, its errors
and the thanks are in French and axe clean, and the acknowledgement arrives in French."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from memorials.models import Butterfly

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_french_family_asks_for_a_butterfly(phone_page, axe):
    page = phone_page
    page.goto("/fr/butterflies/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Demander un papillon", exact=True)).to_be_visible()
    axe(page)

    # Sent with nothing filled in: French errors, nothing saved.
    page.get_by_role("button", name="Demander un papillon").click()
    expect(page.get_by_text("Veuillez écrire le prénom de votre bébé.")).to_be_visible()
    assert not Butterfly.objects.exists()
    axe(page)

    page.get_by_label("Le prénom de votre bébé").fill("Zoë")
    page.get_by_label("La date de naissance de votre bébé").fill("2025-05-14")
    page.get_by_label("Votre nom").fill("Amélie Tremblay")
    page.get_by_label("Courriel").fill("amelie@example.org")
    page.get_by_label("Adresse postale pour votre papillon souvenir").fill(
        "9 rue des Érables\nQuébec QC G1R 1A1"
    )
    page.get_by_role("button", name="Demander un papillon").click()
    page.wait_for_url(re.compile(r"/fr/butterflies/thank-you/"))
    expect(page.get_by_role("heading", name="Merci")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    axe(page)

    butterfly = Butterfly.objects.get()
    assert butterfly.first_name == "Zoë" and butterfly.language == "fr"
    for _ in range(50):
        if any(m.to == ["amelie@example.org"] for m in mail.outbox):
            break
        page.wait_for_timeout(100)
    [message] = [m for m in mail.outbox if m.to == ["amelie@example.org"]]
    assert message.subject == "Nous avons bien reçu votre demande de papillon"
    assert "Merci d'avoir demandé un papillon Forever Butterflies pour Zoë." in message.body
