"""Data rights: export a donor's data, anonymize a donor, and the retention command."""

import datetime
import json
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from donors import privacy
from donors import transitions as t
from donors.milk import services as milk_services
from donors.models import AccessLink, Depot, Donor, DropOff, Release, TimelineEvent
from donors.transitions import TransitionRefused
from tests.donors.intake_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db

SECRETS = ["Philippa", "Quenneville", "philippa.q@example.org", "555-777-0199", "Rosalind", "Ardent Lab"]


@pytest.fixture
def full_donor(make_donor, coordinator):
    """An approved, bereaved donor with answers, notes, provider details and milk on record."""
    donor = make_donor(
        Donor.Stage.APPROVED,
        bereaved=True,
        first_name="Philippa",
        last_name="Quenneville",
        email="philippa.q@example.org",
        phone="555-777-0199",
        baby_first_name="Rosalind",
        baby_birth_date=datetime.date(2025, 11, 2),
        date_of_birth=datetime.date(1990, 4, 5),
        address_line1="7 Birch Lane",
        city="Duluth",
        region="Minnesota",
        postal_code="55802",
    )
    screen = donor.phone_screens.get()
    screen.answers = {"medications": "Sertraline 50 mg"}
    screen.notes = "Talked about her daughter Rosalind."
    screen.save()
    q = donor.questionnaires.get()
    q.answers = {**q.answers, "medications": "yes", "medications_list": "Sertraline 50 mg"}
    q.flags = ["medications"]
    q.save()
    donor.bloodwork_set.update(lab="Ardent Lab")
    Release.objects.filter(donor=donor).update(provider_name="Dr. Quill", clinic="Birch Clinic", notes="fax")
    depot = Depot.objects.create(name="Northside", city="Duluth", region="Minnesota")
    today = timezone.localdate()
    milk_services.dropoff_log(
        donor=donor,
        by=coordinator,
        depot=depot,
        containers=3,
        volume_ml=1200,
        expressed_from=today - datetime.timedelta(days=10),
        expressed_to=today - datetime.timedelta(days=2),
        health_declaration=True,
    )
    donor.refresh_from_db()
    return donor


def _login(client, user):
    client.force_login(user)
    return client


# --- Export --------------------------------------------------------------------------------------------


