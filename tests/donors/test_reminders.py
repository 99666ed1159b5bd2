"""send_reminders: due reminders go out once, bereaved donors get one gentle reminder, opt-outs get none."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from donors import transitions as t
from donors.models import Donor, ReminderSent
from donors.reminders import send_reminders

pytestmark = pytest.mark.django_db
Stage = Donor.Stage


def age(donor, days):
    Donor.objects.filter(pk=donor.pk).update(stage_changed_at=timezone.now() - datetime.timedelta(days=days))


def donor_mail(mailoutbox, donor):
    return [m for m in mailoutbox if m.to == [donor.email]]


def test_running_twice_sends_nothing_twice(make_donor, mailoutbox):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    age(donor, 8)
    mailoutbox.clear()
    first = send_reminders()
    assert first.sent == {"questionnaire": 1, "coordinator_summary": 1}
    second = send_reminders()
    assert second.sent == {}
    assert len(donor_mail(mailoutbox, donor)) == 1
    assert len([m for m in mailoutbox if "Donor summary" in m.subject]) == 1


def test_non_bereaved_donors_get_a_second_reminder_and_bereaved_donors_only_one(make_donor, mailoutbox):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT)
    bereaved = make_donor(Stage.QUESTIONNAIRE_SENT, bereaved=True)
    age(donor, 8)
    age(bereaved, 8)
    send_reminders()
    send_reminders(now=timezone.now() + datetime.timedelta(days=7))
    send_reminders(now=timezone.now() + datetime.timedelta(days=30))
    assert len(donor_mail(mailoutbox, donor)) - 1 == 2  # minus the link email itself
    gentle = donor_mail(mailoutbox, bereaved)[1:]
    assert len(gentle) == 1
    assert "only reminder" in " ".join(gentle[0].body.split())


def test_donors_who_opted_out_get_no_reminders(make_donor, mailoutbox):
    donor = make_donor(Stage.QUESTIONNAIRE_SENT, reminders_opt_out=True)
    age(donor, 30)
    mailoutbox.clear()
    send_reminders()
    assert donor_mail(mailoutbox, donor) == []


def test_approved_donors_hear_before_their_bloodwork_lapses(make_donor, mailoutbox, settings):
    donor = make_donor(Stage.APPROVED)
    bw = donor.bloodwork_set.get()
    bw.drawn_on = timezone.localdate() - datetime.timedelta(
        days=settings.MILKBANK["BLOODWORK_VALID_DAYS"] - 10
    )
    bw.save(update_fields=["drawn_on"])
    mailoutbox.clear()
    assert send_reminders().sent.get("bloodwork") == 1
    assert send_reminders().sent.get("bloodwork") is None


def test_a_deferral_ending_soon_sends_a_note(make_donor, coordinator, mailoutbox):
    donor = make_donor(Stage.QUESTIONNAIRE_ACCEPTED)
    t.donor_defer(
        donor=donor, by=coordinator, reason="Travel", until=timezone.localdate() + datetime.timedelta(days=3)
    )
    mailoutbox.clear()
    assert send_reminders().sent.get("deferral") == 1


def test_the_command_prints_what_it_sent(make_donor, capsys):
    call_command("send_reminders")
    assert "coordinator_summary: 1 sent" in capsys.readouterr().out
    call_command("send_reminders")
    assert "Nothing to send." in capsys.readouterr().out
    assert ReminderSent.objects.filter(kind="coordinator_summary").count() == 1
