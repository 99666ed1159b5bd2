"""Editors' content in Spanish and French (issue 18): starter translations, the English fallback with its
note, editing each language in the admin, and the review boxes."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import translation

from resources.models import GriefResource, KeepsakeMaker, MilkBank, Page

pytestmark = pytest.mark.django_db

TRANSLATIONS = import_module("resources.migrations.0004_translations_and_review")
NOTE = {
    "es": "Esta página todavía no está traducida al español; aquí la tiene en inglés.",
    "fr": "Cette page n'a pas encore été traduite en français; la voici en anglais.",
}
ENTRIES_NOTE = {
    "es": "Algunas entradas de abajo todavía no están traducidas al español; se muestran en inglés.",
    "fr": (
        "Certaines entrées ci-dessous n'ont pas encore été traduites en français; "
        "elles sont affichées en anglais."
    ),
}


def _url(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def _english_page(make_page, slug, **fields):
    """A page an editor wrote in English only (the admin is always in English)."""
    with translation.override("en"):
        return make_page(slug, **fields)


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_starter_page_is_there_in_spanish_and_french(client, language):
    pages = TRANSLATIONS.ES_PAGES if language == "es" else TRANSLATIONS.FR_PAGES
    for page in Page.objects.published():
        with translation.override(language):
            url = page.get_absolute_url()
        html = client.get(url).content.decode()
        title = pages[page.slug]["title"].replace("'", "&#x27;")
        assert f"<h1>{title}</h1>" in html, page.slug
        assert NOTE[language] not in html and 'lang="en"' not in html.split("<main", 1)[1], page.slug
    # And English stays English, at the same address without a prefix.
    assert "<h1>Suppressing your supply</h1>" in client.get("/suppressing-your-supply/").content.decode()


@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_starter_list_entry_and_keepsake_maker_is_translated(client, language):
    entries = TRANSLATIONS.ES_ENTRIES if language == "es" else TRANSLATIONS.FR_ENTRIES
    grief = _url(language, "resources:grief_resources")
    for url in (
        grief,
        _url(language, "resources:milk_banks"),
        _url(language, "resources:page", "memorializing-milk"),
    ):
        html = client.get(url).content.decode()
        assert ENTRIES_NOTE[language] not in html
        assert 'lang="en"' not in html.split("<main", 1)[1], url
    html = client.get(grief).content.decode()
    for resource in GriefResource.objects.all():
        assert entries[resource.name_en][1].replace("'", "&#x27;") in html
    assert TRANSLATIONS.PHONES["988 (call or text)"][language] in html


def test_starter_translations_wait_for_the_banks_review():
    for model in (Page, GriefResource, MilkBank, KeepsakeMaker):
        assert model.objects.exists()
        assert not model.objects.filter(review_es=False).exists(), model
        assert not model.objects.filter(review_fr=False).exists(), model


def test_a_page_without_a_translation_shows_the_english_text_with_a_note(client, make_page):
    _english_page(
        make_page, "returning-to-work", title="Returning to work", body="## First days\n\nTake time."
    )
    for language in ("es", "fr"):
        response = client.get(f"/{language}/returning-to-work/")
        assert response.status_code == 200
        html = response.content.decode()
        assert NOTE[language] in html
        assert '<h1 lang="en">Returning to work</h1>' in html
        assert '<div class="page-body" lang="en"><h2>First days</h2>' in html
    english = client.get("/returning-to-work/").content.decode()
    assert "<h1>Returning to work</h1>" in english and "translation-note" not in english


def test_a_partly_translated_page_marks_only_the_english_parts(client, make_page):
    page = _english_page(make_page, "returning-to-work", title="Returning to work", summary="Back at work.")
    Page.objects.filter(pk=page.pk).update(title_es="Volver al trabajo")
    html = client.get("/es/returning-to-work/").content.decode()
    assert "<h1>Volver al trabajo</h1>" in html
    assert '<p class="lead-soft" lang="en">Back at work.</p>' in html
    assert NOTE["es"] in html
    # French has nothing yet: all of it in English.
    assert '<h1 lang="en">Returning to work</h1>' in client.get("/fr/returning-to-work/").content.decode()


def test_an_untranslated_list_entry_is_marked_english_with_a_note(client):
    with translation.override("en"):
        MilkBank.objects.create(
            name="Prairie Milk Collective",
            description="A new bank.",
            region=MilkBank.Region.STATE,
            area="Saskatchewan",
            category=MilkBank.Category.BANK,
        )
    html = client.get(_url("es", "resources:milk_banks")).content.decode()
    assert ENTRIES_NOTE["es"] in html
    assert '<h3 class="h5 mb-1" lang="en">Prairie Milk Collective</h3>' in html
    assert '<p class="mb-1" lang="en">A new bank.</p>' in html
    assert "Un banco de leche sin fines de lucro, miembro de HMBANA" in html  # the translated ones still are


def test_the_cache_keeps_each_language_apart(client):
    """Cached content is per language: asking in Spanish first must not give French visitors Spanish."""
    assert "<h1>Cómo retirar la leche</h1>" in client.get("/es/suppressing-your-supply/").content.decode()
    french = client.get("/fr/suppressing-your-supply/").content.decode()
    assert "<h1>Faire diminuer sa production de lait</h1>" in french
    assert "<h1>Suppressing your supply</h1>" in client.get("/suppressing-your-supply/").content.decode()


@pytest.mark.parametrize("language", ["es", "fr"])
def test_a_translated_page_costs_two_queries_cold_and_none_warm(client, language, django_assert_num_queries):
    """The same fixed cost as in English: the translations are columns of the same rows."""
    url = f"/{language}/suppressing-your-supply/"
    with django_assert_num_queries(2):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_a_translated_list_costs_two_queries_however_long(client, count, django_assert_num_queries):
    """Whatever the number of entries, translated or not, the list page costs two queries cold."""
    with translation.override("en"):
        for n in range(count):
            GriefResource.objects.create(
                name=f"Group {n}", region="state", area="Ontario", category="peer", description="Words."
            )
    with django_assert_num_queries(2):
        assert client.get(_url("fr", "resources:grief_resources")).status_code == 200


# --- The admin ---------------------------------------------------------------------------------------------


def _page_post(page, **changes):
    data = {
        "title": page.title_en,
        "slug": page.slug,
        "summary": page.summary_en,
        "body": page.body_en,
        "section": page.section,
        "order": page.order,
        "published": "on",
    }
    for language in ("es", "fr"):
        for field in ("title", "summary", "body"):
            data[f"{field}_{language}"] = getattr(page, f"{field}_{language}") or ""
        if getattr(page, f"review_{language}"):
            data[f"review_{language}"] = "on"
    return {**data, **changes}


def test_the_page_form_groups_english_spanish_and_french_with_clear_labels(client, editor):
    client.force_login(editor)
    page = Page.objects.get(slug="continuing-to-express")
    html = client.get(reverse("admin:resources_page_change", args=[page.pk])).content.decode()
    for text in (
        "English",
        "Spanish (es)",
        "French (fr)",
        "Title in Spanish",
        "Body in French",
        "Spanish text needs review",
        "French text needs review",
    ):
        assert text in html, text
    assert "Seguir extrayendo leche" in html and "Continuer à exprimer son lait" in html


def test_an_editor_writes_the_spanish_text_marks_it_reviewed_and_it_is_public(client, editor):
    page = Page.objects.get(slug="continuing-to-express")
    client.get("/es/continuing-to-express/")  # cached now
    client.force_login(editor)
    data = _page_post(page, title_es="Seguir sacándose leche", body_es="Palabras nuevas.")
    del data["review_es"]  # untick "Spanish text needs review"
    response = client.post(reverse("admin:resources_page_change", args=[page.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    page.refresh_from_db()
    assert (page.title_en, page.title_es) == ("Continuing to express", "Seguir sacándose leche")
    assert (page.review_es, page.review_fr) == (False, True)  # French untouched: still waits
    client.logout()
    html = client.get("/es/continuing-to-express/").content.decode()
    assert "<h1>Seguir sacándose leche</h1>" in html and "Palabras nuevas." in html
    assert "<h1>Continuing to express</h1>" in client.get("/continuing-to-express/").content.decode()


def test_an_editor_marks_a_translation_reviewed_without_changing_it(client, editor):
    page = Page.objects.get(slug="memorializing-milk")
    client.force_login(editor)
    data = _page_post(page)
    del data["review_fr"]  # untick "French text needs review"
    assert client.post(reverse("admin:resources_page_change", args=[page.pk]), data).status_code == 302
    page.refresh_from_db()
    assert (page.review_es, page.review_fr) == (True, False)
    assert page.title_fr == "Garder son lait en souvenir"


def test_changing_the_english_words_puts_their_translations_back_for_review(client, editor):
    """A reviewed translation of words that changed may no longer say the same; a new line break may."""
    page = Page.objects.get(slug="memorializing-milk")
    Page.objects.filter(pk=page.pk).update(review_es=False, review_fr=False)
    page.refresh_from_db()
    client.force_login(editor)
    change = reverse("admin:resources_page_change", args=[page.pk])
    assert client.post(change, _page_post(page, body=page.body_en + "\n\n")).status_code == 302
    page.refresh_from_db()
    assert (page.review_es, page.review_fr) == (False, False)  # the same words: nothing to check

    reworded = _page_post(
        page, body=page.body_en + "\n\nOne more line.", body_es=page.body_es + " Una línea más."
    )
    assert client.post(change, reworded).status_code == 302
    page.refresh_from_db()
    assert page.body_en.endswith("One more line.")
    # Spanish was brought up to date in the same save; French was not, so it waits for review.
    assert (page.review_es, page.review_fr) == (False, True)


def test_changing_english_words_that_have_no_translation_asks_for_no_review(client, editor, make_page):
    page = _english_page(make_page, "returning-to-work", title="Returning to work")
    client.force_login(editor)
    change = reverse("admin:resources_page_change", args=[page.pk])
    assert client.post(change, _page_post(page, body="New words.")).status_code == 302
    page.refresh_from_db()
    assert page.body_en == "New words." and (page.review_es, page.review_fr) == (False, False)


def test_the_lists_show_and_filter_what_waits_for_review(client, editor):
    reviewed = Page.objects.get(slug="grief-resources")
    Page.objects.filter(pk=reviewed.pk).update(review_es=False, review_fr=False)
    link = reverse("admin:resources_page_change", args=[reviewed.pk])
    client.force_login(editor)
    changelist = reverse("admin:resources_page_changelist")
    waiting = client.get(changelist, {"review_es__exact": "1"}).content.decode()
    assert "Suppressing your supply" in waiting and link not in waiting
    everything = client.get(changelist).content.decode()
    assert link in everything and "Spanish, French" in everything
    for name in ("griefresource", "milkbank", "keepsakemaker"):
        html = client.get(reverse(f"admin:resources_{name}_changelist"), {"review_fr__exact": "1"})
        assert html.status_code == 200 and "Spanish, French" in html.content.decode(), name


def test_a_list_entry_takes_its_spanish_and_french_text_in_the_admin(client, editor):
    resource = GriefResource.objects.get(name_en="Star Legacy Foundation")
    client.force_login(editor)
    response = client.post(
        reverse("admin:resources_griefresource_change", args=[resource.pk]),
        {
            "name": resource.name_en,
            "description": resource.description_en,
            "name_es": resource.name_es,
            "description_es": "Texto revisado por el banco.",
            "name_fr": resource.name_fr,
            "description_fr": resource.description_fr,
            "review_fr": "on",
            "phone": "",
            "website": resource.website,
            "region": resource.region,
            "area": resource.area,
            "category": resource.category,
            "order": resource.order,
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    resource.refresh_from_db()
    assert resource.description_es == "Texto revisado por el banco." and not resource.review_es
    assert "Texto revisado por el banco." in client.get("/es/grief-resources/").content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title_es", "T" * 121, "Ensure this value has at most 120 characters"),
        ("summary_fr", "S" * 301, "Ensure this value has at most 300 characters"),
    ],
)
def test_an_oversized_translation_is_refused_and_nothing_is_saved(client, editor, field, value, message):
    page = Page.objects.get(slug="memorializing-milk")
    client.force_login(editor)
    response = client.post(
        reverse("admin:resources_page_change", args=[page.pk]), _page_post(page, **{field: value})
    )
    assert response.status_code == 200 and message in response.content.decode()
    page.refresh_from_db()
    assert getattr(page, field) != value and page.review_es and page.review_fr


def test_hostile_text_in_a_translation_is_cleaned_and_shown_as_text(client, editor):
    page = Page.objects.get(slug="memorializing-milk")
    client.force_login(editor)
    data = _page_post(
        page,
        title_fr="\u202eSouvenir\x1b[31m <script>alert(1)</script>",
        body_fr='<script>alert(1)</script>\n\n[lien](javascript:alert(1)) <img src=x onerror="alert(1)">',
    )
    assert client.post(reverse("admin:resources_page_change", args=[page.pk]), data).status_code == 302
    page.refresh_from_db()
    assert "\u202e" not in page.title_fr and "\x1b" not in page.title_fr
    client.logout()
    html = client.get("/fr/memorializing-milk/").content.decode()
    assert "<h1>Souvenir &lt;script&gt;alert(1)&lt;/script&gt;</h1>" in html
    body = html.split('class="page-body"', 1)[1].split("</div>", 1)[0]
    assert "<script" not in body and "javascript:" not in body and "onerror" not in body


def test_the_translation_fields_are_among_the_forms_the_hostile_input_test_checks(superuser):
    from tests.test_hostile_input import _all_forms

    fields = dict(_all_forms(superuser))
    for label, names in (
        ("admin resources.Page", ["title_es", "summary_es", "body_es", "title_fr", "summary_fr", "body_fr"]),
        ("admin resources.GriefResource", ["name_es", "description_es", "name_fr", "description_fr"]),
        ("admin resources.MilkBank", ["name_es", "description_fr"]),
        ("admin resources.KeepsakeMaker", ["name_fr", "description_es"]),
    ):
        assert set(names) <= set(fields[label]), label


# --- The migration -----------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_translates_only_starter_text_and_marks_it_for_review():
    before = [("resources", "0003_corrections_and_keepsake_makers")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    # Other transactional tests empty the tables when they end: start from the starter content (idempotent).
    editor = SimpleNamespace(connection=connection)
    import_module("resources.migrations.0002_starter_content").load_starter_content(old_apps, editor)
    import_module("resources.migrations.0003_corrections_and_keepsake_makers").correct(old_apps, editor)
    OldPage = old_apps.get_model("resources", "Page")
    OldPage.objects.filter(slug="donating-after-loss").update(body="An editor's own words.")
    OldPage.objects.create(slug="editors-page", title="An editor's page", summary="Hers.", section="donating")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    donating = Page.objects.get(slug="donating-after-loss")
    assert donating.body_en == "An editor's own words." and not donating.body_es and not donating.body_fr
    assert donating.title_es == "Donar leche después de una pérdida" and donating.review_es  # title untouched
    editors = Page.objects.get(slug="editors-page")
    assert editors.title_en == "An editor's page" and not editors.title_es and not editors.review_es
    assert Page.objects.get(slug="suppressing-your-supply").body_fr.startswith("Le corps produit du lait")


def test_the_home_page_and_section_navigation_list_the_translated_titles(client, django_assert_num_queries):
    """The home page reads only the index fields (`for_index`), the translations among them: one query."""
    with django_assert_num_queries(1):
        home = client.get(_url("es", "resources:home")).content.decode()
    assert "Cómo retirar la leche" in home and "Para profesionales de la salud" in home
    page = client.get(_url("fr", "resources:page", "continuing-to-express")).content.decode()
    nav = page.split('class="col-lg-4 section-nav', 1)[1]
    assert "Faire diminuer sa production de lait" in nav and "La lactation après une perte" in nav
