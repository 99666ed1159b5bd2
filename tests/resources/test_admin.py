"""Content editors work in the admin: pages, lists and feedback; other roles see none of it."""

import pytest
from django.urls import reverse

from resources.models import Feedback, Page

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:resources_page_changelist",
    "admin:resources_griefresource_changelist",
    "admin:resources_milkbank_changelist",
    "admin:resources_feedback_changelist",
]


@pytest.mark.parametrize("name", CHANGELISTS)
@pytest.mark.parametrize(
    ("persona", "status"),
    [("editor", 200), ("coordinator", 403), ("volunteer", 403), ("memorial", 403), ("no_role", 403)],
)
def test_only_content_editors_reach_the_content_admin(client, personas, name, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse(name)).status_code == status


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("admin:resources_feedback_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_admin_index_links_the_feedback_list_for_editors_only(client, editor, coordinator):
    client.force_login(editor)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:resources_feedback_changelist") + "?reviewed__exact=0" in html
    client.force_login(coordinator)
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:resources_feedback_changelist") not in html


def test_an_editor_adds_a_page_and_it_is_public(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("admin:resources_page_add"),
        {
            "title": "Returning to work",
            "slug": "returning-to-work",
            "summary": "Going back to work after a loss.",
            "body": "## First days\n\nTake your time.",
            "section": Page.Section.AFTER_LOSS,
            "order": 60,
            "published": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    html = client.get("/returning-to-work/").content.decode()
    assert "<h2>First days</h2>" in html


@pytest.mark.parametrize("slug", ["search", "donate", "admin", "pumping-plan", "feedback"])
def test_a_page_cannot_take_an_address_the_site_already_uses(client, editor, slug):
    client.force_login(editor)
    response = client.post(
        reverse("admin:resources_page_add"),
        {"title": "X", "slug": slug, "summary": "X.", "body": "", "section": "after_loss", "order": 0},
    )
    assert response.status_code == 200
    assert "is already used by another part of the site" in response.content.decode()
    assert not Page.objects.filter(slug=slug).exists()


def test_key_pages_keep_their_address_and_cannot_be_deleted(client, editor):
    page = Page.objects.get(slug="donating-after-loss")
    client.force_login(editor)
    html = client.get(reverse("admin:resources_page_change", args=[page.pk])).content.decode()
    assert 'name="slug"' not in html
    assert client.get(reverse("admin:resources_page_delete", args=[page.pk])).status_code == 403
    other = Page.objects.get(slug="continuing-to-express")
    assert client.get(reverse("admin:resources_page_delete", args=[other.pk])).status_code == 200


def test_editors_cannot_write_feedback_but_can_mark_it_reviewed(client, editor):
    feedback = Feedback.objects.create(kind="error", comment="Typo in the heading.", path="/")
    client.force_login(editor)
    assert client.get(reverse("admin:resources_feedback_add")).status_code == 403
    response = client.post(
        reverse("admin:resources_feedback_changelist"),
        {"action": "mark_reviewed", "_selected_action": [feedback.pk]},
        follow=True,
    )
    assert "1 marked as reviewed." in response.content.decode()
    feedback.refresh_from_db()
    assert feedback.reviewed is True


@pytest.mark.parametrize("count", [3, 60])
def test_the_feedback_list_costs_the_same_however_long(client, editor, count, django_assert_num_queries):
    """Session, user, two permission reads, the filtered count, one page of rows and two for the date
    drill-down: eight, and none per row."""
    Feedback.objects.bulk_create(
        Feedback(kind="helpful", helpful=bool(n % 2), comment=f"Note {n}", path=f"/page-{n}/")
        for n in range(count)
    )
    client.force_login(editor)
    with django_assert_num_queries(8):
        response = client.get(reverse("admin:resources_feedback_changelist") + "?reviewed__exact=0")
    assert response.status_code == 200
