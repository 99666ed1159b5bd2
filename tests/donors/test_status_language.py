"""The donor's private pages are in the donor's language, whatever the address's prefix; the "send me my
link again" page is in the page's language, and the link it sends is in the donor's."""

import datetime
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from donors import transitions as t
from donors.models import AccessLink, Depot, Donor
from tests.donors.milk_fixtures import make_dropoff  # noqa: F401

pytestmark = pytest.mark.django_db
Stage = Donor.Stage
STEPS = {"en": "Your three steps", "es": "Sus tres pasos", "fr": "Vos trois étapes"}


@pytest.fixture(autouse=True)
def _fresh_flood_limits():
    cache.clear()
    yield
    cache.clear()
    # A request to /es/ or /fr/ leaves its language active in this thread (LocaleMiddleware sets it and
    # never puts it back): later tests' reverse() would get its prefix.
    translation.activate(settings.LANGUAGE_CODE)


def _status_path(donor, coordinator):
    return urlsplit(t.status_link_send(donor=donor, by=coordinator).url).path


def _without_prefix(path):
    for code in ("/es/", "/fr/"):
        if path.startswith(code):
            return path[len(code) - 1 :]
    return path


@pytest.mark.parametrize("lang", ["en", "es", "fr"])
@pytest.mark.parametrize("prefix", ["", "/es", "/fr"])
def test_the_status_page_is_in_the_donors_language_whatever_the_prefix(
    lang, prefix, client, make_donor, coordinator
):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language=lang)
    path = prefix + _without_prefix(_status_path(donor, coordinator))
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert STEPS[lang] in body
    for other, words in STEPS.items():
        if other != lang:
            assert words not in body
    assert response["Content-Language"] == lang
    assert f'<html lang="{lang}">' in body
    assert response["Cache-Control"].startswith("no-store")  # still private


def test_the_link_emailed_to_a_spanish_donor_carries_es(make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language="es")
    assert _status_path(donor, coordinator).startswith("/es/donate/s/")


@pytest.mark.parametrize(
    ("lang", "date", "total"),
    [
        ("es", "hasta el 3 de mayo de", "1\xa0234 mL (41,7 oz)"),
        ("fr", "jusqu'au 3 mai", "1\xa0234 mL (41,7 oz)"),
        ("en", "until May 3,", "1,234 mL (41.7 oz)"),
    ],
)
def test_an_approved_donor_sees_dates_and_volumes_in_her_language(
    lang,
    date,
    total,
    client,
    make_donor,
    coordinator,
    make_dropoff,  # noqa: F811
):
    Depot.objects.create(
        name="Maple Clinic", address_line1="12 Elm St", city="Duluth", region="MN", hours="9-5"
    )
    donor = make_donor(Stage.APPROVED, language=lang)
    make_dropoff(donor=donor, depot=None, volume_ml=1234)
    bloodwork = donor.bloodwork_set.get()
    valid_days = (donor.bloodwork_valid_until() - bloodwork.drawn_on).days
    # Valid until the next May 3rd.
    today = timezone.localdate()
    until = datetime.date(today.year + 1, 5, 3)
    bloodwork.drawn_on = until - datetime.timedelta(days=valid_days)
    bloodwork.save(update_fields=["drawn_on"])
    body = client.get(_status_path(donor, coordinator)).content.decode()
    assert date in body.replace("&#x27;", "'")
    assert total in body
    assert "12 Elm St" in body and {"en": "Hours:", "es": "Horario:", "fr": "Heures :"}[lang] in body


def test_an_old_link_of_a_french_donor_says_so_in_french(client, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language="fr")
    old = _status_path(donor, coordinator)
    t.status_link_send(donor=donor, by=coordinator)  # a newer one closes it
    response = client.get(_without_prefix(old))
    assert response.status_code == 404
    body = unescape(response.content.decode())
    assert "Ce lien n'est pas ouvert" in body
    assert 'href="/fr/donate/my-page/"' in body  # "send me a new link", in her language


def test_a_forged_link_answers_in_the_pages_language(client):
    response = client.get("/es/donate/s/not-a-real-token/")
    assert response.status_code == 404
    assert "Este enlace no está abierto" in response.content.decode()
    assert response["Content-Language"] == "es"


def test_an_expired_link_of_a_spanish_donor_says_so_in_spanish(client, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language="es")
    path = _status_path(donor, coordinator)
    AccessLink.objects.filter(donor=donor, purpose=AccessLink.Purpose.STATUS).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    body = client.get(_without_prefix(path)).content.decode()
    assert "Este enlace ha vencido" in body


@pytest.mark.parametrize(
    ("page", "title", "label"),
    [
        ("es", "Envíenme un enlace a mi página", "Su correo electrónico"),
        ("fr", "M'envoyer un lien vers ma page", "Votre adresse courriel"),
    ],
)
def test_the_resend_page_is_in_the_pages_language(page, title, label, client):
    with translation.override(page):
        url = reverse("donors:status_resend")
    assert url == f"/{page}/donate/my-page/"
    body = unescape(client.get(url).content.decode())
    assert title in body and label in body


def test_a_french_donor_asking_on_the_spanish_page_gets_her_link_in_french(
    client, make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.BLOODWORK_ORDERED, language="fr", email="amelie@example.org")
    mailoutbox.clear()
    response = client.post("/es/donate/my-page/", {"email": "AMELIE@example.org"})
    assert response.status_code == 200
    assert "si tenemos esa dirección" in response.content.decode().lower()  # the page: Spanish
    [message] = [m for m in mailoutbox if m.to == [donor.email]]
    assert "Votre page de donneuse" in message.subject  # the email: French
    [url] = [w for w in message.body.split() if "/donate/s/" in w]
    path = urlsplit(url).path
    assert path.startswith("/fr/donate/s/")
    assert "Vos trois étapes" in client.get(path).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": ""}, "Este campo es obligatorio"),
        ({"email": "not an address"}, "Introduzca una dirección de correo electrónico válida"),
        ({"email": "a" * 250 + "@example.org"}, "254"),
        ({"email": "<script>x</script>@example.org"}, "válida"),
    ],
)
def test_bad_addresses_on_the_spanish_resend_page_are_refused_in_spanish(data, message, client, mailoutbox):
    response = client.post("/es/donate/my-page/", data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "<script>x" not in body
    assert mailoutbox == []


def test_too_many_tries_is_said_in_the_pages_language(client):
    for _ in range(5):
        client.post("/fr/donate/my-page/", {"email": "nobody@example.org"})
    body = unescape(client.post("/fr/donate/my-page/", {"email": "nobody@example.org"}).content.decode())
    assert "Trop d'essais depuis cet appareil" in body
