"""The private questionnaire link: sections, saving, resuming, review, submit, frozen answers, bad links."""

import datetime
import logging
import re
from smtplib import SMTPException
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from donors import transitions as t
from donors.models import AccessLink, Donor, Questionnaire, Task
from tests.donors.intake_fixtures import *  # noqa: F403
from tests.donors.intake_fixtures import GOOD_ANSWERS, NAMES

pytestmark = pytest.mark.django_db

SLUGS = list(GOOD_ANSWERS)


def _q(donor):
    return Questionnaire.objects.get(donor=donor)


def _continue(client, path, number, answers):
    return client.post(f"{path}section/{number}/", {"section": number, "action": "continue", **answers})


def _fill_all(client, path, *, bereaved=False, extra=None):
    slugs = [s for s in SLUGS if not (bereaved and s == "baby")]
    for number, slug in enumerate(slugs, start=1):
        answers = {**GOOD_ANSWERS[slug], **(extra or {}).get(slug, {})}
        response = _continue(client, path, number, answers)
        assert response.status_code == 302, response.content.decode()[-3000:]
    return response


def _assert_private(response):
    assert "no-store" in response["Cache-Control"]
    # Never a referrer to another site; pages with a form keep same-origin so the browser's CSRF Origin works.
    assert response["Referrer-Policy"] in ("no-referrer", "same-origin")
    assert '<meta name="robots" content="noindex' in response.content.decode()


def test_it_sends_no_referrer_from_pages_without_a_form(client, sent_questionnaire):
    _donor, path = sent_questionnaire()
    # Every page the link opens has a form (at least the language choice): "same-origin", so Chromium's post
    # is not refused as `Origin: null`; a link that does not open has none.
    assert client.get(path)["Referrer-Policy"] == "same-origin"
    assert client.get("/donate/q/forged/")["Referrer-Policy"] == "no-referrer"
    assert client.get(f"{path}section/1/")["Referrer-Policy"] == "same-origin"
    assert client.get(f"{path}review/")["Referrer-Policy"] == "same-origin"


