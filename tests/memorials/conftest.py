"""Memorial fixtures: quilts, bereaved donors, and butterflies walked through memorials.services."""

import datetime

import pytest
from django.core.cache import cache

from donors.models import Donor
from memorials import services
from memorials.models import Butterfly, Quilt

BORN = datetime.date(2023, 5, 14)


@pytest.fixture(autouse=True)
def _fresh_flood_limits():
    """The request form's flood limit lives in the cache; each test starts with a clean count."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def quilt(db):
    return Quilt.objects.create(name="Quilt 1", capacity=3, started_on=datetime.date(2021, 10, 1))


@pytest.fixture
def bereaved_donor(db):
    return Donor.objects.create(
        first_name="Maya",
        last_name="Okafor",
        bereaved=True,
        baby_first_name="Ada",
        baby_birth_date=BORN,
        address_line1="9 Birch Lane",
        city="Duluth",
        region="MN",
        postal_code="55802",
    )


@pytest.fixture
def make_butterfly(db):
    """A butterfly for a paper-record family, walked to `status` through the services."""
    counter = {"n": 0}

    def make(*, first_name="Ada", status=Butterfly.Status.REQUESTED, quilt=None, position=None, **extra):
        counter["n"] += 1
        butterfly = services.butterfly_request_for_family(
            first_name=first_name,
            birth_date=extra.pop("birth_date", BORN),
            family_name=extra.pop("family_name", f"Family {counter['n']}"),
            mailing_address=extra.pop("mailing_address", "1 Main St\nDuluth, MN 55802"),
            source=Butterfly.Source.PAPER,
            **extra,
        )
        if status in (Butterfly.Status.SEWING, Butterfly.Status.ON_QUILT):
            butterfly = services.butterfly_start_sewing(butterfly=butterfly)
        if status == Butterfly.Status.ON_QUILT:
            butterfly = services.butterfly_place_on_quilt(butterfly=butterfly, quilt=quilt, position=position)
        return butterfly

    return make
