"""Content pages: starter content, what each page shows, caching and its invalidation."""

import pytest
from django.urls import reverse

from resources.models import SECTION_HUBS, Page

pytestmark = pytest.mark.django_db

STARTER_SLUGS = [
    "lactation-after-loss",
    "suppressing-your-supply",
    "continuing-to-express",
    "memorializing-milk",
    "donating-after-loss",
    "for-professionals",
]


@pytest.mark.parametrize("slug", STARTER_SLUGS)
def test_every_starter_page_is_published_with_its_summary_support_line_and_date(client, settings, slug):
    page = Page.objects.get(slug=slug)
    response = client.get(page.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{page.title}</h1>" in html
    assert f'<meta name="description" content="{page.summary}">' in html.replace("&#x27;", "'")
    assert "Last updated <time datetime=" in html
    assert 'aria-label="Breadcrumb"' in html
    assert f'href="tel:{settings.MILKBANK["COORDINATOR_PHONE"]}"' in html
    assert settings.MILKBANK["SUPPORT_HOURS"] in html
    assert "(Central time)" in html  # America/Chicago in plain words


def test_the_starter_text_says_what_the_issue_asks(client):
    def text(slug):
        return client.get(reverse("resources:page", args=[slug])).content.decode()

    loss = text("lactation-after-loss")
    assert "second trimester or later" in loss
    assert "colostrum" in loss and "3 to 5 days" in loss
    assert "no right or wrong choice" in loss

    suppress = text("suppressing-your-supply")
    for words in (
        "only for comfort",
        "supportive bra",
        "tight",
        "pads",
        "cabbage",
        "pain reliever",
        "Warm showers",
    ):
        assert words in suppress

    assert "about 8 times a day" in text("continuing-to-express")

    donating = text("donating-after-loss")
    for words in (
        "about 20 minutes",
        "questionnaire",
        "bank pays for it",
        "research",
        "no minimum",
        "depot",
        "Ship",
    ):
        assert words in donating
    assert reverse("resources:handout") in donating

    memorial = text("memorializing-milk")
    assert "jewelry" in memorial and "Forever Butterflies" in memorial
    professionals = text("for-professionals")
    assert "counseling guide" in professionals
    assert "no right or wrong choice" in professionals


def test_a_page_in_a_section_links_back_to_the_sections_first_page(client):
    html = client.get(reverse("resources:page", args=["suppressing-your-supply"])).content.decode()
    crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert reverse("resources:page", args=["lactation-after-loss"]) in crumbs
    assert 'aria-current="page">Suppressing your supply' in crumbs
    # A section's start page sits right under Home.
    html = client.get(reverse("resources:page", args=["lactation-after-loss"])).content.decode()
    crumbs = html.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert crumbs.count("breadcrumb-item") == 2


def test_every_section_has_a_published_start_page():
    assert set(SECTION_HUBS) == set(Page.Section.values)
    assert Page.objects.published().filter(slug__in=SECTION_HUBS.values()).count() == len(SECTION_HUBS)


def test_unpublished_and_unknown_pages_are_not_found(client, make_page):
    make_page("draft-page", published=False)
    assert client.get("/draft-page/").status_code == 404
    assert client.get("/no-such-page/").status_code == 404


def test_the_home_page_lists_the_sections_and_their_pages(client):
    html = client.get(reverse("resources:home")).content.decode()
    for label in ("Lactation after loss", "Donating after loss", "For healthcare professionals"):
        assert label in html
    for slug in STARTER_SLUGS:
        assert f'href="/{slug}/"' in html
    assert reverse("resources:pumping_plan") in html


def test_the_nav_has_every_public_section_and_marks_the_current_one(client):
    html = client.get(reverse("resources:page", args=["donating-after-loss"])).content.decode()
    nav = html.split('aria-label="Main"')[1].split("</nav>")[0]
    for name in (
        "Home",
        "Lactation after loss",
        "Donating after loss",
        "Become a donor",
        "Find a depot",
        "Forever Butterflies",
        "Grief resources",
        "Other milk banks",
        "For professionals",
    ):
        assert f">{name}</a>" in nav
    for url in (reverse("donors:inquiry"), reverse("donors:depots"), reverse("memorials:home")):
        assert f'href="{url}"' in nav
    assert 'href="/donating-after-loss/" aria-current="page"' in nav
    assert nav.count('aria-current="page"') == 1


# --- Caching -----------------------------------------------------------------------------------------


def test_a_page_costs_two_queries_cold_and_none_warm(client, django_assert_num_queries):
    """Cold: the page and its section's list. Warm: everything comes from the shared cache."""
    url = reverse("resources:page", args=["suppressing-your-supply"])
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_the_home_page_costs_one_query_cold_and_none_warm(client, make_page, django_assert_num_queries):
    """However many pages there are, the home page reads them in one query."""
    for number in range(15):
        make_page(f"extra-{number}")
    with django_assert_num_queries(1):
        client.get(reverse("resources:home"))
    with django_assert_num_queries(0):
        client.get(reverse("resources:home"))


def test_an_edit_in_the_admin_shows_at_once(client, editor):
    page = Page.objects.get(slug="suppressing-your-supply")
    url = page.get_absolute_url()
    assert "Freshly edited words" not in client.get(url).content.decode()  # now cached

    client.force_login(editor)
    response = client.post(
        reverse("admin:resources_page_change", args=[page.pk]),
        {
            "title": "Suppressing your supply, gently",
            "summary": page.summary,
            "body": "Freshly edited words.",
            "section": page.section,
            "order": page.order,
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()

    html = client.get(url).content.decode()
    assert "Freshly edited words." in html
    assert "<h1>Suppressing your supply, gently</h1>" in html
    # The section's other pages list the new title too.
    assert "Suppressing your supply, gently" in client.get("/lactation-after-loss/").content.decode()
    assert "Suppressing your supply, gently" in client.get(reverse("resources:home")).content.decode()


def test_unpublishing_or_deleting_a_page_takes_it_down_at_once(client, make_page):
    page = make_page("short-lived")
    assert client.get("/short-lived/").status_code == 200
    page.published = False
    page.save(update_fields=["published", "updated_at"])
    assert client.get("/short-lived/").status_code == 404

    other = make_page("also-short-lived")
    assert client.get("/also-short-lived/").status_code == 200
    other.delete()
    assert client.get("/also-short-lived/").status_code == 404


def test_a_hostile_body_is_shown_sanitized(client, make_page):
    make_page(
        "hostile", body='Hi <script>alert(1)</script> <img src=x onerror="alert(2)"> [x](javascript:alert(3))'
    )
    html = client.get("/hostile/").content.decode()
    body = html.split('class="page-body">')[1].split("</div>")[0]
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body


def test_unknown_addresses_do_not_fill_the_cache(client):
    from django.core.cache import cache

    client.get("/no-such-page/")
    keys = list(cache._cache.keys())  # LocMemCache in tests
    assert not any("no-such-page" in key for key in keys)
