"""Memorial staff in the admin: add a butterfly from a bereaved donor or a paper record; walk its steps."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from donors.models import Donor
from memorials.admin import DonorButterflyInline
from memorials.models import Butterfly

from .conftest import BORN

pytestmark = pytest.mark.django_db
ADD = reverse("admin:memorials_butterfly_add")


def _add_data(**overrides):
    data = {
        "donor": "",
        "first_name": "",
        "birth_date": "",
        "family_name": "",
        "mailing_address": "",
        "contact_email": "",
        "contact_phone": "",
        "source": "staff",
        "requested_on": timezone.localdate().isoformat(),
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def staff_client(client, memorial_staff):
    client.force_login(memorial_staff)
    return client


SEARCH = reverse("admin:memorials_butterfly_donor_search")


def test_the_add_form_searches_donors_rather_than_listing_them(staff_client, bereaved_donor):
    html = staff_client.get(ADD).content.decode()
    assert 'data-ajax--url="/admin/memorials/butterfly/donor-search/"' in html
    assert "Maya Okafor" not in html  # no donor is in the page until one is chosen
    assert "/admin/donors/" not in html  # no link into the donor admin from the choice


def test_the_donor_search_finds_only_donors_who_finished_or_asked(staff_client, bereaved_donor, coordinator):
    from .conftest import bereaved, butterfly_for_donor

    bereaved(first_name="Ines", last_name="Okafor", by=coordinator)  # at the inquiry stage
    bereaved(first_name="Sam", last_name="Okafor", by=coordinator, screened=True)  # donating, has not asked
    asked = bereaved(
        first_name="Lena",
        last_name="Okafor",
        by=coordinator,
        screened=True,
        baby_first_name="Rosie",
        baby_birth_date=BORN,
    )
    butterfly_for_donor(asked, by=coordinator)
    Donor.objects.create(first_name="Nobody", last_name="Okafor", email="secret@example.org")  # not bereaved
    response = staff_client.get(SEARCH, {"term": "okaf"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["text"] for r in results] == ["Lena Okafor", "Maya Okafor"]
    assert results[1] == {
        "id": str(bereaved_donor.pk),
        "text": "Maya Okafor",
        "baby_first_name": "Ada",
        "baby_birth_date": "2023-05-14",
    }
    assert set(results[1]) == {"id", "text", "baby_first_name", "baby_birth_date"}  # nothing from screening
    assert staff_client.get(SEARCH, {"term": "maya oka"}).json()["results"][0]["text"] == "Maya Okafor"
    assert staff_client.get(SEARCH, {"term": "<script>"}).json()["results"] == []


def test_the_donor_search_is_for_those_who_add_butterflies(client, coordinator, volunteer):
    client.force_login(coordinator)  # coordinators see butterflies but do not add them
    assert client.get(SEARCH, {"term": "a"}).status_code == 403
    client.force_login(volunteer)
    assert client.get(SEARCH, {"term": "a"}).status_code == 403


def test_the_donor_search_runs_a_fixed_number_of_queries(
    staff_client, coordinator, django_assert_num_queries
):
    """However many donors match: session, user, permissions (2), then one page of donors and its COUNT."""
    from .conftest import bereaved

    for n in range(25):
        bereaved(first_name=f"Fin{n}", last_name="Ished", by=coordinator, finished=True)
    with django_assert_num_queries(6):
        response = staff_client.get(SEARCH, {"term": "ished"})
    assert len(response.json()["results"]) == 20 and response.json()["pagination"]["more"]


def test_it_refuses_a_bereaved_donor_at_the_inquiry_stage(staff_client, coordinator):
    from .conftest import bereaved

    donor = bereaved(
        first_name="Ines", last_name="Quiry", by=coordinator, baby_first_name="Sam", baby_birth_date=BORN
    )
    response = staff_client.post(ADD, _add_data(donor=donor.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not Butterfly.objects.exists()


def test_it_starts_a_butterfly_from_a_donor_record_with_name_and_date_filled_in(staff_client, bereaved_donor):
    html = staff_client.get(ADD, {"donor": bereaved_donor.pk}).content.decode()
    assert 'value="Ada"' in html and 'value="2023-05-14"' in html
    assert f'<option value="{bereaved_donor.pk}" selected>Maya Okafor</option>' in html
    response = staff_client.post(ADD, _add_data(donor=bereaved_donor.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    butterfly = Butterfly.objects.get()
    assert (butterfly.donor, butterfly.first_name, butterfly.birth_date) == (bereaved_donor, "Ada", BORN)
    assert butterfly.status == Butterfly.Status.REQUESTED


def test_it_refuses_a_donor_who_is_not_bereaved(staff_client):
    donor = Donor.objects.create(first_name="Pat", baby_first_name="Sam", baby_birth_date=BORN)
    response = staff_client.post(ADD, _add_data(donor=donor.pk))
    assert "Select a valid choice" in response.content.decode()
    assert not Butterfly.objects.exists()


def test_it_records_a_paper_family_without_a_donor(staff_client):
    response = staff_client.post(
        ADD,
        _add_data(
            first_name="李明",
            birth_date="2022-02-14",
            family_name="Wei Chen",
            mailing_address="400 Cedar Ave",
        ),
    )
    assert response.status_code == 302
    assert Butterfly.objects.get().first_name == "李明"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({}, "Choose the donor, or write the family"),
        ({"family_name": "F"}, "Please write the name to stitch."),
        ({"family_name": "F", "first_name": "Ada"}, "Please give the birth date."),
        ({"family_name": "F", "first_name": "A" * 21, "birth_date": "2023-01-01"}, "room for 20 letters"),
        ({"family_name": "F", "first_name": "Ada", "birth_date": "2999-01-01"}, "cannot be in the future"),
        ({"family_name": "<script>x</script>", "first_name": "Ada", "birth_date": "2023-01-01"}, "leave out"),
        ({"family_name": "F", "first_name": "Ada", "birth_date": "yesterday"}, "Enter a valid date"),
    ],
)
def test_the_add_form_refuses_bad_input_and_saves_nothing(staff_client, overrides, message):
    response = staff_client.post(ADD, _add_data(**overrides))
    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Butterfly.objects.exists()


def test_staff_walk_a_butterfly_through_its_steps(staff_client, make_butterfly, quilt):
    butterfly = make_butterfly(first_name="Zoë")
    today = timezone.localdate().isoformat()
    url = lambda step: reverse(f"admin:memorials_butterfly_{step}", args=[butterfly.pk])  # noqa: E731

    assert staff_client.post(url("sewing"), {"on": today}).status_code == 302
    response = staff_client.post(url("place"), {"quilt": quilt.pk, "position": 9, "on": today})
    assert "Quilt 1 has places 1 to 3." in response.content.decode()
    assert staff_client.post(url("place"), {"quilt": quilt.pk, "position": 2, "on": today}).status_code == 302
    response = staff_client.post(url("keepsake"), {"made_on": "", "sent_on": today, "method": "mailed"})
    assert "has been made before" in response.content.decode()
    response = staff_client.post(url("keepsake"), {"made_on": today, "sent_on": today, "method": "mailed"})
    assert response.status_code == 302
    assert staff_client.post(url("approval"), {"approve": "yes"}).status_code == 302

    butterfly.refresh_from_db()
    assert butterfly.status == Butterfly.Status.ON_QUILT and butterfly.position == 2
    assert butterfly.keepsake_method == "mailed" and butterfly.approved
    change = staff_client.get(
        reverse("admin:memorials_butterfly_change", args=[butterfly.pk])
    ).content.decode()
    assert "Quilt 1, place 2" in change and "Mailed" in change


def test_a_step_page_refuses_malformed_input_without_saving(staff_client, make_butterfly, quilt):
    butterfly = make_butterfly(status=Butterfly.Status.SEWING)
    url = reverse("admin:memorials_butterfly_place", args=[butterfly.pk])
    for data in ({}, {"quilt": "x", "position": "one", "on": "soon"}, {"quilt": quilt.pk, "position": "-1"}):
        assert staff_client.post(url, data).status_code == 200
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = staff_client.post(url, {"quilt": quilt.pk, "position": 1, "on": tomorrow})
    assert "That date is in the future." in response.content.decode()
    butterfly.refresh_from_db()
    assert butterfly.quilt is None


def test_the_bulk_actions_start_sewing_and_approve(staff_client, make_butterfly):
    first, second = make_butterfly(), make_butterfly(status=Butterfly.Status.SEWING)
    changelist = reverse("admin:memorials_butterfly_changelist")
    response = staff_client.post(
        changelist, {"action": "start_sewing", "_selected_action": [first.pk, second.pk]}, follow=True
    )
    html = response.content.decode()
    assert "Sewing started: 1." in html and "already being sewn" in html
    staff_client.post(changelist, {"action": "approve_for_wall", "_selected_action": [first.pk]})
    first.refresh_from_db()
    assert first.status == Butterfly.Status.SEWING and first.approved


def test_a_request_to_review_cannot_be_approved_for_the_wall(staff_client):
    from .conftest import website_request

    butterfly = website_request(show_name_consent=True)
    change = reverse("admin:memorials_butterfly_change", args=[butterfly.pk])
    html = staff_client.get(change).content.decode()
    assert "Review this request" in html and "Approve for the wall" not in html and "Start sewing" not in html
    url = reverse("admin:memorials_butterfly_approval", args=[butterfly.pk])
    response = staff_client.post(url, {"approve": "yes"}, follow=True)
    assert "accept the request before approving" in response.content.decode()
    butterfly.refresh_from_db()
    assert not butterfly.approved


def test_there_is_no_bulk_delete_of_butterflies(staff_client, make_butterfly):
    first, second = make_butterfly(), make_butterfly()
    changelist = reverse("admin:memorials_butterfly_changelist")
    html = staff_client.get(changelist).content.decode()
    assert "Start sewing the selected butterflies" in html and "delete_selected" not in html
    data = {"action": "delete_selected", "_selected_action": [first.pk, second.pk], "post": "yes"}
    staff_client.post(changelist, data)
    assert Butterfly.objects.count() == 2


def test_the_changelist_runs_a_fixed_number_of_queries(
    staff_client, make_butterfly, django_assert_max_num_queries
):
    """Families and quilts are joined in; no query per row."""
    for n in range(30):
        make_butterfly(first_name=f"Name{n}")
    with django_assert_max_num_queries(12):
        assert staff_client.get(reverse("admin:memorials_butterfly_changelist")).status_code == 200


def test_the_donor_inline_is_read_only_and_shown_to_coordinators(coordinator, volunteer, bereaved_donor):
    inline = DonorButterflyInline(Donor, admin.site)
    request = RequestFactory().get("/")
    request.user = coordinator
    assert inline.has_view_permission(request, bereaved_donor)
    assert not inline.has_add_permission(request, bereaved_donor)
    assert not inline.has_change_permission(request, bereaved_donor)
    assert not inline.has_delete_permission(request, bereaved_donor)
    assert inline.get_fields(request, bereaved_donor) == ["first_name", "status", "keepsake_sent"]
    request.user = volunteer
    assert not inline.has_view_permission(request, bereaved_donor)


def test_the_quilt_form_refuses_a_capacity_below_a_filled_place(staff_client, make_butterfly, quilt):
    make_butterfly(status=Butterfly.Status.ON_QUILT, quilt=quilt, position=3)
    url = reverse("admin:memorials_quilt_change", args=[quilt.pk])
    data = {"name": "Quilt 1", "capacity": "2", "started_on": "2021-10-01", "location": ""}
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "Place 3 on this quilt is filled, so it holds at least 3." in response.content.decode()
    quilt.refresh_from_db()
    assert quilt.capacity == 3
    for bad in ("0", "-4", "lots", ""):
        assert staff_client.post(url, {**data, "capacity": bad}).status_code == 200
    assert staff_client.post(url, {**data, "name": "<i>Q</i>", "capacity": "5"}).status_code == 200
    assert staff_client.post(url, {**data, "capacity": "5"}).status_code == 302
    quilt.refresh_from_db()
    assert quilt.capacity == 5


def test_a_quilt_with_butterflies_cannot_be_deleted(staff_client, make_butterfly, quilt):
    make_butterfly(status=Butterfly.Status.ON_QUILT, quilt=quilt, position=1)
    url = reverse("admin:memorials_quilt_delete", args=[quilt.pk])
    response = staff_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert quilt.__class__.objects.filter(pk=quilt.pk).exists()
