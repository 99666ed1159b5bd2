"""An editor translates a page in the admin, by clicking, and Spanish readers see it (issue 18)."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from playwright.sync_api import expect

from resources.content import invalidate
from resources.models import Page
from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _starter_content(transactional_db):
    """Transactional tests empty every table when they end: load the English starter content again. (It has
    no translations then, so every page starts English-only, as an editor's new page would.)"""
    migration = import_module("resources.migrations.0002_starter_content")
    migration.load_starter_content(apps, SimpleNamespace(connection=connection))


def test_an_editor_translates_a_page_into_spanish_and_it_shows_at_once(page, editor, axe):
    target = Page.objects.get(slug="continuing-to-express")
    # Whether or not the migration's translations are still there, this page starts English-only.
    Page.objects.filter(pk=target.pk).update(
        title_es=None, summary_es=None, body_es=None, title_fr=None, summary_fr=None, body_fr=None
    )
    invalidate()
    # Before: Spanish readers get the English text, marked as English, with a note in Spanish.
    page.goto("/es/continuing-to-express/")
    expect(page.locator("h1")).to_have_text("Continuing to express")
    expect(page.locator("h1")).to_have_attribute("lang", "en")
    expect(page.locator(".translation-note")).to_contain_text("todavía no está traducida al español")

    admin_login(page, editor.username)
    page.goto(f"/admin/resources/page/{target.pk}/change/")
    page.get_by_label("Title in Spanish").fill("Seguir extrayendo leche")
    page.get_by_label("Summary in Spanish").fill("Algunas familias siguen extrayéndose leche por un tiempo.")
    page.get_by_label("Body in Spanish").fill("## Puede decidir más adelante\n\nNo tiene que decidir hoy.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    target.refresh_from_db()
    assert target.review_es is False  # the editor wrote the Spanish text: nothing waits for review

    page.goto("/es/continuing-to-express/")
    expect(page.locator("h1")).to_have_text("Seguir extrayendo leche")
    expect(page.locator("h2", has_text="Puede decidir más adelante")).to_be_visible()
    expect(page.locator(".translation-note")).to_have_count(0)
    expect(page.locator("main [lang='en']")).to_have_count(0)
    axe(page)
    # English and French readers are unaffected.
    page.goto("/continuing-to-express/")
    expect(page.locator("h1")).to_have_text("Continuing to express")
    page.goto("/fr/continuing-to-express/")
    expect(page.locator("h1")).to_have_attribute("lang", "en")
    expect(page.locator(".translation-note")).to_contain_text("pas encore été traduite en français")
    axe(page)
