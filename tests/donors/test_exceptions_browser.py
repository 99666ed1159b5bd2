"""Issue 12 in a real browser, clicked as a coordinator does: an unclear result repeated to a clear one (with
its requisition and the lab's report), a donor without email given her link to text, a phone screen that
declines in one step, a task marked done and an edit saved on the same page, and a deferral the daily job
ends. Donor pages are opened at phone width."""

import datetime
import re

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from donors import transitions as t
from donors.models import BloodTest, Donor
from tests.conftest import admin_login
from tests.donors.conftest import NEGATIVE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Stage = Donor.Stage
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_donor(page, donor):
    page.goto(f"/admin/donors/donor/{donor.pk}/change/")


def submit(page, label):
    page.locator(f'input[type="submit"][value="{label}"]').click()


@pytest.fixture
def private_dir(settings, tmp_path):
    settings.MILKBANK_PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.MILKBANK_PRIVATE_FILES_DIR


def test_an_unclear_result_is_repeated_printed_reported_and_cleared(
    page, make_donor, coordinator, private_dir, axe
):
    donor = make_donor(Stage.BLOODWORK_ORDERED, first_name="Lena", date_of_birth=datetime.date(1990, 5, 17))
    for release in donor.releases.all():
        t.release_update(release=release, by=coordinator, status="received")
    t.bloodwork_record_results(
        bloodwork=donor.bloodwork_set.get(),
        by=coordinator,
        drawn_on=timezone.localdate() - datetime.timedelta(days=1),
        results={**NEGATIVE, "hcv": BloodTest.Result.INDETERMINATE},
    )
    admin_login(page, "casey")
    open_donor(page, donor)
    expect(page.get_by_text("Order a repeat of the bloodwork result that was not clear")).to_be_visible()
    expect(page.get_by_role("link", name="Record bloodwork results")).to_have_count(0)
    page.get_by_role("link", name="Order a repeat test").click()
    axe(page)
    page.get_by_label("Repeat the unclear test only (Hepatitis C)").check()
    submit(page, "Order a repeat test")
    expect(page.get_by_text("Repeat ordered. Print its requisition")).to_be_visible()

    page.get_by_role("link", name="Print requisition").first.click()
    expect(page.locator(".donor-identifier")).to_have_text(f"S{donor.pk:06d} (in screening)")
    expect(page.get_by_text("1990-05-17")).to_be_visible()
    expect(page.get_by_text(re.compile(r"repeat of R\d{6} \(an unclear result\)"))).to_be_visible()
    expect(page.locator("ul.tests li")).to_have_count(1)
    axe(page)
    page.go_back()

    page.get_by_role("link", name="Attach the lab's report").first.click()
    axe(page)
    page.get_by_label("The lab's report").set_input_files(
        {"name": "report.pdf", "mimeType": "application/pdf", "buffer": b"<html>not a report</html>"}
    )
    submit(page, "Attach the lab's report")
    expect(page.get_by_text("This file is not a PDF, PNG or JPEG.")).to_be_visible()
    page.get_by_label("The lab's report").set_input_files(
        {"name": "Lena HCV.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    submit(page, "Attach the lab's report")
    expect(page.get_by_text("Lab report attached.")).to_be_visible()
    report_link = page.get_by_role("link", name=re.compile(r"Lab report \(PDF\)"))
    expect(report_link).to_be_visible()
    opened = page.request.get(report_link.get_attribute("href"))
    assert opened.status == 200 and opened.body() == PDF

    page.get_by_role("link", name="Record bloodwork results").click()
    axe(page)
    expect(page.locator("fieldset.radio-group")).to_have_count(1)
    page.get_by_label("Draw date").fill(timezone.localdate().isoformat())
    page.locator("fieldset.radio-group", has_text="Hepatitis C").get_by_label("Negative").check()
    submit(page, "Record bloodwork results")
    expect(
        page.get_by_text("Results recorded: all negative. Every step is done: ready for sign-off.")
    ).to_be_visible()
    # The next step opens by itself: sign-off, with what is being signed.
    expect(page.get_by_role("heading", name="What you are signing off")).to_be_visible()
    expect(page.get_by_text("Lena Example: Ready for sign-off")).to_be_visible()


def test_a_donor_without_email_gets_her_link_by_text_and_opens_it_on_her_phone(
    page, phone_page, make_donor, coordinator, mailoutbox, axe
):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, first_name="Aroha", email="", preferred_contact="text")
    admin_login(page, "casey")
    open_donor(page, donor)
    axe(page)
    page.get_by_role("link", name="Send the questionnaire link").click()
    expect(page.get_by_text("This donor gave no email address.")).to_be_visible()
    page.get_by_label("I will text it from the bank's phone").check()
    submit(page, "Send the questionnaire link")
    expect(page.get_by_text("Nothing was emailed: this donor has no email address.")).to_be_visible()
    message = page.get_by_label("Message to send")
    expect(message).to_have_value(re.compile(r"/donate/q/\S+/ .*/donate/s/\S+/"))
    axe(page)
    text = message.input_value()
    assert mailoutbox == []
    page.get_by_role("link", name="Done: back to Aroha Example").click()
    expect(page.get_by_role("cell", name="Questionnaire link texted from the bank's phone")).to_be_visible()
    expect(page.get_by_text(text)).to_have_count(0)  # shown once only

    questionnaire, status = re.findall(r"https?://\S+?(/donate/[qs]/\S+/)", text)
    phone_page.goto(questionnaire)
    expect(phone_page.get_by_role("link", name="Start the questionnaire")).to_be_visible()
    axe(phone_page)
    phone_page.goto(status)
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    axe(phone_page)


def test_a_phone_screen_that_finds_the_donor_not_able_to_donate_declines_in_one_step(
    page, make_donor, coordinator, axe
):
    donor = make_donor(first_name="Mirela")
    admin_login(page, "casey")
    open_donor(page, donor)
    page.get_by_role("link", name="Record the phone screen").click()
    expect(page.get_by_label("Outcome")).to_have_value("")
    axe(page)
    for group in page.locator("fieldset.radio-group").all():
        group.get_by_label("No", exact=True).check()
    page.get_by_label("Length of the call (minutes)").fill("12")
    page.get_by_label("Outcome").select_option("not_eligible")
    submit(page, "Record the phone screen")
    expect(page.get_by_text("Please give the reason.")).to_be_visible()
    expect(page.get_by_text("Choose why the donor cannot give milk.")).to_be_visible()
    page.get_by_label("Reason:", exact=True).fill("Ongoing cancer treatment")
    page.get_by_label("Why they cannot give milk").select_option("health")
    submit(page, "Record the phone screen")
    expect(page.get_by_text("Phone screen recorded: the donor is declined")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Mirela Example: Declined"))).to_be_visible()
    expect(page.get_by_role("cell", name="Ongoing cancer treatment").first).to_be_visible()


def test_a_task_is_marked_done_and_the_edit_form_saves_on_the_same_page(page, make_donor, coordinator, axe):
    donor = make_donor(first_name="Talia")
    admin_login(page, "casey")
    open_donor(page, donor)
    axe(page)
    expect(page.get_by_text("Call back a new inquiry")).to_be_visible()
    page.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Task marked done.")).to_be_visible()
    expect(page.get_by_role("button", name="Mark done")).to_have_count(0)
    page.get_by_label("Preferred name").fill("Tali")
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.get_by_text(re.compile("was changed successfully"))).to_be_visible()
    expect(page.get_by_label("Preferred name")).to_have_value("Tali")


def test_the_daily_job_ends_a_deferral_and_the_donor_is_back_at_her_step(
    page, make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, first_name="Noor", bereaved=True)
    admin_login(page, "casey")
    open_donor(page, donor)
    page.get_by_role("link", name="Defer for a while").click()
    page.get_by_label("Deferred until").fill((timezone.localdate() + datetime.timedelta(days=3)).isoformat())
    page.get_by_label("Reason").fill("Taking some time")
    submit(page, "Defer for a while")
    expect(page.get_by_text("Donor deferred. The daily job brings them back")).to_be_visible()

    with time_machine.travel(timezone.now() + datetime.timedelta(days=4), tick=True):
        call_command("send_reminders")
        admin_login(page, "casey")
        page.goto("/admin/donors/donor/")
        page.get_by_role("link", name=re.compile("Noor Example")).click()
        expect(
            page.get_by_role("heading", name=re.compile("Noor Example: Questionnaire accepted"))
        ).to_be_visible()
        expect(
            page.get_by_role("cell", name="Deferral ended: back to “Questionnaire accepted”")
        ).to_be_visible()
    (mail,) = [m for m in mailoutbox if m.to == [donor.email] and "pause" in m.subject.lower()]
    assert "time you needed" in mail.body


def test_a_link_given_to_the_wrong_person_is_stopped_and_no_longer_opens(
    page, phone_page, make_donor, coordinator, axe
):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, first_name="Aroha", email="", preferred_contact="text")
    given = t.questionnaire_send(donor=donor, by=coordinator, given_by=t.GivenBy.TEXT)
    questionnaire = re.search(r"/donate/q/\S+/", given.url).group(0)
    admin_login(page, "casey")
    open_donor(page, donor)
    page.get_by_role("link", name="Stop the donor's private links").click()
    axe(page)
    submit(page, "Stop the donor's private links")
    expect(page.get_by_text("The donor's private links no longer open.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Private links stopped"))).to_be_visible()
    phone_page.goto(questionnaire)
    expect(phone_page.get_by_role("heading", name="This link no longer works")).to_be_visible()
    axe(phone_page)


