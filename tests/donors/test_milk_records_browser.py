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
