"""Requests to review: families' website requests wait here until memorial staff accept, link or decline."""

import pytest
from django.urls import reverse

from memorials.models import Butterfly

from .conftest import BORN, bereaved
from .conftest import website_request as _request

pytestmark = pytest.mark.django_db
LIST = reverse("memorials:requests")
Status = Butterfly.Status


@pytest.fixture
def staff_client(client, memorial_staff):
    client.force_login(memorial_staff)
    return client


def test_the_list_shows_what_staff_need_to_decide(staff_client, make_butterfly):
    _request()
    _request(first_name="Collected", keepsake_wish="collect", mailing_address="", contact_email="")
    make_butterfly(first_name="Accepted")  # a staff record: already in the queue, not here
    html = staff_client.get(LIST).content.decode()
    assert "<h1>Requests to review</h1>" in html
    assert "Noor" in html and "Hana O&#x27;Brien &amp; Søn" in html and "hana@example.org" in html
    assert "4 Oak Road<br>Ely, MN 55731" in html and "They will collect it" in html
    assert "Accepted" not in html
    assert html.count(">Accept</button>") == 2


def test_coordinators_see_the_list_but_no_buttons(client, coordinator):
    _request()
    client.force_login(coordinator)
    html = client.get(LIST).content.decode()
    assert "Noor" in html and ">Accept</button>" not in html


def test_accepting_moves_a_request_to_the_sewing_queue(staff_client):
    butterfly = _request()
    response = staff_client.post(reverse("memorials:request_accept", args=[butterfly.pk]), follow=True)
    assert "Noor&#x27;s butterfly is accepted and joins the sewing queue." in response.content.decode()
    butterfly.refresh_from_db()
    assert butterfly.status == Status.REQUESTED
    assert "Noor" in staff_client.get(reverse("memorials:work_order")).content.decode()
    # Accepted once: the request is no longer one to review, so its review pages answer 404.
    for name in ("request_accept", "request_decline", "request_link"):
        assert staff_client.post(reverse(f"memorials:{name}", args=[butterfly.pk])).status_code == 404


def test_accept_is_a_post_and_needs_the_change_permission(client, staff_client, coordinator):
    butterfly = _request()
    url = reverse("memorials:request_accept", args=[butterfly.pk])
    assert staff_client.get(url).status_code == 405
    client.force_login(coordinator)
    assert client.post(url).status_code == 403
    butterfly.refresh_from_db()
    assert butterfly.status == Status.TO_REVIEW


def test_staff_records_and_missing_requests_answer_404(staff_client, make_butterfly):
    staff_made = make_butterfly()
    for pk in (staff_made.pk, 999):
        assert staff_client.post(reverse("memorials:request_accept", args=[pk])).status_code == 404
        assert staff_client.get(reverse("memorials:request_decline", args=[pk])).status_code == 404
    staff_made.refresh_from_db()
    assert staff_made.status == Status.REQUESTED


@pytest.mark.parametrize(
    "note, message",
    [
        ("", "Please write a few kind words to the family."),
        ("   ", "Please write a few kind words to the family."),
        ("x" * 2001, "at most 2000 characters"),
        ("<script>alert(1)</script>", "Please leave out the characters"),
    ],
)
def test_declining_refuses_a_bad_note_and_changes_nothing(staff_client, mailoutbox, note, message):
    butterfly = _request()
    mailoutbox.clear()
    response = staff_client.post(reverse("memorials:request_decline", args=[butterfly.pk]), {"note": note})
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and "<script>alert(1)</script>" not in html
    butterfly.refresh_from_db()
    assert butterfly.status == Status.TO_REVIEW and not mailoutbox


def test_declining_emails_the_note_or_asks_staff_to_call(staff_client, mailoutbox):
    emailed, phoned = _request(), _request(first_name="Sami", contact_email="")
    mailoutbox.clear()
    page = staff_client.get(reverse("memorials:request_decline", args=[emailed.pk])).content.decode()
    assert "We will email your note to" in page
    response = staff_client.post(
        reverse("memorials:request_decline", args=[emailed.pk]),
        {"note": "Your butterfly is already made."},
        follow=True,
    )
    assert "Declined. We emailed the family your note." in response.content.decode()
    assert [m.to for m in mailoutbox] == [["hana@example.org"]]
    response = staff_client.post(
        reverse("memorials:request_decline", args=[phoned.pk]), {"note": "Kind words."}, follow=True
    )
    assert "please call them at 555-0177" in response.content.decode()
    assert len(mailoutbox) == 1


def test_linking_offers_only_matching_donor_records(staff_client, coordinator):
    match = bereaved(
        first_name="Hana",
        last_name="Obrien",
        by=coordinator,
        screened=True,
        baby_first_name="Noor",
        baby_birth_date=BORN,
    )
    other = bereaved(first_name="Other", last_name="Person", by=coordinator, screened=True)
    butterfly = _request(contact_email="", contact_phone="")
    url = reverse("memorials:request_link", args=[butterfly.pk])
    html = staff_client.get(url).content.decode()
    assert "Hana Obrien (Noor, May 14, 2023)" in html and "Other Person" not in html
    for bad in ({}, {"donor": other.pk}, {"donor": "x"}):
        assert staff_client.post(url, bad).status_code == 200
    butterfly.refresh_from_db()
    assert butterfly.donor is None
    response = staff_client.post(url, {"donor": match.pk}, follow=True)
    assert "linked to the donor&#x27;s record" in response.content.decode()
    butterfly.refresh_from_db()
    assert butterfly.donor == match and butterfly.status == Status.TO_REVIEW


def test_a_request_with_no_match_says_so(staff_client):
    butterfly = _request(contact_email="", contact_phone="")
    html = staff_client.get(reverse("memorials:request_link", args=[butterfly.pk])).content.decode()
    assert "No donor record matches this request." in html
    assert "A donor record may match" not in staff_client.get(LIST).content.decode()


@pytest.mark.parametrize("count", [1, 60])
def test_the_review_list_runs_a_fixed_number_of_queries(staff_client, count, django_assert_num_queries):
    """Requests can pile up over a holiday; the page costs the same: session, user, the role's permissions
    (2), the pager's COUNT, and one page of requests with the donor match as a subquery per row."""
    for n in range(count):
        _request(first_name=f"Name{n}")
    with django_assert_num_queries(6):
        assert staff_client.get(LIST).status_code == 200
