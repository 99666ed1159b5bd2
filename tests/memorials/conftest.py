"""Memorial fixtures: quilts, bereaved donors, and butterflies walked through memorials.services."""

import datetime

import pytest
from django.core.cache import cache

from donors import transitions as t
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


def bereaved(*, first_name, last_name, by, finished=False, screened=False, **record):
    """A bereaved donor walked through the real services: at inquiry, phone-screened, or finished donating
    (research only, then finished: the shortest real path). `record` holds the baby's name and address."""
    donor = t.donor_create_inquiry(
        first_name=first_name, last_name=last_name, phone="555-0142", bereaved=True, contact_consent=True
    )
    if record:
        Donor.objects.filter(pk=donor.pk).update(**record)
    if screened:
        t.phone_screen_record(donor=donor, by=by, minutes=15, answers={}, outcome="passed")
    if finished:
        t.donor_move_to_research(donor=donor, by=by, consent=True)
        t.donor_finish(donor=donor, by=by)
    donor.refresh_from_db()
    return donor


@pytest.fixture
def bereaved_donor(coordinator):
    """A bereaved donor who finished donating: one memorial staff may choose on the add form."""
    return bereaved(
        first_name="Maya",
        last_name="Okafor",
        by=coordinator,
        finished=True,
        baby_first_name="Ada",
        baby_birth_date=BORN,
        address_line1="9 Birch Lane",
        city="Duluth",
        region="MN",
        postal_code="55802",
    )


def website_request(**overrides):
    """A family's request from the website, through the service the public page calls."""
    data = {
        "first_name": "Noor",
        "birth_date": BORN,
        "family_name": "Hana O'Brien & Søn",
        "contact_email": "hana@example.org",
        "contact_phone": "555-0177",
        "keepsake_wish": Butterfly.KeepsakeWish.MAIL,
        "mailing_address": "4 Oak Road\nEly, MN 55731",
    }
    data.update(overrides)
    return services.butterfly_request_for_family(**data)


def butterfly_for_donor(donor, *, by, show_name_consent=False, **contact):
    """A donor's butterfly as it arrives in life: asked for on the website, linked to the donor's record by
    memorial staff, and accepted."""
    butterfly = services.butterfly_request_for_family(
        first_name=donor.baby_first_name,
        birth_date=donor.baby_birth_date,
        family_name=contact.pop("family_name", donor.display_name),
        keepsake_wish=contact.pop("keepsake_wish", Butterfly.KeepsakeWish.COLLECT),
        contact_phone=contact.pop("contact_phone", donor.phone),
        show_name_consent=show_name_consent,
        **contact,
    )
    butterfly = services.butterfly_request_link_donor(butterfly=butterfly, donor=donor, by=by)
    return services.butterfly_request_accept(butterfly=butterfly, by=by)


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
