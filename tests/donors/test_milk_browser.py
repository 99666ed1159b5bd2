"""In the browser: a volunteer logs milk, is refused, checks the freezer and ships; a coordinator receives."""

import re

import pytest
from playwright.sync_api import expect

from donors.models import DropOff, FreezerCheck, Shipment
from tests.conftest import admin_login
from tests.donors.milk_fixtures import *  # noqa: F403
from tests.donors.milk_fixtures import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fill_milk(page, *, number, expressed_from, containers="3"):
    page.get_by_label("Donor number").fill(number)
    page.get_by_label("Containers").fill(containers)
    page.get_by_label("Earliest expression date").fill(expressed_from.isoformat())
    page.get_by_label("Latest expression date").fill(days_ago(1).isoformat())
    page.get_by_label("The donor says they have had no new illness").check()


def test_a_volunteer_logs_milk_checks_the_freezer_and_ships_and_a_coordinator_receives(
    page, axe, volunteer_at_a, coordinator, depot_a, approved_donor, unapproved_donor, settings
):
    admin_login(page, "val")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name="Log a drop-off").first.click()

    # Find the donor by name: only number, name, approved and bloodwork show.
    page.get_by_label("Find a donor by number or name").fill("Lovelace")
    page.get_by_role("button", name="Find donor").click()
    card = page.locator(".milk-donor-card")
    expect(card).to_contain_text("Approved")
    expect(card).to_contain_text("Yes")
    page.get_by_role("link", name=f"Log milk from {approved_donor.number_label}").click()
    expect(page.get_by_label("Donor number")).to_have_value(approved_donor.number_label)
    axe(page)

    # One form; ounces become millilitres as they are typed.
    _fill_milk(page, number=approved_donor.number_label, expressed_from=days_ago(20))
    page.get_by_label("Volume in US fluid ounces").fill("10")
    expect(page.get_by_label("Volume (mL)")).to_have_value("296")
    page.get_by_role("button", name="Save drop-off").click()
    expect(page.get_by_text(re.compile(r"Saved drop-off #\d+: 296 mL"))).to_be_visible()
    assert DropOff.objects.get().volume_ml == 296

    # Refused: a donor not approved today, then milk past the age limit.
    _fill_milk(page, number=unapproved_donor.number_label, expressed_from=days_ago(20))
    page.get_by_label("Volume (mL)").fill("200")
    page.get_by_role("button", name="Save drop-off").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_text("is not approved to give milk for babies today").first).to_be_visible()

    limit = settings.MILKBANK["MILK_AGE_LIMIT_DAYS"]
    _fill_milk(page, number=approved_donor.number_label, expressed_from=days_ago(limit + 5))
    page.get_by_label("Volume (mL)").fill("200")
    page.get_by_role("button", name="Save drop-off").click()
    expect(page.get_by_text(f"more than {limit} days old").first).to_be_visible()
    assert DropOff.objects.count() == 1

    # The freezer check.
    page.get_by_role("link", name="Freezer check").click()
    page.get_by_label("Depot").select_option(str(depot_a.pk))
    page.get_by_label("Freezer temperature (°C)").fill("-23.5")
    page.get_by_role("button", name="Save reading").click()
    expect(page.get_by_text("Saved: -23.5 °C at Northside Clinic.")).to_be_visible()
    expect(page.get_by_text("Every freezer has been checked today")).to_be_visible()
    assert FreezerCheck.objects.get().temperature_c == -23.5

    # Ship what is waiting.
    page.get_by_role("link", name="Ship to the bank").click()
    page.get_by_label("Carrier").fill("Volunteer driver")
    page.get_by_role("button", name="Send shipment").click()
    expect(page.get_by_text(re.compile(r"Shipment #\d+ is on its way with 1 drop-off"))).to_be_visible()

    # A coordinator receives it at the bank.
    page.context.clear_cookies()
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.get_by_role("link", name=re.compile("Depot work")).click()
    page.get_by_role("link", name=re.compile("Receive")).click()
    page.get_by_label("Frozen solid").check()
    page.get_by_role("button", name="Record arrival").click()
    expect(page.get_by_text(re.compile(r"received \(frozen solid\) after"))).to_be_visible()
    shipment = Shipment.objects.get()
    assert shipment.received_by == coordinator and shipment.condition == "frozen_solid"
    assert DropOff.objects.get().status == DropOff.Status.RECEIVED


def test_the_public_depot_directory_works_and_filters_without_javascript(
    browser, live_server, depot_a, depot_b
):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/donate/depots/")
    expect(page.get_by_role("heading", name="Minnesota")).to_be_visible()
    expect(page.get_by_role("heading", name="Wisconsin")).to_be_visible()
    assert "12 Elm Street" not in page.content(), "street addresses are for approved donors only"
    page.get_by_label("State or province").select_option("Wisconsin")
    page.get_by_role("button", name="Show depots").click()
    expect(page.get_by_text("Lakeside Hospital")).to_be_visible()
    expect(page.get_by_text("Northside Clinic")).to_have_count(0)
    context.close()
