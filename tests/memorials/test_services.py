"""A butterfly's way: requested -> being sewn -> on a quilt; the keepsake; approval. Each refusal is clear."""

import datetime
import functools
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from donors import transitions as t
from memorials import services
from memorials.models import Butterfly

from .conftest import BORN, website_request

pytestmark = pytest.mark.django_db
Status = Butterfly.Status


_website_request = functools.partial(
    website_request,
    first_name="Zoë",
    family_name="Siobhán O'Brien & Søn",
    contact_email="siobhan@example.org",
    contact_phone="",
    keepsake_wish=Butterfly.KeepsakeWish.COLLECT,
    mailing_address="",
)


@pytest.mark.after_commit
def test_a_website_request_waits_for_review_and_tells_staff_and_the_family(
    memorial_staff, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        butterfly = _website_request()
    assert butterfly.status == Status.TO_REVIEW
    assert (
        not Butterfly.objects.for_work_order().exists() and not Butterfly.objects.for_sewing_queue().exists()
    )
    assert not Butterfly.objects.keepsakes_to_send().exists()
    staff, family = mailoutbox
    assert staff.to == ["mara@bank.test"]  # memorial staff only, not the coordinators
    assert "/butterflies/staff/requests/" in staff.body
    assert "O'Brien" not in staff.body and "Zoë" not in staff.body  # the details stay behind the sign-in
    assert family.to == ["siobhan@example.org"]
    assert family.body.startswith("Dear Siobhán O'Brien & Søn,")  # plain text: nothing HTML-escaped
    assert "for Zoë. We have your request." in family.body
    assert "&amp;" not in family.body and "&#x27;" not in family.body
    html = family.alternatives[0][0]
    assert "O&#x27;Brien &amp; Søn" in html  # the HTML part is escaped, as it must be
    words = set(re.findall(r"\w+", family.body.replace(settings.MILKBANK["NAME"], "").lower()))
    assert not words & {
        "donated",
        "donation",
        "milk",
        "loss",
        "he",
        "she",
        "son",
        "daughter",
        "mail",
        "mailed",
    }


@pytest.mark.after_commit
def test_a_request_without_an_email_still_reaches_staff(
    memorial_staff, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _website_request(contact_email="", contact_phone="555-0199")
    assert [m.to for m in mailoutbox] == [["mara@bank.test"]]


@pytest.mark.after_commit
def test_a_request_rolled_back_sends_nothing(memorial_staff, mailoutbox, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            _website_request()
            raise RuntimeError("the step failed after the request was written")
    assert not Butterfly.objects.exists() and not callbacks and not mailoutbox


def test_accepting_a_request_puts_it_on_the_work_order(memorial_staff):
    butterfly = services.butterfly_request_accept(butterfly=_website_request(), by=memorial_staff)
    assert butterfly.status == Status.REQUESTED and butterfly.reviewed_by == memorial_staff
    assert list(Butterfly.objects.for_work_order()) == [butterfly]
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.butterfly_request_accept(butterfly=butterfly, by=memorial_staff)


def test_a_request_is_sewn_only_once_accepted(memorial_staff):
    butterfly = _website_request(show_name_consent=True)
    with pytest.raises(ValidationError, match="waiting for review"):
        services.butterfly_start_sewing(butterfly=butterfly)
    with pytest.raises(ValidationError, match="accept the request before approving"):
        services.butterfly_set_approval(butterfly=butterfly, approved=True, by=memorial_staff)
    # Even approved behind the services' back, a name from an unreviewed request stays off the wall.
    Butterfly.objects.filter(pk=butterfly.pk).update(approved=True, approved_at=timezone.now())
    assert not Butterfly.objects.for_memorial_wall().exists()
    with pytest.raises(ValidationError, match="no keepsake is being made"):
        services.keepsake_record_made(butterfly=butterfly)
    butterfly.refresh_from_db()
    assert butterfly.status == Status.TO_REVIEW and butterfly.keepsake_made_on is None


@pytest.mark.after_commit
def test_declining_sends_the_family_the_kind_note(
    memorial_staff, mailoutbox, django_capture_on_commit_callbacks
):
    butterfly = _website_request()
    mailoutbox.clear()
    with pytest.raises(ValidationError, match="a few kind words"):
        services.butterfly_request_decline(butterfly=butterfly, by=memorial_staff, note="   ")
    note = "We already have Zoë's butterfly on Quilt 2 & it's ready for you to collect."
    with django_capture_on_commit_callbacks(execute=True):
        butterfly, emailed = services.butterfly_request_decline(
            butterfly=butterfly, by=memorial_staff, note=note
        )
    assert emailed and butterfly.status == Status.DECLINED and butterfly.decline_note == note
    (message,) = mailoutbox
    assert message.to == ["siobhan@example.org"] and message.subject == "About your butterfly request"
    assert "Dear Siobhán O'Brien & Søn," in message.body and note in message.body
    assert not Butterfly.objects.for_work_order().exists()
    with pytest.raises(ValidationError, match="already been reviewed"):
        services.butterfly_request_accept(butterfly=butterfly, by=memorial_staff)


def test_declining_a_family_without_email_says_so(memorial_staff, mailoutbox):
    butterfly = _website_request(contact_email="", contact_phone="555-0199")
    mailoutbox.clear()
    _, emailed = services.butterfly_request_decline(
        butterfly=butterfly, by=memorial_staff, note="Kind words."
    )
    assert not emailed and not mailoutbox


def test_a_declined_request_keeps_its_note_in_the_database(memorial_staff):
    from django.db import IntegrityError, transaction

    butterfly = _website_request()
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.filter(pk=butterfly.pk).update(status=Status.DECLINED)


def test_it_links_a_request_only_to_a_bereaved_donor_past_the_inquiry(memorial_staff, coordinator):
    from .conftest import bereaved

    butterfly = _website_request()
    same_baby = {"baby_first_name": "Zoë", "baby_birth_date": butterfly.birth_date}
    inquiry = bereaved(first_name="Ines", last_name="Quiry", by=coordinator, **same_baby)
    living = t.donor_create_inquiry(first_name="Pat", phone="555-0100", contact_consent=True)
    other = bereaved(first_name="Oona", last_name="Other", by=coordinator, screened=True)  # matches nothing
    for donor in (inquiry, living, other):
        with pytest.raises(ValidationError, match="cannot be linked"):
            services.butterfly_request_link_donor(butterfly=butterfly, donor=donor, by=memorial_staff)
    screened = bereaved(first_name="Sam", last_name="Screened", by=coordinator, screened=True, **same_baby)
    butterfly = services.butterfly_request_link_donor(butterfly=butterfly, donor=screened, by=memorial_staff)
    butterfly.refresh_from_db()
    assert butterfly.donor == screened and butterfly.status == Status.TO_REVIEW
    assert butterfly.contact_email == "siobhan@example.org"  # the family's own details stay


def test_it_finds_the_donor_records_a_request_matches(memorial_staff, coordinator):
    from .conftest import bereaved

    same_baby = bereaved(
        first_name="Ana",
        last_name="A",
        by=coordinator,
        screened=True,
        baby_first_name="zoë",
        baby_birth_date=BORN,
    )
    same_email = bereaved(
        first_name="Bo", last_name="B", by=coordinator, screened=True, email="SIOBHAN@example.org"
    )
    bereaved(
        first_name="Cy", last_name="C", by=coordinator, screened=True, baby_first_name="Zoë"
    )  # other date
    bereaved(first_name="Di", last_name="D", by=coordinator, email="siobhan@example.org")  # inquiry only
    butterfly = _website_request()
    assert set(butterfly.donor_matches()) == {same_baby, same_email}
    assert Butterfly.objects.for_review_list().get().has_donor_match
    _website_request(first_name="Other", contact_email="x@example.org")
    assert [b.has_donor_match for b in Butterfly.objects.for_review_list()] == [True, False]


def test_it_walks_a_butterfly_onto_a_quilt(make_butterfly, quilt):
    butterfly = make_butterfly()
    with pytest.raises(ValidationError, match="start sewing it first"):
        services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=1)
    butterfly = services.butterfly_start_sewing(butterfly=butterfly)
    assert butterfly.status == Status.SEWING
    with pytest.raises(ValidationError, match="already being sewn"):
        services.butterfly_start_sewing(butterfly=butterfly)
    butterfly = services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=2)
    butterfly.refresh_from_db()
    assert (butterfly.status, butterfly.quilt, butterfly.position) == (Status.ON_QUILT, quilt, 2)


def test_it_refuses_a_taken_place_and_names_who_is_there(make_butterfly, quilt):
    make_butterfly(first_name="Zoë", status=Status.ON_QUILT, quilt=quilt, position=1)
    second = make_butterfly(first_name="Bo", status=Status.SEWING)
    with pytest.raises(ValidationError, match="Place 1 on Quilt 1 already holds Zoë"):
        services.butterfly_place_on_quilt(butterfly=second, quilt=quilt, position=1)
    second.refresh_from_db()
    assert second.status == Status.SEWING and second.quilt is None


@pytest.mark.parametrize("position", [0, 4])
def test_it_refuses_a_place_outside_the_quilt(make_butterfly, quilt, position):
    butterfly = make_butterfly(status=Status.SEWING)
    with pytest.raises(ValidationError, match="has places 1 to 3"):
        services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=position)


