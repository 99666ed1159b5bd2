"""Public-page fixtures. Content and feedback flood limits live in the cache: each test starts clean."""

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from resources.models import Page


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request to /es/ or /fr/ leaves its language active in this thread (LocaleMiddleware activates it and
    nothing resets it): without this, the next test's reverse() and model fields would be in that language."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    for each in caches.all():
        each.clear()
    yield
    for each in caches.all():
        each.clear()


@pytest.fixture
def make_page(db):
    def make(slug="test-page", **fields):
        defaults = {
            "title": slug.replace("-", " ").capitalize(),
            "summary": f"About {slug}.",
            "body": "Some words.",
            "section": Page.Section.AFTER_LOSS,
            "order": 50,
            "published": True,
        }
        return Page.objects.create(slug=slug, **{**defaults, **fields})

    return make
