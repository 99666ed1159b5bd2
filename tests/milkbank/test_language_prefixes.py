"""Public pages answer under /es/ and /fr/; English stays at /; the staff site stays in English."""

import pytest
from django.urls import reverse
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_public_page_answers_under_its_language_prefix(client, language):
    with translation.override(language):
        url = reverse("resources:home")
    assert url == f"/{language}/"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == language


def test_english_stays_unprefixed_whatever_the_browser_asks(client):
    response = client.get("/", headers={"accept-language": "es"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert reverse("resources:home") == "/"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_staff_pages_are_not_offered_under_a_language_prefix(admin_client, language):
    assert admin_client.get("/donate/staff/milk-report/").status_code == 200
    assert admin_client.get(f"/{language}/donate/staff/milk-report/").status_code == 404


def test_the_staff_admin_stays_english_for_a_spanish_browser(admin_client):
    response = admin_client.get("/admin/", headers={"accept-language": "es"})
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"


def test_staff_pages_offer_no_language_switcher_and_no_alternates(admin_client):
    """Their Spanish and French addresses are not found (above): offering them would only lead to a 404."""
    body = admin_client.get("/donate/staff/milk-report/").content.decode()
    assert 'class="language-switcher' not in body
    assert 'hreflang="es"' not in body
    public = admin_client.get("/donate/depots/").content.decode()
    assert 'class="language-switcher' in public and 'hreflang="es"' in public


@pytest.mark.parametrize(
    ("language", "words"),
    [("es", "Los puntos de entrega son lugares"), ("fr", "Les points de dépôt sont des lieux")],
)
def test_the_public_depot_finder_speaks_the_page_language(client, language, words):
    body = client.get(f"/{language}/donate/depots/", {"region": "<nowhere>"}).content.decode()
    assert f'<html lang="{language}"' in body and words in body
    assert "Choose an area from the list." not in body  # the form's error is translated too