def test_it_moves_a_butterfly_to_another_place(make_butterfly, quilt):
    butterfly = make_butterfly(status=Status.ON_QUILT, quilt=quilt, position=1)
    butterfly = services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=3)
    assert butterfly.position == 3


def test_it_records_the_keepsake_made_then_mailed(make_butterfly):
    butterfly = make_butterfly()
    with pytest.raises(ValidationError, match="has been made"):
        services.keepsake_record_sent(butterfly=butterfly, method="mailed")
    made = timezone.localdate() - datetime.timedelta(days=3)
    services.keepsake_record_made(butterfly=butterfly, on=made)
    with pytest.raises(ValidationError, match="before it was made"):
        services.keepsake_record_sent(
            butterfly=butterfly, method="mailed", on=made - datetime.timedelta(days=1)
        )
    with pytest.raises(ValidationError, match="given in person or mailed"):
        services.keepsake_record_sent(butterfly=butterfly, method="carrier pigeon")
    butterfly = services.keepsake_record_sent(butterfly=butterfly, method="mailed")
    assert butterfly.keepsake_sent_on == timezone.localdate()
    assert butterfly.keepsake_label.startswith("Mailed")


def test_it_refuses_to_mail_a_keepsake_without_an_address(make_butterfly):
    butterfly = make_butterfly(mailing_address="")
    services.keepsake_record_made(butterfly=butterfly)
    with pytest.raises(ValidationError, match="no mailing address"):
        services.keepsake_record_sent(butterfly=butterfly, method="mailed")
    assert services.keepsake_record_sent(butterfly=butterfly, method="given").keepsake_method == "given"


