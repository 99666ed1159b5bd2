"""A butterfly's way: requested -> being sewn -> on a quilt; the keepsake; approval. Each refusal is clear."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from donors.models import Donor
from memorials import services
from memorials.models import Butterfly

from .conftest import BORN

pytestmark = pytest.mark.django_db
Status = Butterfly.Status


def test_it_fills_the_babys_name_and_date_from_the_donors_record(bereaved_donor):
    butterfly = services.butterfly_request_for_donor(donor=bereaved_donor)
    assert (butterfly.first_name, butterfly.birth_date) == ("Ada", BORN)
    assert butterfly.status == Status.REQUESTED
    assert butterfly.family_display == "Maya Okafor"
    assert "9 Birch Lane" in butterfly.keepsake_address


def test_it_refuses_a_donor_who_is_not_bereaved():
    donor = Donor.objects.create(first_name="Pat", baby_first_name="Sam", baby_birth_date=BORN)
    with pytest.raises(ValidationError, match="not marked bereaved"):
        services.butterfly_request_for_donor(donor=donor)
    assert not Butterfly.objects.exists()


def test_it_asks_for_a_name_when_the_donor_shared_none():
    donor = Donor.objects.create(first_name="Pat", bereaved=True)
    with pytest.raises(ValidationError, match="please write them in"):
        services.butterfly_request_for_donor(donor=donor)
    butterfly = services.butterfly_request_for_donor(donor=donor, first_name="Sam", birth_date=BORN)
    assert butterfly.first_name == "Sam"


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
