"""Public content as the pages show it, built once and kept in the shared cache until an editor changes it.

What is expensive and the same for everyone is the published content: the sanitized Markdown, the section's
pages, the lists. That is cached here, as plain dicts, under a key that includes a "generation"; and for
visitors without a session, whole rendered pages too (`cached_response`).
Any save or delete of content (and every `migrate`) starts a new generation, so an edit shows at once and
old entries simply expire. A warm public page costs no database query; a cold one a fixed, small number.

Whole pages are also kept in each process's own memory (the "local" cache alias), trusted for
PUBLIC_PAGE_LOCAL_SECONDS before the process asks the shared cache for the generation again. So a busy
public page costs no network round trip at all, and an edit reaches every process within those seconds
(at once in the process that saved it).
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.urls import reverse
from django.utils.translation import get_language

from .hours import current_status
from .models import (
    KEEPSAKE_SLUG,
    SECTION_HUBS,
    GriefResource,
    KeepsakeMaker,
    ListEntry,
    MilkBank,
    Page,
    SearchSynonym,
)
from .rendering import render_markdown
from .translation import in_english

GENERATION_KEY = "resources:content-generation"
ENTRY_TIMEOUT = 60 * 60 * 24  # entries of an old generation are never read again; let them expire


def invalidate(**_signal_kwargs):
    """Start a new generation: every cached piece of public content is rebuilt on its next request."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)
    caches["local"].delete(GENERATION_KEY)  # other processes notice within PUBLIC_PAGE_LOCAL_SECONDS


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Lost (evicted or a cold cache): a fresh value can never match entries built before.
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY)
    return generation


def cached_response(request, build):
    """A whole public page from the cache, or built by `build()` and kept for the next visitor.

    Only for visitors who carry no session or flash message (then the page is the same for everyone: it
    holds no CSRF token, since the feedback endpoint does not need one) and only for 200 answers. An entry
    built in an older content generation is never served, so an edit shows at once.
    """
    personal = settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES
    if personal or request.method not in ("GET", "HEAD"):
        return build()
    # Pages say whether the phone line is open now: each opening and closing has its own copy.
    path_hash = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    key = f"resources:response:{current_status().cache_key}:{path_hash}"
    local = caches["local"]
    # This process's copy, while its word on the generation is fresh: no round trip to the shared cache.
    generation = local.get(GENERATION_KEY)
    entry = local.get(key) if generation is not None else None
    if entry is None or entry[0] != generation:
        # One shared read for both the current generation and the page (stored with the generation it was
        # built in).
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or _generation()
        local.set(GENERATION_KEY, generation, settings.PUBLIC_PAGE_LOCAL_SECONDS)
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            local.set(key, entry, settings.PUBLIC_PAGE_LOCAL_SECONDS)
    if entry is not None and entry[0] == generation:
        return HttpResponse(entry[1], content_type=entry[2])
    response = build()
    if response.status_code == 200 and not response.streaming:
        entry = (generation, response.content, response["Content-Type"])
        cache.set(key, entry, ENTRY_TIMEOUT)
        local.set(key, entry, settings.PUBLIC_PAGE_LOCAL_SECONDS)
    return response


def _cached(name: str, build):
    """`build()`'s value for the active language, kept until content changes."""
    key = f"resources:{_generation()}:{get_language()}:{name}"
    value = cache.get(key)
    if value is None:
        value = build()
        if value is not None:  # misses are not cached, so unknown addresses cannot fill the cache
            cache.set(key, value, ENTRY_TIMEOUT)
    return value


def _link(page: Page, current_slug: str = "") -> dict:
    return {
        "title": page.title,
        "summary": page.summary,
        "url": page.get_absolute_url(),
        "current": page.slug == current_slug,
    }


def section_trail(section: str) -> list[dict]:
    """The breadcrumb step for a section: its label, linking to the section's start page."""
    return [
        {"title": Page.Section(section).label, "url": reverse("resources:page", args=[SECTION_HUBS[section]])}
    ]


def home_sections() -> list[dict]:
    """Each section with its published pages, for the home page."""

    def build():
        pages = list(Page.objects.for_index())
        return [
            {
                "label": label,
                "value": value,
                "pages": [_link(page) for page in pages if page.section == value],
            }
            for value, label in Page.Section.choices
        ]

    return _cached("home", build)


def _page_bundle(page: Page, siblings: list[Page]) -> dict:
    english = in_english(page, ["title", "summary", "body"])
    return {
        # Fields shown in English for want of a translation: the page marks them lang="en" and says so.
        "english": english,
        "untranslated": bool(english),
        "title": page.title,
        "slug": page.slug,
        "summary": page.summary,
        "section": page.section,
        "section_label": page.get_section_display(),
        "updated_at": page.updated_at,
        "body_html": render_markdown(page.body),
        "trail": [] if page.slug == SECTION_HUBS[page.section] else section_trail(page.section),
        "siblings": [_link(sibling, page.slug) for sibling in siblings],
    }


def page(slug: str) -> dict | None:
    """A published page ready to show, with its section's pages for navigation; None if there is none."""

    def build():
        found = Page.objects.published().filter(slug=slug).first()
        if found is None:
            return None
        siblings = list(Page.objects.for_index().filter(section=found.section))
        bundle = _page_bundle(found, siblings)
        if slug == KEEPSAKE_SLUG:
            bundle["makers"] = [
                {
                    "name": maker.name,
                    "description": maker.description,
                    "website": maker.website,
                    "area": maker.area,
                    "english": in_english(maker, ["name", "description"]),
                }
                for maker in KeepsakeMaker.objects.filter(published=True)
            ]
        return bundle

    return _cached(f"page:{slug}", build)


def _entry(entry) -> dict:
    return {
        "english": in_english(entry, ["name", "description"]),
        "name": entry.name,
        "description": entry.description,
        "phone": entry.phone,
        "website": entry.website,
        "region": entry.region,
        "areas": entry.areas(),
        "area": entry.area,
        "category_label": entry.get_category_display(),
        "anchor": f"entry-{entry.pk}",
        # National crisis lines answer wherever someone lives: a filter by place keeps them.
        "always_listed": entry.region == ListEntry.Region.NATIONAL
        and entry.category == GriefResource.Category.CRISIS
        and isinstance(entry, GriefResource),
    }


DIRECTORIES = {
    "grief": (GriefResource, "grief-resources"),
    "banks": (MilkBank, "other-milk-banks"),
}


def directory(name: str) -> dict:
    """A public list and the page that introduces it (None when the introduction is unpublished)."""
    model, intro_slug = DIRECTORIES[name]

    def build():
        intro = Page.objects.published().filter(slug=intro_slug).first()
        rows = list(model.objects.filter(published=True))
        changes = [row.updated_at for row in rows] + ([intro.updated_at] if intro else [])
        entries = [_entry(entry) for entry in rows]
        return {
            "intro": _page_bundle(intro, []) if intro else None,
            "entries": entries,
            "untranslated_entries": any(entry["english"] for entry in entries),
            "updated_at": max(changes, default=None),
        }

    return _cached(f"directory:{name}", build)


def search_synonyms() -> list[tuple[str, str]]:
    """Editors' synonyms as (phrase, means) pairs, for resources.search."""
    return _cached("synonyms", lambda: list(SearchSynonym.objects.values_list("phrase", "means")))
