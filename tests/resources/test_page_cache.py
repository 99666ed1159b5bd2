"""Whole public pages are cached for visitors without a session, and rebuilt when an editor changes them."""

import datetime

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from resources.content import GENERATION_KEY
from resources.models import Page

pytestmark = pytest.mark.django_db


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


def test_a_warm_page_is_served_from_this_process_without_asking_the_shared_cache(client, monkeypatch):
    url = _page().get_absolute_url()
    first = client.get(url).content

    def no_shared_reads(*args, **kwargs):
        raise AssertionError("the shared cache was asked")

    monkeypatch.setattr(cache, "get_many", no_shared_reads)
    monkeypatch.setattr(cache, "get", no_shared_reads)
    assert Client().get(url).content == first


def test_an_edit_saved_by_another_process_shows_here_within_the_local_seconds(client, settings):
    page = _page()
    url = page.get_absolute_url()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 10, 0, tzinfo=datetime.UTC), tick=False) as clock:
        client.get(url)
        # Another process saves: the row changes and the shared generation moves on; this process's
        # own copy of the generation is untouched.
        Page.objects.filter(pk=page.pk).update(title="Saved in another process")
        cache.set(GENERATION_KEY, "another-process", None)
        assert "Saved in another process" not in Client().get(url).content.decode()
        clock.shift(datetime.timedelta(seconds=settings.PUBLIC_PAGE_LOCAL_SECONDS + 1))
        assert "Saved in another process" in Client().get(url).content.decode()


def test_setting_the_local_seconds_to_zero_turns_the_process_copy_off(client, settings):
    settings.PUBLIC_PAGE_LOCAL_SECONDS = 0
    page = _page()
    url = page.get_absolute_url()
    client.get(url)
    Page.objects.filter(pk=page.pk).update(title="Seen at once")
    cache.set(GENERATION_KEY, "another-process", None)
    assert "Seen at once" in Client().get(url).content.decode()
