"""The demo's past donors give the screening reports something real to show (issue 17, part 6)."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from donors.models import Donor, ScreeningStep
from tests.donors.screening_report_fixtures import page_tables

pytestmark = pytest.mark.django_db


def test_the_demo_spreads_screening_over_eighteen_months(settings, client, django_user_model):
    settings.DEBUG = True
    call_command("seed_demo", stdout=__import__("io").StringIO())
    steps = list(ScreeningStep.objects.values_list("step", "reached_at", "inquiry_at", "previous_at"))
    assert steps
    # Every step after its inquiry and after the step before; months over more than a year.
    assert all(reached >= inquiry for _, reached, inquiry, _ in steps)
    assert all(previous is None or reached >= previous for _, reached, _, previous in steps)
    months = {timezone.localtime(reached).strftime("%Y-%m") for _, reached, _, _ in steps}
    assert len(months) >= 12
    oldest = min(inquiry for _, _, inquiry, _ in steps)
    assert timezone.now() - oldest > datetime.timedelta(days=365)
    # Finished, withdrawn, declined and research-only past donors, none of them still approved.
    past = Donor.objects.filter(email__endswith="@past.example.org")
    assert set(past.values_list("stage", flat=True)) == {"inactive", "withdrawn", "declined", "research_only"}
    # The summary matches the timeline as it reads now: rebuilding it changes nothing.
    from donors.reports.models import rebuild_screening_steps
    from tests.donors.test_reports_screening import _rows

    before = _rows()
    ScreeningStep.objects.all().delete()
    rebuild_screening_steps()
    assert _rows() == before

    client.force_login(django_user_model.objects.get(username="coordinator"))
    response = client.get(reverse("donors:report_turnaround"), {"days": "365"})
    approved = page_tables(response.content.decode())["Days from inquiry to each step"]["Approved"]
    assert int(approved[0]) >= 10 and float(approved[1]) > 14
    response = client.get(reverse("donors:report_funnel"), {"days": "365"})
    stopped = page_tables(response.content.decode())["Where the others are now"]
    assert int(stopped["Withdrew"][0]) >= 1