def test_a_coordinator_declines_a_donor_with_a_group_of_reasons_by_clicking(
    page, make_donor, coordinator, axe
):
    """The decline button asks for the words and for the group the funnel report counts."""
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, first_name="Noor")
    admin_login(page, "casey")
    open_donor(page, donor)
    page.get_by_role("link", name="Decline permanently").click()
    axe(page)
    submit(page, "Decline permanently")
    expect(page.get_by_text("This field is required.")).to_be_visible()
    expect(page.get_by_text("Choose why the donor cannot give milk.")).to_be_visible()
    page.get_by_label("Reason:", exact=True).fill("Lived in the UK for over three months in the 1980s")
    page.get_by_label("Why they cannot give milk").select_option("travel")
    submit(page, "Decline permanently")
    expect(page.get_by_text("Donor declined.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Noor Example: Declined"))).to_be_visible()
    donor.refresh_from_db()
    assert donor.decline_reason == Donor.DeclineReason.TRAVEL


def test_answers_found_not_acceptable_are_declined_with_a_group_of_reasons_by_clicking(
    page, make_donor, coordinator, axe
):
    donor = make_donor(Stage.QUESTIONNAIRE_SUBMITTED, first_name="Ines")
    admin_login(page, "casey")
    open_donor(page, donor)
    page.get_by_role("link", name="Review the questionnaire").click()
    page.get_by_label("Not acceptable (declines the donor)").check()
    page.get_by_label("Reason or note").fill("A transfusion two months ago")
    submit(page, "Review the questionnaire")
    expect(page.get_by_text("Choose why the donor cannot give milk.")).to_be_visible()
    axe(page)
    page.get_by_label("Why they cannot give milk").select_option("health")
    submit(page, "Review the questionnaire")
    expect(page.get_by_role("heading", name=re.compile("Ines Example: Declined"))).to_be_visible()
    donor.refresh_from_db()
    assert donor.decline_reason == Donor.DeclineReason.HEALTH
