"""The coordinators' donor search: names without their accents, phones however written, every donor.

Coordinators search for the person on the phone: "Zoe" for Zoë, "nguyen" for Nguyễn, the number as the donor
reads it out. The search folds names and phones into indexed columns kept by Donor.save(), so it works the
same on SQLite and PostgreSQL and stays a prefix lookup on an index at 100,000 donors (see `make bench`).
"""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donors import privacy
from donors import transitions as t
from donors.models import Donor, name_key, phone_key
from tests.conftest import PASSWORD, admin_login

pytestmark = pytest.mark.django_db
Stage = Donor.Stage


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def search(client, q, **params):
    response = client.get(reverse("admin:donors_donor_changelist"), {"q": q, **params})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Zoë", "zoe"),
        ("NGUYỄN", "nguyen"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Søren", "soren"),
        ("Łucja", "lucja"),
        ("李明", "李明"),
        ("한지민", "한지민"),  # Hangul stays whole syllables
        ("عائشة", "عائشة"),
        ("", ""),
    ],
)
def test_names_are_folded_for_search_and_every_script_kept(typed, stored):
    assert name_key(typed) == stored


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("612-555-0142", "6125550142"), ("(612) 555-0142", "6125550142"), ("+1 612 555 0142", "6125550142")],
)
def test_phones_are_kept_as_digits(typed, stored):
    assert phone_key(typed) == stored


@pytest.fixture
def people(make_donor):
    return {
        "zoe": make_donor(Stage.APPROVED, first_name="Zoë", last_name="Adebayo", phone="612-555-0142"),
        "nguyen": make_donor(first_name="Thảo", last_name="Nguyễn", phone="651-555-0199"),
        "other": make_donor(first_name="Maya", last_name="Lindqvist", phone="555-0111"),
    }


@pytest.mark.parametrize(
    ("term", "who"),
    [
        ("Zoe", "zoe"),
        ("zoë", "zoe"),
        ("ZOE adeb", "zoe"),
        ("nguyen", "nguyen"),
        ("Nguyễn", "nguyen"),
        ("thao nguy", "nguyen"),
        ("6125550142", "zoe"),
        ("(612) 555-0142", "zoe"),
        ("612-555", "zoe"),
        ("+1 612 555 0142", "zoe"),
        ("donor-email", None),  # replaced below with the real address
    ],
)
def test_the_default_list_finds_every_donor_by_name_or_phone(client, coordinator, people, term, who):
    """The default list shows donors needing action; an approved donor is found there all the same."""
    login(client, coordinator)
    if who is None:
        term, who = people["nguyen"].email.upper(), "nguyen"
    body = search(client, term)
    found = people[who]
    assert found.last_name in body
    assert all(p.last_name not in body for k, p in people.items() if k != who)


def test_a_donor_number_is_found_from_the_default_list(client, coordinator, people):
    login(client, coordinator)
    zoe = people["zoe"]
    for term in (zoe.number_label, zoe.number_label.lower(), str(zoe.donor_number)):
        body = search(client, term)
        assert "Adebayo" in body and "Nguyễn" not in body


def test_a_search_shows_all_donors_as_the_list_it_searched(client, coordinator, people):
    login(client, coordinator)
    body = search(client, "zoe")
    selected = re.search(r'<li class="selected">\s*<a href="[^"]*show=all[^"]*"[^>]*>All donors</a>', body)
    assert selected, "the sidebar says the search looked through all donors"


def test_a_search_on_a_chosen_list_offers_show_all_that_keeps_the_words(client, coordinator, people):
    login(client, coordinator)
    body = search(client, "Zoë Adebayo", show="action")  # approved: not on the "needing action" list
    assert "0 results" in body and 'id="result_list"' not in body
    link = re.search(r'\(<a href="\?([^"]*)">Show all</a>\)', body).group(1).replace("&amp;", "&")
    assert link == "q=Zo%C3%AB%20Adebayo&show=all"
    assert "Adebayo" in client.get(reverse("admin:donors_donor_changelist") + "?" + link).content.decode()


@pytest.mark.parametrize("term", ["%", "_", "a" * 5000, "' OR 1=1 --", "<script>", "(", "+", "\u202ex\u202e"])
def test_odd_searches_find_nothing_and_never_fail(client, coordinator, people, term):
    login(client, coordinator)
    body = search(client, term)
    assert "0 results" in body and 'id="result_list"' not in body


def test_hidden_controls_in_a_search_are_ignored(client, coordinator, people):
    login(client, coordinator)
    assert "Adebayo" in search(client, "\u202eZo\u00eb\x1b")


def test_control_characters_are_read_as_spaces(client, coordinator, people):
    login(client, coordinator)
    assert 'id="result_list"' in search(client, "\x00Zoë\x1b")


def test_the_search_keys_follow_every_edit_and_anonymization(client, coordinator, people):
    maya = people["other"]
    maya.last_name = "Ødegård"
    maya.save(update_fields=["last_name"])
    assert Donor.objects.search("odegard").get() == maya
    login(client, coordinator)
    nguyen = people["nguyen"]
    t.donor_withdraw(donor=nguyen, by=coordinator, reason="Her choice")
    privacy.donor_anonymize(donor=nguyen, by=coordinator)
    row = Donor.objects.filter(pk=nguyen.pk).values("search_first_name", "search_last_name", "search_phone")
    assert (
        "nguyen" not in str(row.get()) and "thao" not in str(row.get()) and "6515550199" not in str(row.get())
    )
    assert not Donor.objects.search("nguyen").exists()


def test_a_search_runs_the_same_queries_as_the_list(
    client, coordinator, make_donor, django_assert_num_queries
):
    """A search is one more filter on the same list: the page costs the same with 3 matches or 30."""
    login(client, coordinator)
    for n in range(3):
        make_donor(first_name=f"Zoë{n}")
    search(client, "zoe")
    with django_assert_num_queries(7) as first:
        search(client, "zoe")
    for n in range(27):
        make_donor(Stage.APPROVED if n % 2 else Stage.INQUIRY, first_name=f"Zoé{n}", bereaved=bool(n % 3))
    with django_assert_num_queries(len(first.captured_queries)):
        search(client, "zoe")
    with django_assert_num_queries(len(first.captured_queries)):
        search(client, "(612) 555-0142")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_searches_by_clicking(page, axe, coordinator, make_donor):
    make_donor(Stage.APPROVED, first_name="Zoë", last_name="Adebayo", phone="612-555-0142")
    admin_login(page, "casey")
    page.goto(reverse("admin:donors_donor_changelist") + "?show=action")
    page.get_by_role("textbox").first.fill("(612) 555-0142")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("0 results")).to_be_visible()
    page.get_by_role("link", name="Show all").click()
    expect(page.get_by_role("link", name=re.compile("Zoë Adebayo"))).to_be_visible()
    page.locator("#searchbar").fill("zoe")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=re.compile("Zoë Adebayo"))).to_be_visible()
    axe(page)  # the search box has a name of its own
