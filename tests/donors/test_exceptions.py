"""Issue 12: the paths off the happy one. The lifecycle table, an unclear result and its repeat, the lab's
report, a donor without email, the phone screen's outcomes, sign-off by a second person, deferrals that end by
themselves, and the donor page (no form inside another, the audit trail's readings hidden unless asked)."""

import datetime
import re
from html.parser import HTMLParser

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from donors import transitions as t
from donors.admin import ACTIONS
from donors.models import BloodTest, Bloodwork, Deferral, Donor, LabReport, Questionnaire, Task
from donors.reminders import send_reminders
from tests.conftest import PASSWORD
from tests.donors.conftest import NEGATIVE

pytestmark = pytest.mark.django_db
Stage = Donor.Stage
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)


def action_url(donor, slug):
    return reverse("admin:donors_donor_action", args=[donor.pk, slug])


def unclear(make_donor, coordinator, **fields):
    """A donor whose panel came back with Hepatitis C indeterminate."""
    donor = make_donor(Stage.BLOODWORK_ORDERED, **fields)
    t.bloodwork_record_results(
        bloodwork=donor.bloodwork_set.get(),
        by=coordinator,
        drawn_on=timezone.localdate() - datetime.timedelta(days=2),
        results={**NEGATIVE, "hcv": BloodTest.Result.INDETERMINATE},
    )
    donor.refresh_from_db()
    return donor


# --- The lifecycle table (item 10) ---------------------------------------------------------------------


def test_every_button_on_the_donor_page_is_a_step_of_the_table(make_donor, coordinator):
    assert set(ACTIONS) <= set(t.STEPS)
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    assert t.steps_open(donor, by=coordinator)[:1] == ["order-bloodwork"]
    assert "record-results" not in t.steps_open(donor, by=coordinator)


