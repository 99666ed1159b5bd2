"""In a phone-sized browser, in Spanish: the inquiry form filled and sent by clicking, then the questionnaire
from the emailed link (no prefix) shown in the language the donor chose. axe clean in Spanish."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import Donor, Questionnaire

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _answer(page, question, choice):
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_a_donor_asks_to_donate_in_spanish_on_a_phone(phone_page, axe):
    page = phone_page
    page.goto("/es/donate/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Hágase donante", exact=True)).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Under /es/ the form offers Spanish first; each language is named in its own.
    languages = page.get_by_role("group", name="¿En qué idioma prefiere que le escribamos?")
    expect(languages.get_by_label("Español", exact=True)).to_be_checked()
    expect(languages.get_by_label("Français", exact=True)).not_to_be_checked()

    # A mistake: the message is in Spanish, on the page, and nothing is saved.
    page.get_by_role("textbox", name="Nombre").fill("Lucía")
    page.wait_for_timeout(3200)  # a person takes more than a few seconds; faster posts are refused
    page.get_by_role("button", name="Enviar mis datos").click()
    expect(page.get_by_role("alert")).to_contain_text("Déjenos un número de teléfono o un correo electrónico")
    assert Donor.objects.count() == 0
    axe(page)

    page.get_by_label("Apellido").fill("Ramos")
    page.get_by_label("Número de teléfono").fill("555-010-0177")
    page.get_by_role("textbox", name="Correo electrónico").fill("lucia@example.org")
    page.get_by_role("group", name="¿Cómo prefiere que nos comuniquemos con usted?").get_by_label(
        "Mensaje de texto"
    ).check()
    page.get_by_label("Pueden llamarme, enviarme un mensaje de texto").check()
    page.get_by_role("button", name="Enviar mis datos").click()
    page.wait_for_url(re.compile(r"/es/donate/thank-you/"))
    expect(page.get_by_role("heading", name="Gracias por comunicarse con nosotros")).to_be_visible()
    axe(page)

    donor = Donor.objects.get(first_name="Lucía")
    assert donor.language == "es"
    assert donor.preferred_contact == "text"


def test_a_spanish_donor_fills_a_questionnaire_section_on_a_phone(phone_page, axe, coordinator):
    page = phone_page
    donor = t.donor_create_inquiry(
        first_name="Lucía",
        phone="555-010-0177",
        email="lucia@example.org",
        contact_consent=True,
        language="es",
    )
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    path = urlsplit(t.questionnaire_send(donor=donor, by=coordinator)).path
    assert path.startswith("/es/")  # the emailed link carries her language

    page.goto(path)
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Su cuestionario de salud")).to_be_visible()
    axe(page)
    page.get_by_role("link", name="Empezar el cuestionario").click()
    expect(page.get_by_text("Sección 1 de 8").first).to_be_visible()
    expect(page.get_by_role("heading", name="Su salud", exact=True)).to_be_visible()
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")

    # Leaving a required answer out: the message is in Spanish.
    page.get_by_label("¿Cuándo dio a luz?").fill("2026-01-05")
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("alert")).to_contain_text("Responda sí o no, por favor.")
    axe(page)

    _answer(page, "¿Está usted en buen estado de salud general hoy?", "Sí")
    _answer(page, re.compile("enfermedad de larga duración"), "No")
    page.get_by_label("Nombre y clínica de su propio médico o proveedor de salud").fill("Dra. Ortiz")
    page.get_by_role("button", name="Guardar y continuar").click()
    expect(page.get_by_role("heading", name="Medicamentos y suplementos")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    answers = Questionnaire.objects.get(donor=donor).answers
    assert answers["good_health"] == "yes"  # stored as the key, not "Sí"
    assert answers["chronic_illness"] == "no"
    assert answers["delivery_date"] == "2026-01-05"
