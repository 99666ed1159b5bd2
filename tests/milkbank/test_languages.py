"""The public site in each language: lang, translated words, the switcher, hreflang, the sitemap, files served
once at the root, dates and hours in the reader's language, and English where a translation is missing."""

import re
import xml.etree.ElementTree as ET

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone, translation

from resources.hours import describe, parse_schedule
from tests.resources.test_browser import public_pages
from tests.resources.test_phone_line import SATURDAY_2AM, WEDNESDAY_10AM

pytestmark = pytest.mark.django_db

# Words every public page shows in each language (skip link and main navigation), and one per page family.
EVERY_PAGE = {
    "es": ["Ir al contenido principal", ">Inicio</a>", ">Apoyo en el duelo</a>"],
    "fr": ["Aller au contenu principal", ">Accueil</a>", ">Ressources pour le deuil</a>"],
}
ON_THE_PAGE = {
    "/": {
        "es": "Leche donada para los bebés que más la necesitan",
        "fr": "Du lait de donneuses pour les bébés",
    },
    "/pumping-plan/": {"es": "Plan para dejar de extraerse leche", "fr": "Plan pour réduire l"},
    "/donating-after-loss/handout/": {"es": "Tres pasos para donar", "fr": "Trois étapes pour donner"},
    "/grief-resources/": {"es": "Mostrar solo", "fr": "Afficher seulement"},
    "/search/?q=milk": {"es": "Palabras que buscar", "fr": "Mots à chercher"},
}


def _in(language: str, url: str) -> str:
    return f"/{language}{url}"


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_public_page_answers_in_each_language_with_its_lang_and_words(client, language):
    for url in public_pages():
        response = client.get(_in(language, url))
        assert response.status_code == 200, url
        html = response.content.decode()
        assert f'<html lang="{language}">' in html, url
        for words in EVERY_PAGE[language]:
            assert words in html, f"{url}: {words!r} missing"
        if url in ON_THE_PAGE:
            assert ON_THE_PAGE[url][language] in html.replace("&#x27;", "'"), url


def test_english_pages_say_lang_en(client):
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to main content" in html


def test_the_switcher_links_this_same_page_in_each_language(client):
    html = client.get("/es/pumping-plan/?sessions=4&days_per_step=2").content.decode()
    switcher = re.search(r'<nav class="language-switcher[^"]*" aria-label="Idioma">(.*?)</nav>', html, re.S)[
        1
    ]
    links = re.findall(r"<a ([^>]*)>([^<]*)</a>", switcher)
    assert [name for _attrs, name in links] == ["English", "Español", "Français"]
    english, spanish, french = (attrs for attrs, _name in links)
    assert 'href="/pumping-plan/?sessions=4&amp;days_per_step=2" lang="en" hreflang="en"' in english
    assert (
        'href="/es/pumping-plan/?sessions=4&amp;days_per_step=2" lang="es" hreflang="es" aria-current="true"'
        in (spanish)
    )
    assert 'href="/fr/pumping-plan/?sessions=4&amp;days_per_step=2" lang="fr" hreflang="fr"' in french
    assert "aria-current" not in english + french


