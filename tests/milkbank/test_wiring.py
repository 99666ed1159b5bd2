"""The donor page shows a bereaved donor's Forever Butterflies status to coordinators."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from donors import transitions as t
from tests.memorials.conftest import butterfly_for_donor

pytestmark = pytest.mark.django_db


def _bereaved_donor(coordinator):
    donor = t.donor_create_inquiry(first_name="Lena", phone="555-0100", bereaved=True, contact_consent=True)
    donor.baby_first_name = "Rosie"
    donor.baby_birth_date = timezone.localdate() - datetime.timedelta(days=30)
    donor.save(update_fields=["baby_first_name", "baby_birth_date"])
    t.phone_screen_record(donor=donor, by=coordinator, minutes=15, answers={}, outcome="passed")
    donor.refresh_from_db()
    return donor


def test_coordinators_see_the_memorial_status_on_the_donor_page(client, coordinator, memorial_staff):
    donor = _bereaved_donor(coordinator)
    butterfly_for_donor(donor, by=memorial_staff)
    client.force_login(coordinator)
    body = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert "Forever Butterflies" in body and "Rosie" in body and "Requested" in body


def _bereaved_donor_with_a_butterfly(coordinator):
    donor = _bereaved_donor(coordinator)
    butterfly = butterfly_for_donor(donor, by=coordinator, show_name_consent=True)
    butterfly.family_name = "Lena Okafor"
    butterfly.mailing_address = "12 Birch Lane, Duluth MN 55802"
    butterfly.contact_email = "lena@example.org"
    butterfly.contact_phone = "555-0100"
    butterfly.save()  # as the admin form does: the audit log now holds the address
    return donor, butterfly


def test_anonymizing_a_donor_removes_the_familys_contact_from_their_butterflies(coordinator):
    from auditlog.models import LogEntry

    from donors import privacy
    from memorials.models import Butterfly

    donor, butterfly = _bereaved_donor_with_a_butterfly(coordinator)
    t.donor_withdraw(donor=donor, by=coordinator)
    privacy.donor_anonymize(donor=donor, by=coordinator)

    butterfly.refresh_from_db()
    assert (butterfly.family_name, butterfly.mailing_address) == ("", "")
    assert (butterfly.contact_email, butterfly.contact_phone) == ("", "")
    # The memorial itself stays as sewn, with the family's consent as they gave it.
    assert butterfly.first_name == "Rosie" and butterfly.show_name_consent
    entries = LogEntry.objects.get_for_object(butterfly)
    assert entries.exists()
    for entry in entries:
        text = f"{entry.changes} {entry.object_repr} {entry.serialized_data} {entry.additional_data}"
        assert "Birch" not in text and "lena@example.org" not in text and "Okafor" not in text
    assert Butterfly.objects.filter(donor=donor).count() == 1


def test_if_the_memorial_step_fails_nothing_is_anonymized(coordinator, monkeypatch):
    from donors import privacy
    from memorials import services

    donor, butterfly = _bereaved_donor_with_a_butterfly(coordinator)
    t.donor_withdraw(donor=donor, by=coordinator)

    def broken(**kwargs):
        raise RuntimeError("memorial step failed")

    monkeypatch.setattr(services.Butterfly.objects, "filter", broken)
    with pytest.raises(RuntimeError):
        privacy.donor_anonymize(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert donor.first_name == "Lena" and donor.anonymized_at is None


def test_a_donors_data_export_includes_their_butterflies(client, coordinator):
    from donors import privacy

    donor, butterfly = _bereaved_donor_with_a_butterfly(coordinator)
    (exported,) = privacy.donor_export(donor=donor)["butterflies"]
    assert exported["first_name"] == "Rosie" and exported["mailing_address"].startswith("12 Birch Lane")
    assert exported["show_name_online"] is True
    client.force_login(coordinator)
    page = client.get(reverse("donors:donor_export", args=[donor.pk])).content.decode()
    assert "Forever Butterflies" in page and "12 Birch Lane" in page and "Rosie" in page
    assert "Yes, as you wished" in page
    butterfly.show_name_consent = False
    butterfly.save()
    page = client.get(reverse("donors:donor_export", args=[donor.pk])).content.decode()
    assert "as you wished" not in page


def test_an_export_without_butterflies_has_no_memorial_section(client, coordinator):
    from donors import privacy

    donor = t.donor_create_inquiry(first_name="Ana", phone="555-0101", contact_consent=True)
    assert privacy.donor_export(donor=donor)["butterflies"] == []
    client.force_login(coordinator)
    page = client.get(reverse("donors:donor_export", args=[donor.pk])).content.decode()
    assert "Forever Butterflies" not in page
