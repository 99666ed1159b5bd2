"""Whole public pages are cached for visitors without a session, and rebuilt when an editor changes them."""

import pytest
from django.test import Client

from resources.models import Page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def _page():
    return Page.objects.filter(published=True).exclude(slug="").first()


def test_a_public_page_carries_no_per_visitor_token(client):
    body = client.get(_page().get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in body
    assert 'action="/feedback/"' in body


def test_feedback_needs_no_token_even_with_csrf_checks_on():
    page = _page()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/feedback/", {"kind": "helpful", "helpful": "yes", "path": page.get_absolute_url()}
    )
    assert response.status_code == 302


def test_the_second_visitor_gets_the_cached_page_until_an_editor_saves(client):
    page = _page()
    url = page.get_absolute_url()
    first = client.get(url).content
    Page.objects.filter(pk=page.pk).update(
        title="Changed behind the cache"
    )  # no signal: the cache cannot know
    assert Client().get(url).content == first
    page.refresh_from_db()
    page.save()  # an editor's save starts a new content generation
    assert "Changed behind the cache" in Client().get(url).content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client):
    url = _page().get_absolute_url()
    client.get(url)
    client.post("/feedback/", {"kind": "helpful", "helpful": "yes", "path": url, "next": url})
    assert "Thank you. Your note reached our team." in client.get(url).content.decode()
    assert "Thank you. Your note reached our team." not in Client().get(url).content.decode()
