"""The starter content's corrections (issue 15, item 3), and the migration that brings them to existing sites
without overwriting what an editor wrote."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from resources.models import KeepsakeMaker


@pytest.mark.django_db
def test_the_pages_say_what_the_body_does_and_what_families_can_do(client):
    loss = client.get("/lactation-after-loss/").content.decode()
    assert "pregnancy hormones that held milk back fall" in loss
    assert "hormones that rise" not in loss
    suppressing = client.get("/suppressing-your-supply/").content.decode()
    assert "ibuprofen or acetaminophen, if they are safe for you" in suppressing
    assert "mastitis" in suppressing and "engorged" in suppressing
    donating = client.get("/donating-after-loss/").content.decode()
    assert "in memory\nof their baby" in donating and "legacy" in donating
    assert "screens every donor and pasteurizes the milk" in donating
    assert "Milk shared informally" in donating
    professionals = client.get("/for-professionals/").content.decode()
    assert "ibuprofen or acetaminophen if they are safe" in professionals
    plan = client.get(reverse("resources:pumping_plan")).content.decode()
    assert "Ibuprofen or acetaminophen can ease pain and swelling, if they are safe for you." in plan
    handout = client.get(reverse("resources:handout")).content.decode()
    assert "Ibuprofen or acetaminophen, if they are safe for you" in handout


@pytest.mark.django_db
def test_the_butterfly_pages_promise_nothing_the_bank_has_not_promised(client):
    for url in ["/butterflies/", "/butterflies/thank-you/"]:
        html = client.get(url).content.decode()
        assert "Forever Butterflies" in html or "Thank you" in html
        assert "now or later" not in html and "few months" not in html and "couple of weeks" not in html


@pytest.mark.django_db
def test_keepsake_makers_are_listed_on_the_memorializing_page_and_editors_manage_them(client):
    html = client.get("/memorializing-milk/").content.decode()
    assert '<h2 id="makers-heading">Keepsake makers</h2>' in html
    assert "Mama Milk Fairy" in html and "The Milky Fern" in html
    KeepsakeMaker.objects.create(name="Little Stars Keepsakes", website="https://keepsakes.example.org/")
    KeepsakeMaker.objects.filter(name="Mama Milk Fairy").update(published=False)
    KeepsakeMaker.objects.get(name="The Milky Fern").save()  # any edit starts a new cache generation
    html = client.get("/memorializing-milk/").content.decode()
    assert 'href="https://keepsakes.example.org/"' in html and "Little Stars Keepsakes" in html
    assert "Mama Milk Fairy" not in html


@pytest.mark.django_db(transaction=True)
def test_the_migration_corrects_starter_pages_and_leaves_edited_ones_alone():
    executor = MigrationExecutor(connection)
    before, after = (
        [("resources", "0002_starter_content")],
        [("resources", "0003_corrections_and_keepsake_makers")],
    )
    executor.migrate(before)
    old_apps = executor.loader.project_state(before).apps
    # Other transactional tests empty the tables when they end: start from the starter content (idempotent).
    import_module("resources.migrations.0002_starter_content").load_starter_content(
        old_apps, SimpleNamespace(connection=connection)
    )
    OldPage = old_apps.get_model("resources", "Page")
    OldPage.objects.filter(slug="donating-after-loss").update(body="An editor's own words.")
    assert "hormones that rise" in OldPage.objects.get(slug="lactation-after-loss").body

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new_apps = executor.loader.project_state(after).apps
    Page = new_apps.get_model("resources", "Page")
    assert "hormones that held milk back fall" in Page.objects.get(slug="lactation-after-loss").body
    assert Page.objects.get(slug="donating-after-loss").body == "An editor's own words."

    # And back: the starter text returns where the correction is still as written.
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert "hormones that rise" in OldPage.objects.get(slug="lactation-after-loss").body
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
