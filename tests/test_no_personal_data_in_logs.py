"""No personal data in application logs: names, contact details and health answers never reach a log record.

The walk goes through the real pages a donor and staff use: the inquiry, the questionnaire (autosave, a
section, submit), the two sign-offs and a drop-off, plus the paths where mail fails and a warning is logged.
"""

import datetime
import logging
import time
from smtplib import SMTPException
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from donors import transitions as t
from donors.forms_public import started_token
from donors.models import Donor, DropOff, Questionnaire
from tests.donors.conftest import walk
from tests.donors.intake_fixtures import GOOD_ANSWERS

pytestmark = pytest.mark.django_db

FIRST, LAST = "Zephyrine", "Quarmby"
EMAIL = "zephyrine.q@example.org"
PHONE = "555-010-0177"
ANSWERS = ["Dr. Xanthippe Moorcroft", "marigold-secret-answer"]
SECRETS = [FIRST, LAST, EMAIL, PHONE, *ANSWERS, "zephyrine", "quarmby"]


class FailingEmailBackend(BaseEmailBackend):
    """A mail server that is down: the paths that log a warning instead of losing the donor's work."""

    def send_messages(self, email_messages):
        raise SMTPException("mail server down")


@pytest.fixture
def every_log(caplog):
    """Catch every record at every level, including loggers that do not propagate to the root."""
    caplog.set_level(logging.DEBUG)
    quiet = [
        logging.getLogger(name)
        for name, logger in logging.root.manager.loggerDict.items()
        if isinstance(logger, logging.Logger) and not logger.propagate
    ]
    for logger in quiet:
        logger.addHandler(caplog.handler)
    cache.clear()  # flood-limit counters
    yield caplog
    for logger in quiet:
        logger.removeHandler(caplog.handler)
    cache.clear()


def _all_text(records) -> str:
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    parts = []
    for record in records:
        parts.append(formatter.format(record))
        parts.append(repr(record.args))
        parts.append(repr({k: v for k, v in vars(record).items() if k not in ("msg", "args")}))
    return "\n".join(parts).lower()


def _assert_clean(records):
    text = _all_text(records)
    for secret in SECRETS:
        assert secret.lower() not in text, f"{secret!r} appeared in a log record"


def _inquiry(client):
    return client.post(
        reverse("donors:inquiry"),
        {
            "send": "1",
            "first_name": FIRST,
            "last_name": LAST,
            "phone": PHONE,
            "email": EMAIL,
            "best_time_to_call": "Mornings",
            "preferred_contact": "phone",
            "contact_consent": "on",
            "website": "",
            "started": started_token(time.time() - 10),
        },
    )


def test_it_logs_no_personal_data_across_a_donors_whole_path(client, every_log, coordinator, coordinator2):
    # The inquiry.
    assert _inquiry(client).status_code == 302
    donor = Donor.objects.get(email=EMAIL)
    # A coordinator's phone screen and the questionnaire link (services; the pages are tested elsewhere).
    t.phone_screen_record(
        donor=donor, by=coordinator, minutes=20, answers={"notes": ANSWERS[1]}, outcome="passed"
    )
    path = urlsplit(t.questionnaire_send(donor=donor, by=coordinator)).path
    # The questionnaire: an autosave, every section, then submit.
    response = client.post(f"{path}save/", {"section": "1", "provider_name": ANSWERS[0]})
    assert response.status_code == 200 and response.json()["saved"] is True
    for number, slug in enumerate(GOOD_ANSWERS, start=1):
        answers = dict(GOOD_ANSWERS[slug])
        if slug == "health":
            answers["provider_name"] = ANSWERS[0]
        if slug == "anything_else":
            answers["anything_else"] = ANSWERS[1]
        response = client.post(f"{path}section/{number}/", {"action": "continue", **answers})
        assert response.status_code == 302, slug
    assert client.post(f"{path}review/", {"confirm": "on"}).status_code == 302
    questionnaire = Questionnaire.objects.get(donor=donor)
    assert questionnaire.status == Questionnaire.Status.SUBMITTED
    assert questionnaire.answers["anything_else"] == ANSWERS[1]
    # Staff: review, bloodwork, releases, then the two sign-offs through the admin.
    donor.refresh_from_db()
    walk(donor, Donor.Stage.READY_FOR_SIGNOFF, by=coordinator, by2=coordinator2)
    for who in (coordinator, coordinator2):
        client.force_login(who)
        url = reverse("admin:donors_donor_action", args=[donor.pk, "sign-off"])
        assert client.post(url, {"note": f"Spoke with {FIRST}"}).status_code == 302
    donor.refresh_from_db()
    assert donor.stage == Donor.Stage.APPROVED
    # A drop-off brought to the bank.
    today = timezone.localdate()
    response = client.post(
        reverse("donors:dropoff_new"),
        {
            "donor": donor.number_label,
            "channel": "brought",
            "depot": "",
            "containers": "2",
            "volume_ml": "300",
            "volume_oz": "",
            "expressed_from": (today - datetime.timedelta(days=5)).isoformat(),
            "expressed_to": (today - datetime.timedelta(days=1)).isoformat(),
            "health_declaration": "on",
            "use": "clinical",
        },
    )
    assert response.status_code == 302
    assert DropOff.objects.filter(donor=donor).count() == 1
    # The donor's status page and its resend form.
    client.logout()
    assert client.post(reverse("donors:status_resend"), {"email": EMAIL}).status_code == 200

    records = every_log.records
    assert any(r.name == "donors.notify" for r in records), "the capture works: mail sends are logged"
    _assert_clean(records)


def test_it_logs_no_personal_data_when_mail_fails(client, every_log, settings, coordinator):
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"

    assert _inquiry(client).status_code == 302  # the inquiry is kept; the coordinators' mail failed
    donor = Donor.objects.get(email=EMAIL)
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    path = urlsplit(t.questionnaire_send(donor=donor, by=coordinator)).path
    for number, slug in enumerate(GOOD_ANSWERS, start=1):
        answers = {**GOOD_ANSWERS[slug], **({"anything_else": ANSWERS[1]} if slug == "anything_else" else {})}
        client.post(f"{path}section/{number}/", {"action": "continue", **answers})
    settings.EMAIL_BACKEND = f"{__name__}.FailingEmailBackend"
    response = client.post(f"{path}review/", {"confirm": "on"})
    assert response.status_code == 302  # the answers are sent; only the coordinators' notice failed

    warnings = [r for r in every_log.records if r.levelno >= logging.WARNING]
    assert len(warnings) >= 2, "both mail failures were logged"
    _assert_clean(every_log.records)