def test_it_refuses_dates_in_the_future(make_butterfly):
    butterfly = make_butterfly()
    with pytest.raises(ValidationError, match="future"):
        services.butterfly_start_sewing(
            butterfly=butterfly, on=timezone.localdate() + datetime.timedelta(days=1)
        )
    butterfly.refresh_from_db()
    assert butterfly.status == Status.REQUESTED


def test_it_keeps_consent_and_approval_apart(make_butterfly, memorial_staff):
    butterfly = make_butterfly(show_name_consent=False)
    butterfly = services.butterfly_set_approval(butterfly=butterfly, approved=True, by=memorial_staff)
    assert butterfly.approved and not butterfly.show_name_consent
    assert not Butterfly.objects.for_memorial_wall().exists()
    Butterfly.objects.filter(pk=butterfly.pk).update(show_name_consent=True)
    assert list(Butterfly.objects.for_memorial_wall()) == [butterfly]
    services.butterfly_set_approval(butterfly=butterfly, approved=False, by=memorial_staff)
    assert not Butterfly.objects.for_memorial_wall().exists()


def test_it_warns_before_placing_on_a_completed_quilt(make_butterfly, quilt):
    quilt.completed_on = timezone.localdate()
    quilt.save()
    butterfly = make_butterfly(status=Status.SEWING)
    with pytest.raises(ValidationError, match="was completed on") as refusal:
        services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=1)
    assert refusal.value.code == "quilt_completed"
    butterfly.refresh_from_db()
    assert butterfly.quilt is None
    butterfly = services.butterfly_place_on_quilt(
        butterfly=butterfly, quilt=quilt, position=1, onto_completed=True
    )
    assert butterfly.quilt == quilt
    # Moving within the quilt it is already on needs no second warning.
    assert services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=2).position == 2


def test_it_suggests_the_lowest_open_place_on_the_oldest_quilt_being_filled(make_butterfly, quilt):
    from memorials.models import Quilt

    assert Quilt.objects.next_open_place() == (quilt, 1)
    make_butterfly(status=Status.ON_QUILT, quilt=quilt, position=1)
    make_butterfly(status=Status.ON_QUILT, quilt=quilt, position=3)
    assert Quilt.objects.next_open_place() == (quilt, 2)
    make_butterfly(status=Status.ON_QUILT, quilt=quilt, position=2)
    newer = Quilt.objects.create(name="Quilt 2", capacity=5, started_on=datetime.date(2024, 1, 1))
    assert Quilt.objects.next_open_place() == (newer, 1)  # the full quilt is passed over
    newer.completed_on = timezone.localdate()
    newer.save()
    assert Quilt.objects.next_open_place() is None  # nothing open: staff add a quilt or choose
