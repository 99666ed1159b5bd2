"""The public Forever Butterflies page: the program, the request form, and the memorial wall."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from memorials.models import Butterfly

from .conftest import BORN

pytestmark = pytest.mark.django_db
URL = reverse("memorials:home")


def _good(**overrides):
    data = {
        "first_name": "Zoë",
        "birth_date": "2023-05-14",
        "family_name": "Maya Okafor",
        "contact_email": "maya@example.org",
        "contact_phone": "",
        "keepsake_wish": "mail",
        "mailing_address": "9 Birch Lane\nDuluth, MN 55802",
        "show_name_consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def test_it_explains_the_program_and_offers_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    for words in ("The quilt", "A butterfly to keep", "Asking for a butterfly", "Ask for a butterfly"):
        assert words in html
    for label in (
        "Your baby&#x27;s first name",
        "Your baby&#x27;s birth date",
        "Your name",
        "Mailing address",
    ):
        assert label in html


def test_it_records_a_requested_butterfly_exactly_as_written(client):
    response = client.post(URL, _good())
    assert response.status_code == 302
    assert response["Location"] == reverse("memorials:thanks")
    butterfly = Butterfly.objects.get()
    assert butterfly.first_name == "Zoë"
    assert butterfly.birth_date == BORN
    assert butterfly.status == Butterfly.Status.TO_REVIEW  # staff look at it before it reaches the quilters
    assert butterfly.source == Butterfly.Source.FORM
    assert butterfly.keepsake_wish == Butterfly.KeepsakeWish.MAIL
    assert butterfly.show_name_consent is True
    assert butterfly.approved is False  # the family's consent alone never puts a name on the wall
    assert "Duluth, MN 55802" in butterfly.mailing_address
    assert client.get(reverse("memorials:thanks")).status_code == 200


def test_it_keeps_consent_off_unless_ticked(client):
    client.post(URL, _good(show_name_consent=""))
    assert Butterfly.objects.get().show_name_consent is False


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("first_name", "", "Please write your baby&#x27;s first name."),
        ("first_name", "   ", "Please write your baby&#x27;s first name."),
        ("first_name", "A" * 21, "room for 20 letters"),
        ("first_name", "<script>alert(1)</script>", "only letters, spaces, hyphens and apostrophes"),
        ("birth_date", "", "Please give your baby&#x27;s birth date."),
        ("birth_date", "14/05/2023x", "Please enter the date as year, month and day"),
        ("birth_date", "2023-02-30", "Please enter the date as year, month and day"),
        ("family_name", "", "Please tell us your name."),
        ("family_name", "<b>Maya</b>", "Please leave out the characters"),
        ("family_name", "M" * 201, "at most 200 characters"),
        ("mailing_address", "", "Please give the address where we can send your keepsake, or choose"),
        ("keepsake_wish", "", "Please choose how you would like to receive your keepsake."),
        ("keepsake_wish", "pigeon", "Select a valid choice."),
        ("mailing_address", "<img src=x onerror=alert(1)>", "Please leave out the characters"),
        ("mailing_address", "x" * 501, "at most 500 characters"),
        ("contact_email", "not-an-email", "Enter a valid email address."),
    ],
)
def test_it_refuses_bad_input_with_a_clear_message_and_saves_nothing(client, field, value, message):
    response = client.post(URL, _good(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert "Please look again at the boxes marked below." in html
    assert "<script>alert(1)</script>" not in html
    assert not Butterfly.objects.exists()


def test_it_refuses_a_future_birth_date(client):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(URL, _good(birth_date=tomorrow))
    assert "The birth date cannot be in the future." in response.content.decode()
    assert not Butterfly.objects.exists()


def test_it_refuses_an_entirely_empty_form(client):
    response = client.post(URL, {})
    html = response.content.decode()
    for message in ("first name.", "birth date.", "Please tell us your name.", "receive your keepsake."):
        assert message in html
    assert not Butterfly.objects.exists()


def test_the_address_is_optional_when_the_family_will_collect_the_keepsake(client):
    response = client.post(URL, _good(keepsake_wish="collect", mailing_address=""))
    assert response.status_code == 302
    butterfly = Butterfly.objects.get()
    assert butterfly.keepsake_wish == Butterfly.KeepsakeWish.COLLECT and butterfly.mailing_address == ""


def test_it_asks_for_some_way_to_reach_the_family(client):
    response = client.post(URL, _good(contact_email="", contact_phone=""))
    assert "Please give an email or a phone number" in response.content.decode()
    assert not Butterfly.objects.exists()


def test_it_thanks_a_robot_that_fills_the_hidden_box_and_keeps_nothing(client):
    response = client.post(URL, _good(website="http://spam.example"))
    assert response.status_code == 302
    assert not Butterfly.objects.exists()


def test_it_limits_a_flood_of_requests_from_one_address(client):
    for n in range(10):
        assert client.post(URL, _good(family_name=f"Family {n}")).status_code == 302
    response = client.post(URL, _good(family_name="One too many"))
    assert response.status_code == 429
    assert "many requests from here" in response.content.decode()
    assert Butterfly.objects.count() == 10


def test_the_wall_shows_a_name_only_with_consent_and_approval(client, make_butterfly, memorial_staff):
    from memorials import services

    consent_only = make_butterfly(first_name="Consent", show_name_consent=True)
    approved_only = make_butterfly(first_name="Approved")
    services.butterfly_set_approval(butterfly=approved_only, approved=True, by=memorial_staff)
    both = make_butterfly(first_name="Both", show_name_consent=True, family_name="Okafor-Surname")
    services.butterfly_set_approval(butterfly=both, approved=True, by=memorial_staff)
    html = client.get(URL).content.decode()
    wall = html.split('id="wall-heading"')[1]
    assert "Both" in wall
    assert "May 14, 2023" in wall
    assert "Consent" not in wall and "Approved" not in wall
    assert "Okafor-Surname" not in html
    assert consent_only.pk and approved_only.pk


def test_the_wall_never_shows_donor_data(client, bereaved_donor, memorial_staff):
    from memorials import services

    from .conftest import butterfly_for_donor

    butterfly = butterfly_for_donor(bereaved_donor, by=memorial_staff, show_name_consent=True)
    services.butterfly_set_approval(butterfly=butterfly, approved=True, by=memorial_staff)
    html = client.get(URL).content.decode()
    assert "Ada" in html
    for private in ("Maya", "Okafor", "Birch Lane", "55802"):
        assert private not in html


def _fill_wall(count, by):
    Butterfly.objects.bulk_create(
        Butterfly(
            first_name=f"Name{n:03d}",
            birth_date=BORN,
            family_name=f"F{n}",
            show_name_consent=True,
            approved=True,
            approved_at=timezone.now(),
            approved_by=by,
        )
        for n in range(count)
    )


@pytest.mark.parametrize("count, page", [(3, 1), (130, 1), (130, 3)])
def test_the_wall_runs_two_queries_however_many_names(
    client, memorial_staff, count, page, django_assert_num_queries
):
    """The wall grows for years; the page must cost the same: one COUNT for the pager and one page of rows."""
    _fill_wall(count, memorial_staff)
    with django_assert_num_queries(2):
        response = client.get(URL, {"page": page})
    assert response.status_code == 200
    assert response.content.decode().count('class="butterfly-card"') == min(60, count - 60 * (page - 1))


def test_the_wall_pages_through_names_in_order(client, memorial_staff):
    _fill_wall(70, memorial_staff)
    html = client.get(URL, {"page": 2}).content.decode()
    assert "Name069" in html and "Name000" not in html
    assert 'aria-current="page">Page 2' in html