def test_it_welcomes_the_donor_on_a_private_page(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    response = client.get(path)
    assert response.status_code == 200
    _assert_private(response)
    html = response.content.decode()
    assert "Hello Maya" in html
    assert "There are 8 short sections" in html
    assert f'href="{path}section/1/"' in html
    assert "sorry for your loss" not in html


def test_it_walks_the_sections_reviews_and_submits(client, sent_questionnaire, mailoutbox):
    donor, path = sent_questionnaire()
    page = client.get(f"{path}section/2/")
    assert "Section 2 of 8" in page.content.decode()
    _assert_private(page)
    response = _fill_all(client, path)
    assert response["Location"] == f"{path}review/"
    review = client.get(f"{path}review/")
    html = review.content.decode()
    assert "Check and send your answers" in html
    assert "Dr. Ortiz, Lakeside Clinic" in html
    assert "January 5, 2026" in html
    mailoutbox.clear()
    response = client.post(f"{path}review/", {"confirm": "on"})
    assert response.status_code == 302 and response["Location"] == path
    q = _q(donor)
    assert q.status == Questionnaire.Status.SUBMITTED
    assert q.flags == []
    assert q.answers["provider_name"] == "Dr. Ortiz, Lakeside Clinic"
    assert q.answers["alcohol_per_day"] == 0
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.QUESTIONNAIRE_SUBMITTED
    done = client.get(path)
    assert done.status_code == 200
    assert "Thank you, we have your answers" in done.content.decode()
    assert "blood test" in done.content.decode()
    # The coordinators hear about it with a link, not the answers or contact details.
    (mail,) = mailoutbox
    for body in (mail.body, mail.alternatives[0][0]):
        assert f"/admin/donors/donor/{donor.pk}/change/" in body
        for private in ("Maya", "maya@example.org", "555-010-0199", "Ortiz", "Lakeside"):
            assert private not in body


def test_it_needs_the_confirm_box_before_sending(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _fill_all(client, path)
    response = client.post(f"{path}review/", {})
    assert response.status_code == 200
    assert "Please tick the box to confirm your answers before sending." in response.content.decode()
    assert _q(donor).status == Questionnaire.Status.DRAFT


def test_it_will_not_send_unfinished_answers(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _continue(client, path, 1, GOOD_ANSWERS["health"])
    response = client.post(f"{path}review/", {"confirm": "on"})
    html = response.content.decode()
    assert "A few questions still need an answer" in html
    assert f'href="{path}section/2/"' in html
    assert _q(donor).status == Questionnaire.Status.DRAFT


def test_it_flags_answers_that_usually_defer_without_declining(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _fill_all(
        client,
        path,
        extra={"habits": {"nicotine": "yes", "alcohol_per_day": "4"}, "blood": {"transfusion": "yes"}},
    )
    client.post(f"{path}review/", {"confirm": "on"})
    q = _q(donor)
    assert q.flags == ["nicotine", "alcohol_per_day", "transfusion"]
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.QUESTIONNAIRE_SUBMITTED
    assert Task.objects.filter(donor=donor, kind=Task.Kind.REVIEW_FLAGS, done_at__isnull=True).exists()


def test_it_freezes_answers_once_sent(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _fill_all(client, path)
    client.post(f"{path}review/", {"confirm": "on"})
    before = _q(donor).answers
    response = _continue(client, path, 1, {**GOOD_ANSWERS["health"], "provider_name": "Someone else"})
    assert response.status_code == 302 and response["Location"] == path
    save = client.post(f"{path}save/", {"section": 1, "provider_name": "Someone else"})
    assert save.status_code == 409
    assert client.get(f"{path}review/")["Location"] == path
    assert client.post(f"{path}review/", {"confirm": "on"})["Location"] == path
    assert _q(donor).answers == before


def test_it_resumes_at_the_first_unfinished_section(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _continue(client, path, 1, GOOD_ANSWERS["health"])
    _continue(client, path, 2, GOOD_ANSWERS["medicines"])
    client.post(f"{path}section/3/", {"section": 3, "action": "later", "nicotine": "no"})
    other_device = Client()
    response = other_device.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"{path}section/3/"
    page = other_device.get(response["Location"]).content.decode()
    assert "Welcome back" in page
    assert re.search(r'<input[^>]*name="nicotine"[^>]*value="no"[^>]*checked', page)
    assert not re.search(r'<input[^>]*name="nicotine"[^>]*value="yes"[^>]*checked', page)


def test_it_saves_and_finishes_later_without_asking_for_everything(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    response = client.post(
        f"{path}section/1/",
        {"section": 1, "action": "later", "provider_name": "Dr. Kim", "good_health": "yes"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your answers are saved" in html
    assert _q(donor).answers == {"provider_name": "Dr. Kim", "good_health": "yes"}


def test_it_explains_each_missing_answer(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    response = _continue(client, path, 1, {"chronic_illness": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please answer yes or no." in html
    assert "Please answer this question." in html
    assert "Please tell us a little more." in html  # chronic illness: yes, but no details
    assert 'role="alert"' in html
    assert _q(donor).answers == {"chronic_illness": "yes"}  # the answer given is kept; nothing invented


@pytest.mark.parametrize(
    "number, field, value, message",
    [
        (1, "provider_name", "x" * 201, "Please keep this under 200 characters (it has 201)."),
        (8, "anything_else", "y" * 2001, "Please keep this under 2000 characters (it has 2001)."),
        (3, "alcohol_per_day", "lots", "Please enter a whole number"),
        (3, "alcohol_per_day", "-1", "Please enter a number of at least 0."),
        (3, "alcohol_per_day", "51", "Please enter a number no larger than 50."),
        (1, "delivery_date", "last spring", "Please enter a date, like 2026-03-14."),
        (1, "delivery_date", "2026-02-30", "Please enter a date, like 2026-03-14."),
        (1, "good_health", "maybe", "Please choose yes or no."),
    ],
)
def test_it_refuses_oversized_and_malformed_answers(
    client, sent_questionnaire, number, field, value, message
):
    donor, path = sent_questionnaire()
    for action in ("continue", "later"):
        response = client.post(
            f"{path}section/{number}/", {"section": number, "action": action, field: value}
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    assert field not in _q(donor).answers


def test_it_refuses_a_date_in_the_future(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = _continue(client, path, 1, {**GOOD_ANSWERS["health"], "delivery_date": tomorrow})
    assert "This date can&#x27;t be in the future." in response.content.decode()
    assert "delivery_date" not in _q(donor).answers


def test_it_keeps_markup_and_any_script_as_text(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    hostile = "<script>alert('x')</script> " + " ".join(NAMES)
    _continue(client, path, 8, {"anything_else": hostile})
    assert _q(donor).answers["anything_else"] == hostile
    for url in (f"{path}section/8/", f"{path}review/"):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
        assert "<script>alert" not in html
        assert " ".join(NAMES) in html


@pytest.mark.parametrize("name", NAMES)
def test_it_greets_donors_by_name_in_any_script(client, sent_questionnaire, name):
    _donor, path = sent_questionnaire(first_name=name)
    assert f"Hello {name}" in client.get(path).content.decode()


def test_it_speaks_gently_to_bereaved_donors_and_skips_infant_questions(
    client, sent_questionnaire, mailoutbox
):
    donor, path = sent_questionnaire(bereaved=True)
    email = mailoutbox[-1]
    assert "sorry for your loss" in email.body
    assert "your baby" not in email.body.lower()
    html = client.get(path).content.decode()
    assert "sorry for your loss" in html
    assert "There are 7 short sections" in html
    for number in range(1, 8):
        page = client.get(f"{path}section/{number}/").content.decode()
        assert f"Section {number} of 7" in page
        assert "your baby" not in page.lower()
        assert "infant_" not in page
    # Infant answers posted anyway are ignored, not stored.
    _continue(client, path, 7, {"anything_else": "", "infant_provider": "Dr. X", "infant_healthy": "no"})
    assert not {k for k in _q(donor).answers if k.startswith("infant")}
    _fill_all(client, path, bereaved=True)
    review = client.get(f"{path}review/").content.decode()
    assert "Your baby" not in review
    client.post(f"{path}review/", {"confirm": "on"})
    q = _q(donor)
    assert q.status == Questionnaire.Status.SUBMITTED and q.flags == []
    assert "grateful for your gift" in client.get(path).content.decode()


def test_it_asks_about_the_baby_when_there_is_one(client, sent_questionnaire):
    _donor, path = sent_questionnaire()
    page = client.get(f"{path}section/7/").content.decode()
    assert "Your baby" in page and "Is your baby healthy" in page
    response = _continue(client, path, 7, {"infant_healthy": "yes"})
    assert "Please answer this question." in response.content.decode()


# --- Autosave -------------------------------------------------------------------------------------------


def test_it_autosaves_what_is_typed_and_reports_problems(sent_questionnaire):
    donor, path = sent_questionnaire()
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"{path}section/3/").content.decode()
    assert f'data-autosave-url="{path}save/"' in page
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = browser.post(
        f"{path}save/",
        {"csrfmiddlewaretoken": token, "section": "3", "nicotine": "no", "alcohol_per_day": "many"},
    )
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    data = response.json()
    assert data["saved"] is True
    assert list(data["errors"]) == ["alcohol_per_day"]
    assert _q(donor).answers == {"nicotine": "no"}


def test_it_refuses_an_autosave_without_the_csrf_token(sent_questionnaire):
    donor, path = sent_questionnaire()
    response = Client(enforce_csrf_checks=True).post(f"{path}save/", {"section": "3", "nicotine": "no"})
    assert response.status_code == 403
    assert _q(donor).answers == {}


@pytest.mark.parametrize("section", ["", "0", "99", "abc"])
def test_it_refuses_an_autosave_for_a_section_that_does_not_exist(client, sent_questionnaire, section):
    donor, path = sent_questionnaire()
    response = client.post(f"{path}save/", {"section": section, "nicotine": "no"})
    assert response.status_code == 400
    assert _q(donor).answers == {}


def test_it_sends_an_unknown_section_number_back_to_the_start(client, sent_questionnaire):
    _donor, path = sent_questionnaire()
    assert client.get(f"{path}section/99/")["Location"] == path
    assert client.get(f"{path}section/0/")["Location"] == path


def test_it_only_accepts_posts_for_autosave(client, sent_questionnaire):
    _donor, path = sent_questionnaire()
    assert client.get(f"{path}save/").status_code == 405


# --- Links that can't be used ---------------------------------------------------------------------------


def _problem(client, path):
    return [client.get(path), client.get(f"{path}section/1/"), client.get(f"{path}review/")]


def test_it_turns_forged_links_away_without_a_hint(client, sent_questionnaire, coordinator):
    donor, path = sent_questionnaire()
    real = path.split("/")[-2]
    secret, signature = real.split(":")
    garbage = "/donate/q/not-a-token/"
    tampered = f"/donate/q/{secret[:-1]}{'A' if secret[-1] != 'A' else 'B'}:{signature}/"
    well_signed_unknown = f"/donate/q/{signing.Signer(salt='donors.links').sign('x' * 43)}/"
    bodies = set()
    for forged in (garbage, tampered, well_signed_unknown):
        for response in _problem(client, forged):
            assert response.status_code == 404
            _assert_private(response)
            bodies.add(response.content)
        assert client.post(f"{forged}save/", {"section": 1}).status_code == 404
    html = next(iter(bodies)).decode()
    assert "We couldn't open this link" in html
    assert "555-0100" in html
    # The same page whether the link is garbage, a real donor's link altered, or well signed but unknown.
    assert len({client.get(p).content for p in (garbage, tampered, well_signed_unknown)}) == 1


def test_it_explains_an_expired_link_kindly(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _continue(client, path, 1, GOOD_ANSWERS["health"])
    AccessLink.objects.filter(donor=donor).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    for response in _problem(client, path):
        assert response.status_code == 410
        _assert_private(response)
        html = response.content.decode()
        assert "This link has expired" in html and "555-0100" in html
        assert "Maya" not in html
    assert client.post(f"{path}save/", {"section": 1}).json() == {"saved": False, "reason": "expired"}
    assert _q(donor).answers["provider_name"] == "Dr. Ortiz, Lakeside Clinic"


def test_it_expires_links_with_the_passing_of_time(client, sent_questionnaire, settings):
    _donor, path = sent_questionnaire()
    later = timezone.now() + datetime.timedelta(days=settings.MILKBANK["QUESTIONNAIRE_LINK_DAYS"], seconds=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        assert client.get(path).status_code == 410


def test_it_explains_a_link_replaced_by_a_new_one(client, sent_questionnaire, coordinator, mailoutbox):
    donor, old_path = sent_questionnaire()
    _continue(client, old_path, 1, GOOD_ANSWERS["health"])
    new_url = t.questionnaire_send(donor=donor, by=coordinator)
    for response in _problem(client, old_path):
        assert response.status_code == 410
        assert "This link no longer works" in response.content.decode()
    # The new link opens the same answers, where the donor left off.
    response = client.get(urlsplit(new_url).path)
    assert response["Location"].endswith("/section/2/")


def test_it_thanks_a_donor_who_opens_a_link_already_sent(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _fill_all(client, path)
    client.post(f"{path}review/", {"confirm": "on"})
    response = Client().get(path)
    assert response.status_code == 200
    _assert_private(response)
    assert "Thank you, we have your answers" in response.content.decode()


def test_it_sends_the_answers_even_when_the_coordinator_email_fails(client, sent_questionnaire):
    donor, path = sent_questionnaire()
    _fill_all(client, path)
    with mock.patch("donors.notify.EmailMultiAlternatives.send", side_effect=SMTPException("down")):
        response = client.post(f"{path}review/", {"confirm": "on"})
    assert response.status_code == 302
    q = _q(donor)
    assert q.status == Questionnaire.Status.SUBMITTED
    assert q.answers["provider_name"] == "Dr. Ortiz, Lakeside Clinic"


def test_it_writes_no_personal_data_or_link_to_the_logs(client, sent_questionnaire, caplog):
    caplog.set_level(logging.DEBUG)
    donor, path = sent_questionnaire(first_name="Ngọc", email="ngoc@example.org")
    token = path.split("/")[-2]
    client.get(path)
    _fill_all(client, path, extra={"health": {"provider_name": "Dr. Private Person"}})
    _continue(client, path, 3, {"alcohol_per_day": "lots"})
    client.post(f"{path}save/", {"section": 2, "medications": "yes", "medications_list": "secretmed"})
    client.post(f"{path}review/", {"confirm": "on"})
    client.get("/donate/q/forged:token/")
    assert _q(donor).status == Questionnaire.Status.SUBMITTED
    for private in (
        "Ngọc",
        "ngoc@example.org",
        "Dr. Private Person",
        "secretmed",
        token,
        token.split(":")[0],
    ):
        assert private not in caplog.text
