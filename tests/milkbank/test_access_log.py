"""The access log: who opened which donor's record, and when. Superusers read it; no other role can."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import formats, timezone

from donors import transitions as t
from donors.models import Donor
from tests.donors.conftest import walk

pytestmark = pytest.mark.django_db

LOG_LIST = "/admin/auditlog/logentry/"


@pytest.fixture
def donor(coordinator, coordinator2):
    donor = t.donor_create_inquiry(
        first_name="Henrietta", last_name="Okafor", email="h.okafor@example.org", contact_consent=True
    )
    return walk(donor, Donor.Stage.QUESTIONNAIRE_SUBMITTED, by=coordinator, by2=coordinator2)


def test_it_records_a_coordinator_opening_a_donor_and_shows_it_to_superusers(
    client, coordinator, superuser, donor
):
    client.force_login(coordinator)
    assert client.get(reverse("admin:donors_donor_change", args=[donor.pk])).status_code == 200
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert entry.actor == coordinator
    assert entry.object_pk == str(donor.pk)

    client.force_login(superuser)
    response = client.get(LOG_LIST, {"action": LogEntry.Action.ACCESS})

    assert response.status_code == 200
    page = response.content.decode()
    donor_url = reverse("admin:donors_donor_change", args=[donor.pk])
    rows = [row for row in page.split("<tr") if donor_url in row]  # which donor
    assert len(rows) == 1, "exactly the one access entry is listed"
    row = rows[0]
    assert "access" in row  # what
    assert ">casey<" in row  # who (the username, linked to the staff user)
    when = formats.date_format(timezone.localtime(entry.timestamp), "DATETIME_FORMAT")
    assert when.split(",")[0] in row  # when


def test_it_shows_one_access_entry_in_full(client, coordinator, superuser, donor):
    client.force_login(coordinator)
    client.get(reverse("admin:donors_donor_change", args=[donor.pk]))
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    client.force_login(superuser)

    response = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "casey" in page and reverse("admin:donors_donor_change", args=[donor.pk]) in page


def test_it_filters_out_everything_but_accesses(client, superuser, coordinator, donor):
    client.force_login(coordinator)
    client.get(reverse("admin:donors_donor_change", args=[donor.pk]))
    assert LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).exists()  # the walk made change entries
    client.force_login(superuser)

    response = client.get(LOG_LIST, {"action": LogEntry.Action.ACCESS})

    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("persona", ["coordinator", "volunteer", "memorial", "editor", "no_role"])
def test_it_forbids_the_log_to_every_other_role(client, personas, coordinator, donor, persona):
    client.force_login(coordinator)
    client.get(reverse("admin:donors_donor_change", args=[donor.pk]))
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).get()
    client.force_login(personas[persona])

    listing = client.get(LOG_LIST)
    detail = client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk]))

    assert listing.status_code == 403
    assert detail.status_code == 403
    assert "Henrietta" not in listing.content.decode() + detail.content.decode()


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get(LOG_LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def _access(**filters):
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS, **filters).order_by("-pk")


def test_it_records_the_visitors_address_behind_our_proxy_not_their_own_claim(
    client, coordinator, donor, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(coordinator)
    client.get(
        reverse("admin:donors_donor_change", args=[donor.pk]),
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9",
    )
    assert _access(object_pk=str(donor.pk)).get().remote_addr == "198.51.100.9"


def test_it_tells_an_export_from_a_view_and_shows_which_to_superusers(client, coordinator, superuser, donor):
    client.force_login(coordinator)
    assert client.get(reverse("admin:donors_donor_change", args=[donor.pk])).status_code == 200
    assert client.get(reverse("donors:donor_export_json", args=[donor.pk])).status_code == 200
    assert client.get(reverse("donors:donor_export", args=[donor.pk])).status_code == 200
    hows = [e.additional_data["access"] for e in _access(object_pk=str(donor.pk)).order_by("pk")]
    assert hows == ["view", "export", "export"]

    client.force_login(superuser)
    page = client.get(LOG_LIST, {"action": LogEntry.Action.ACCESS}).content.decode()
    assert page.count(">export<") == 2 and page.count(">view<") == 1


def test_it_records_printing_a_requisition_or_a_release_and_opening_the_results_page(
    client, coordinator, coordinator2
):
    from donors.models import Bloodwork, Release

    donor = t.donor_create_inquiry(first_name="Ines", email="ines@example.org", contact_consent=True)
    walk(donor, Donor.Stage.BLOODWORK_ORDERED, by=coordinator, by2=coordinator2)
    bloodwork = donor.bloodwork_set.get()
    release = donor.releases.first()
    client.force_login(coordinator)

    pages = [
        reverse("admin:donors_donor_requisition", args=[donor.pk, bloodwork.pk]),
        reverse("admin:donors_donor_release_print", args=[donor.pk, release.pk]),
        reverse("admin:donors_donor_action", args=[donor.pk, "record-results"]),
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url

    bloodwork_reads = _access(content_type__model="bloodwork", object_pk=str(bloodwork.pk))
    assert [e.additional_data["access"] for e in bloodwork_reads.order_by("pk")] == ["print", "view"]
    assert all(e.actor == coordinator for e in bloodwork_reads)
    release_read = _access(content_type__model="release", object_pk=str(release.pk)).get()
    assert release_read.additional_data["access"] == "print"
    assert Bloodwork.objects.count() == 1 and Release.objects.filter(donor=donor).exists()


def test_it_records_a_superuser_reading_a_raw_audit_entry_of_a_health_record(client, superuser, donor):
    change = LogEntry.objects.filter(content_type__model="donor", object_pk=str(donor.pk)).first()
    client.force_login(superuser)

    response = client.get(reverse("admin:auditlog_logentry_change", args=[change.pk]))

    assert response.status_code == 200
    read = _access(object_pk=str(donor.pk)).get()
    assert read.actor == superuser
    assert read.additional_data == {"access": "audit entry", "entry": change.pk}
    # Opening that access entry in turn is not logged again (it holds no values).
    client.get(reverse("admin:auditlog_logentry_change", args=[read.pk]))
    assert _access(object_pk=str(donor.pk)).count() == 1