def test_it_exports_a_donors_whole_record_as_json(client, superuser, full_donor):
    response = _login(client, superuser).get(reverse("donors:donor_export_json", args=[full_donor.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"] == f'attachment; filename="donor-{full_donor.pk}-data.json"'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["donor"]["first_name"] == "Philippa"
    assert data["donor"]["baby_first_name"] == "Rosalind"
    assert data["phone_screens"][0]["answers"] == {"medications": "Sertraline 50 mg"}
    answers = {row["answer"] for row in data["questionnaires"][0]["answers"]}
    assert "Sertraline 50 mg" in answers
    assert data["bloodwork"][0]["lab"] == "Ardent Lab"
    assert {r["provider_name"] for r in data["releases"]} == {"Dr. Quill"}
    assert data["dropoffs"][0]["volume_ml"] == 1200
    assert data["timeline"]
    assert "digest" not in response.content.decode()


def test_it_shows_a_readable_printable_page(client, superuser, full_donor):
    response = _login(client, superuser).get(reverse("donors:donor_export", args=[full_donor.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    for text in ["Philippa", "Quenneville", "Sertraline 50 mg", "Ardent Lab", "Dr. Quill", "1200 mL"]:
        assert text in page
    assert "js-print" in page
    assert "<script>" not in page and "style=" not in page


@pytest.mark.parametrize("name", ["donors:donor_export_json", "donors:donor_export"])
def test_it_records_each_export_in_the_access_log(client, superuser, full_donor, name):
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()

    _login(client, superuser).get(reverse(name, args=[full_donor.pk]))

    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert entries.count() == before + 1
    entry = entries.latest("timestamp")
    assert entry.actor == superuser
    assert entry.object_pk == str(full_donor.pk)


@pytest.mark.parametrize(
    "name", ["donors:donor_export_json", "donors:donor_export", "donors:donor_anonymize"]
)
@pytest.mark.parametrize("persona", ["volunteer", "memorial", "editor", "no_role"])
def test_it_refuses_staff_without_the_permission(client, personas, make_donor, name, persona):
    donor = make_donor(Donor.Stage.INQUIRY)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()

    response = _login(client, personas[persona]).get(reverse(name, args=[donor.pk]))

    assert response.status_code == 403
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before


@pytest.mark.parametrize(
    "name", ["donors:donor_export_json", "donors:donor_export", "donors:donor_anonymize"]
)
def test_it_sends_anonymous_visitors_to_the_staff_login(client, make_donor, name):
    donor = make_donor(Donor.Stage.INQUIRY)

    response = client.get(reverse(name, args=[donor.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert "Donor" not in response.content.decode()


@pytest.mark.parametrize(
    "name", ["donors:donor_export_json", "donors:donor_export", "donors:donor_anonymize"]
)
def test_it_answers_404_for_a_donor_that_does_not_exist(client, superuser, name):
    response = _login(client, superuser).get(reverse(name, args=[999999]))

    assert response.status_code == 404


# --- Anonymization -------------------------------------------------------------------------------------


def _everything_about(donor) -> str:
    """Every stored text about the donor, the audit log included, as one string to search."""
    return json.dumps(privacy.donor_export(donor=donor)) + json.dumps(
        [
            [e.object_repr, e.changes, e.changes_text, e.serialized_data, e.additional_data]
            for e in LogEntry.objects.all()
        ],
        default=str,
    )


def test_it_anonymizes_a_withdrawn_donor_and_keeps_the_statistics(full_donor, coordinator):
    before = privacy.donor_export(donor=full_donor)
    assert all(secret in _everything_about(full_donor) for secret in SECRETS)
    t.donor_withdraw(donor=full_donor, by=coordinator, reason="Philippa asked us to stop")

    privacy.donor_anonymize(donor=full_donor, by=coordinator)

    full_donor.refresh_from_db()
    after = privacy.donor_export(donor=full_donor)
    stored = _everything_about(full_donor)
    for secret in [*SECRETS, "Sertraline", "Dr. Quill", "Birch", "55802", "1990-04-05", "2025-11-02"]:
        assert secret not in stored, secret
    assert full_donor.anonymized_at is not None
    assert full_donor.first_name == privacy.ANONYMIZED_NAME
    assert full_donor.reminders_opt_out is True
    assert after["phone_screens"][0]["answers"] == {} and after["phone_screens"][0]["notes"] == ""
    assert after["questionnaires"][0]["flags"] == []
    assert {row["answer"] for row in after["questionnaires"][0]["answers"]} <= {"Not answered"}
    # Statistics stay: the number, the milk, dates and the stage history.
    assert after["donor"]["donor_number"] == before["donor"]["donor_number"]
    assert after["donor"]["region"] == "Minnesota"
    assert after["donor"]["bereaved"] is True
    assert after["dropoffs"] == before["dropoffs"]
    assert [b["drawn_on"] for b in after["bloodwork"]] == [b["drawn_on"] for b in before["bloodwork"]]
    assert [b["tests"] for b in after["bloodwork"]] == [b["tests"] for b in before["bloodwork"]]
    stages = full_donor.timeline.filter(kind=TimelineEvent.Kind.STAGE).count()
    assert stages == sum(1 for e in before["timeline"] if e["what"] == "Stage changed") + 1  # the withdrawal


def test_it_notes_the_anonymization_on_the_timeline_without_personal_data(full_donor, coordinator):
    t.donor_withdraw(donor=full_donor, by=coordinator)

    privacy.donor_anonymize(donor=full_donor, by=coordinator)

    event = full_donor.timeline.order_by("-at", "-id").first()
    assert event.kind == TimelineEvent.Kind.NOTE
    assert event.by == coordinator
    assert "anonymized" in event.summary.lower()
    assert event.reason == "Anonymized because the donor withdrew."
    audit = LogEntry.objects.filter(object_pk=str(full_donor.pk)).latest("timestamp")
    assert audit.additional_data["anonymized"] is True
    assert audit.actor == coordinator


def test_it_revokes_every_link_so_the_old_questionnaire_link_stops_working(
    client, coordinator, sent_questionnaire
):
    donor, path = sent_questionnaire()
    assert client.get(path).status_code == 200
    t.donor_withdraw(donor=donor, by=coordinator)
    # A status link issued after withdrawal would be refused by the transitions; make one the hard way.
    AccessLink.objects.filter(donor=donor).update(revoked_at=None)

    privacy.donor_anonymize(donor=donor, by=coordinator)

    assert not AccessLink.objects.filter(donor=donor, revoked_at__isnull=True).exists()
    assert client.get(path).status_code == 410


@pytest.mark.parametrize("stage", [Donor.Stage.INQUIRY, Donor.Stage.QUESTIONNAIRE_SENT, Donor.Stage.APPROVED])
def test_it_refuses_to_anonymize_an_open_file(make_donor, coordinator, stage):
    donor = make_donor(stage)

    with pytest.raises(TransitionRefused, match="withdrawn"):
        privacy.donor_anonymize(donor=donor, by=coordinator)

    donor.refresh_from_db()
    assert donor.anonymized_at is None
    assert donor.first_name.startswith("Donor")


def test_it_refuses_a_declined_file_inside_the_retention_period(make_donor, coordinator):
    donor = make_donor(Donor.Stage.INQUIRY)
    t.donor_decline(donor=donor, by=coordinator, reason="Not eligible")

    with pytest.raises(TransitionRefused, match="retention"):
        privacy.donor_anonymize(donor=donor, by=coordinator)

    donor.refresh_from_db()
    assert donor.anonymized_at is None and donor.exit_reason == "Not eligible"


def test_it_refuses_to_anonymize_twice(make_donor, coordinator):
    donor = make_donor(Donor.Stage.INQUIRY)
    t.donor_withdraw(donor=donor, by=coordinator)
    privacy.donor_anonymize(donor=donor, by=coordinator)

    with pytest.raises(TransitionRefused, match="already"):
        privacy.donor_anonymize(donor=donor, by=coordinator)
    assert donor.timeline.filter(kind=TimelineEvent.Kind.NOTE).count() == 1


# --- Retention -----------------------------------------------------------------------------------------


def _closed(donor, *, years_ago: float, coordinator, how="decline"):
    if how == "decline":
        t.donor_decline(donor=donor, by=coordinator, reason="Reactive result")
    else:
        t.donor_withdraw(donor=donor, by=coordinator)
    when = timezone.now() - datetime.timedelta(days=int(365.25 * years_ago))
    Donor.objects.filter(pk=donor.pk).update(stage_changed_at=when)
    donor.refresh_from_db()
    return donor


def test_it_finds_only_closed_files_past_the_retention_period(make_donor, coordinator, settings):
    settings.MILKBANK = {**settings.MILKBANK, "RETENTION_YEARS": 3}
    old = _closed(make_donor(), years_ago=3.2, coordinator=coordinator)
    recent = _closed(make_donor(), years_ago=2.5, coordinator=coordinator)
    open_but_old = make_donor()
    Donor.objects.filter(pk=open_but_old.pk).update(
        stage_changed_at=timezone.now() - datetime.timedelta(days=4000)
    )

    due = set(privacy.donors_past_retention())

    assert due == {old}
    assert recent not in due
    assert privacy.retention_years() == 3
    # A later "today" brings the recent file in too.
    later = timezone.localdate() + datetime.timedelta(days=365)
    assert set(privacy.donors_past_retention(today=later)) == {old, recent}


def test_it_defaults_the_retention_period_to_seven_years(settings):
    settings.MILKBANK = {k: v for k, v in settings.MILKBANK.items() if k != "RETENTION_YEARS"}

    assert privacy.retention_years() == 7
    today = datetime.date(2024, 2, 29)
    assert privacy.retention_cutoff(today=today) == datetime.date(2017, 2, 28)


def test_it_anonymizes_a_declined_file_past_retention(make_donor, coordinator):
    donor = _closed(make_donor(first_name="Winifred"), years_ago=8, coordinator=coordinator)

    privacy.donor_anonymize(donor=donor, by=None)

    donor.refresh_from_db()
    assert donor.anonymized_at is not None and donor.first_name == privacy.ANONYMIZED_NAME
    assert donor.exit_reason == "" and donor.deferrals.get().reason == ""
    assert donor.timeline.latest("at").reason == "Anonymized because the retention period ended."


def test_apply_retention_is_a_dry_run_that_prints_counts_and_no_names(make_donor, coordinator):
    _closed(make_donor(first_name="Winifred"), years_ago=8, coordinator=coordinator)
    _closed(make_donor(first_name="Octavia"), years_ago=9, coordinator=coordinator, how="withdraw")
    make_donor(first_name="Imogen")
    out = StringIO()

    call_command("apply_retention", stdout=out)

    text = out.getvalue()
    assert "Dry run: 2 donor file(s) would be anonymized" in text
    assert "Declined: 1" in text and "Withdrawn: 1" in text
    for name in ["Winifred", "Octavia", "Imogen", "example.org"]:
        assert name not in text
    assert not Donor.objects.filter(anonymized_at__isnull=False).exists()


def test_apply_retention_anonymizes_with_apply(make_donor, coordinator):
    old = _closed(make_donor(first_name="Winifred"), years_ago=8, coordinator=coordinator)
    young = _closed(make_donor(first_name="Octavia"), years_ago=1, coordinator=coordinator)
    out = StringIO()

    call_command("apply_retention", "--apply", stdout=out)

    assert "Anonymized 1 donor file(s)." in out.getvalue()
    assert "Winifred" not in out.getvalue()
    old.refresh_from_db()
    young.refresh_from_db()
    assert old.anonymized_at is not None and old.first_name == privacy.ANONYMIZED_NAME
    assert young.anonymized_at is None and young.first_name == "Octavia"
    out = StringIO()
    call_command("apply_retention", "--apply", stdout=out)
    assert "Anonymized 0 donor file(s)." in out.getvalue()


# --- The anonymize page --------------------------------------------------------------------------------


def test_it_asks_for_confirmation_and_changes_nothing_without_it(client, superuser, make_donor, coordinator):
    donor = make_donor(first_name="Marguerite")
    t.donor_withdraw(donor=donor, by=coordinator)
    url = reverse("donors:donor_anonymize", args=[donor.pk])
    client.force_login(superuser)

    assert client.get(url).status_code == 200
    response = client.post(url, {})

    assert response.status_code == 400
    assert "Tick the box to confirm" in response.content.decode()
    donor.refresh_from_db()
    assert donor.anonymized_at is None and donor.first_name == "Marguerite"


def test_it_anonymizes_after_confirmation(client, superuser, make_donor, coordinator):
    donor = make_donor(first_name="Marguerite")
    t.donor_withdraw(donor=donor, by=coordinator)
    client.force_login(superuser)

    response = client.post(reverse("donors:donor_anonymize", args=[donor.pk]), {"confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:donors_donor_change", args=[donor.pk])
    donor.refresh_from_db()
    assert donor.anonymized_at is not None
    assert donor.timeline.latest("at").by == superuser


def test_it_explains_why_an_open_file_cannot_be_anonymized(client, superuser, make_donor):
    donor = make_donor(first_name="Marguerite")
    client.force_login(superuser)

    response = client.post(reverse("donors:donor_anonymize", args=[donor.pk]), {"confirm": "on"})

    assert response.status_code == 409
    assert "Record the withdrawal first" in response.content.decode()
    donor.refresh_from_db()
    assert donor.anonymized_at is None


def test_dropoffs_keep_their_donor_after_anonymization(full_donor, coordinator):
    t.donor_withdraw(donor=full_donor, by=coordinator)
    privacy.donor_anonymize(donor=full_donor, by=coordinator)

    dropoff = DropOff.objects.get(donor=full_donor)
    assert dropoff.label_code.startswith(full_donor.number_label)


def test_coordinators_hold_the_data_rights_permissions(client, coordinator, make_donor):
    donor = make_donor(Donor.Stage.INQUIRY)
    client.force_login(coordinator)
    assert client.get(reverse("donors:donor_export", args=[donor.pk])).status_code == 200
    assert client.get(reverse("donors:donor_export_json", args=[donor.pk])).status_code == 200
    body = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert "Export data" in body and "Anonymize" in body


def test_after_anonymization_a_dump_of_the_whole_database_holds_none_of_the_donors_details(
    client, full_donor, coordinator, superuser
):
    """Every table (the admin's own log, the audit and access log, sessions, lockouts...) after the donor was
    opened, edited and exported by staff through the real pages, then anonymized through its page."""
    from django.contrib.admin.models import LogEntry as AdminLogEntry

    from tests.donors.test_admin_donors import edit_post

    donor = full_donor
    client.force_login(coordinator)
    change = reverse("admin:donors_donor_change", args=[donor.pk])
    assert client.get(change).status_code == 200
    posted = edit_post(donor, address_line1="7 Birch Lane", city="Duluth", postal_code="55802")
    assert client.post(change, {**posted, "best_time_to_call": "Evenings"}).status_code == 302
    assert client.get(reverse("donors:donor_export_json", args=[donor.pk])).status_code == 200
    recent = client.get(reverse("admin:index")).content.decode()
    assert "Philippa" in recent  # the staff home's "Recent actions" names the donor until anonymized
    client.force_login(superuser)
    entry = LogEntry.objects.filter(object_pk=str(donor.pk), action=LogEntry.Action.UPDATE).first()
    assert client.get(reverse("admin:auditlog_logentry_change", args=[entry.pk])).status_code == 200

    t.donor_withdraw(donor=donor, by=coordinator, reason="Philippa asked us to stop")
    anonymize = reverse("donors:donor_anonymize", args=[donor.pk])
    assert client.post(anonymize, {"confirm": "on"}).status_code == 302

    dump = StringIO()
    call_command("dumpdata", stdout=dump)
    text = dump.getvalue().lower()
    assert f'"object_id": "{donor.pk}"' in text and AdminLogEntry.objects.exists()  # the admin log is in it
    for secret in [*SECRETS, "Philippa", "7 Birch Lane", "55802", "1990-04-05"]:
        assert secret.lower() not in text, secret
    client.force_login(coordinator)
    home = client.get(reverse("admin:index"))
    assert home.status_code == 200 and "Recent actions" in home.content.decode()
    assert "Philippa" not in home.content.decode()