def test_results_posted_from_a_stale_tab_for_a_deferred_donor_are_refused(client, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    login(client, coordinator)
    form_page = client.get(action_url(donor, "record-results"))
    assert form_page.status_code == 200 and b"Draw date" in form_page.content
    t.donor_defer(
        donor=donor, by=coordinator, reason="Travel", until=timezone.localdate() + datetime.timedelta(1)
    )
    data = {"drawn_on": timezone.localdate().isoformat(), **{f"result_{c}": "negative" for c in NEGATIVE}}
    response = client.post(action_url(donor, "record-results"), data)
    assert response.status_code == 200
    assert "Cannot record bloodwork results while the donor is at “Deferred”" in response.content.decode()
    assert donor.bloodwork_set.get().status == Bloodwork.Status.ORDERED
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        t.deferral_end(donor=donor, by=coordinator)
        donor.refresh_from_db()
        assert donor.stage == Stage.BLOODWORK_ORDERED
        assert "record-results" in t.steps_open(donor, by=coordinator)  # a button that moves her


def test_a_step_not_open_now_sends_the_coordinator_back_with_the_reason(client, make_donor, coordinator):
    donor = make_donor(Stage.INQUIRY)
    login(client, coordinator)
    response = client.get(action_url(donor, "sign-off"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("admin:donors_donor_change", args=[donor.pk])
    assert "Cannot sign off while the donor is at “Inquiry”" in response.content.decode()


def test_the_lock_helper_leaves_the_callers_object_alone(make_donor, coordinator):
    donor = make_donor(Stage.INQUIRY)
    t.phone_screen_record(donor=donor, by=coordinator, minutes=5, answers={}, outcome="passed")
    assert donor.stage == Stage.INQUIRY  # the caller's copy, as it was
    donor.refresh_from_db()
    assert donor.stage == Stage.PHONE_SCREEN_PASSED


# --- An unclear result (item 1) -------------------------------------------------------------------------


def test_an_unclear_result_offers_a_repeat_of_that_test_and_a_negative_repeat_moves_the_donor_on(
    make_donor, coordinator
):
    donor = unclear(make_donor, coordinator)
    panel = donor.bloodwork_set.get()
    assert donor.stage == Stage.BLOODWORK_ORDERED
    assert t.steps_open(donor, by=coordinator)[:1] == ["order-repeat"]
    assert donor.tasks.get(kind=Task.Kind.FOLLOW_UP_RESULT, done_at__isnull=True)

    repeat = t.bloodwork_order_repeat(donor=donor, by=coordinator)
    assert [x.test for x in repeat.tests.all()] == ["hcv"] and repeat.repeat_of == panel
    assert not donor.tasks.filter(kind=Task.Kind.FOLLOW_UP_RESULT, done_at__isnull=True).exists()
    assert "record-results" in t.steps_open(donor, by=coordinator)
    with pytest.raises(t.TransitionRefused, match="already ordered"):
        t.bloodwork_order_repeat(donor=donor, by=coordinator)

    t.bloodwork_record_results(
        bloodwork=repeat, by=coordinator, drawn_on=timezone.localdate(), results={"hcv": "negative"}
    )
    donor.refresh_from_db()
    panel.refresh_from_db()
    assert panel.status == Bloodwork.Status.CLEAR
    assert donor.stage == Stage.BLOODWORK_RESULTED
    # Valid from the panel's own draw, two days ago: the other four tests were drawn then.
    valid_days = datetime.timedelta(days=180)
    assert donor.bloodwork_valid_until() == panel.drawn_on + valid_days
    assert "Repeat test negative" in donor.timeline.first().summary


def test_an_unclear_repeat_can_be_repeated_and_a_confirmed_reactive_repeat_declines(make_donor, coordinator):
    donor = unclear(make_donor, coordinator)
    repeat = t.bloodwork_order_repeat(donor=donor, by=coordinator)
    t.bloodwork_record_results(
        bloodwork=repeat, by=coordinator, drawn_on=timezone.localdate(), results={"hcv": "indeterminate"}
    )
    donor.refresh_from_db()
    assert donor.stage == Stage.BLOODWORK_ORDERED and "order-repeat" in t.steps_open(donor, by=coordinator)
    again = t.bloodwork_order_repeat(donor=donor, by=coordinator)
    t.bloodwork_record_results(
        bloodwork=again,
        by=coordinator,
        drawn_on=timezone.localdate(),
        results={"hcv": "reactive"},
        confirmed={"hcv": True},
    )
    donor.refresh_from_db()
    assert donor.stage == Stage.DECLINED
    assert donor.tasks.filter(kind=Task.Kind.TELL_PROVIDER).exists()
    assert donor.bloodwork_valid_until() is None


def test_a_full_redraw_is_a_new_panel_of_all_five_tests(make_donor, coordinator):
    donor = unclear(make_donor, coordinator)
    redraw = t.bloodwork_order_repeat(donor=donor, by=coordinator, full_redraw=True)
    assert redraw.repeat_of is None and redraw.tests.count() == 5
    t.bloodwork_record_results(
        bloodwork=redraw, by=coordinator, drawn_on=timezone.localdate(), results=NEGATIVE
    )
    donor.refresh_from_db()
    assert donor.stage == Stage.BLOODWORK_RESULTED
    assert donor.bloodwork_valid_until() == timezone.localdate() + datetime.timedelta(days=180)


def test_the_results_page_of_a_repeat_asks_only_for_the_repeated_test(client, make_donor, coordinator):
    donor = unclear(make_donor, coordinator)
    login(client, coordinator)
    response = client.post(action_url(donor, "order-repeat"), {"what": "repeat", "lab": ""})
    assert response.status_code == 302
    body = client.get(action_url(donor, "record-results")).content.decode()
    assert "Hepatitis C result" in body and "HIV-1/2 result" not in body
    response = client.post(
        action_url(donor, "record-results"),
        {"drawn_on": timezone.localdate().isoformat(), "result_hcv": "negative"},
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert donor.stage == Stage.BLOODWORK_RESULTED


@pytest.mark.parametrize(
    ("posted", "message"), [({}, "This field is required."), ({"what": "all"}, "valid choice")]
)
def test_bad_repeat_input_is_refused_on_the_page(client, make_donor, coordinator, posted, message):
    donor = unclear(make_donor, coordinator)
    login(client, coordinator)
    response = client.post(action_url(donor, "order-repeat"), posted)
    assert response.status_code == 200 and message in response.content.decode()
    assert donor.bloodwork_set.count() == 1


def test_the_requisition_of_a_repeat_names_it_and_carries_the_identifier_and_birth_date(
    client, make_donor, coordinator
):
    donor = unclear(make_donor, coordinator, date_of_birth=datetime.date(1990, 5, 17))
    repeat = t.bloodwork_order_repeat(donor=donor, by=coordinator)
    login(client, coordinator)
    body = client.get(reverse("admin:donors_donor_requisition", args=[donor.pk, repeat.pk])).content.decode()
    assert "1990-05-17" in body
    assert f"S{donor.pk:06d}" in body
    assert f"repeat of R{repeat.repeat_of_id:06d}" in body
    assert "Hepatitis C" in body and "HIV-1/2" not in body


def test_a_requisition_without_a_birth_date_says_so_and_the_order_form_asks_for_it(
    client, make_donor, coordinator
):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    login(client, coordinator)
    response = client.post(action_url(donor, "order-bloodwork"), {"lab": "City Lab"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    response = client.post(
        action_url(donor, "order-bloodwork"), {"lab": "City Lab", "date_of_birth": "2999-01-01"}
    )
    assert "cannot be in the future" in response.content.decode()
    assert not donor.bloodwork_set.exists()
    response = client.post(
        action_url(donor, "order-bloodwork"), {"lab": "City Lab", "date_of_birth": "1992-02-03"}
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert donor.date_of_birth == datetime.date(1992, 2, 3)


# --- The lab's report -----------------------------------------------------------------------------------


@pytest.fixture
def private_dir(settings, tmp_path):
    settings.MILKBANK_PRIVATE_FILES_DIR = tmp_path / "private"
    return settings.MILKBANK_PRIVATE_FILES_DIR


def upload(client, donor, content, name="report.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bloodwork = donor.bloodwork_set.order_by("id").first()
    url = reverse("admin:donors_donor_lab_report_add", args=[donor.pk, bloodwork.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_a_lab_report_is_kept_privately_and_opened_only_by_coordinators_each_time_logged(
    client, make_donor, coordinator, volunteer, private_dir, settings
):
    donor = unclear(make_donor, coordinator)
    login(client, coordinator)
    assert upload(client, donor, PDF, name="Maya Example HCV.pdf").status_code == 302
    report = LabReport.objects.get()
    assert report.content_type == "application/pdf" and report.size == len(PDF)
    stored = private_dir / report.file.name
    assert stored.read_bytes() == PDF and "Maya" not in report.file.name
    assert settings.STATIC_ROOT not in stored.parents
    url = reverse("admin:donors_donor_lab_report", args=[donor.pk, report.pk])
    assert url in client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()

    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "no-cache" in response["Cache-Control"]
    reads = LogEntry.objects.get_for_object(report).filter(action=LogEntry.Action.ACCESS, actor=coordinator)
    assert reads.count() == 2

    client.logout()
    login(client, volunteer)
    assert client.get(url).status_code in (403, 404)
    client.logout()
    assert client.get(url).status_code == 302  # to the staff sign-in
    assert reads.count() == 2
    login(client, coordinator)
    other = make_donor()
    assert client.get(reverse("admin:donors_donor_lab_report", args=[other.pk, report.pk])).status_code == 404


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"<html><script>alert(1)</script></html>", "report.pdf", "not a PDF, PNG or JPEG"),
        (b"MZ\x90\x00 an executable", "report.png", "not a PDF, PNG or JPEG"),
        (b"", "empty.pdf", "The submitted file is empty."),
        (b"%PDF-" + b"0" * (1024 * 1024 + 1), "big.pdf", "larger than 1 MB"),
    ],
)
def test_a_file_that_is_not_a_report_is_refused_by_its_content(
    client, make_donor, coordinator, private_dir, settings, content, name, message
):
    settings.MILKBANK_LAB_REPORT_MAX_MB = 1
    donor = unclear(make_donor, coordinator)
    login(client, coordinator)
    response = upload(client, donor, content, name=name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not LabReport.objects.exists()
    assert not private_dir.exists() or not any(private_dir.rglob("*.*"))


def test_a_png_named_pdf_is_stored_as_the_png_it_is(client, make_donor, coordinator, private_dir):
    donor = unclear(make_donor, coordinator)
    login(client, coordinator)
    assert upload(client, donor, PNG, name="scan.pdf").status_code == 302
    report = LabReport.objects.get()
    assert report.content_type == "image/png" and report.file.name.endswith(".png")


def test_the_private_files_setting_decides_where_reports_go(make_donor, coordinator, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MILKBANK_PRIVATE_FILES_DIR = tmp_path / "elsewhere"
    donor = unclear(make_donor, coordinator)
    report = t.lab_report_attach(
        bloodwork=donor.bloodwork_set.get(),
        by=coordinator,
        upload=SimpleUploadedFile("x.pdf", PDF),
    )
    assert (tmp_path / "elsewhere" / report.file.name).is_file()
    with pytest.raises(ValueError, match="no public URL"):
        report.file.url  # noqa: B018


def test_no_report_is_attached_to_an_anonymized_record_nor_a_file_that_is_not_a_report(
    make_donor, coordinator, settings, tmp_path
):
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MILKBANK_PRIVATE_FILES_DIR = tmp_path
    donor = unclear(make_donor, coordinator)
    bloodwork = donor.bloodwork_set.get()
    program = SimpleUploadedFile("r.pdf", b"MZ\x90")
    with pytest.raises(ValidationError, match="not a PDF, PNG or JPEG"):  # the service checks it too
        t.lab_report_attach(bloodwork=bloodwork, by=coordinator, upload=program)
    Donor.objects.filter(pk=donor.pk).update(anonymized_at=timezone.now())
    with pytest.raises(t.TransitionRefused, match="anonymized"):
        t.lab_report_attach(bloodwork=bloodwork, by=coordinator, upload=SimpleUploadedFile("r.pdf", PDF))
    assert not LabReport.objects.exists()


# --- A donor without email (item 2) ---------------------------------------------------------------------


def test_without_an_email_address_the_link_is_given_by_the_coordinator_and_the_timeline_says_how(
    client, make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, email="", preferred_contact="text")
    login(client, coordinator)
    form = client.get(action_url(donor, "send-questionnaire")).content.decode()
    assert "This donor gave no email address" in form and "Email it to the donor" not in form
    mailoutbox.clear()
    response = client.post(action_url(donor, "send-questionnaire"), {"given_by": "text"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was emailed" in body and "shown only this once" in body
    token = re.search(r"/donate/q/([^/\s]+)/", body).group(1)
    assert re.search(r"/donate/s/[^/\s]+/", body)  # the status-page link goes with it
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    assert mailoutbox == []
    donor.refresh_from_db()
    assert donor.stage == Stage.QUESTIONNAIRE_SENT
    assert donor.timeline.filter(summary="Questionnaire link texted from the bank's phone").exists()
    page = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert "Questionnaire link texted from the bank&#x27;s phone" in page and token not in page
    assert client.get(f"/donate/q/{token}/").status_code == 200


def test_a_service_asked_to_email_a_donor_without_an_address_refuses(make_donor, coordinator, mailoutbox):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED, email="")
    with pytest.raises(t.TransitionRefused, match="no email address"):
        t.questionnaire_send(donor=donor, by=coordinator)
    given = t.questionnaire_send(donor=donor, by=coordinator, given_by="call")
    assert not given.emailed and given.url in given.message and given.status_url in given.message
    assert donor.timeline.filter(summary="Questionnaire link read out on a phone call").exists()


def test_the_status_link_without_email_is_given_the_same_way_and_can_be_stopped(
    client, make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.QUESTIONNAIRE_SUBMITTED)
    Donor.objects.filter(pk=donor.pk).update(email="")  # she asked us to forget the address
    login(client, coordinator)
    response = client.post(action_url(donor, "status-link"), {"given_by": "call"})
    token = re.search(r"/donate/s/([^/\s]+)/", response.content.decode()).group(1)
    assert client.get(f"/donate/s/{token}/").status_code == 200
    assert donor.timeline.filter(summary="Status page link read out on a phone call").exists()
    response = client.post(action_url(donor, "status-link"), {"given_by": "email"})
    assert response.status_code == 200 and "valid choice" in response.content.decode()

    assert client.post(action_url(donor, "revoke-links"), {}).status_code == 302
    assert not donor.links.filter(revoked_at__isnull=True).exists()
    assert client.get(f"/donate/s/{token}/").status_code == 404  # the "link not open" page
    assert "revoke-links" not in t.steps_open(donor, by=coordinator)


def test_with_an_email_address_the_link_is_emailed_with_the_status_page_link(
    make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED)
    mailoutbox.clear()
    given = t.questionnaire_send(donor=donor, by=coordinator)
    (mail,) = mailoutbox
    assert given.url in mail.body and given.status_url in mail.body
    assert given.status_url in mail.alternatives[0][0]


# --- The phone screen (item 7) --------------------------------------------------------------------------


def screen_post(**overrides):
    from donors.forms import PhoneScreenForm

    data = {f"q_{key}": "no" for key, _ in PhoneScreenForm.QUESTIONS}
    data.update(screened_at=timezone.localtime().strftime("%Y-%m-%dT%H:%M"), minutes="15", notes="")
    data.update(overrides)
    return data


def test_no_outcome_is_chosen_for_the_coordinator(client, make_donor, coordinator):
    donor = make_donor()
    login(client, coordinator)
    body = client.get(action_url(donor, "phone-screen")).content.decode()
    assert '<option value="" selected>Choose the outcome</option>' in body
    response = client.post(action_url(donor, "phone-screen"), screen_post())
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not donor.phone_screens.exists()


def test_the_questions_have_no_double_negatives():
    from donors.forms import PhoneScreenForm

    for _, text in PhoneScreenForm.QUESTIONS:
        assert not re.match(r"^(No|Not)\b", text) and text.endswith("?")


def test_not_able_to_donate_declines_in_the_same_step_with_the_reason(client, make_donor, coordinator):
    donor = make_donor()
    login(client, coordinator)
    response = client.post(action_url(donor, "phone-screen"), screen_post(outcome="not_eligible"))
    assert "Please give the reason." in response.content.decode()
    assert "Choose why the donor cannot give milk." in response.content.decode()
    assert not donor.phone_screens.exists()
    response = client.post(
        action_url(donor, "phone-screen"),
        screen_post(outcome="not_eligible", reason="Ongoing treatment", decline_reason="made-up"),
    )
    assert "Select a valid choice." in response.content.decode()
    assert not donor.phone_screens.exists()
    response = client.post(
        action_url(donor, "phone-screen"),
        screen_post(outcome="not_eligible", reason="Ongoing treatment", decline_reason="health"),
        follow=True,
    )
    assert "the donor is declined" in response.content.decode()
    donor.refresh_from_db()
    assert donor.stage == Stage.DECLINED and donor.exit_reason == "Ongoing treatment"
    assert donor.decline_reason == Donor.DeclineReason.HEALTH
    assert not donor.tasks.filter(kind=Task.Kind.CALL_BACK, done_at__isnull=True).exists()


def test_call_again_keeps_a_call_back_task(client, make_donor, coordinator):
    donor = make_donor()
    login(client, coordinator)
    response = client.post(action_url(donor, "phone-screen"), screen_post(outcome="follow_up"), follow=True)
    assert "call-back task stays open" in response.content.decode()
    donor.refresh_from_db()
    assert donor.stage == Stage.INQUIRY
    assert donor.tasks.filter(kind=Task.Kind.CALL_BACK, done_at__isnull=True).count() == 1


def test_not_now_defers_in_the_same_step_until_a_date(client, make_donor, coordinator):
    donor = make_donor()
    login(client, coordinator)
    response = client.post(
        action_url(donor, "phone-screen"), screen_post(outcome="deferred", reason="Newborn")
    )
    assert "Give the date." in response.content.decode()
    until = timezone.localdate() + datetime.timedelta(days=30)
    response = client.post(
        action_url(donor, "phone-screen"),
        screen_post(outcome="deferred", reason="Newborn", defer_until=until.isoformat()),
    )
    assert response.status_code == 302
    donor.refresh_from_db()
    assert (
        donor.stage == Stage.DEFERRED
        and donor.deferred_until == until
        and donor.return_stage == Stage.INQUIRY
    )


# --- Sign-off and releases (item 8) ---------------------------------------------------------------------


def test_sign_off_is_not_offered_to_the_person_who_signed(make_donor, coordinator, coordinator2):
    donor = make_donor(Stage.READY_FOR_SIGNOFF)
    t.donor_sign_off(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert "sign-off" not in t.steps_open(donor, by=coordinator)
    assert "sign-off" in t.steps_open(donor, by=coordinator2)


def test_a_release_is_filled_from_the_questionnaire_answer(client, make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SUBMITTED)
    q = donor.questionnaires.get()
    Questionnaire.objects.filter(pk=q.pk).update(
        answers={
            **q.answers,
            "provider_name": "Dr. Amara Okafor, Lakeside Clinic",
            "provider_phone": "612-555-0100",
        }
    )
    t.questionnaire_review(questionnaire=q, by=coordinator, decision=Questionnaire.Status.ACCEPTED)
    t.bloodwork_order(donor=donor, by=coordinator)
    release = donor.releases.get(kind="donor_provider")
    login(client, coordinator)
    body = client.get(reverse("admin:donors_donor_release", args=[donor.pk, release.pk])).content.decode()
    assert 'value="Dr. Amara Okafor, Lakeside Clinic"' in body and 'value="612-555-0100"' in body


# --- Deferrals end by themselves (item 9; issue 14 item 11) ---------------------------------------------


def test_the_daily_job_ends_deferrals_tells_the_donor_kindly_and_the_coordinators(
    make_donor, coordinator, mailoutbox
):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED, first_name="Ines")
    bereaved = make_donor(Stage.BLOODWORK_ORDERED, first_name="Rosa", bereaved=True)
    for d in (donor, bereaved):
        t.donor_defer(
            donor=d, by=coordinator, reason="Travel", until=timezone.localdate() + datetime.timedelta(1)
        )
    mailoutbox.clear()
    with time_machine.travel(timezone.now() + datetime.timedelta(days=2)):
        summary = send_reminders()
        assert summary.sent["deferral_ended"] == 2
        assert send_reminders().sent.get("deferral_ended") is None  # once
    donor.refresh_from_db()
    bereaved.refresh_from_db()
    assert (donor.stage, bereaved.stage) == (Stage.QUESTIONNAIRE_ACCEPTED, Stage.BLOODWORK_ORDERED)
    (to_ines,) = [m for m in mailoutbox if m.to == [donor.email]]
    (to_rosa,) = [m for m in mailoutbox if m.to == [bereaved.email]]
    assert "pause" in to_ines.subject.lower() and "Ines" in to_ines.body
    assert "time you needed" in to_rosa.body and "baby" not in to_rosa.body.lower()
    (to_staff,) = [m for m in mailoutbox if m.to == ["coordinators@example.org"] and "deferral" in m.subject]
    assert "2 deferrals ended" in to_staff.subject
    assert f"/admin/donors/donor/{donor.pk}/change/" in to_staff.body and "Ines" not in to_staff.body
    # One audit entry per ended deferral (never a bare bulk update).
    for d in (donor, bereaved):
        deferral = Deferral.objects.get(donor=d, kind="temporary")
        assert deferral.ended_at is not None
        assert LogEntry.objects.get_for_object(deferral).filter(action=LogEntry.Action.UPDATE).count() == 1


# --- The donor page (item 6) ----------------------------------------------------------------------------


class FormNesting(HTMLParser):
    def __init__(self):
        super().__init__()
        self.depth = 0
        self.nested = 0

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
            self.nested += self.depth > 1

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def assert_no_nested_forms(html, url):
    parser = FormNesting()
    parser.feed(html)
    assert parser.nested == 0, f"a form sits inside another on {url}"


def test_no_staff_page_has_a_form_inside_another(client, superuser, make_donor, coordinator):
    donors = [
        make_donor(stage) for stage in (Stage.INQUIRY, Stage.BLOODWORK_ORDERED, Stage.READY_FOR_SIGNOFF)
    ]
    unclear_donor = unclear(make_donor, coordinator)
    login(client, superuser)
    urls = {reverse("admin:index"), reverse("admin:donors_donor_dashboard")}
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls.add(reverse("admin:{}_{}_changelist".format(*info)))
        try:
            urls.add(reverse("admin:{}_{}_add".format(*info)))
        except NoReverseMatch:
            pass
        obj = model._default_manager.order_by("pk").first()
        if obj is not None:
            urls.add(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    for donor in [*donors, unclear_donor]:
        urls.add(reverse("admin:donors_donor_change", args=[donor.pk]))
        donor.refresh_from_db()
        for slug in t.steps_open(donor, by=superuser):
            if slug in ACTIONS:
                urls.add(action_url(donor, slug))
    checked = 0
    for url in sorted(urls):
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            assert_no_nested_forms(response.content.decode(), url)
            checked += 1
    assert checked >= 20


def test_the_task_form_stands_outside_the_edit_form(client, make_donor, coordinator):
    donor = make_donor()
    login(client, coordinator)
    body = client.get(reverse("admin:donors_donor_change", args=[donor.pk])).content.decode()
    assert body.index("Mark done") < body.index('id="donor_form"')
    assert body.index('id="timeline-title"') < body.index('id="donor_form"')


def test_the_audit_section_hides_readings_and_autosaves_unless_asked(client, make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    q = donor.questionnaires.get()
    t.questionnaire_save(questionnaire=q, answers={"smoke": "no"})
    login(client, coordinator)
    url = reverse("admin:donors_donor_change", args=[donor.pk])
    client.get(url)  # a reading
    body = client.get(url).content.decode()
    section = body[body.index('id="audit-title"') :]
    assert "Also show readings" in section
    assert "access" not in section.split("</table>")[0].lower().replace("accessible", "")
    full = client.get(url + "?audit=all").content.decode()
    section = full[full.index('id="audit-title"') :].split("</table>")[0]
    assert "access" in section.lower() and "last_saved_at" in section


# --- Demo data (item 11) --------------------------------------------------------------------------------


def test_the_demo_has_a_donor_at_each_exception_answers_to_review_and_different_waits(settings):
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from donors import questions

    settings.DEBUG = True
    call_command("seed_demo", stdout=__import__("io").StringIO())
    coordinator = get_user_model().objects.get(username="coordinator")
    by_name = {d.first_name: d for d in Donor.objects.all()}

    assert t.steps_open(by_name["Tamsin"], by=coordinator)[0] == "order-repeat"
    aroha = by_name["Aroha"]
    assert aroha.email == "" and aroha.stage == Stage.QUESTIONNAIRE_SENT
    assert aroha.timeline.filter(summary="Questionnaire link texted from the bank's phone").exists()
    assert by_name["Deja"].tasks.filter(kind=Task.Kind.CALL_BACK, done_at__isnull=True).exists()
    marisol = by_name["Marisol"]
    assert marisol.stage == Stage.DEFERRED and marisol.deferred_until < timezone.localdate()
    assert Donor.objects.needing_action().filter(pk=marisol.pk).exists()
    park = by_name["Hye-jin"]
    assert park.signoffs.count() == 1 and "sign-off" not in t.steps_open(park, by=park.signoffs.get().by)
    assert by_name["Zainab"].stage == Stage.DECLINED

    submitted = by_name["Hannah"].questionnaires.get()
    rows = questions.review_rows(submitted)
    answered = [r for r in rows if r.answer != "Not answered"]
    assert len(answered) >= len(rows) // 2 and submitted.answers["provider_name"]
    waits = {(timezone.now() - d.stage_changed_at).days for d in Donor.objects.all()}
    assert len(waits) >= 5 and max(waits) >= 21


def test_every_result_negative_in_one_tick_and_a_contradiction_is_refused(client, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    login(client, coordinator)
    today = timezone.localdate().isoformat()
    response = client.post(action_url(donor, "record-results"), {"drawn_on": today, "result_hiv": "negative"})
    assert "This field is required." in response.content.decode()
    response = client.post(
        action_url(donor, "record-results"),
        {"drawn_on": today, "all_negative": "on", "result_hcv": "reactive"},
    )
    assert "untick it, or change this" in response.content.decode()
    assert donor.bloodwork_set.get().status == Bloodwork.Status.ORDERED
    response = client.post(action_url(donor, "record-results"), {"drawn_on": today, "all_negative": "on"})
    assert response.status_code == 302
    assert donor.bloodwork_set.get().status == Bloodwork.Status.CLEAR


def test_a_release_received_in_one_click_takes_the_provider_from_the_answers(client, make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    q = donor.questionnaires.get()
    Questionnaire.objects.filter(pk=q.pk).update(answers={**q.answers, "provider_name": "Dr. Ruth Mbeki"})
    release = donor.releases.get(kind="donor_provider")
    url = reverse("admin:donors_donor_release_received", args=[donor.pk, release.pk])
    login(client, coordinator)
    assert client.get(url).status_code == 404  # a click, never a link
    response = client.post(url, follow=True)
    assert "Donor&#x27;s provider release received." in response.content.decode()
    release.refresh_from_db()
    assert release.status == "received" and release.received_on == timezone.localdate()
    assert release.provider_name == "Dr. Ruth Mbeki"


def test_anonymizing_a_donor_removes_her_lab_reports_and_their_files(
    make_donor, coordinator, private_dir, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from donors import privacy

    donor = unclear(make_donor, coordinator)
    report = t.lab_report_attach(
        bloodwork=donor.bloodwork_set.get(),
        by=coordinator,
        upload=SimpleUploadedFile("x.pdf", PDF),
    )
    stored = private_dir / report.file.name
    assert privacy.donor_export(donor=donor)["bloodwork"][0]["lab_reports"][0]["type"] == "PDF"
    t.donor_withdraw(donor=donor, by=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.donor_anonymize(donor=donor, by=coordinator)
    assert not LabReport.objects.exists()
    assert not stored.exists()
    assert donor.bloodwork_set.count() == 1  # the statistics stay


def test_finishing_a_donor_without_email_says_to_call_rather_than_emailed(client, make_donor, coordinator):
    donor = make_donor(Stage.APPROVED)
    Donor.objects.filter(pk=donor.pk).update(email="")
    login(client, coordinator)
    body = client.post(action_url(donor, "finish"), {}, follow=True).content.decode()
    assert "no email address: please call to say thank you" in body and "was emailed" not in body


def test_a_step_opens_the_one_that_usually_follows_when_it_is_open(client, make_donor, coordinator):
    donor = make_donor()
    login(client, coordinator)
    response = client.post(action_url(donor, "phone-screen"), screen_post(outcome="passed"))
    assert response["Location"] == action_url(donor, "send-questionnaire")
    other = make_donor()
    response = client.post(action_url(other, "phone-screen"), screen_post(outcome="follow_up"))
    assert response["Location"] == reverse("admin:donors_donor_change", args=[other.pk])
    ready = make_donor(Stage.BLOODWORK_ORDERED)
    for release in ready.releases.all():
        t.release_update(release=release, by=coordinator, status="received")
    today = timezone.localdate().isoformat()
    response = client.post(action_url(ready, "record-results"), {"drawn_on": today, "all_negative": "on"})
    assert response["Location"] == action_url(ready, "sign-off")


def test_a_decline_from_the_donor_page_asks_which_group_of_reasons(client, make_donor, coordinator):
    """The funnel report counts declines by these groups; the words stay the coordinator's own."""
    donor = make_donor()
    login(client, coordinator)
    url = action_url(donor, "decline")
    body = client.post(url, {"reason": "Takes a medicine not safe for babies"}).content.decode()
    assert "Choose why the donor cannot give milk." in body
    donor.refresh_from_db()
    assert donor.stage == Stage.INQUIRY
    client.post(url, {"reason": "Takes a medicine not safe for babies", "decline_reason": "medicines"})
    donor.refresh_from_db()
    assert donor.stage == Stage.DECLINED and donor.decline_reason == Donor.DeclineReason.MEDICINES


def test_a_service_refuses_a_decline_reason_outside_the_groups(make_donor, coordinator):
    donor = make_donor()
    with pytest.raises(t.TransitionRefused):
        t.donor_decline(donor=donor, by=coordinator, reason="x", decline_reason="<script>")
    donor.refresh_from_db()
    assert donor.stage == Stage.INQUIRY


def test_answers_found_not_acceptable_need_a_group_of_reasons_too():
    from donors.forms import ReviewForm

    form = ReviewForm({"decision": "not_acceptable", "note": "Recent transfusion"})
    assert not form.is_valid() and form.errors["decline_reason"] == ["Choose why the donor cannot give milk."]
    form = ReviewForm(
        {"decision": "needs_follow_up", "note": "Ask about the medicine", "decline_reason": "health"}
    )
    assert form.is_valid() and form.service_kwargs()["decline_reason"] == ""  # only a decline keeps a group
    form = ReviewForm(
        {"decision": "not_acceptable", "note": "Recent transfusion", "decline_reason": "health"}
    )
    assert form.is_valid() and form.service_kwargs()["decline_reason"] == "health"
