"""Issue 4 in a real browser: from an accepted questionnaire to approval by two people, a reactive result,
and a deferral that ends (with the clock moved by time-machine)."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from donors.models import Donor
from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Stage = Donor.Stage


def open_donor(page, donor):
    page.goto(f"/admin/donors/donor/{donor.pk}/change/")


def do(page, label):
    page.get_by_role("link", name=label, exact=True).click()


def submit(page, label):
    page.locator(f'input[type="submit"][value="{label}"]').click()


def test_a_coordinator_takes_a_donor_to_approval_and_a_second_person_signs(
    page, make_donor, coordinator, coordinator2
):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, first_name="Maya")
    admin_login(page, "casey")
    open_donor(page, donor)
    do(page, "Order bloodwork")
    page.get_by_label("Lab:", exact=True).fill("Northside Lab")
    page.get_by_label("Donor's date of birth (the lab needs it)").fill("1991-03-14")
    submit(page, "Order bloodwork")
    expect(page.get_by_text("Bloodwork ordered. Print the requisition")).to_be_visible()

    do(page, "Record bloodwork results")
    page.get_by_label("Draw date").fill(timezone.localdate().isoformat())
    page.get_by_label("Every result is negative").check()  # one click for the five
    submit(page, "Record bloodwork results")
    expect(page.get_by_text("Results recorded: all negative.")).to_be_visible()

    # The donor's provider release through its form; the infant's with the one-click button.
    page.get_by_role("link", name="Update").first.click()
    page.get_by_label("Provider name").fill("Dr. Okafor")
    page.get_by_label("Status").select_option("received")
    page.get_by_label("Received on").fill(timezone.localdate().isoformat())
    submit(page, page.locator('input[type="submit"]').get_attribute("value"))
    expect(page.get_by_text("Release updated.")).to_be_visible()
    page.get_by_role("button", name="Received today (infant's provider)").click()
    expect(page.get_by_text("Infant's provider release received. Every step is done")).to_be_visible()

    # The last piece in: the sign-off form opens by itself.
    expect(page.get_by_text("No one has signed yet")).to_be_visible()
    submit(page, "Sign off")
    expect(
        page.get_by_text("Sign-off recorded. A second, different staff member must sign off.")
    ).to_be_visible()
    # Sign-off is not offered to the person who already signed; the address typed by hand says why.
    expect(page.locator(".lifecycle-actions").get_by_role("link", name="Sign off", exact=True)).to_have_count(
        0
    )
    expect(page.get_by_role("link", name="Defer for a while")).to_be_visible()
    page.goto(f"/admin/donors/donor/{donor.pk}/do/sign-off/")
    expect(page.get_by_text("You have already signed off this donor")).to_be_visible()
    donor.refresh_from_db()
    assert donor.stage == Stage.READY_FOR_SIGNOFF

    page.context.clear_cookies()
    admin_login(page, "robin")
    open_donor(page, donor)
    do(page, "Sign off")
    submit(page, "Sign off")
    expect(
        page.get_by_text(re.compile(r"Approved: donor number D\d{6}; the donor was emailed\."))
    ).to_be_visible()
    donor.refresh_from_db()
    assert donor.stage == Stage.APPROVED
    expect(page.get_by_text(re.compile(rf"Maya Example: Approved · {donor.number_label}"))).to_be_visible()


def test_a_confirmed_reactive_result_declines_the_donor(page, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    admin_login(page, "casey")
    open_donor(page, donor)
    do(page, "Record bloodwork results")
    page.get_by_label("Draw date").fill(timezone.localdate().isoformat())
    for group in page.locator("fieldset.radio-group").all():
        group.get_by_label("Negative").check()
    page.locator("fieldset.radio-group", has_text="Hepatitis C").get_by_label("Reactive").check()
    page.get_by_label("Hepatitis C: reactive result confirmed by a second test").check()
    submit(page, "Record bloodwork results")
    expect(page.get_by_text("Tell the provider the donor named")).to_be_visible()
    donor.refresh_from_db()
    assert donor.stage == Stage.DECLINED


def test_a_deferral_ends_and_the_donor_is_back_in_the_queue(page, make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, first_name="Ines")
    admin_login(page, "casey")
    open_donor(page, donor)
    do(page, "Defer for a while")
    until = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("Deferred until").fill(until.isoformat())
    page.get_by_label("Reason").fill("Recent travel")
    submit(page, "Defer for a while")
    page.goto("/admin/donors/donor/")
    expect(page.get_by_role("link", name="Ines Example")).to_have_count(0)  # deferred: nothing to do yet

    with time_machine.travel(timezone.now() + datetime.timedelta(days=8), tick=True):
        admin_login(page, "casey")  # a week later: the old session has long timed out
        page.goto("/admin/donors/donor/")
        page.get_by_role("link", name="Ines Example").click()
        do(page, "End the deferral")
        submit(page, "End the deferral")
        expect(page.get_by_text("Deferral ended; the donor is back at their step")).to_be_visible()
    donor.refresh_from_db()
    assert donor.stage == Stage.QUESTIONNAIRE_ACCEPTED
