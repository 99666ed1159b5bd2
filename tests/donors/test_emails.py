"""Every email, in both parts, carries names as typed: the plain text unescaped, the HTML escaped.

"Hello D&#x27;Asia" went to donors in the plain-text part of the approval, status-link, thank-you and reminder
emails. These tests send each one through the step that sends it in real life, for a bereaved and a
non-bereaved donor, and render every template file too, so a new template is checked as soon as it exists.
"""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape

from donors import notify
from donors import transitions as t
from donors.models import Depot, Donor, FreezerCheck
from donors.reminders import send_reminders

pytestmark = pytest.mark.django_db
Stage = Donor.Stage
NAMES = ["D'Asia", "O'Brien & Søn", "<b>"]
ESCAPES = ("&#x27;", "&#39;", "&amp;", "&lt;", "&gt;", "&quot;")
EMAIL_DIR = Path(settings.BASE_DIR) / "templates" / "donors" / "email"


def _parts(message):
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return message.subject, message.body, html


def _assert_as_typed(message, name):
    """The subject and text say the name as typed; the HTML says it escaped, never as markup."""
    subject, text, html = _parts(message)
    for escaped in ESCAPES:
        assert escaped not in text, (escaped, text)
        assert escaped not in subject, (escaped, subject)
    assert f"{name}," in text
    assert f"{escape(name)}," in html
    assert "<b>" not in html


@pytest.fixture
def tricky_bank(settings):
    settings.MILKBANK = {**settings.MILKBANK, "NAME": "Milk Bank of O'Brien & Søn <b>"}
    return settings.MILKBANK["NAME"]


def _age(donor, days):
    Donor.objects.filter(pk=donor.pk).update(stage_changed_at=timezone.now() - datetime.timedelta(days=days))


@pytest.mark.parametrize("bereaved", [False, True], ids=["not-bereaved", "bereaved"])
@pytest.mark.parametrize("name", NAMES)
def test_donor_emails_from_the_real_steps_carry_the_name_as_typed(
    make_donor, coordinator, mailoutbox, name, bereaved, tricky_bank
):
    donor = make_donor(Stage.APPROVED, first_name=name, bereaved=bereaved)  # the link, then the approval
    t.status_link_send(donor=donor, by=coordinator)
    bloodwork = donor.bloodwork_set.get()
    bloodwork.drawn_on = timezone.localdate() - datetime.timedelta(
        days=settings.MILKBANK["BLOODWORK_VALID_DAYS"] - 10
    )
    bloodwork.save(update_fields=["drawn_on"])
    waiting = make_donor(Stage.QUESTIONNAIRE_SENT, first_name=name, bereaved=bereaved)
    _age(waiting, 8)
    paused = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, first_name=name, bereaved=bereaved)
    t.donor_defer(
        donor=paused, by=coordinator, reason="Travel", until=timezone.localdate() + datetime.timedelta(days=3)
    )
    send_reminders()
    t.donor_finish(donor=donor, by=coordinator)

    to_donors = [m for m in mailoutbox if m.to != [settings.MILKBANK["COORDINATOR_EMAIL"]]]
    subjects = " | ".join(m.subject for m in to_donors)
    for expected in (
        "questionnaire",
        "Welcome as a milk donor",
        "Your donor page",
        "blood test",
        "Thank you",
    ):
        assert expected in subjects
    assert "reminder" in subjects.lower() and "in touch soon" in subjects
    for message in to_donors:
        _assert_as_typed(message, name)
        assert tricky_bank in message.body
        assert escape(tricky_bank) in _parts(message)[2]


@pytest.mark.parametrize("bereaved", [False, True], ids=["not-bereaved", "bereaved"])
def test_a_thank_you_to_a_donor_who_gave_nothing_yet_says_something_kind_not_zero(
    make_donor, coordinator, mailoutbox, bereaved
):
    donor = make_donor(Stage.APPROVED, first_name="D'Asia", bereaved=bereaved)
    mailoutbox.clear()
    t.donor_finish(donor=donor, by=coordinator)
    [message] = mailoutbox
    subject, text, html = _parts(message)
    assert "Thank you" in subject
    assert "0 mL" not in text and "0 mL" not in html and "In all you gave" not in text
    assert "for all you did" in text if bereaved else "for every step you took" in text
    assert ("Forever Butterflies" in text) is bereaved


def _template_names():
    """Each email: `<name>.txt` and `<name>.html`, a subject, maybe a bereaved pair. Read from the folder."""
    names = set()
    for path in EMAIL_DIR.glob("*.txt"):
        stem = path.stem
        if stem.endswith("_subject"):
            continue
        names.add(stem.removesuffix("_bereaved"))
    return sorted(names)


def _context(name, *, depot, check):
    """Everything any email template is given, with the tricky name wherever a person types one."""
    donor = t.donor_create_inquiry(
        first_name=name, last_name="O'Brien & Søn", email="d@example.org", contact_consent=True
    )
    return {
        "donor": donor,
        "url": "https://bank.example/donate/s/abc:def/",
        "status_url": "https://bank.example/donate/s/abc:def/",
        "expires_at": timezone.now() + datetime.timedelta(days=30),
        "total_ml": 12345,
        "valid_until": timezone.localdate(),
        "depot": depot,
        "check": check,
        "limit": Decimal("-20"),
        "by_name": name,
        "today": timezone.localdate(),
        **dict.fromkeys(
            ["needing_action", "overdue", "ready_for_signoff", "releases_outstanding", "deferrals_ending"], 3
        ),
        "donor_reminders": 2,
    }


def test_the_folder_holds_the_emails_we_know(tricky_bank):
    """A new email template gets checked by the test below as soon as it is added."""
    assert "approved" in _template_names() and "thank_you" in _template_names()
    assert len(_template_names()) >= 11


@pytest.mark.parametrize("bereaved", [False, True], ids=["not-bereaved", "bereaved"])
@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("template", _template_names())
def test_every_email_template_keeps_text_as_typed_and_escapes_html(template, name, bereaved, tricky_bank):
    depot = Depot.objects.create(name=name, city="Duluth", region="MN")
    check = FreezerCheck(depot=depot, temperature_c=Decimal("-12.5"), notes=name)
    check.checked_at = timezone.now()
    context = _context(name, depot=depot, check=check)
    subject, text, html = notify.render_email(template, context, bereaved=bereaved)
    source = "".join(p.read_text() for p in EMAIL_DIR.glob(f"{template}*.txt"))
    for escaped in ESCAPES:
        assert escaped not in text and escaped not in subject, (template, escaped, text)
    assert "<b>" not in html.replace("<body>", "")
    said = [
        value
        for key, value in (("donor.first_name", name), ("by_name", name), ("bank.NAME", tricky_bank))
        if key in source
    ]
    for value in said:
        assert value in text, (template, value)
        assert escape(value) in html, (template, value)
    assert subject and text.strip() and html.strip()
