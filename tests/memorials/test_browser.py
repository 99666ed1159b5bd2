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
    page.get_by_label("Bereaved donor").select_option(label="Maya Okafor")
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
    phone_page.get_by_label("Mailing address for your keepsake butterfly").fill("88 River Road\nSt. Paul, MN")
    phone_page.get_by_role("button", name="Ask for a butterfly").click()
    phone_page.wait_for_url(re.compile(r"/butterflies/thank-you/"))
    expect(phone_page.get_by_role("heading", name="Thank you")).to_be_visible()
    butterfly = Butterfly.objects.get()
    assert butterfly.first_name == "Ngọc" and not butterfly.show_name_consent


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
        "/butterflies/staff/queue/",
        "/butterflies/staff/queue/work-order/",
        "/butterflies/staff/keepsakes/",
    ):
        page.goto(url)
        axe(page)
    page.goto(f"/butterflies/staff/quilts/{quilt.pk}/")
    axe(page)
