"""The memorial's rules hold in the database itself, so the ORM used directly cannot break them."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from memorials.models import Butterfly, Quilt
from memorials.validators import grapheme_count

from .conftest import BORN

pytestmark = pytest.mark.django_db


def _raw_on_quilt(quilt, position, name="Ada"):
    """A butterfly written straight through the ORM, skipping services and validation."""
    return Butterfly.objects.create(
        first_name=name,
        birth_date=BORN,
        family_name="Paper record",
        status=Butterfly.Status.ON_QUILT,
        sewing_started_on=BORN,
        quilt=quilt,
        position=position,
        placed_on=BORN,
    )


def test_it_refuses_two_butterflies_in_one_place(quilt):
    _raw_on_quilt(quilt, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_on_quilt(quilt, 1, name="Bo")


def test_it_allows_the_same_place_number_on_another_quilt(quilt):
    other = Quilt.objects.create(name="Quilt 2", capacity=3)
    _raw_on_quilt(quilt, 1)
    _raw_on_quilt(other, 1, name="Bo")
    assert Butterfly.objects.filter(position=1).count() == 2


@pytest.mark.parametrize("position", [0, -1])
def test_it_refuses_a_place_below_one(quilt, position):
    # PositiveSmallIntegerField refuses negatives on its own; 0 is caught only by the named check.
    with pytest.raises(IntegrityError), transaction.atomic():
        _raw_on_quilt(quilt, position)


def test_it_refuses_a_place_beyond_the_quilts_capacity_on_insert(quilt):
    _raw_on_quilt(quilt, quilt.capacity)
    with pytest.raises(IntegrityError, match="memorials_butterfly_within_capacity"), transaction.atomic():
        _raw_on_quilt(quilt, quilt.capacity + 1, name="Bo")


def test_it_refuses_moving_a_butterfly_beyond_capacity_with_a_bulk_update(quilt):
    butterfly = _raw_on_quilt(quilt, 1)
    with pytest.raises(IntegrityError, match="memorials_butterfly_within_capacity"), transaction.atomic():
        Butterfly.objects.filter(pk=butterfly.pk).update(position=quilt.capacity + 1)
    butterfly.refresh_from_db()
    assert butterfly.position == 1


def test_it_refuses_moving_a_butterfly_to_a_smaller_quilt_beyond_its_capacity(quilt):
    small = Quilt.objects.create(name="Small quilt", capacity=1)
    butterfly = _raw_on_quilt(quilt, 3)
    with pytest.raises(IntegrityError, match="memorials_butterfly_within_capacity"), transaction.atomic():
        Butterfly.objects.filter(pk=butterfly.pk).update(quilt=small)


def test_it_refuses_shrinking_a_quilt_below_its_highest_filled_place(quilt):
    _raw_on_quilt(quilt, 3)
    with (
        pytest.raises(IntegrityError, match="memorials_quilt_capacity_holds_butterflies"),
        transaction.atomic(),
    ):
        Quilt.objects.filter(pk=quilt.pk).update(capacity=2)
    quilt.capacity = 5
    quilt.save()  # growing a quilt is always fine
    quilt.refresh_from_db()
    assert quilt.capacity == 5


def test_it_refuses_a_quilt_place_without_the_on_quilt_status(quilt):
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.create(
            first_name="Ada", birth_date=BORN, family_name="F", quilt=quilt, position=1, placed_on=BORN
        )


def test_it_refuses_a_butterfly_without_a_family():
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.create(first_name="Ada", birth_date=BORN)


def test_it_refuses_a_keepsake_mailed_before_it_was_made_or_without_how():
    made = datetime.date(2024, 3, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.create(
            first_name="Ada",
            birth_date=BORN,
            family_name="F",
            keepsake_made_on=made,
            keepsake_sent_on=made - datetime.timedelta(days=1),
            keepsake_method="mailed",
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.create(
            first_name="Ada", birth_date=BORN, family_name="F", keepsake_made_on=made, keepsake_sent_on=made
        )


def test_it_refuses_approval_without_its_time():
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.create(first_name="Ada", birth_date=BORN, family_name="F", approved=True)


def test_it_refuses_an_empty_name_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Butterfly.objects.create(first_name="", birth_date=BORN, family_name="F")


def test_it_refuses_a_birth_date_in_the_future():
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    butterfly = Butterfly(first_name="Ada", birth_date=tomorrow, family_name="F")
    with pytest.raises(ValidationError) as caught:
        butterfly.full_clean()
    assert "birth_date" in caught.value.message_dict
    butterfly.birth_date = timezone.localdate()
    butterfly.full_clean()  # today is fine


def test_it_refuses_a_name_longer_than_the_embroidery_limit(settings):
    settings.MILKBANK = {**settings.MILKBANK, "EMBROIDERY_NAME_MAX": 20}
    ok = Butterfly(first_name="A" * 20, birth_date=BORN, family_name="F")
    ok.full_clean()
    too_long = Butterfly(first_name="A" * 21, birth_date=BORN, family_name="F")
    with pytest.raises(ValidationError) as caught:
        too_long.full_clean()
    assert "room for 20 letters" in caught.value.message_dict["first_name"][0]


def test_it_follows_the_embroidery_setting(settings):
    settings.MILKBANK = {**settings.MILKBANK, "EMBROIDERY_NAME_MAX": 5}
    with pytest.raises(ValidationError):
        Butterfly(first_name="Amelia", birth_date=BORN, family_name="F").full_clean()


@pytest.mark.parametrize(
    "name, letters",
    [
        ("Zoë", 3),
        (unicodedata.normalize("NFD", "Zoë"), 3),
        ("李明", 2),
        ("Ngọc", 4),
        (unicodedata.normalize("NFD", "Ngọc"), 4),
        ("عائشة", 5),
        ("अनुष्का", 3),
        ("Mary-Kate O'Neil", 16),
    ],
)
def test_it_counts_letters_as_a_person_would(name, letters):
    assert grapheme_count(name) == letters


def test_it_counts_a_name_with_many_accents_by_its_letters(settings):
    """Twenty letters each carrying an accent is 40 code points but fits a 20-letter butterfly."""
    settings.MILKBANK = {**settings.MILKBANK, "EMBROIDERY_NAME_MAX": 20}
    name = unicodedata.normalize("NFD", "é") * 20
    assert len(name) == 40
    Butterfly(first_name=name, birth_date=BORN, family_name="F").full_clean()


@pytest.mark.parametrize(
    "name",
    [
        "Zoë",
        unicodedata.normalize("NFD", "Zoë"),
        "李明",
        "Ngọc",
        "عائشة",
        "Łucja",
        "Αθηνά",
        "Наталья",
        "Mary Ann",
    ],
)
def test_it_keeps_a_name_in_any_script_exactly(name):
    butterfly = Butterfly(first_name=name, birth_date=BORN, family_name="F")
    butterfly.full_clean()
    butterfly.save()
    stored = Butterfly.objects.get(pk=butterfly.pk).first_name
    assert stored == name
    assert [ord(c) for c in stored] == [ord(c) for c in name]


@pytest.mark.parametrize("name", ["<b>Ada</b>", "Ada;DROP", "Ada{}", "Ada\u0000", "☺☺"])
def test_it_refuses_symbols_in_a_name(name):
    with pytest.raises(ValidationError):
        Butterfly(first_name=name, birth_date=BORN, family_name="F").full_clean()
