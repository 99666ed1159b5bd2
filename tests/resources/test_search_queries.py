"""Real queries parents type, and the page each must put first, on SQLite and on PostgreSQL alike."""

import pytest
from django.urls import reverse

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
