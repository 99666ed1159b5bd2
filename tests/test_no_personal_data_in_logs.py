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
from donors.forms import started_token
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


# --- Private links in logs: the records our handlers and gunicorn actually write ------------------------


@pytest.fixture
def written(capsys):
    """What the configured log handlers write (and Python's last-resort stderr output), as text."""
    import io

    buffer = io.StringIO()
    handlers = {h for h in logging.root.handlers if type(h) is logging.StreamHandler}
    for logger in logging.root.manager.loggerDict.values():
        handlers.update(h for h in getattr(logger, "handlers", []) if type(h) is logging.StreamHandler)
    previous = {h: h.setStream(buffer) for h in handlers}
    yield lambda: buffer.getvalue() + capsys.readouterr().err
    for handler, stream in previous.items():
        handler.setStream(stream)


@pytest.fixture
def live_link(coordinator):
    donor = t.donor_create_inquiry(first_name=FIRST, email=EMAIL, contact_consent=True)
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    path = urlsplit(t.questionnaire_send(donor=donor, by=coordinator)).path
    return path, path.strip("/").split("/")[-1]


def test_a_csrf_failure_on_a_questionnaire_post_logs_no_token(written, live_link):
    from django.test import Client

    path, token = live_link
    response = Client(enforce_csrf_checks=True).post(f"{path}section/1/", {"action": "continue"})

    assert response.status_code == 403
    text = written()
    assert "Forbidden (CSRF" in text and "/donate/q/[private-link]/section/1/" in text
    assert token not in text and token.split(":")[0] not in text


def test_a_server_error_on_a_private_link_logs_no_token(written, live_link, monkeypatch):
    from django.test import Client

    from donors import views as public

    path, token = live_link

    def broken(token, **kwargs):
        raise RuntimeError(f"could not read {token}")

    monkeypatch.setattr(public, "link_resolve", broken)
    response = Client(raise_request_exception=False).get(path)

    assert response.status_code == 500
    text = written()
    assert "Internal Server Error: /donate/q/[private-link]/" in text
    assert "RuntimeError: could not read [private-link]" in text  # the traceback is kept, hidden too
    assert token not in text and token.split(":")[0] not in text


def test_gunicorns_access_log_hides_private_links(capsys):
    import datetime as dt
    import runpy
    from types import SimpleNamespace

    from django.conf import settings
    from django.utils.module_loading import import_string
    from gunicorn.config import Config

    conf = runpy.run_path(str(settings.BASE_DIR / "milkbank" / "gunicorn.conf.py"))
    cfg = Config()
    cfg.set("accesslog", conf["accesslog"])
    cfg.set("access_log_format", conf["access_log_format"])
    logger = import_string(conf["logger_class"])(cfg)
    secret = "Zq" * 22 + ":" + "sIg" * 15
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": f"/donate/q/{secret}/section/2/?from=/donate/s/{secret}/",
        "PATH_INFO": f"/donate/q/{secret}/section/2/",
        "QUERY_STRING": f"from=/donate/s/{secret}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://bank.example.org/donate/q/{secret.replace(':', '%3A')}/",
        "REMOTE_ADDR": "10.0.0.2",
    }
    response = SimpleNamespace(status="302 Found", sent=0, headers=[])

    logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(milliseconds=12))

    line = capsys.readouterr().out
    assert '"POST /donate/q/[private-link]/section/2/" 302' in line  # no query string at all
    assert "Zq" * 22 not in line and "sIg" not in line
