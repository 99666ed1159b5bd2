"""The reports in a browser (issue 17): each opens from the staff pages with its chart, table and CSV link,
axe clean; the period chooser is used by clicking and a bad month says so; the annual summary prints on one
page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from donors import donor_months, milk_months
from donors.models import DropOff
from donors.reports.milk import add_months
from tests.conftest import admin_login
from tests.donors.milk_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db(transaction=True)


def _at(month: datetime.date, day: int = 15) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(month.year, month.month, day, 12))


@pytest.fixture
def some_milk(depot_a, depot_b, approved_donor, research_donor, make_dropoff):
    # These tests run in transactions (a live server): the flush after the one before deleted its drop-offs
    # row by row after the month summary, and SQLite's delete trigger wrote them back as negative months.
    # Start from summaries true to the (no) drop-offs, as a rebuild makes them.
    milk_months.rebuild()
    donor_months.rebuild()
    this_month = timezone.localdate().replace(day=1)
    last_year = datetime.date(this_month.year - 1, 1, 1)
    for n in range(14):
        month = add_months(this_month, -n)
        make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=1000 + 10 * n, received_at=_at(month))
        make_dropoff(donor=approved_donor, depot=depot_b, volume_ml=500, received_at=_at(month, 10))
        make_dropoff(
            donor=approved_donor, depot=None, channel="shipped", volume_ml=700, received_at=_at(month, 5)
        )
    for n in range(12):
        month = add_months(last_year, n)
        make_dropoff(
            donor=research_donor,
            depot=None,
            channel="shipped",
            volume_ml=90,
            received_at=_at(month, 8),
            use="research",
        )
    make_dropoff(
        donor=approved_donor,
        depot=depot_a,
        volume_ml=300,
        received_at=_at(add_months(this_month, -2)),
        status=DropOff.Status.REJECTED,
        rejection_reason="Thawed",
    )


def test_a_coordinator_opens_each_report_from_the_staff_home(page, coordinator, some_milk, axe):
    admin_login(page, "casey")
    page.get_by_role("link", name=re.compile("^Reports")).click()
    expect(page.get_by_role("heading", name="Reports", level=1)).to_be_visible()
    axe(page)

    page.get_by_role("link", name="Milk received").click()
    expect(page.get_by_role("heading", name="Milk received", level=1)).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Milk received per month by route"))).to_be_visible()
    expect(page.get_by_role("link", name="Download these numbers (CSV)").first).to_be_visible()
    axe(page)

    # The period chooser, by clicking: 24 months, then a bad month, then a good range.
    page.get_by_label("Show the last").select_option("24")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name=re.compile("by route")).locator("tbody tr")).to_have_count(24)
    page.get_by_label("Or from month").fill("2025-01")
    page.get_by_label("To month").fill("2024-06")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("The last month must be on or after the first.")).to_be_visible()
    axe(page)
    page.get_by_label("To month").fill("2025-03")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("table", name=re.compile("by route")).locator("tbody tr")).to_have_count(3)

    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_role("link", name="Donors and butterflies").click()
    expect(page.get_by_role("heading", name="Donors and butterflies", level=1)).to_be_visible()
    expect(page.get_by_role("table", name="Donors and butterflies per month")).to_be_visible()
    axe(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download these numbers (CSV)").click()
    assert download.value.suggested_filename.startswith("donors-")


def test_the_annual_summary_prints_on_one_page(page, coordinator, some_milk, axe):
    admin_login(page, "casey")
    page.goto(reverse("donors:report_annual"))
    year = timezone.localdate().year - 1
    expect(page.get_by_role("heading", name=f"{year} in figures")).to_be_visible()
    axe(page)
    page.get_by_label("Year").select_option(str(year + 1))
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name=f"{year + 1} in figures")).to_be_visible()
    page.get_by_label("Year").select_option(str(year))
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(rf"\?year={year}$"))
    expect(page.get_by_role("heading", name=f"{year} in figures")).to_be_visible()
    expect(page.locator("#annual-research")).to_have_text("1,080 mL")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Staff")).to_be_hidden()
    expect(page.get_by_role("button", name="Show")).to_be_hidden()
    expect(page.get_by_role("heading", name=f"{year} in figures")).to_be_visible()
    expect(page.locator(".annual-chart svg")).to_be_visible()
    for size in ("A4", "Letter"):
        pdf = page.pdf(format=size, print_background=False)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        assert pages == 1, f"{size}: {pages} pages"


def test_a_volunteer_sees_their_depot_and_no_donor_figures(page, volunteer_at_a, some_milk, depot_b, axe):
    admin_login(page, "val")
    page.goto(reverse("donors:depot_work"))
    page.get_by_role("navigation", name="Staff").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("link", name="Donors and butterflies")).to_have_count(0)
    page.get_by_role("link", name="Milk received").click()
    expect(page.get_by_text("Your depots only.")).to_be_visible()
    expect(page.get_by_label("Depot").locator("option")).to_have_count(2)  # all mine, and the one
    axe(page)
    response = page.goto(reverse("donors:report_milk") + f"?depot={depot_b.pk}")
    assert response.status == 404