def test_on_a_page_that_is_not_found_the_switcher_offers_each_home_page(client):
    response = client.get("/fr/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Nous n'avons pas trouvé cette page" in html.replace("&#x27;", "'")
    assert 'href="/es/" lang="es"' in html
    assert 'rel="alternate"' not in html  # an error page has no other-language versions to index


def test_each_public_page_names_its_versions_with_absolute_addresses(client):
    html = client.get("/fr/lactation-after-loss/").content.decode()
    alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
    assert sorted(alternates) == [
        ("en", "http://testserver/lactation-after-loss/"),
        ("es", "http://testserver/es/lactation-after-loss/"),
        ("fr", "http://testserver/fr/lactation-after-loss/"),
        ("x-default", "http://testserver/lactation-after-loss/"),
    ]


@pytest.mark.parametrize(
    "url", ["/donate/q/forged-token/", "/es/donate/s/forged-token/", "/fr/donate/q/x/review/"]
)
def test_a_private_link_is_never_offered_to_search_engines_in_another_language(client, url):
    html = client.get(url).content.decode()
    assert 'rel="alternate"' not in html
    assert "forged-token" not in html  # a link that did not open: the switcher offers each home page
    assert (
        "forged-token" not in re.sub(r'<nav class="language-switcher.*?</nav>', "", html, flags=re.S) or True
    )
    assert not re.search(r'hreflang="[^"]+" href="http', html)


def test_the_sitemap_lists_every_page_in_each_language_with_its_alternates(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = ET.fromstring(response.content)  # noqa: S314 - our own sitemap.findall("s:url", ns)
    locations = {url.find("s:loc", ns).text for url in urls}
    for path in ("/", "/pumping-plan/", "/lactation-after-loss/", "/donate/", "/butterflies/"):
        for prefix in ("", "/es", "/fr"):
            assert f"http://testserver{prefix}{path}" in locations, prefix + path
    plan = next(url for url in urls if url.find("s:loc", ns).text == "http://testserver/es/pumping-plan/")
    links = {link.get("hreflang"): link.get("href") for link in plan.findall("x:link", ns)}
    assert links == {
        "en": "http://testserver/pumping-plan/",
        "es": "http://testserver/es/pumping-plan/",
        "fr": "http://testserver/fr/pumping-plan/",
        "x-default": "http://testserver/pumping-plan/",
    }
    assert not any("/donate/q/" in location or "/donate/s/" in location for location in locations)


@pytest.mark.parametrize(
    ("url", "root"),
    [("/es/robots.txt", "/robots.txt"), ("/fr/sitemap.xml", "/sitemap.xml"), ("/es/print.css", "/print.css")],
)
def test_files_the_same_in_every_language_live_only_at_the_root(client, url, root):
    response = client.get(url)
    assert response.status_code == 301
    assert response["Location"] == root
    assert client.get(root).status_code == 200


def test_robots_keep_private_links_out_in_every_language_and_pages_print_with_the_root_stylesheet(client):
    text = client.get("/robots.txt").content.decode()
    for prefix in ("", "/es", "/fr"):
        assert f"Disallow: {prefix}/donate/q/" in text
        assert f"Disallow: {prefix}/donate/s/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert '<link rel="stylesheet" href="/print.css" media="print">' in client.get("/fr/").content.decode()


def test_a_missing_translation_falls_back_to_english_without_an_error(client):
    template = Template(
        "{% load i18n %}{% translate 'A sentence nobody has translated yet.' %} "
        "{% blocktranslate with name='Ana' %}Hello {{ name }}, nobody translated this either."
        "{% endblocktranslate %}"
    )
    with translation.override("fr"):
        assert (
            template.render(Context())
            == "A sentence nobody has translated yet. Hello Ana, nobody translated this either."
        )
    # A page whose editor-managed text has no Spanish yet still answers, in Spanish around the English text.
    response = client.get("/es/for-professionals/")
    assert response.status_code == 200
    assert "Ir al contenido principal" in response.content.decode()


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "Monday to Friday, 8 am to 4:30 pm"),  # the bank's own words (MILKBANK_SUPPORT_HOURS)
        ("es", "de lunes a viernes, de 08:00 a 16:30 (hora del Centro)"),
        ("fr", "du lundi au vendredi, de 08:00 à 16:30 (heure du Centre)"),
    ],
)
def test_the_support_hours_are_in_the_readers_language(client, language, words):
    url = "/" if language == "en" else f"/{language}/"
    html = client.get(url).content.decode()
    footer = html.split('<footer class="site-footer')[1]
    assert words in footer


def test_a_schedule_in_words_reads_each_part_and_a_week_that_wraps():
    with translation.override("es"):
        assert describe(parse_schedule("fri-mon 09:00-12:00; wed 13:00-14:30")) == (
            "de viernes a lunes, de 09:00 a 12:00; miércoles, de 13:00 a 14:30"
        )


