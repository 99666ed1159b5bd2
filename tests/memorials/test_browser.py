"""Staff record a butterfly in the browser; the public wall shows it only with consent AND approval."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from memorials.models import Butterfly
from tests.conftest import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _wall_names(page):
    page.goto("/butterflies/")
    return page.locator("#wall .butterfly-name").all_inner_texts()


def _step(page, link_name):
    page.get_by_role("link", name=link_name).click()
    page.wait_for_url(re.compile(r"/admin/memorials/butterfly/\d+/\w+/$"))


def test_staff_record_place_and_mail_a_butterfly_and_the_wall_waits_for_both_yeses(
    page, memorial_staff, bereaved_donor, quilt, axe
):
    today = timezone.localdate().isoformat()
    admin_login(page, "mara")
    page.goto("/admin/memorials/butterfly/add/")
    # The donor box is a search: nothing is listed until staff type part of a name.
    page.locator(".field-donor .select2-selection").click()
    page.locator(".select2-search__field").fill("okaf")
    page.get_by_role("option", name="Maya Okafor").click()
    # static/memorials/donor-choice.js fills the name and date from the donor's record.
    expect(page.get_by_label("Baby's first name")).to_have_value("Ada")
    expect(page.get_by_label("Birth date")).to_have_value("2023-05-14")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(re.compile(r"/admin/memorials/butterfly/\d+/change/$"))
    butterfly = Butterfly.objects.get()
    assert butterfly.donor == bereaved_donor and butterfly.first_name == "Ada"

    _step(page, "Start sewing")
    page.get_by_role("button", name="Start sewing").click()
    expect(page.get_by_text("Sewing started.")).to_be_visible()

    _step(page, "Place on a quilt")
    page.get_by_label("Quilt:", exact=True).select_option(label="Quilt 1")
    page.get_by_label("Place on the quilt").fill("2")
    page.get_by_role("button", name="Save the place").click()
    expect(page.get_by_text("Placed on Quilt 1, place 2.")).to_be_visible()

    _step(page, "Keepsake")
    page.get_by_label("Keepsake made on").fill(today)
    page.get_by_label("Given or mailed on").fill(today)
    page.get_by_label("How the family received it").select_option(label="Mailed")
    page.get_by_role("button", name="Save the keepsake").click()
    expect(page.get_by_text(re.compile(r"Keepsake: Mailed"))).to_be_visible()

    butterfly.refresh_from_db()
    assert butterfly.status == Butterfly.Status.ON_QUILT and butterfly.position == 2
    assert butterfly.keepsake_method == "mailed"
    assert "Ada" not in _wall_names(page)

    # Staff approval alone: still not on the wall.
    page.goto(f"/admin/memorials/butterfly/{butterfly.pk}/change/")
    _step(page, "Approve for the wall")
    page.get_by_role("button", name="Approve for the wall").click()
    expect(page.get_by_text("stays off the wall until the family agrees")).to_be_visible()
    assert "Ada" not in _wall_names(page)

    # The family's consent as well: now it shows, first name and birth date only.
    page.goto(f"/admin/memorials/butterfly/{butterfly.pk}/change/")
    page.get_by_label("Family agrees to show the name online").check()
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_url(re.compile(r"/change/$"))
    assert _wall_names(page) == ["Ada"]
    wall = page.locator("#wall").inner_text()
    assert "May 14, 2023" in wall and "Okafor" not in wall
    axe(page)

    # The quilt page shows the place filled, and the keepsake is off the to-send list.
    page.goto(f"/butterflies/staff/quilts/{quilt.pk}/")
    expect(page.locator(".quilt-place.is-filled")).to_have_text(re.compile(r"^\s*Place 2"))
    page.goto("/butterflies/staff/keepsakes/")
    expect(page.get_by_text("Every keepsake has reached its family.")).to_be_visible()


def test_a_family_asks_for_a_butterfly_on_a_phone(phone_page, axe):
    phone_page.goto("/butterflies/")
    axe(phone_page)
    phone_page.get_by_label("Your baby's first name").fill("Ngọc")
    phone_page.get_by_label("Your baby's birth date").fill("2022-07-30")
    phone_page.get_by_label("Your name").fill("Lan Tran")
    phone_page.get_by_label("Email").fill("lan@example.org")
    # Mailing it is the first choice, so an empty address is asked for ...
    phone_page.get_by_role("button", name="Ask for a butterfly").click()
    expect(phone_page.get_by_text("or choose to collect it")).to_be_visible()
    assert not Butterfly.objects.exists()
    # ... and not needed once the family says they will collect it.
    phone_page.get_by_label("I will collect it from the milk bank").check()
    phone_page.get_by_role("button", name="Ask for a butterfly").click()
    phone_page.wait_for_url(re.compile(r"/butterflies/thank-you/"))
    expect(phone_page.get_by_role("heading", name="Thank you")).to_be_visible()
    axe(phone_page)
    butterfly = Butterfly.objects.get()
    assert butterfly.first_name == "Ngọc" and not butterfly.show_name_consent
    assert butterfly.keepsake_wish == "collect" and butterfly.status == Butterfly.Status.TO_REVIEW


def test_the_form_shows_its_errors_where_they_are(page, axe):
    page.goto("/butterflies/")
    page.get_by_role("button", name="Ask for a butterfly").click()
    expect(page.get_by_text("Please look again at the boxes marked below.")).to_be_visible()
    expect(page.get_by_text("Please write your baby's first name.")).to_be_visible()
    axe(page)
    assert not Butterfly.objects.exists()


def test_the_staff_pages_pass_axe(page, memorial_staff, make_butterfly, quilt, axe):
    make_butterfly(first_name="Zoë")
    admin_login(page, "mara")
    page.wait_for_url(re.compile(r"/admin/$"))
    for url in (
        "/butterflies/staff/requests/",
        "/butterflies/staff/queue/",
        "/butterflies/staff/queue/work-order/",
        "/butterflies/staff/keepsakes/",
    ):
        page.goto(url)
        axe(page)
    page.goto(f"/butterflies/staff/quilts/{quilt.pk}/")
    axe(page)


def test_a_public_request_is_reviewed_by_staff_before_it_reaches_the_quilters(
    page, memorial_staff, mailoutbox, axe
):
    page.goto("/butterflies/")
    page.get_by_label("Your baby's first name").fill("Niamh")
    page.get_by_label("Your baby's birth date").fill("2023-03-02")
    page.get_by_label("Your name").fill("Aoife O'Brien & Søn")
    page.get_by_label("Email").fill("aoife@example.org")
    page.get_by_label("Mailing address for your keepsake butterfly").fill("3 Quay St\nDuluth, MN")
    page.get_by_role("button", name="Ask for a butterfly").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    staff_mail, family_mail = mailoutbox
    assert staff_mail.to == ["mara@bank.test"] and "/butterflies/staff/requests/" in staff_mail.body
    assert family_mail.to == ["aoife@example.org"] and "Dear Aoife O'Brien & Søn," in family_mail.body

    # Not on the quilters' sheet until someone has looked at it.
    admin_login(page, "mara")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/butterflies/staff/queue/work-order/")
    expect(page.get_by_text("Nothing waiting to be sewn.")).to_be_visible()

    page.goto("/admin/")
    page.get_by_role("link", name="Butterfly requests to review").click()
    expect(page.get_by_role("heading", name="Requests to review")).to_be_visible()
    expect(page.get_by_text("Aoife O'Brien & Søn")).to_be_visible()
    axe(page)
    page.get_by_role("button", name="Accept").click()
    expect(page.get_by_text("Niamh's butterfly is accepted and joins the sewing queue.")).to_be_visible()
    expect(page.get_by_text("No requests waiting.")).to_be_visible()
    page.goto("/butterflies/staff/queue/work-order/")
    expect(page.locator(".work-order-name")).to_have_text(["Niamh"])


def test_staff_decline_a_request_with_a_kind_note(page, memorial_staff, mailoutbox, axe):
    from memorials import services

    services.butterfly_request_for_family(
        first_name="Ava", birth_date=timezone.localdate(), family_name="Jo", contact_email="jo@example.org"
    )
    mailoutbox.clear()
    admin_login(page, "mara")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/butterflies/staff/requests/")
    page.get_by_role("link", name="Decline with a note").click()
    axe(page)
    page.get_by_role("button", name="Decline and send the note").click()
    expect(page.get_by_text("Please write a few kind words to the family.")).to_be_visible()
    note = "Ava's butterfly is already on our quilt, and her keepsake is waiting for you."
    page.get_by_label("Your note to the family").fill(note)
    page.get_by_role("button", name="Decline and send the note").click()
    expect(page.get_by_text("Declined. We emailed the family your note.")).to_be_visible()
    (message,) = mailoutbox
    assert message.to == ["jo@example.org"] and note in message.body
    assert Butterfly.objects.get().status == Butterfly.Status.DECLINED


def test_the_butterfly_list_fits_1280_pixels_with_its_approval_column(
    page, memorial_staff, make_butterfly, quilt
):
    from memorials import services

    widest = make_butterfly(
        first_name="Maximiliana-Rose",
        family_name="The Vanderbilt-Okonkwo-Fitzgerald family of Saint Paul",
        status=Butterfly.Status.ON_QUILT,
        quilt=quilt,
        position=3,
    )
    services.keepsake_record_made(butterfly=widest)
    services.keepsake_record_sent(butterfly=widest, method="mailed")
    admin_login(page, "mara")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/admin/memorials/butterfly/")
    expect(page.get_by_role("columnheader", name="Approved", exact=True)).to_be_in_viewport(ratio=1)
    expect(page.locator("#result_list tbody tr").first.locator("td").last).to_be_in_viewport(ratio=1)
    # Neither the page nor the admin's scrolling box around the table scrolls sideways.
    expect(page.locator("html")).to_have_js_property("scrollWidth", 1280)
    results = page.locator("#changelist .results")
    expect(results).to_have_js_property("scrollWidth", results.evaluate("box => box.clientWidth"))


def test_the_place_page_suggests_the_next_place_and_warns_about_a_completed_quilt(
    page, memorial_staff, make_butterfly, quilt, axe
):
    from memorials.models import Quilt

    make_butterfly(status=Butterfly.Status.ON_QUILT, quilt=quilt, position=1)
    done = Quilt.objects.create(
        name="Quilt 0", capacity=4, started_on=quilt.started_on, completed_on=quilt.started_on
    )
    butterfly = make_butterfly(first_name="Bea", status=Butterfly.Status.SEWING)
    admin_login(page, "mara")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto(f"/admin/memorials/butterfly/{butterfly.pk}/change/")
    _step(page, "Place on a quilt")
    expect(
        page.get_by_text("The next open place is Quilt 1, place 2. It is filled in below.")
    ).to_be_visible()
    expect(page.get_by_label("Place on the quilt")).to_have_value("2")
    axe(page)

    page.get_by_label("Quilt:", exact=True).select_option(label="Quilt 0 (completed Oct. 1, 2021)")
    page.get_by_label("Place on the quilt").fill("1")
    page.get_by_role("button", name="Save the place").click()
    expect(page.get_by_text("Quilt 0 was completed on October 1, 2021.")).to_be_visible()
    butterfly.refresh_from_db()
    assert butterfly.quilt is None
    page.get_by_label("Yes, place it on this completed quilt").check()
    page.get_by_role("button", name="Save the place").click()
    expect(page.get_by_text("Placed on Quilt 0, place 1.")).to_be_visible()
    butterfly.refresh_from_db()
    assert butterfly.quilt == done and butterfly.position == 1


def test_staff_link_a_request_to_the_matching_donor_record(page, memorial_staff, coordinator, axe):
    from memorials import services

    from .conftest import bereaved

    born = timezone.localdate().replace(year=timezone.localdate().year - 1)
    donor = bereaved(
        first_name="Maya",
        last_name="Okafor",
        by=coordinator,
        screened=True,
        baby_first_name="Ada",
        baby_birth_date=born,
    )
    butterfly = services.butterfly_request_for_family(
        first_name="Ada", birth_date=born, family_name="Maya Okafor", contact_phone="555-0199"
    )
    admin_login(page, "mara")
    page.wait_for_url(re.compile(r"/admin/$"))
    page.goto("/butterflies/staff/requests/")
    page.get_by_role("link", name="Link to the donor's record").click()
    axe(page)
    page.get_by_role("button", name="Link this record").click()
    expect(page.get_by_text("Choose the donor record that matches this request.")).to_be_visible()
    page.get_by_role("radio").first.check()
    page.get_by_role("button", name="Link this record").click()
    expect(page.get_by_text("Ada's request is linked to the donor's record.")).to_be_visible()
    butterfly.refresh_from_db()
    assert butterfly.donor == donor and butterfly.status == Butterfly.Status.TO_REVIEW
