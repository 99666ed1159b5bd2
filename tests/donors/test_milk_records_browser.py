"""In the browser: milk records stay true (issue 13). The admin refuses a status edit; a volunteer voids
a mistake and logs it again; a warm freezer holds milk until a coordinator decides; the depot page fits a
phone."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from donors.models import DropOff, Shipment
from tests.conftest import admin_login
from tests.donors.milk_fixtures import *  # noqa: F403
from tests.donors.milk_fixtures import days_ago

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_admin_shows_a_dropoffs_status_but_refuses_to_edit_it(
    page, axe, coordinator, depot_a, approved_donor, make_dropoff
):
    dropoff = make_dropoff(donor=approved_donor, depot=depot_a)
    shipment = Shipment.objects.create(depot=depot_a, shipped_by=coordinator, carrier="Courier")
    DropOff.objects.filter(pk=dropoff.pk).update(shipment=shipment, status=DropOff.Status.RECEIVED)
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(reverse("admin:donors_dropoff_change", args=[dropoff.pk]))
    status = page.locator(".field-status")
    expect(status).to_contain_text("Received at the bank")
    expect(status.locator("select")).to_have_count(0)
    expect(page.locator(".field-shipment select, .field-shipment input")).to_have_count(0)
    axe(page)
    dropoff.refresh_from_db()
    assert dropoff.status == DropOff.Status.RECEIVED and dropoff.shipment_id == shipment.pk


def test_the_depot_page_fits_a_390_px_phone_with_the_ship_button_on_screen(
    phone_page, axe, volunteer_at_a, depot_a, approved_donor, make_dropoff
):
    make_dropoff(donor=approved_donor, depot=depot_a, expressed_from=days_ago(170))
    admin_login(phone_page, "val")
    phone_page.wait_for_url(re.compile(r"/admin/$"))
    phone_page.goto(reverse("donors:depot_work"))
    ship = phone_page.get_by_role("link", name=re.compile("Ship to the bank")).first
    expect(ship).to_be_attached()
    width = phone_page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways: {width} px wide"
    # Scroll the page down only (never sideways, nor inside a scrolling box): the button is then on screen.
    phone_page.evaluate(
        "el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 200)",
        ship.element_handle(),
    )
    expect(ship).to_be_in_viewport(ratio=1)
    axe(phone_page)


def _fill_milk(page, *, volume="400", containers="2"):
    page.get_by_label("Containers").fill(containers)
    page.get_by_label("Volume (mL)").fill(volume)
    page.get_by_label("Earliest expression date").fill(days_ago(6).isoformat())
    page.get_by_label("Latest expression date").fill(days_ago(2).isoformat())
    page.get_by_label("The donor says they have had no new illness").check()


def test_a_volunteer_voids_a_mistake_and_logs_the_milk_again_with_a_new_label(
    phone_page, axe, volunteer_at_a, depot_a, approved_donor
):
    page = phone_page
    admin_login(page, "val")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"{reverse('donors:dropoff_new')}?donor={approved_donor.number_label}")
    _fill_milk(page, volume="40000")
    page.get_by_role("button", name="Save drop-off").click()
    expect(
        page.get_by_text("40,000 mL in 2 containers is more than 500 mL a container").first
    ).to_be_visible()
    page.get_by_label("Volume (mL)").fill("4000")
    page.get_by_label("Containers").fill("9")
    page.get_by_role("button", name="Save drop-off").click()
    expect(page.get_by_text(re.compile(r"Saved drop-off #\d+: 4,000 mL"))).to_be_visible()
    first = DropOff.objects.get()

    # 4,000 mL in 9 containers was a slip for 400 in 2: void it, with a reason.
    page.get_by_role("link", name="Logged by mistake? Void it").click()
    expect(page.get_by_role("heading", name=f"Void drop-off #{first.pk}")).to_be_visible()
    axe(page)
    page.get_by_role("button", name=f"Void drop-off #{first.pk}").click()
    expect(page.get_by_text("Say why, in a few words.").first).to_be_visible()
    page.get_by_label("Why void it?").fill("Typed the wrong amount")
    page.get_by_role("button", name=f"Void drop-off #{first.pk}").click()
    expect(page.get_by_text(f"Drop-off #{first.pk} is voided and left out of every total")).to_be_visible()

    # The form is ready again for the same donor; the new drop-off gets a new label.
    expect(page.get_by_label("Donor number")).to_have_value(approved_donor.number_label)
    _fill_milk(page)
    page.get_by_role("button", name="Save drop-off").click()
    expect(page.get_by_text(re.compile(r"Saved drop-off #\d+: 400 mL"))).to_be_visible()
    second = DropOff.objects.exclude(pk=first.pk).get()
    expect(page.get_by_role("link", name=f"Print the label for drop-off #{second.pk}")).to_be_visible()
    first.refresh_from_db()
    assert first.status == DropOff.Status.VOIDED and first.void_reason == "Typed the wrong amount"
    assert second.volume_ml == 400 and second.label_code != first.label_code


def test_a_warm_reading_holds_milk_and_a_coordinator_releases_it(
    page, axe, volunteer_at_a, coordinator, depot_a, approved_donor, make_dropoff
):
    waiting = make_dropoff(donor=approved_donor, depot=depot_a)
    admin_login(page, "val")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(reverse("donors:freezer_check_new"))
    expect(page.get_by_label("Depot")).to_have_value(str(depot_a.pk))  # their only depot, chosen already
    page.get_by_label("Freezer temperature (°C)").fill("-9")
    page.get_by_role("button", name="Save reading").click()
    expect(page.get_by_text("check it again within 60 minutes. 1 drop-off is held")).to_be_visible()
    expect(page.get_by_role("heading", name="Freezer too warm")).to_be_visible()
    expect(page.get_by_text("Every freezer has been checked today")).to_have_count(0)
    expect(page.get_by_text("1 drop-off held until a coordinator decides")).to_be_visible()

    page.context.clear_cookies()
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(reverse("admin:donors_donor_dashboard"))
    page.get_by_role("link", name=re.compile("drop-off held for a decision")).click()
    expect(page.get_by_role("heading", name="Milk held for a decision")).to_be_visible()
    axe(page)
    page.get_by_role("link", name=f"Decide on drop-off #{waiting.pk}").click()
    axe(page)
    page.get_by_role("button", name="Use the milk").click()
    expect(page.get_by_text(f"Drop-off #{waiting.pk} is released for use.")).to_be_visible()
    expect(page.get_by_text("No milk is held. Thank you.")).to_be_visible()
    waiting.refresh_from_db()
    assert waiting.hold == "" and waiting.status == DropOff.Status.AT_DEPOT


def test_a_coordinator_corrects_a_mistyped_volume_and_the_history_keeps_the_old_one(
    page, axe, coordinator, depot_a, approved_donor, make_dropoff
):
    from auditlog.models import LogEntry

    dropoff = make_dropoff(donor=approved_donor, depot=depot_a, volume_ml=4000, containers=2)
    admin_login(page, "casey")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(reverse("donors:dropoff_correct", args=[dropoff.pk]))
    axe(page)
    page.get_by_label("Volume (mL)").fill("400")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Say why, in a few words.").first).to_be_visible()
    page.get_by_label("Why the correction?").fill("A zero too many on the form")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text(f"Drop-off #{dropoff.pk} is corrected.")).to_be_visible()
    expect(page.get_by_label("Volume (mL)")).to_have_value("400")  # the page stays, with the new values
    dropoff.refresh_from_db()
    assert dropoff.volume_ml == 400
    entry = (
        LogEntry.objects.get_for_object(dropoff).filter(changes__icontains="volume_ml").latest("timestamp")
    )
    assert "4000" in str(entry.changes)