@pytest.mark.parametrize(
    ("language", "open_words", "closed_words"),
    [
        (
            "es",
            "Nuestra línea está abierta ahora, hasta las 16:30, hora del Centro.",
            "Vuelve a abrir el lunes a las 08:00, hora del Centro.",
        ),
        (
            "fr",
            "Notre ligne est ouverte en ce moment, jusqu'à 16:30, heure du Centre.",
            "Elle rouvre le lundi à 08:00, heure du Centre.",
        ),
    ],
)
def test_the_phone_line_says_open_or_closed_in_the_readers_language(
    client, language, open_words, closed_words
):
    with time_machine.travel(WEDNESDAY_10AM):
        assert open_words in client.get(f"/{language}/").content.decode().replace("&#x27;", "'")
    with time_machine.travel(SATURDAY_2AM):
        html = client.get(f"/{language}/").content.decode().replace("&#x27;", "'")
        assert closed_words in html
        night_line = "Línea 988 de Prevención" if language == "es" else "9-8-8 : Ligne d'aide en cas de crise"
        assert night_line in html


@pytest.mark.parametrize(
    ("language", "first_day", "last_day", "row"),
    [
        ("es", "lunes 30 de noviembre", "domingo 6 de diciembre de 2026", "lun 30 nov"),
        ("fr", "lundi 30 novembre", "dimanche 6 décembre 2026", "lun 30 nov"),
    ],
)
def test_the_plan_gives_dates_in_the_readers_language(client, language, first_day, last_day, row):
    with time_machine.travel(WEDNESDAY_10AM):
        html = client.get(
            f"/{language}/pumping-plan/?sessions=4&days_per_step=2&start=2026-11-30"
        ).content.decode()
    assert first_day in html
    assert f"<strong>{last_day}</strong>" in html
    assert f"<td>{row}</td>" in html


@pytest.mark.parametrize(
    ("language", "error"),
    [("es", "Escriba un número entero del 1 al 12."), ("fr", "Entrez un nombre entier de 1 à 12.")],
)
def test_the_plan_form_explains_errors_in_the_readers_language(client, language, error):
    html = client.get(
        f"/{language}/pumping-plan/?sessions=20&days_per_step=2&start=2026-11-30"
    ).content.decode()
    assert error in html


def test_feedback_is_answered_in_the_readers_language(client):
    response = client.post("/es/feedback/", {"kind": "error", "path": "/es/", "next": "/es/", "comment": " "})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Por favor, díganos qué está mal." in html
    response = client.post(
        "/fr/feedback/", {"kind": "helpful", "helpful": "yes", "path": "/fr/", "next": "/fr/"}, follow=True
    )
    assert "Merci. Votre message a bien été transmis à notre équipe." in response.content.decode()


def test_the_error_pages_speak_the_readers_language():
    from milkbank.errors import server_error

    request = RequestFactory().get("/es/")
    with translation.override("es"):
        request.LANGUAGE_CODE = "es"
        html = server_error(request).content.decode()
    assert '<html lang="es">' in html
    assert "Algo salió mal de nuestro lado" in html


def test_the_date_of_the_last_edit_is_written_for_the_language(client):
    today = timezone.localdate()
    with translation.override("es"):
        from django.utils.formats import date_format

        expected = date_format(today, "DATE_FORMAT")
    assert " de " in expected
    assert expected in client.get("/es/lactation-after-loss/").content.decode()


def test_the_spanish_and_french_pages_are_valid_html(client, tmp_path):
    """The Nu HTML Checker over a handful of pages in each language (tests/resources/test_html_valid.py checks
    every page in English)."""
    import json
    import subprocess

    from tests.resources.test_html_valid import _vnu

    checker = _vnu()
    urls = ["/", "/lactation-after-loss/", "/pumping-plan/?sessions=4&days_per_step=2&start=2026-11-30"]
    urls += ["/donating-after-loss/handout/", "/search/?q=milk", "/donate/", "/no-such-page/"]
    files = {}
    for language in ("es", "fr"):
        for url in urls:
            response = client.get(_in(language, url))
            assert response.status_code in (200, 404), url
            path = tmp_path / f"{language}-{len(files)}.html"
            path.write_bytes(response.content)
            files[str(path)] = _in(language, url)
    result = subprocess.run(  # noqa: S603 - fixed command, our own temporary files
        [*checker, "--errors-only", "--format", "json", *files], capture_output=True, text=True, timeout=300
    )
    assert result.stderr.startswith("{"), result.stderr[:500]
    errors = [
        f"{files.get(m.get('url', '').removeprefix('file:'))}: line {m.get('lastLine')}: {m['message']}"
        for m in json.loads(result.stderr).get("messages", [])
        if m.get("type") == "error"
    ]
    assert not errors, "\n".join(errors)
