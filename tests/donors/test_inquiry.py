"""The public "Become a donor" form: self-check, inquiry, bot guards, flood limit, coordinators' email."""

import logging
import time
from smtplib import SMTPException
from unittest import mock

import pytest
from django.core import signing

from donors.forms import started_token
from donors.models import Donor, Task
from tests.donors.intake_fixtures import *  # noqa: F403
from tests.donors.intake_fixtures import NAMES, inquiry_data

pytestmark = pytest.mark.django_db

URL = "/donate/"


def test_it_shows_the_self_check_and_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "quick self-check" in html
    assert 'name="contact_consent"' in html
    # The honeypot is in the HTML, off screen, out of the tab order and hidden from screen readers.
    assert '<div class="hp-field" aria-hidden="true">' in html
    assert 'name="website"' in html and 'tabindex="-1"' in html


def test_it_creates_an_inquiry_and_thanks_the_person(client, mailoutbox):
    response = client.post(URL, inquiry_data(bereaved="on", research_interest="on"))
    assert response.status_code == 302
    assert response["Location"] == "/donate/thank-you/"
    donor = Donor.objects.get()
    assert donor.stage == Donor.Stage.INQUIRY
    assert (donor.first_name, donor.last_name) == ("Maya", "Lindqvist")
    assert (donor.email, donor.phone) == ("maya@example.org", "555-010-0199")
    assert donor.best_time_to_call == "Weekday mornings"
    assert donor.bereaved and donor.research_consent and donor.contact_consent
    assert Task.objects.filter(donor=donor, kind=Task.Kind.CALL_BACK).exists()
    thanks = client.get(response["Location"]).content.decode()
    assert "within 3 working days" in thanks
    assert "about 20 minutes" in thanks
    assert "Maya" not in thanks


def test_it_emails_the_coordinators_a_link_and_no_personal_details(client, mailoutbox, settings):
    client.post(URL, inquiry_data(first_name="Aroha", email="aroha@example.org", phone="555-010-0142"))
    donor = Donor.objects.get()
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [settings.MILKBANK["COORDINATOR_EMAIL"]]
    html = mail.alternatives[0][0]
    admin_url = f"{settings.SITE_URL}/admin/donors/donor/{donor.pk}/change/"
    for body in (mail.body, html):
        assert admin_url in body
        for private in ("Aroha", "Lindqvist", "aroha@example.org", "555-010-0142", "Weekday"):
            assert private not in body
    assert "Aroha" not in mail.subject


def test_it_keeps_the_inquiry_when_the_coordinator_email_fails(client, caplog):
    with mock.patch("donors.notify.EmailMultiAlternatives.send", side_effect=SMTPException("bad")):
        response = client.post(URL, inquiry_data())
    assert response.status_code == 302
    assert Donor.objects.count() == 1
    assert "Maya" not in caplog.text and "maya@example.org" not in caplog.text


@pytest.mark.parametrize("name", NAMES)
def test_it_keeps_names_in_any_script_exactly(client, name):
    client.post(URL, inquiry_data(first_name=name, last_name=name))
    donor = Donor.objects.get()
    assert donor.first_name == name and donor.last_name == name


