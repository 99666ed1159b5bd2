"""Reminders for donors and the coordinators' daily summary. Safe to run any number of times a day.

Deferrals whose end date has come are ended here, so a paused donor is never left waiting for someone to
remember her. Each reminder is claimed in `ReminderSent` (unique per donor, kind and key) before it is sent,
so a second run, or two runs at once, never send the same reminder twice. Bereaved donors get one gentle
reminder where others get two, and anyone who opted out gets none.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from . import notify, transitions
from .models import Donor, Release, ReminderSent

Stage = Donor.Stage
BLOODWORK_WARNING_DAYS = 14
DEFERRAL_WARNING_DAYS = 7


@dataclass
class Summary:
    sent: dict[str, int] = field(default_factory=dict)

    def count(self, kind):
        self.sent[kind] = self.sent.get(kind, 0) + 1


def _claim(*, donor, kind: str, key: str) -> bool:
    """Record that this reminder goes out now; False if it already went."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(donor=donor, kind=kind, key=key)
    except IntegrityError:
        return False
    return True


def _remind(donor, kind, key, template, context, summary):
    if donor.reminders_opt_out or not donor.email:
        return
    if _claim(donor=donor, kind=kind, key=key):
        notify.email_donor(donor=donor, name=template, context=context, summary=f"reminder: {kind}")
        summary.count(kind)


def send_reminders(*, now: datetime.datetime | None = None) -> Summary:
    """Send what is due at `now` (default: this moment)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    days = settings.MILKBANK["REMINDER_AFTER_DAYS"]
    summary = Summary()

    # The questionnaire not started or not finished: after N days, again after 2N (once if bereaved).
    for donor in Donor.objects.filter(
        stage=Stage.QUESTIONNAIRE_SENT, stage_changed_at__lt=now - datetime.timedelta(days=days)
    ):
        waited = (now - donor.stage_changed_at).days
        rounds = 1 if donor.bereaved else min(2, waited // days)
        key = f"{donor.stage_changed_at:%Y%m%d}:{rounds}"
        _remind(donor, "questionnaire", key, "reminder_questionnaire", {"waited_days": waited}, summary)

    # Bloodwork about to lapse for approved donors.
    valid_days = settings.MILKBANK["BLOODWORK_VALID_DAYS"]
    horizon = today - datetime.timedelta(days=valid_days - BLOODWORK_WARNING_DAYS)
    for donor in (
        Donor.objects.approved()
        .filter(bloodwork__status="clear", bloodwork__drawn_on__lte=horizon)
        .distinct()
    ):
        until = donor.bloodwork_valid_until()
        if until and today <= until <= today + datetime.timedelta(days=BLOODWORK_WARNING_DAYS):
            _remind(
                donor, "bloodwork", f"{until:%Y%m%d}", "reminder_bloodwork", {"valid_until": until}, summary
            )

    # Deferrals that have ended: back to their step, the donor told (in deferral_end), the coordinators too.
    ended = []
    for donor in Donor.objects.filter(stage=Stage.DEFERRED, deferred_until__lte=today).order_by("pk"):
        try:
            back_to = transitions.deferral_end(donor=donor, by=None)
        except transitions.TransitionRefused:
            continue  # moved by a coordinator meanwhile
        ended.append({"pk": donor.pk, "stage_label": Stage(back_to).label, "emailed": bool(donor.email)})
        summary.count("deferral_ended")
    if ended:
        notify.email_coordinators(name="coordinator_deferrals_ended", context={"donors": ended})

    # Deferrals ending soon: a gentle note that we will be in touch.
    for donor in Donor.objects.filter(
        stage=Stage.DEFERRED,
        deferred_until__range=(today, today + datetime.timedelta(days=DEFERRAL_WARNING_DAYS)),
    ):
        _remind(donor, "deferral", f"{donor.deferred_until:%Y%m%d}", "reminder_deferral", {}, summary)

    # The coordinators' daily summary, once a day.
    if _claim(donor=None, kind="coordinator_summary", key=today.isoformat()):
        outstanding = Release.objects.filter(
            donor__stage__in=[Stage.BLOODWORK_ORDERED, Stage.BLOODWORK_RESULTED],
            status__in=[Release.Status.NOT_SENT, Release.Status.SENT],
        ).count()
        context = {
            "today": today,
            "needing_action": Donor.objects.needing_action().count(),
            "overdue": Donor.objects.overdue().count(),
            "ready_for_signoff": Donor.objects.filter(stage=Stage.READY_FOR_SIGNOFF).count(),
            "releases_outstanding": outstanding,
            "deferrals_ending": Donor.objects.filter(stage=Stage.DEFERRED, deferred_until__lte=today).count(),
            "donor_reminders": sum(summary.sent.values()),
        }
        notify.email_coordinators(name="coordinator_daily_summary", context=context)
        summary.count("coordinator_summary")
    return summary
