"""The donor's private status page: plain words, no health details, kind answers for bad links."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from donors import transitions as t
from donors import views as status_views
from donors.models import AccessLink, Depot, Donor

pytestmark = pytest.mark.django_db
Stage = Donor.Stage


@pytest.fixture(autouse=True)
def _fresh_flood_limits():
    cache.clear()
    yield
    cache.clear()


HEALTH_WORDS = ("negative", "reactive", "HIV", "hepatitis", "tattoo", "tobacco", "medication", "Syphilis")


def status_path(url):
    return url[url.index("/donate/") :]


def test_it_shows_the_three_steps_in_plain_words_and_no_health_details(client, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    path = status_path(t.status_link_send(donor=donor, by=coordinator))
    response = client.get(path)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Your three steps" in body and "we have arranged your blood test" in body.lower()
    assert not any(word.lower() in body.lower() for word in HEALTH_WORDS)
    assert response["Cache-Control"].startswith("no-store")
    assert response["Referrer-Policy"] == "same-origin"  # it posts the language choice (never Origin: null)
    assert 'name="robots" content="noindex' in body


def test_an_approved_donor_sees_depot_addresses_and_their_total(client, make_donor, coordinator):
    Depot.objects.create(
        name="Maple Clinic", address_line1="12 Elm St", city="Duluth", region="MN", hours="9-5"
    )
    donor = make_donor(Stage.APPROVED)
    path = status_path(t.status_link_send(donor=donor, by=coordinator))
    body = client.get(path).content.decode()
    assert "12 Elm St" in body and donor.number_label in body


def test_a_donor_not_yet_approved_never_sees_street_addresses(client, make_donor, coordinator):
    Depot.objects.create(name="Maple Clinic", address_line1="12 Elm St", city="Duluth", region="MN")
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    body = client.get(status_path(t.status_link_send(donor=donor, by=coordinator))).content.decode()
    assert "12 Elm St" not in body


def test_a_bereaved_donor_sees_no_words_that_assume_a_living_baby(client, make_donor, coordinator):
    donor = make_donor(Stage.APPROVED, bereaved=True)
    body = client.get(status_path(t.status_link_send(donor=donor, by=coordinator))).content.decode().lower()
    for phrase in ("your baby is", "your little one", "your newborn", "feeding your baby"):
        assert phrase not in body


@pytest.mark.parametrize("problem", ["forged", "tampered", "expired", "revoked"])
def test_bad_links_get_a_kind_page_and_never_a_server_error(client, make_donor, coordinator, problem):
    donor = make_donor()
    url = status_path(t.status_link_send(donor=donor, by=coordinator))
    if problem == "forged":
        url = reverse("donors:status", args=["not-a-real-token"])
    elif problem == "tampered":
        url = url[:-3] + ("aaa" if not url.endswith("aaa/") else "bbb") + "/"
    elif problem == "expired":
        AccessLink.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif problem == "revoked":
        t.status_link_send(donor=donor, by=coordinator)
    response = client.get(url)
    assert response.status_code == 404
    body = response.content.decode()
    assert "This link is not open" in body and "Email me a new link" in body
    assert donor.first_name not in body


def test_forged_links_look_the_same_whether_or_not_a_donor_exists(client, make_donor):
    empty = client.get(reverse("donors:status", args=["abc:def"])).content
    make_donor()
    assert client.get(reverse("donors:status", args=["abc:def"])).content == empty


def test_asking_for_the_link_again_answers_the_same_for_known_and_unknown_addresses(
    client, make_donor, mailoutbox
):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, email="known@example.org")
    mailoutbox.clear()
    known = client.post(reverse("donors:status_resend"), {"email": "KNOWN@example.org"})
    unknown = client.post(reverse("donors:status_resend"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda r: r.content.decode().split('name="csrfmiddlewaretoken"')[0]  # noqa: E731
    assert strip(known) == strip(unknown)
    assert [m.to for m in mailoutbox] == [[donor.email]]


@pytest.mark.parametrize("email", ["", "not-an-email", "a" * 300 + "@example.org", "<script>@x.org"])
def test_the_resend_form_refuses_bad_addresses_clearly(client, email, mailoutbox):
    response = client.post(reverse("donors:status_resend"), {"email": email})
    assert response.status_code == 200
    body = response.content.decode()
    assert any(m in body for m in ("Enter a valid email address.", "This field is required.", "at most 254"))
    assert not mailoutbox


def test_the_resend_page_lets_the_browser_send_its_origin_with_the_post(client):
    """Under "no-referrer" Chromium posts `Origin: null`: CSRF answers 403 (see test_public_forms_browser)."""
    response = client.get(reverse("donors:status_resend"))
    assert response.status_code == 200 and "Email me a link to my page" in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"].startswith("no-store")


def test_the_resend_form_is_flood_limited(client, mailoutbox):
    for _ in range(5):
        client.post(reverse("donors:status_resend"), {"email": "someone@example.org"})
    response = client.post(reverse("donors:status_resend"), {"email": "someone@example.org"})
    assert "Too many tries" in response.content.decode()


def test_the_status_page_runs_a_fixed_number_of_queries(
    client, make_donor, coordinator, django_assert_num_queries
):
    """One query for the link and donor, one for the total, one for the bloodwork date, one for depots."""
    for n in range(3):
        Depot.objects.create(name=f"Depot {n}", city="Duluth", region="MN")
    donor = make_donor(Stage.APPROVED)
    path = status_path(t.status_link_send(donor=donor, by=coordinator))
    with django_assert_num_queries(4):
        client.get(path)
    for n in range(3, 10):
        Depot.objects.create(name=f"Depot {n}", city="Duluth", region="MN")
    with django_assert_num_queries(4):
        client.get(path)


# --- "Email me my link": nothing a stranger can learn or break ------------------------------------------


def _link_in(message):
    return status_path(next(w for w in message.body.split() if "/donate/s/" in w))


def test_the_answer_is_ready_before_the_address_is_looked_up(make_donor, django_assert_num_queries):
    """The page costs the same for a known and an unknown address: the lookup and the mail come after it."""
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, email="known@example.org")
    mail.outbox.clear()
    pages = {}
    for email in ("known@example.org", "nobody@example.org"):
        request = RequestFactory().post(reverse("donors:status_resend"), {"email": email})
        with django_assert_num_queries(0):  # not even to find out whether anyone has this address
            pages[email] = status_views.resend(request)
        assert mail.outbox == [] and not AccessLink.objects.filter(pending=True).exists()
    assert pages["known@example.org"].content == pages["nobody@example.org"].content
    assert b"If that address is one we have" in pages["known@example.org"].content
    for response in pages.values():
        response.close()  # what the server does once the page has gone
    assert [m.to for m in mail.outbox] == [[donor.email]]


def test_a_stranger_who_knows_the_address_cannot_close_the_donors_link(client, make_donor, coordinator):
    donor = make_donor(Stage.APPROVED, email="dasia@example.org")
    current = status_path(t.status_link_send(donor=donor, by=coordinator))
    mail.outbox.clear()
    for _ in range(2):  # a stranger asks twice, from elsewhere
        client.post(
            reverse("donors:status_resend"), {"email": "dasia@example.org"}, REMOTE_ADDR="203.0.113.9"
        )
    assert client.get(current).status_code == 200, "the donor's own link still opens"
    older, newer = (_link_in(m) for m in mail.outbox)
    assert "This link is not open" in client.get(older).content.decode()  # only the newest asked-for one
    assert client.get(current).status_code == 200
    # The donor opens the new link from their inbox: from then on it is their one link.
    response = client.get(newer)
    assert response.status_code == 200 and donor.first_name in response.content.decode()
    assert client.get(current).status_code == 404
    assert client.get(newer).status_code == 200
    assert AccessLink.objects.filter(donor=donor, purpose="status", revoked_at__isnull=True).count() == 1


def test_a_staff_sent_link_still_replaces_the_old_one_at_once(client, make_donor, coordinator):
    donor = make_donor(Stage.APPROVED)
    first = status_path(t.status_link_send(donor=donor, by=coordinator))
    client.post(reverse("donors:status_resend"), {"email": donor.email})  # a pending one too
    second = status_path(t.status_link_send(donor=donor, by=coordinator))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert AccessLink.objects.filter(donor=donor, purpose="status", revoked_at__isnull=True).count() == 1


def test_one_address_gets_a_few_links_an_hour_whoever_asks(client, make_donor):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, email="dasia@example.org")
    mail.outbox.clear()
    limit = int(status_views.RESEND_RATE_PER_ADDRESS.split("/")[0])
    for n in range(limit + 2):
        response = client.post(
            reverse("donors:status_resend"), {"email": "DASIA@example.org"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
        assert "If that address is one we have" in response.content.decode()  # the same answer throughout
    assert [m.to for m in mail.outbox] == [[donor.email]] * limit
