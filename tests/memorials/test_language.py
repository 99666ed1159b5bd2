"""Forever Butterflies in Spanish and French: the page, the request form and its errors, and every email to
the family in the language they asked in; memorial staff are told in English, with an English link."""

from html import unescape

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation

from memorials import services
from memorials.models import Butterfly
from milkbank import roles

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request to /es/ or /fr/ leaves its language active in this thread (LocaleMiddleware never puts it
    back): later tests' reverse() would get its prefix."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _good(**overrides):
    data = {
        "first_name": "Zoë",
        "birth_date": "2023-05-14",
        "family_name": "Amélie Tremblay",
        "contact_email": "amelie@example.org",
        "contact_phone": "",
        "keepsake_wish": "mail",
        "mailing_address": "9 rue des Érables\nQuébec QC G1R 1A1",
        "show_name_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def _url(lang):
    with translation.override(lang):
        return reverse("memorials:home")


PAGE = {
    "es": ("Pedir una mariposa", "El nombre de pila de su bebé", "Nuestras mariposas"),
    "fr": ("Demander un papillon", "Le prénom de votre bébé", "Nos papillons"),
}
ACK = {
    "es": ("Recibimos su solicitud de una mariposa", "Gracias por pedir una mariposa de Forever Butterflies"),
    "fr": (
        "Nous avons bien reçu votre demande de papillon",
        "Merci d'avoir demandé un papillon Forever Butterflies",
    ),
}


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_the_page_is_in_the_pages_language(lang, client):
    response = client.get(_url(lang))
    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in body
    for words in PAGE[lang]:
        assert words in body


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_a_request_keeps_the_familys_language_and_is_acknowledged_in_it(
    lang, client, mailoutbox, memorial_staff, django_capture_on_commit_callbacks
):
    memorial_staff.email = "mara@example.org"
    memorial_staff.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(lang), _good())
    assert response.status_code == 302
    assert response["Location"] == f"/{lang}/butterflies/thank-you/"
    butterfly = Butterfly.objects.get()
    assert butterfly.language == lang
    [family] = [m for m in mailoutbox if m.to == ["amelie@example.org"]]
    subject, body = ACK[lang]
    assert family.subject == subject
    assert body in family.body and "Amélie Tremblay" in family.body
    [(html, _)] = family.alternatives
    assert f'<html lang="{lang}">' in html
    # Memorial staff: English, and a link to the English staff page (a prefixed one answers 404).
    [staff] = [m for m in mailoutbox if m.to == ["mara@example.org"]]
    assert staff.subject.startswith("A butterfly request to review")
    assert "/butterflies/staff/requests/" in staff.body and f"/{lang}/" not in staff.body


@pytest.mark.parametrize(
    ("lang", "words"),
    [("es", "Sobre su solicitud de mariposa"), ("fr", "Au sujet de votre demande de papillon")],
)
def test_a_declined_request_is_answered_in_the_familys_language(
    lang, words, client, mailoutbox, memorial_staff, django_capture_on_commit_callbacks
):
    client.post(_url(lang), _good())
    butterfly = Butterfly.objects.get()
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.butterfly_request_decline(butterfly=butterfly, by=memorial_staff, note="A note from Mara.")
    [message] = mailoutbox
    assert message.subject == words and "A note from Mara." in message.body


def test_a_request_on_the_english_page_stays_english(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url("en"), _good())
    assert Butterfly.objects.get().language == "en"
    [family] = [m for m in mailoutbox if m.to == ["amelie@example.org"]]
    assert family.subject == "We have your request for a butterfly"


@pytest.mark.parametrize(
    ("lang", "data", "message"),
    [
        ("es", {"first_name": ""}, "Por favor, escriba el nombre de pila de su bebé."),
        ("fr", {"first_name": ""}, "Veuillez écrire le prénom de votre bébé."),
        ("fr", {"first_name": "A" * 300}, "Un papillon a de la place pour"),
        ("es", {"birth_date": "2999-01-01"}, "La fecha de nacimiento no puede ser en el futuro."),
        ("fr", {"birth_date": "14/05/2023x"}, "Veuillez écrire la date sous la forme année, mois et jour"),
        ("fr", {"contact_email": "", "contact_phone": ""}, "Veuillez indiquer un courriel ou un numéro"),
        ("es", {"family_name": "<script>alert(1)</script>"}, "Por favor, no use los caracteres"),
        ("fr", {"mailing_address": ""}, "Veuillez indiquer l'adresse où envoyer votre souvenir"),
    ],
)
def test_bad_requests_are_refused_in_the_pages_language_and_nothing_saved(
    lang, data, message, client, mailoutbox
):
    response = client.post(_url(lang), _good(**data))
    body = unescape(response.content.decode())
    assert response.status_code == 200
    assert message in body
    assert "<script>alert(1)" not in response.content.decode()
    assert not Butterfly.objects.exists() and mailoutbox == []


@pytest.mark.parametrize("lang", ["es", "fr"])
def test_the_thanks_page_is_in_the_pages_language(lang, client):
    with translation.override(lang):
        url = reverse("memorials:thanks")
    body = unescape(client.get(url).content.decode())
    assert {"es": "Recibimos su solicitud de una mariposa.", "fr": "Nous avons bien reçu votre demande"}[
        lang
    ] in body
    assert f'href="/{lang}/butterflies/"' in body


def test_the_wall_gives_birth_dates_in_the_pages_language(client, make_butterfly, memorial_staff):
    butterfly = make_butterfly(first_name="Noor", show_name_consent=True)
    services.butterfly_set_approval(butterfly=butterfly, approved=True, by=memorial_staff)
    body = client.get(_url("fr")).content.decode()
    assert "Noor" in body
    assert "14 mai 2023" in body


def test_memorial_staff_exist_for_the_staff_email():
    """The staff email goes to the memorial staff group the roles migration makes."""
    assert Group.objects.filter(name=roles.MEMORIAL_STAFF).exists()


def test_memorial_staff_see_the_familys_language_before_they_write(client, memorial_staff):
    client.post(_url("fr"), _good())
    butterfly = Butterfly.objects.get()
    client.force_login(memorial_staff)
    translation.activate("en")  # the post left French active here; staff pages are English only
    listing = client.get(reverse("memorials:requests")).content.decode()
    assert "<dt>Language</dt><dd>Français</dd>" in listing
    page = client.get(reverse("memorials:request_decline", args=[butterfly.pk])).content.decode()
    assert "They asked in Français" in page
