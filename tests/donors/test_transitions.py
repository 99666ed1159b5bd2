"""The lifecycle rules: each move that should be refused is refused, with the message staff will see."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from donors import transitions as t
from donors.models import (
    AccessLink,
    BloodTest,
    Bloodwork,
    Counter,
    Deferral,
    Donor,
    DropOff,
    Questionnaire,
    Release,
    SignOff,
    Task,
)
from tests.donors.conftest import NEGATIVE

pytestmark = pytest.mark.django_db
Stage = Donor.Stage


def test_it_walks_a_donor_from_inquiry_to_approved_with_two_signoffs(make_donor, mailoutbox):
    donor = make_donor(Stage.APPROVED)
    assert donor.stage == Stage.APPROVED
    assert donor.donor_number == 1
    assert donor.approved_on == timezone.localdate()
    assert donor.signoffs.count() == 2
    stages = list(donor.timeline.filter(kind="stage").exclude(to_stage="").values_list("to_stage", flat=True))
    assert stages[0] == Stage.APPROVED  # newest first
    assert Stage.READY_FOR_SIGNOFF in stages and Stage.QUESTIONNAIRE_SENT in stages
    subjects = [m.subject for m in mailoutbox]
    assert any("questionnaire" in s.lower() for s in subjects)
    (welcome,) = [m for m in mailoutbox if "Welcome as a milk donor" in m.subject]
    assert "/donate/s/" in welcome.body  # the private page with the depots' addresses


def test_inquiry_needs_consent_and_a_way_to_reach_the_donor():
    with pytest.raises(t.TransitionRefused, match="agree to be contacted"):
        t.donor_create_inquiry(first_name="Ana", phone="555", contact_consent=False)
    with pytest.raises(t.TransitionRefused, match="phone number or an email"):
        t.donor_create_inquiry(first_name="Ana", contact_consent=True)
    assert not Donor.objects.exists()


def test_inquiry_opens_a_call_back_task_closed_by_the_phone_screen(make_donor, coordinator):
    donor = make_donor()
    task = donor.tasks.get(kind=Task.Kind.CALL_BACK)
    assert task.done_at is None
    t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="passed")
    task.refresh_from_db()
    assert task.done_at is not None


def test_the_questionnaire_is_never_sent_before_a_passing_phone_screen(make_donor, coordinator):
    donor = make_donor()
    with pytest.raises(
        t.TransitionRefused, match="Cannot send the questionnaire while the donor is at “Inquiry”"
    ):
        t.questionnaire_send(donor=donor, by=coordinator)
    t.phone_screen_record(donor=donor, by=coordinator, minutes=15, answers={}, outcome="follow_up")
    donor.refresh_from_db()
    assert donor.stage == Stage.INQUIRY
    assert not AccessLink.objects.exists()


def test_a_phone_screen_outside_its_limits_is_refused_and_nothing_saved(make_donor, coordinator):
    from django.core.exceptions import ValidationError

    donor = make_donor()
    with pytest.raises(ValidationError):
        t.phone_screen_record(donor=donor, by=coordinator, minutes=0, answers={}, outcome="passed")
    with pytest.raises(ValidationError):
        t.phone_screen_record(donor=donor, by=coordinator, minutes=20, answers={}, outcome="maybe")
    donor.refresh_from_db()
    assert donor.stage == Stage.INQUIRY
    assert not donor.phone_screens.exists()


def test_sending_again_revokes_the_old_link_and_keeps_one_active(make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    first = donor.links.get(purpose="questionnaire")
    t.questionnaire_send(donor=donor, by=coordinator)
    first.refresh_from_db()
    assert first.revoked_at is not None
    # One live link of each kind: the questionnaire, and the status page that goes with it.
    live = donor.links.filter(revoked_at__isnull=True)
    assert sorted(live.values_list("purpose", flat=True)) == ["questionnaire", "status"]
    assert donor.questionnaires.count() == 1  # the same draft, now behind the new link


def test_one_active_link_per_donor_and_purpose_is_a_database_rule(make_donor):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    with pytest.raises(IntegrityError), transaction.atomic():
        AccessLink.objects.create(
            donor=donor,
            purpose="questionnaire",
            digest="f" * 64,
            expires_at=timezone.now() + datetime.timedelta(days=1),
        )


def test_submitted_answers_are_frozen(make_donor):
    donor = make_donor(Stage.QUESTIONNAIRE_SUBMITTED)
    q = donor.questionnaires.get()
    with pytest.raises(t.TransitionRefused, match="can no longer change"):
        t.questionnaire_save(questionnaire=q, answers={"smoke": "yes"})
    with pytest.raises(t.TransitionRefused):
        t.questionnaire_submit(questionnaire=q, answers={}, flags=[])
    q.refresh_from_db()
    assert q.answers == {"smoke": "no"}


def test_flagged_answers_make_a_review_task_not_a_decline(make_donor):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    q = donor.questionnaires.get()
    t.questionnaire_submit(questionnaire=q, answers={"tattoo": "yes"}, flags=["tattoo"])
    donor.refresh_from_db()
    assert donor.stage == Stage.QUESTIONNAIRE_SUBMITTED
    assert donor.tasks.filter(kind=Task.Kind.REVIEW_FLAGS, done_at__isnull=True).exists()


def test_review_needs_a_reason_unless_accepting_and_not_acceptable_declines(make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SUBMITTED)
    q = donor.questionnaires.get()
    with pytest.raises(t.TransitionRefused, match="give the reason"):
        t.questionnaire_review(questionnaire=q, by=coordinator, decision="not_acceptable", note="  ")
    t.questionnaire_review(questionnaire=q, by=coordinator, decision="needs_follow_up", note="Ask about meds")
    donor.refresh_from_db()
    assert donor.stage == Stage.QUESTIONNAIRE_SUBMITTED
    t.questionnaire_review(
        questionnaire=q, by=coordinator, decision="not_acceptable", note="Ongoing treatment"
    )
    donor.refresh_from_db()
    assert donor.stage == Stage.DECLINED
    assert donor.deferrals.get().kind == Deferral.Kind.PERMANENT


def test_bloodwork_order_opens_both_releases_or_one_when_bereaved_and_waived(make_donor, settings):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    assert set(donor.releases.values_list("kind", flat=True)) == {"donor_provider", "infant_provider"}
    assert donor.bloodwork_set.get().tests.count() == 5
    bereaved = make_donor(Stage.BLOODWORK_ORDERED, bereaved=True)
    assert list(bereaved.releases.values_list("kind", flat=True)) == ["donor_provider"]
    settings.MILKBANK = {**settings.MILKBANK, "WAIVE_INFANT_RELEASE_WHEN_BEREAVED": False}
    not_waived = make_donor(Stage.BLOODWORK_ORDERED, bereaved=True)
    assert not_waived.releases.count() == 2


def test_a_confirmed_reactive_result_declines_and_asks_to_tell_the_provider(make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    bw = donor.bloodwork_set.get()
    results = {**NEGATIVE, "hcv": BloodTest.Result.REACTIVE}
    t.bloodwork_record_results(
        bloodwork=bw, by=coordinator, drawn_on=timezone.localdate(), results=results, confirmed={"hcv": True}
    )
    donor.refresh_from_db()
    bw.refresh_from_db()
    assert bw.status == Bloodwork.Status.REACTIVE
    assert donor.stage == Stage.DECLINED
    assert donor.decline_reason == Donor.DeclineReason.BLOODWORK
    assert donor.tasks.filter(kind=Task.Kind.TELL_PROVIDER, done_at__isnull=True).exists()


def test_an_indeterminate_result_opens_a_follow_up_and_keeps_the_stage(make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    bw = donor.bloodwork_set.get()
    t.bloodwork_record_results(
        bloodwork=bw,
        by=coordinator,
        drawn_on=timezone.localdate(),
        results={**NEGATIVE, "htlv": BloodTest.Result.INDETERMINATE},
    )
    donor.refresh_from_db()
    assert donor.stage == Stage.BLOODWORK_ORDERED
    assert donor.tasks.filter(kind=Task.Kind.FOLLOW_UP_RESULT).exists()


def test_results_need_every_test_a_past_draw_date_and_are_recorded_once(make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    bw = donor.bloodwork_set.get()
    with pytest.raises(
        t.TransitionRefused, match="Enter a result for every test: HIV-1/2, HTLV-I/II, Hepatitis B, Syphilis."
    ):
        t.bloodwork_record_results(
            bloodwork=bw, by=coordinator, drawn_on=timezone.localdate(), results={"hcv": "negative"}
        )
    with pytest.raises(t.TransitionRefused, match="future"):
        t.bloodwork_record_results(
            bloodwork=bw,
            by=coordinator,
            drawn_on=timezone.localdate() + datetime.timedelta(days=1),
            results=NEGATIVE,
        )
    t.bloodwork_record_results(bloodwork=bw, by=coordinator, drawn_on=timezone.localdate(), results=NEGATIVE)
    with pytest.raises(t.TransitionRefused, match="no ordered bloodwork to act on"):
        t.bloodwork_record_results(
            bloodwork=bw, by=coordinator, drawn_on=timezone.localdate(), results=NEGATIVE
        )


def test_sign_off_waits_for_every_release(make_donor, coordinator):
    donor = make_donor(Stage.BLOODWORK_ORDERED)
    bw = donor.bloodwork_set.get()
    t.bloodwork_record_results(bloodwork=bw, by=coordinator, drawn_on=timezone.localdate(), results=NEGATIVE)
    donor.refresh_from_db()
    assert donor.stage == Stage.BLOODWORK_RESULTED
    assert "the infant's provider release" in t.missing_for_signoff(donor)
    for release in donor.releases.all():
        t.release_update(release=release, by=coordinator, status=Release.Status.RECEIVED)
    donor.refresh_from_db()
    assert donor.stage == Stage.READY_FOR_SIGNOFF


def test_the_same_person_cannot_sign_off_twice(make_donor, coordinator):
    donor = make_donor(Stage.READY_FOR_SIGNOFF)
    assert t.donor_sign_off(donor=donor, by=coordinator) is False
    with pytest.raises(t.TransitionRefused, match="already signed off"):
        t.donor_sign_off(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert donor.stage == Stage.READY_FOR_SIGNOFF
    assert donor.donor_number is None
    with pytest.raises(IntegrityError), transaction.atomic():
        SignOff.objects.create(donor=donor, screening_round=1, by=coordinator)


def test_donor_numbers_are_never_reused(make_donor):
    first = make_donor(Stage.APPROVED)
    second = make_donor(Stage.APPROVED)
    assert second.donor_number == first.donor_number + 1
    assert Counter.objects.get(name="donor_number").value == second.donor_number


def test_a_deferral_returns_the_donor_to_their_step_after_it_ends(make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    until = timezone.localdate() + datetime.timedelta(days=30)
    with pytest.raises(t.TransitionRefused, match="after today"):
        t.donor_defer(donor=donor, by=coordinator, reason="Recent travel", until=timezone.localdate())
    t.donor_defer(donor=donor, by=coordinator, reason="Recent travel", until=until)
    donor.refresh_from_db()
    assert donor.stage == Stage.DEFERRED
    with pytest.raises(t.TransitionRefused, match="runs until"):
        t.deferral_end(donor=donor, by=coordinator)
    Donor.objects.filter(pk=donor.pk).update(deferred_until=timezone.localdate())
    assert Donor.objects.needing_action().filter(pk=donor.pk).exists()
    donor.refresh_from_db()
    t.deferral_end(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert donor.stage == Stage.QUESTIONNAIRE_ACCEPTED
    assert donor.deferred_until is None


def test_withdraw_and_decline_close_the_file_and_revoke_links(make_donor, coordinator):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    t.donor_withdraw(donor=donor, by=coordinator, reason="Changed her mind")
    donor.refresh_from_db()
    assert donor.stage == Stage.WITHDRAWN
    assert not donor.links.filter(revoked_at__isnull=True).exists()
    with pytest.raises(t.TransitionRefused, match="already closed"):
        t.donor_decline(donor=donor, by=coordinator, reason="x")


def test_research_only_needs_consent_skips_screening_and_gets_a_number(make_donor, coordinator):
    donor = make_donor()
    with pytest.raises(t.TransitionRefused, match="consent"):
        t.donor_move_to_research(donor=donor, by=coordinator, consent=False)
    t.donor_move_to_research(donor=donor, by=coordinator, consent=True)
    donor.refresh_from_db()
    assert donor.stage == Stage.RESEARCH_ONLY
    assert donor.pathway == Donor.Pathway.RESEARCH
    assert donor.donor_number is not None


def _dropoff(donor, by, use):
    today = timezone.localdate()
    return DropOff(
        donor=donor,
        channel=DropOff.Channel.BROUGHT,
        received_by=by,
        containers=2,
        volume_ml=500,
        expressed_from=today - datetime.timedelta(days=3),
        expressed_to=today,
        health_declaration=True,
        use=use,
    )


@pytest.mark.parametrize("stage", [Stage.RESEARCH_ONLY, Stage.READY_FOR_SIGNOFF])
def test_the_database_refuses_clinical_milk_from_a_donor_not_approved_for_it(make_donor, coordinator, stage):
    donor = make_donor(Stage.READY_FOR_SIGNOFF if stage == Stage.READY_FOR_SIGNOFF else Stage.INQUIRY)
    if stage == Stage.RESEARCH_ONLY:
        t.donor_move_to_research(donor=donor, by=coordinator, consent=True)
    with pytest.raises(IntegrityError, match="donors_dropoff_clinical_donor"), transaction.atomic():
        _dropoff(donor, coordinator, DropOff.Use.CLINICAL).save()
    assert not DropOff.objects.exists()


def test_research_milk_can_never_become_clinical_even_through_the_orm(make_donor, coordinator):
    donor = make_donor(Stage.APPROVED)
    research = _dropoff(donor, coordinator, DropOff.Use.RESEARCH)
    research.save()
    with pytest.raises(IntegrityError, match="donors_dropoff_research_stays_research"), transaction.atomic():
        DropOff.objects.filter(pk=research.pk).update(use=DropOff.Use.CLINICAL)
    clinical = _dropoff(donor, coordinator, DropOff.Use.CLINICAL)
    clinical.save()
    with (
        pytest.raises(IntegrityError, match="donors_donor_pathway_keeps_clinical_milk"),
        transaction.atomic(),
    ):
        Donor.objects.filter(pk=donor.pk).update(pathway=Donor.Pathway.RESEARCH)
    with pytest.raises(t.TransitionRefused, match="milk for babies on record"):
        Donor.objects.filter(pk=donor.pk).update(stage=Stage.INQUIRY)
        t.donor_move_to_research(donor=donor, by=coordinator, consent=True)


def test_finishing_thanks_a_bereaved_donor_gently_with_their_total(make_donor, coordinator, mailoutbox):
    donor = make_donor(Stage.APPROVED, bereaved=True)
    _dropoff(donor, coordinator, DropOff.Use.CLINICAL).save()
    mailoutbox.clear()
    t.donor_finish(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert donor.stage == Stage.INACTIVE
    assert donor.thanked_at is not None
    (mail,) = mailoutbox
    body = " ".join(mail.body.split())
    assert "500 mL" in body
    assert "Forever Butterflies" in body
    assert "your baby's first name" in body
    html = mail.alternatives[0][0]
    assert "Forever Butterflies" in html


def test_messages_to_bereaved_donors_never_assume_a_living_baby(make_donor, mailoutbox):
    make_donor(Stage.APPROVED, bereaved=True)
    words = ("your baby is", "your baby's health", "feeding your baby", "your little one", "your newborn")
    for mail in mailoutbox:
        text = (mail.body + mail.alternatives[0][0]).lower()
        assert not any(w in text for w in words), mail.subject


def test_a_donor_with_an_ended_questionnaire_round_keeps_old_answers(make_donor):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    q = donor.questionnaires.get()
    assert q.status == Questionnaire.Status.ACCEPTED
    assert q.question_set  # the version these answers reply to


@pytest.mark.parametrize("exit_to", ["research", "withdraw", "decline"])
def test_every_way_out_of_an_inquiry_closes_its_call_back_task(make_donor, coordinator, exit_to):
    donor = make_donor()
    if exit_to == "research":
        t.donor_move_to_research(donor=donor, by=coordinator, consent=True)
    elif exit_to == "withdraw":
        t.donor_withdraw(donor=donor, by=coordinator)
    else:
        t.donor_decline(donor=donor, by=coordinator, reason="Not eligible")
    assert not donor.tasks.filter(kind=Task.Kind.CALL_BACK, done_at__isnull=True).exists()


def test_a_later_failed_phone_screen_outweighs_an_earlier_pass(make_donor, coordinator):
    donor = make_donor(Stage.PHONE_SCREEN_PASSED)
    t.phone_screen_record(donor=donor, by=coordinator, minutes=10, answers={}, outcome="follow_up")
    with pytest.raises(t.TransitionRefused, match="only after a passing phone screen"):
        t.questionnaire_send(donor=donor, by=coordinator)


def test_re_approval_after_bloodwork_lapsed_needs_a_new_round_and_two_new_signoffs(
    make_donor, coordinator, coordinator2, settings
):
    donor = make_donor(Stage.APPROVED)
    number = donor.donor_number
    t.donor_defer(
        donor=donor, by=coordinator, reason="Illness", until=timezone.localdate() + datetime.timedelta(days=5)
    )
    Bloodwork.objects.filter(donor=donor).update(drawn_on=timezone.localdate() - datetime.timedelta(days=400))
    Donor.objects.filter(pk=donor.pk).update(deferred_until=timezone.localdate())
    donor.refresh_from_db()
    t.deferral_end(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert donor.stage == Stage.PHONE_SCREEN_PASSED and donor.screening_round == 2
    from tests.donors.conftest import walk

    walk(donor, Stage.READY_FOR_SIGNOFF, by=coordinator, by2=coordinator2)
    assert donor.questionnaires.count() == 2  # the re-screen made a new version; the first is kept
    assert t.donor_sign_off(donor=donor, by=coordinator) is False  # the old approval's sign-offs do not count
    assert t.donor_sign_off(donor=donor, by=coordinator2) is True
    donor.refresh_from_db()
    assert donor.stage == Stage.APPROVED and donor.donor_number == number


def test_a_mail_server_failure_never_undoes_a_step(make_donor, coordinator, caplog):
    from smtplib import SMTPException
    from unittest import mock

    donor = make_donor(Stage.READY_FOR_SIGNOFF)
    t.donor_sign_off(donor=donor, by=coordinator)
    other = type(coordinator).objects.get(username="robin")
    with mock.patch("donors.notify.EmailMultiAlternatives.send", side_effect=SMTPException("down")):
        assert t.donor_sign_off(donor=donor, by=other) is True
    donor.refresh_from_db()
    assert donor.stage == Stage.APPROVED
    assert donor.timeline.filter(summary__startswith="Email could not be sent").exists()
    assert donor.email not in caplog.text


@pytest.mark.after_commit
def test_no_mail_goes_for_a_step_that_rolls_back(
    make_donor, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    from django.db import transaction

    donor = make_donor(Stage.APPROVED, bereaved=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as waiting:
        with pytest.raises(RuntimeError), transaction.atomic():
            t.status_link_send(donor=donor, by=coordinator)
            raise RuntimeError("something later in the same step failed")
    assert waiting == []
    assert mailoutbox == []
    assert not donor.timeline.filter(summary__startswith="Emailed").exists()


@pytest.mark.after_commit
def test_mail_goes_once_the_step_is_saved(
    make_donor, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    donor = make_donor(Stage.APPROVED, bereaved=True)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        t.donor_finish(donor=donor, by=coordinator)
    assert mailoutbox == []  # not while the transaction was open
    for work in waiting:
        work()
    assert len(mailoutbox) == 1
    donor.refresh_from_db()
    assert donor.thanked_at is not None
    assert donor.timeline.filter(summary="Emailed: thank-you for donating").exists()


@pytest.mark.after_commit
def test_a_mail_server_failure_after_the_step_leaves_the_step_saved(
    make_donor, coordinator, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "tests.donors.test_transitions.RefusingBackend"
    donor = make_donor(Stage.APPROVED, bereaved=True)
    with django_capture_on_commit_callbacks(execute=True):
        t.donor_finish(donor=donor, by=coordinator)
    donor.refresh_from_db()
    assert donor.stage == Stage.INACTIVE
    assert donor.thanked_at is None
    assert donor.timeline.filter(summary="Email could not be sent: thank-you for donating").exists()


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("connection refused")
