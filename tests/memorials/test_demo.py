"""The demo seed shows every step, uses bereaved donors when there are some, and runs twice."""

import io

import pytest

from donors.models import Donor
from memorials import demo
from memorials.models import Butterfly, Quilt

from .conftest import BORN

pytestmark = pytest.mark.django_db


def test_it_seeds_every_status_once_even_when_run_twice(memorial_staff):
    donor = Donor.objects.create(
        first_name="Maya", bereaved=True, baby_first_name="Ada", baby_birth_date=BORN
    )
    out = io.StringIO()
    demo.seed(users={"memorial": memorial_staff}, stdout=out)
    counts = (Quilt.objects.count(), Butterfly.objects.count())
    demo.seed(users={"memorial": memorial_staff}, stdout=out)
    assert (Quilt.objects.count(), Butterfly.objects.count()) == counts
    assert set(Butterfly.objects.values_list("status", flat=True)) == set(Butterfly.Status.values)
    assert Butterfly.objects.filter(donor=donor, first_name="Ada").exists()
    assert Butterfly.objects.for_memorial_wall().exists()
    assert Butterfly.objects.filter(keepsake_method="mailed").exists()
    assert "0 new butterflies" in out.getvalue()
