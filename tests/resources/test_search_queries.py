"""Real queries parents type, and the page each must put first, on SQLite and on PostgreSQL alike."""

import pytest
from django.urls import reverse
from django.utils import translation

from donors.models import Depot
from resources.models import SearchDocument, SearchSynonym

pytestmark = pytest.mark.django_db

SEARCH = reverse("resources:search")

# (what someone types, the address the first result must lead to, without its query or #anchor)
FIRST_RESULT = [
    ("pumping plan", "/pumping-plan/"),
    ("quilt", "/butterflies/"),
    ("Ontario", "/other-milk-banks/"),
    ("depot", "/donate/depots/"),
    ("engorged", "/suppressing-your-supply/"),
    ("mastitis", "/suppressing-your-supply/"),
    ("dry up", "/suppressing-your-supply/"),
    ("stop my milk", "/suppressing-your-supply/"),
    ("how do I stop pumping", "/pumping-plan/"),
    ("crisis line", "/grief-resources/"),
    ("become a donor", "/donate/"),
    ("Forever Butterflies", "/butterflies/"),
    ("keepsake jewelry", "/memorializing-milk/"),
]


def _results(client, query):
    html = client.get(SEARCH, {"q": query}).content.decode()
    assert 'id="results-heading"' in html, query
    listed = html.split('class="list-unstyled search-results"')
    assert len(listed) == 2, f"nothing found for {query!r}"
    return [part.split('"', 1)[0] for part in listed[1].split("</ul>")[0].split('<a class="h5" href="')[1:]]


@pytest.mark.parametrize(("query", "first"), FIRST_RESULT)
def test_each_query_puts_the_right_page_first(client, query, first):
    urls = _results(client, query)
    assert urls[0].split("#")[0].split("?")[0] == first, (query, urls[:4])


def test_depots_are_found_by_town_and_link_to_their_region(client):
    Depot.objects.create(name="Lakeside Family Clinic", city="Duluth", region="Minnesota")
    Depot.objects.create(name="Hidden depot", city="Duluth", region="Minnesota", listed_publicly=False)
    urls = _results(client, "Duluth")
    assert urls == ["/donate/depots/?region=Minnesota"]


def test_list_entries_link_to_their_place_in_the_list(client):
    urls = _results(client, "Rogers Hixon")
    assert urls[0].startswith("/other-milk-banks/#entry-")
    assert f'id="{urls[0].split("#")[1]}"' in client.get(urls[0].split("#")[0]).content.decode()


def test_editors_synonyms_widen_a_search(client):
    assert "No pages found" in client.get(SEARCH, {"q": "boob"}).content.decode()
    SearchSynonym.objects.create(phrase="Boob", means="breast")
    assert SearchSynonym.objects.filter(phrase="boob").exists()  # kept lowercase
    assert _results(client, "boob")  # now found, through the synonym


def test_the_index_follows_edits_and_unpublishing(client, make_page):
    make_page("zebra-notes", title="Zebra notes", body="Stripes.")
    assert _results(client, "zebra") == ["/zebra-notes/"]
    page = make_page("zebra-draft", title="Zebra draft", published=False)
    assert _results(client, "zebra") == ["/zebra-notes/"]
    page.delete()
    # One document per language (its English text until it is translated).
    assert SearchDocument.objects.filter(title__startswith="Zebra").count() == 3
    assert SearchDocument.objects.filter(title__startswith="Zebra", language="en").count() == 1


# --- In Spanish and French (issue 18) ----------------------------------------------------------------------

FIRST_RESULT_IN = [
    ("es", "retirar la leche", "/es/suppressing-your-supply/"),
    ("es", "mastitis", "/es/suppressing-your-supply/"),
    ("es", "colcha", "/es/butterflies/"),
    ("es", "joyas de recuerdo", "/es/memorializing-milk/"),
    ("es", "dejar de extraerse leche", "/es/pumping-plan/"),
    ("es", "duelo", "/es/grief-resources/"),
    ("es", "punto de entrega", "/es/donate/depots/"),
    ("fr", "tire-lait", "/fr/pumping-plan/"),
    ("fr", "mastite", "/fr/suppressing-your-supply/"),
    ("fr", "courtepointe", "/fr/butterflies/"),
    ("fr", "bijoux souvenirs", "/fr/memorializing-milk/"),
    ("fr", "deuil", "/fr/grief-resources/"),
    ("fr", "dépôt", "/fr/donate/depots/"),
    ("fr", "Ontario", "/fr/other-milk-banks/"),
]


def _search_url(language):
    with translation.override(language):
        return reverse("resources:search")


def _results_in(client, language, query):
    html = client.get(_search_url(language), {"q": query}).content.decode()
    assert 'id="results-heading"' in html, query
    if 'class="list-unstyled search-results"' not in html:
        return []
    listed = html.split('class="list-unstyled search-results"')[1].split("</ul>")[0]
    return [part.split('"', 1)[0] for part in listed.split('<a class="h5" href="')[1:]]


@pytest.mark.parametrize(("language", "query", "first"), FIRST_RESULT_IN)
def test_each_query_in_spanish_and_french_puts_the_right_page_first(client, language, query, first):
    urls = _results_in(client, language, query)
    assert urls and urls[0].split("#")[0].split("?")[0] == first, (language, query, urls[:4])


def test_each_language_searches_only_its_own_pages(client):
    assert _results_in(client, "en", "retirar la leche") == []
    assert _results_in(client, "es", "tire-lait") == []
    assert all(url.startswith("/fr/") for url in _results_in(client, "fr", "lait"))
    assert all(url.startswith("/es/") for url in _results_in(client, "es", "leche"))


def test_an_untranslated_page_is_found_in_english_and_marked_so(client, make_page):
    with translation.override("en"):
        make_page("zebra-notes", title="Zebra notes", summary="About stripes.")
    html = client.get(_search_url("es"), {"q": "zebra"}).content.decode()
    assert '<a class="h5" href="/es/zebra-notes/" lang="en">Zebra notes</a>' in html
    assert '<span class="text-muted" lang="en">About stripes.</span>' in html


@pytest.mark.parametrize("language", ["es", "fr"])
def test_search_in_each_language_is_one_query(client, language, django_assert_num_queries):
    """The language is a column of the index: still the one query that searches (and the cached synonyms)."""
    url = _search_url(language)
    client.get(url, {"q": "x"})  # synonyms cached
    with django_assert_num_queries(1):
        assert client.get(url, {"q": "leche lait"}).status_code == 200
