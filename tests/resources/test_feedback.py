"""“Was this helpful?” and “Report an error”: stored for editors, flood-limited, no personal data."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from resources.models import Feedback
from resources.views import FEEDBACK_RATE_PER_VISITOR

pytestmark = pytest.mark.django_db

URL = "/feedback/"


def _send(
    client, *, kind="helpful", helpful="yes", comment="", path="/suppressing-your-supply/", nxt=None, **extra
):
    data = {"kind": kind, "comment": comment, "path": path, "next": path if nxt is None else nxt}
    if helpful is not None:
        data["helpful"] = helpful
    return client.post(URL, data, **extra)


def test_every_page_carries_both_forms_posting_here(client):
    for url in ("/", "/donating-after-loss/", reverse("resources:pumping_plan"), reverse("donors:depots")):
        html = client.get(url).content.decode()
        assert html.count(f'action="{URL}"') == 2, url
        assert "Was this page helpful?" in html and "Report an error on this page" in html


def test_a_yes_is_stored_with_the_page_and_the_visitor_goes_back(client):
    response = _send(client, comment="Thank you for this.", nxt="/suppressing-your-supply/?x=1")
    assert response.status_code == 302
    assert response["Location"] == "/suppressing-your-supply/?x=1"
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.helpful, feedback.path) == ("helpful", True, "/suppressing-your-supply/")
    assert feedback.comment == "Thank you for this."
    assert feedback.reviewed is False
    follow = client.get(response["Location"])
    assert "Thank you. Your note reached our team." in follow.content.decode()


def test_a_no_without_a_comment_is_fine(client):
    assert _send(client, helpful="no").status_code == 302
    assert Feedback.objects.get().helpful is False


def test_an_error_report_is_stored(client):
    response = _send(client, kind="error", helpful=None, comment="The phone number is wrong.")
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.helpful) == ("error", None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "error", "helpful": None, "comment": "   "}, "Please tell us what is wrong."),
        ({"kind": "helpful", "helpful": None}, "Please choose yes or no."),
        ({"kind": "helpful", "helpful": "maybe"}, "Select a valid choice"),
        ({"kind": "praise"}, "Select a valid choice"),
        ({"comment": "x" * 2001}, "at most 2000 characters"),
        ({"path": "https://evil.example/page"}, "Feedback must be about a page on this site."),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_message_and_nothing_saved(client, fields, message):
    response = _send(client, **fields)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in html
    assert "Back to the page you were on" in html
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("prefix", ["/donate/q/", "/donate/s/"])
@pytest.mark.parametrize("language", ["", "/es", "/fr"])
def test_a_private_donor_link_is_stored_only_as_its_prefix(client, prefix, language):
    _send(client, path=f"{language}{prefix}AbC123.signed-token/section/2/?resume=1")
    assert Feedback.objects.get().path == prefix


def test_a_private_link_written_with_escapes_is_cut_too(client):
    _send(client, path="/donate/%71/secret-token/")
    assert Feedback.objects.get().path == "/donate/q/"


def test_the_query_string_is_never_stored(client):
    _send(client, path="/search/?q=my+name+is+Jane")
    assert Feedback.objects.get().path == "/search/"


def test_the_database_refuses_a_private_link_path_too():
    for path in ("/donate/q/secret-token/", "/es/donate/s/secret-token/", "/fr/donate/q/secret-token/"):
        with pytest.raises(IntegrityError), transaction.atomic():
            Feedback.objects.create(kind="helpful", helpful=True, path=path)
    Feedback.objects.create(kind="helpful", helpful=True, path="/donate/q/")
    Feedback.objects.create(kind="helpful", helpful=True, path="/es/donate/depots/")


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", ""])
def test_it_returns_only_to_this_site(client, target):
    response = _send(client, nxt=target)
    assert response.status_code == 302
    assert response["Location"] == reverse("resources:home")


def test_feedback_holds_no_personal_data_by_design():
    fields = {field.name for field in Feedback._meta.get_fields()}
    assert fields == {"id", "kind", "helpful", "comment", "path", "created_at", "reviewed"}


def test_feedback_is_never_shown_publicly(client):
    _send(client, comment="A very particular sentence.")
    for url in ("/", "/suppressing-your-supply/", reverse("resources:search") + "?q=particular"):
        assert "A very particular sentence." not in client.get(url).content.decode()


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


# --- Flood limits ------------------------------------------------------------------------------------


def test_one_visitor_is_limited_and_told_kindly(client):
    limit = int(FEEDBACK_RATE_PER_VISITOR.split("/")[0])
    for _ in range(limit):
        assert _send(client, REMOTE_ADDR="203.0.113.7").status_code == 302
    response = _send(client, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Please try again later" in response.content.decode()
    assert Feedback.objects.count() == limit
    # Someone else is not held back by it.
    assert _send(client, REMOTE_ADDR="198.51.100.9").status_code == 302


def test_behind_the_proxy_visitors_are_told_apart_by_the_address_it_adds(client):
    limit = int(FEEDBACK_RATE_PER_VISITOR.split("/")[0])
    for _ in range(limit):
        _send(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _send(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert _send(client, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.9").status_code == 302


def test_many_addresses_about_one_page_hit_that_page_limit_only(client, monkeypatch):
    monkeypatch.setattr("resources.views.FEEDBACK_RATE_PER_PAGE", "5/h")
    for n in range(5):
        assert _send(client, REMOTE_ADDR=f"198.51.100.{n}").status_code == 302
    assert _send(client, REMOTE_ADDR="198.51.100.99").status_code == 429
    # Every other page still takes notes, from the same visitors.
    assert _send(client, REMOTE_ADDR="198.51.100.99", path="/grief-resources/").status_code == 302
    assert Feedback.objects.count() == 6


def test_no_site_wide_cap_that_thirty_addresses_could_use_up(client):
    """The old overall cap (300 an hour) let 30 addresses silence every page for everyone."""
    per_visitor = int(FEEDBACK_RATE_PER_VISITOR.split("/")[0])
    for n in range(31):
        for _ in range(per_visitor):
            _send(client, REMOTE_ADDR=f"198.51.100.{n}", path=f"/page-{n}/")
    assert Feedback.objects.count() == 31 * per_visitor
    assert _send(client, REMOTE_ADDR="203.0.113.50").status_code == 302


def test_without_a_proxy_a_forged_forwarded_header_does_not_escape_the_limit(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    limit = int(FEEDBACK_RATE_PER_VISITOR.split("/")[0])
    for n in range(limit):
        _send(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    assert _send(client, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99").status_code == 429
