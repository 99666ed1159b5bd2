"""Grief resources and other milk banks: admin-edited lists, filtered by region on the public pages."""

import pytest
from django.urls import reverse

from resources.models import GriefResource, ListEntry, MilkBank

pytestmark = pytest.mark.django_db

STARTER_BANKS = [
    "Minnesota Milk Bank for Babies",
    "NorthernStar Mothers Milk Bank",
    "Rogers Hixon Ontario Human Milk Bank",
    "BC Women&#x27;s Provincial Milk Bank",
    "Human Milk Banking Association of North America (HMBANA)",
]


def test_the_milk_bank_directory_starts_with_the_five_banks(client):
    html = client.get(reverse("resources:milk_banks")).content.decode()
    for name in STARTER_BANKS:
        assert name in html
    assert "Alberta, Saskatchewan, Manitoba" in html
    assert "<h1>Other milk banks</h1>" in html


def test_grief_resources_are_grouped_by_region(client):
    html = client.get(reverse("resources:grief_resources")).content.decode()
    assert html.index(">National</h2>") < html.index(">State or province</h2>")
    assert "Minnesota Center for Stillbirth and Infant Death" in html
    assert 'href="tel:988"' in html


def test_it_filters_by_region(client):
    html = client.get(reverse("resources:milk_banks"), {"region": "regional"}).content.decode()
    assert "Minnesota Milk Bank for Babies" in html
    assert "NorthernStar Mothers Milk Bank" in html
    assert "Rogers Hixon" not in html
    assert "(HMBANA)</h3>" not in html
    assert '<option value="regional" selected>' in html


def test_it_filters_by_place_within_a_several_place_entry(client):
    html = client.get(reverse("resources:milk_banks"), {"area": "Manitoba"}).content.decode()
    assert "NorthernStar Mothers Milk Bank" in html
    assert "Minnesota Milk Bank for Babies" not in html


def test_a_region_with_nothing_listed_says_so_kindly(client):
    html = client.get(reverse("resources:grief_resources"), {"region": "regional"}).content.decode()
    assert "Please call us and we will help you look." in html


@pytest.mark.parametrize("params", [{"region": "planet"}, {"area": "Atlantis"}])
def test_a_bad_filter_gets_a_message_and_shows_everything(client, params):
    response = client.get(reverse("resources:milk_banks"), params)
    html = response.content.decode()
    assert response.status_code == 200
    assert "We could not use that filter" in html
    assert "from the list." in html
    for name in STARTER_BANKS:
        assert name in html


def test_unpublished_entries_are_hidden(client):
    MilkBank.objects.filter(name__startswith="Minnesota").update(published=False)
    # A queryset update sends no signal; editors work through the admin, which does. Start fresh here.
    from resources.content import invalidate

    invalidate()
    assert "Minnesota Milk Bank" not in client.get(reverse("resources:milk_banks")).content.decode()


def test_an_admin_edit_to_an_entry_shows_at_once(client, editor):
    assert "Prairie Milk Collective" not in client.get(reverse("resources:milk_banks")).content.decode()
    client.force_login(editor)
    response = client.post(
        reverse("admin:resources_milkbank_add"),
        {
            "name": "Prairie Milk Collective",
            "description": "A new bank.",
            "phone": "",
            "website": "https://prairie.example.org/",
            "region": ListEntry.Region.STATE,
            "area": "Saskatchewan",
            "category": MilkBank.Category.BANK,
            "order": 0,
            "published": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(reverse("resources:milk_banks")).content.decode()
    assert "Prairie Milk Collective" in html


def _add_resources(count):
    GriefResource.objects.bulk_create(
        GriefResource(
            name=f"Support group {n}",
            region=ListEntry.Region.REGIONAL,
            area=f"Town {n}, County {n % 3}",
            category=GriefResource.Category.PEER,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count", [1, 40])
@pytest.mark.parametrize("name", ["resources:grief_resources", "resources:milk_banks"])
def test_a_list_page_costs_two_queries_cold_and_none_warm(client, count, name, django_assert_num_queries):
    """Cold: the introduction page and the list, whatever its length. Warm: all from the cache."""
    _add_resources(count)
    with django_assert_num_queries(2):
        assert client.get(reverse(name), {"region": "regional"}).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(reverse(name)).status_code == 200
