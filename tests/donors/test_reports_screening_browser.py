"""In the browser: a coordinator opens each screening report from the staff home, changes a filter by
clicking, meets a bad date range, and prints; axe finds nothing serious."""

import re

import pytest
from playwright.sync_api import expect

from donors.models import Donor
from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _print_view(page, table_name):
    """The print stylesheet: no navigation, filters or download links; the charts and tables stay."""
    page.emulate_media(media="print")
    expect(page.locator(".main-nav")).to_be_hidden()
    expect(page.locator(".report-filters")).to_be_hidden()
    expect(page.get_by_role("link", name="Download these numbers (CSV)").first).to_be_hidden()
    expect(page.get_by_role("table", name=table_name)).to_be_visible()
    expect(page.locator("figure svg[role=img]").first).to_be_visible()
    page.emulate_media(media="screen")


def test_a_coordinator_reads_both_reports_changes_filters_and_prints(page, axe, coordinator, make_donor):
    make_donor(Donor.Stage.APPROVED, bereaved=True)
    make_donor(Donor.Stage.QUESTIONNAIRE_SENT)
    make_donor()
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/$"))

    page.get_by_role("link", name="Screening turnaround report").click()
    expect(page.get_by_role("heading", name="Screening turnaround", level=1)).to_be_visible()
    expect(page.get_by_role("link", name="Last 90 days")).to_have_attribute("aria-current", "true")
    expect(page.locator("figure svg[role=img]").first).to_be_visible()
    from_inquiry = page.get_by_role("table", name="Days from inquiry to each step")
    expect(from_inquiry.get_by_role("row", name=re.compile(r"^Phone screen"))).to_contain_text("2")
    axe(page)

    # One click for another period; then the form for bereaved donors only.
    page.get_by_role("link", name="Last 30 days").click()
    expect(page.get_by_role("link", name="Last 30 days")).to_have_attribute("aria-current", "true")
    page.get_by_label("Donors", exact=True).select_option("yes")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#report-scope")).to_contain_text("bereaved donors only")
    expect(from_inquiry.get_by_role("row", name=re.compile(r"^Approved"))).to_contain_text("1")
    _print_view(page, "Days from inquiry to each step")

    # Dates the wrong way round: a message, no numbers.
    page.get_by_label("Or from").fill("2026-05-01")
    page.get_by_label("to", exact=True).fill("2026-04-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text("The first date is after the second.")
    expect(page.locator("#no-report")).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Screening funnel").click()
    expect(page.get_by_role("heading", name="Screening funnel", level=1)).to_be_visible()
    reached = page.get_by_role("table", name="How far the inquiries got")
    expect(reached.get_by_role("row", name=re.compile(r"^Inquiry"))).to_contain_text("3")
    axe(page)
    page.get_by_label("“No answer” after").fill("1")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name="Where the others are now")).to_contain_text(
        "No answer for 1 day or more"
    )
    page.get_by_role("link", name="Last 365 days").click()
    expect(page.get_by_role("link", name="Last 365 days")).to_have_attribute("aria-current", "true")
    expect(page.get_by_label("“No answer” after")).to_have_value("1")
    _print_view(page, "How far the inquiries got")
    axe(page)


def test_a_volunteer_is_refused(page, volunteer):
    admin_login(page, "val")
    page.wait_for_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("link", name="Screening turnaround report")).to_have_count(0)
    response = page.goto("/donate/staff/reports/turnaround/")
    assert response.status == 403
