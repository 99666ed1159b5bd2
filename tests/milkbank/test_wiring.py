"""The donor page shows a bereaved donor's Forever Butterflies status to coordinators."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from donors import transitions as t
from memorials import services as memorial

pytestmark = pytest.mark.django_db


def test_coordinators_see_the_memorial_status_on_the_donor_page(client, coordinator, memorial_staff):
    donor = t.donor_create_inquiry(first_name="Lena", phone="555-0100", bereaved=True, contact_consent=True)
    donor.baby_first_name = "Rosie"
    donor.baby_birth_date = timezone.localdate() - datetime.timedelta(days=30)
    donor.save(update_fields=["baby_first_name", "baby_birth_date"])
    memorial.butterfly_request_for_donor(donor=donor)
    client.force_login(coordinator)
    body = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert "Forever Butterflies" in body and "Rosie" in body and "Requested" in body