def test_it_keeps_markup_as_text_and_escapes_it_on_the_page(client):
    hostile = "<script>alert('hi')</script>"
    response = client.post(URL, inquiry_data(first_name=hostile, contact_consent=None))
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;alert(&#x27;hi&#x27;)&lt;/script&gt;" in html
    assert hostile not in html
    assert Donor.objects.count() == 0
    client.post(URL, inquiry_data(first_name=hostile, best_time_to_call='<b onmouseover="x()">9am</b>'))
    donor = Donor.objects.get()
    assert donor.first_name == hostile
    assert donor.best_time_to_call == '<b onmouseover="x()">9am</b>'


def test_it_explains_each_missing_answer_and_saves_nothing(client, mailoutbox):
    response = client.post(URL, {"send": "1", "started": started_token(time.time() - 10)})
    assert response.status_code == 200
    html = response.content.decode()
    assert "This field is required." in html  # first name
    assert "Please tick this box so we can contact you." in html
    assert "Please give a phone number or an email address" in html
    assert 'role="alert"' in html
    assert Donor.objects.count() == 0
    assert mailoutbox == []


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("first_name", "x" * 101, "Ensure this value has at most 100 characters"),
        ("last_name", "y" * 101, "Ensure this value has at most 100 characters"),
        ("best_time_to_call", "z" * 201, "Ensure this value has at most 200 characters"),
        ("email", "a" * 250 + "@example.org", "Ensure this value has at most 254 characters"),
        ("phone", "5" * 41, "Ensure this value has at most 40 characters"),
        ("email", "not-an-email", "Please enter an email address like name@example.com."),
        ("phone", "call me maybe", "Please enter a phone number using digits"),
        ("phone", "12", "Please enter a phone number using digits"),
        ("first_name", "12345", "Please enter your first name in letters."),
        ("preferred_contact", "fax", "Please choose phone call, text message or email."),
    ],
)
def test_it_refuses_oversized_and_malformed_answers(client, field, value, message):
    response = client.post(URL, inquiry_data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Donor.objects.count() == 0


def test_it_accepts_email_only_when_email_is_the_way_to_reach_you(client):
    client.post(URL, inquiry_data(phone="", preferred_contact="email"))
    assert Donor.objects.get().preferred_contact == "email"


def test_it_asks_for_a_phone_number_when_a_call_is_preferred(client):
    response = client.post(URL, inquiry_data(phone="", preferred_contact="phone"))
    assert "Please give a phone number, or choose email" in response.content.decode()
    assert Donor.objects.count() == 0


def test_it_answers_the_self_check_kindly_and_saves_nothing(client):
    response = client.post(URL, {"self_check": "1", "answers": ["nicotine", "transfusion"]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "may mean we can't take milk for babies right now" in html
    assert "research" in html
    assert "waiting until 4 months have passed" in html
    assert 'name="first_name"' in html  # the form is still there: the check never blocks anyone
    assert Donor.objects.count() == 0


def test_it_says_so_when_nothing_in_the_self_check_applies(client):
    html = client.post(URL, {"self_check": "1"}).content.decode()
    assert "Nothing there stands in your way" in html


def test_it_ignores_unknown_self_check_answers(client):
    response = client.post(URL, {"self_check": "1", "answers": ["<b>nope</b>"]})
    assert response.status_code == 200
    assert "<b>nope</b>" not in response.content.decode()


@pytest.mark.parametrize(
    "overrides",
    [
        {"website": "http://spam.example"},  # the honeypot
        {"started": "now"},  # too fast for a person
        {"started": "12345"},  # unsigned
        {
            "started": signing.Signer(salt="other").sign(str(int(time.time() - 10)))
        },  # signed for something else
        {"started": None},
    ],
)
def test_it_refuses_bots_quietly_and_saves_nothing(client, mailoutbox, overrides):
    if overrides.get("started") == "now":
        overrides = {"started": started_token(time.time() - 1)}
    response = client.post(URL, inquiry_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sorry, we couldn't send that." in html
    assert "honeypot" not in html.lower()
    assert Donor.objects.count() == 0
    assert mailoutbox == []


def test_it_asks_again_after_a_day_and_keeps_what_was_typed(client):
    response = client.post(URL, inquiry_data(started=started_token(time.time() - 25 * 3600)))
    html = response.content.decode()
    assert "This page was open for a long time" in html
    assert 'value="Maya"' in html
    assert Donor.objects.count() == 0
    # The page carries a fresh start time, so sending it again (after a pause) works.
    fresh = html.split('name="started" value="')[1].split('"')[0]
    assert signing.Signer(salt="donors.inquiry.started").unsign(fresh)


def test_it_limits_a_flood_of_posts_from_one_address_kindly(client, mailoutbox):
    for n in range(5):
        response = client.post(URL, inquiry_data(first_name=f"Person{n}"), REMOTE_ADDR="203.0.113.9")
        assert response.status_code == 302
    response = client.post(URL, inquiry_data(first_name="Sixth"), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429
    assert "Please try again a little later" in response.content.decode()
    assert not Donor.objects.filter(first_name="Sixth").exists()
    # Someone else is not affected, and the self-check still answers.
    assert client.post(URL, inquiry_data(first_name="Other"), REMOTE_ADDR="198.51.100.7").status_code == 302
    assert client.post(URL, {"self_check": "1"}, REMOTE_ADDR="203.0.113.9").status_code == 200


def test_it_writes_no_personal_data_to_the_logs(client, caplog):
    caplog.set_level(logging.DEBUG)
    client.post(URL, inquiry_data(first_name="Zoë", email="zoe@example.org", phone="555-010-0177"))
    client.post(URL, inquiry_data(first_name="Zoë", email="bad"))
    assert Donor.objects.count() == 1
    for private in ("Zoë", "zoe@example.org", "555-010-0177", "Lindqvist"):
        assert private not in caplog.text


def test_it_refuses_other_methods(client):
    assert client.put(URL).status_code == 405
