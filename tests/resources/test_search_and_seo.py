"""Search of the pages, sitemap.xml, robots.txt and meta descriptions."""

import pytest
from django.db import connection
from django.urls import reverse

from resources.models import Page

pytestmark = pytest.mark.django_db

SEARCH = reverse("resources:search")


def test_it_finds_pages_by_words_in_their_body(client):
    html = client.get(SEARCH, {"q": "cabbage"}).content.decode()
    results = html.split('id="results-heading"')[1].split("</ul>")[0]
    assert 'href="/suppressing-your-supply/"' in results
    assert 'href="/donating-after-loss/"' not in results


def test_every_word_must_match(client):
    html = client.get(SEARCH, {"q": "colostrum jewelry"}).content.decode()
    assert "No pages found" in html


def test_unpublished_pages_are_never_found(client, make_page):
    make_page("secret-draft", title="Zebra draft", body="zebra", published=False)
    assert "Zebra draft" not in client.get(SEARCH, {"q": "zebra"}).content.decode()


def test_an_empty_search_shows_just_the_form(client):
    html = client.get(SEARCH).content.decode()
    assert 'name="q"' in html
    assert "pages found" not in html and "No pages found" not in html


def test_a_too_long_search_gets_a_clear_message(client):
    html = client.get(SEARCH, {"q": "milk " * 60}).content.decode()
    assert "Ensure this value has at most 200 characters" in html
    assert 'aria-invalid="true"' in html


def test_search_is_one_query_however_many_pages(client, make_page, django_assert_num_queries):
    """A result's title, summary and address come from the index in the one query that searches; the
    editors' synonyms cost one more query only until they are cached."""
    for number in range(25):
        make_page(f"milk-page-{number}", body="milk milk")
    with django_assert_num_queries(2):
        html = client.get(SEARCH, {"q": "milk"}).content.decode()
    assert "20 pages found" in html
    with django_assert_num_queries(1):
        assert "20 pages found" in client.get(SEARCH, {"q": "milk"}).content.decode()


@pytest.mark.postgres
def test_on_postgresql_full_text_search_ranks_title_matches_first_and_stems_words(client, make_page):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL full-text search runs only on PostgreSQL")
    make_page("body-mention", title="Another page", body="Something about pumping here.")
    make_page("title-mention", title="Pumping at work", body="Notes.")
    html = client.get(SEARCH, {"q": "pumped"}).content.decode()  # stemmed: pumped ~ pumping
    assert html.index('href="/title-mention/"') < html.index('href="/body-mention/"')


def test_off_postgresql_the_postgres_search_module_is_not_used(client, monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("this checks the fallback used on other databases")
    import builtins

    real_import = builtins.__import__

    def guarded(name, *args, **kwargs):
        assert not name.startswith("django.contrib.postgres"), "postgres search imported off PostgreSQL"
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", guarded)
    assert "suppressing-your-supply" in client.get(SEARCH, {"q": "cabbage"}).content.decode()


def test_the_sitemap_lists_published_pages_and_the_fixed_public_pages(client, make_page):
    make_page("hidden-draft", published=False)
    response = client.get("/sitemap.xml")
    xml = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    for path in (
        "/",
        "/suppressing-your-supply/",
        "/grief-resources/",
        "/other-milk-banks/",
        reverse("resources:pumping_plan"),
        reverse("resources:handout"),
        reverse("donors:inquiry"),
        reverse("donors:depots"),
        reverse("memorials:home"),
    ):
        assert f"<loc>http://testserver{path}</loc>" in xml, path
    assert "hidden-draft" not in xml
    assert "<lastmod>" in xml
    assert xml.count("<loc>http://testserver/grief-resources/</loc>") == 1


def test_the_sitemap_costs_one_query(client, make_page, django_assert_num_queries):
    """One read of the pages, however many, listed once per language (the pager counts that list in Python);
    the fixed pages need none."""
    for number in range(20):
        make_page(f"map-{number}")
    with django_assert_num_queries(1):
        assert client.get("/sitemap.xml").status_code == 200


def test_robots_txt_points_to_the_sitemap_and_keeps_private_links_out(client):
    response = client.get("/robots.txt")
    text = response.content.decode()
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in text
    for path in ("/admin/", "/donate/q/", "/donate/s/", "/feedback/"):
        assert f"Disallow: {path}" in text


@pytest.mark.parametrize(
    "url",
    ["/", "/grief-resources/", "/other-milk-banks/", "/pumping-plan/", "/donating-after-loss/handout/"],
)
def test_each_public_page_has_its_own_meta_description(client, url):
    html = client.get(url).content.decode()
    description = html.split('<meta name="description" content="')[1].split('"')[0]
    assert len(description) > 40
    assert "donor milk for babies in hospital, and support for families" not in description  # the default


def test_a_list_page_uses_its_introductions_summary_as_description(client):
    summary = Page.objects.get(slug="grief-resources").summary
    assert (
        f'<meta name="description" content="{summary}">' in client.get("/grief-resources/").content.decode()
    )
