"""Fixtures for the donor intake tests (inquiry and questionnaire). Import them into a test module."""

import time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from donors import transitions as t
from donors.forms import started_token
from donors.models import Donor

# Names in several scripts, to be stored and shown exactly as typed.
NAMES = ["Zoë", "李明", "Ngọc", "عائشة"]


@pytest.fixture(autouse=True)
def fresh_cache():
    """Flood-limit counters live in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def inquiry_data(**overrides):
    """A valid inquiry post, as if the page was opened ten seconds ago."""
    data = {
        "send": "1",
        "first_name": "Maya",
        "last_name": "Lindqvist",
        "phone": "555-010-0199",
        "email": "maya@example.org",
        "best_time_to_call": "Weekday mornings",
        "preferred_contact": "phone",
        "contact_consent": "on",
        "website": "",
        "started": started_token(time.time() - 10),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def sent_questionnaire(coordinator, mailoutbox):
    """Make a donor at "questionnaire sent" with the real transitions; returns (donor, path of the link)."""

    def make(*, bereaved=False, first_name="Maya", email="maya@example.org", phone="555-010-0199"):
        donor = t.donor_create_inquiry(
            first_name=first_name,
            last_name="Lindqvist",
            email=email,
            phone=phone,
            bereaved=bereaved,
            contact_consent=True,
        )
        t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
        url = t.questionnaire_send(donor=donor, by=coordinator)
        donor.refresh_from_db()
        assert donor.stage == Donor.Stage.QUESTIONNAIRE_SENT
        return donor, urlsplit(url).path

    return make


# Complete, unflagged answers for each section of version 2026.1, keyed by section slug.
GOOD_ANSWERS = {
    "health": {
        "delivery_date": "2026-01-05",
        "good_health": "yes",
        "chronic_illness": "no",
        "provider_name": "Dr. Ortiz, Lakeside Clinic",
    },
    "medicines": {"medications": "no", "herbal": "no"},
    "habits": {"nicotine": "no", "alcohol_per_day": "0", "recreational_drugs": "no"},
    "blood": {"transfusion": "no", "transplant": "no", "needle_exposure": "no"},
    "travel": {"uk_1980_1996": "no", "europe_since_1980": "no", "abroad_12_months": "no"},
    "infections": {"partner_risk": "no", "hepatitis_hiv_htlv": "no", "cjd": "no"},
    "baby": {"infant_healthy": "yes", "infant_provider": "Dr. Ahmed, Northside Pediatrics"},
    "anything_else": {"anything_else": ""},
}
