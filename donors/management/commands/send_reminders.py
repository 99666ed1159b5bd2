from django.core.management.base import BaseCommand

from donors.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Send due reminders to donors and the daily summary to coordinators. Run from cron; safe to repeat."
    )

    def handle(self, *args, **options):
        summary = send_reminders()
        if not summary.sent:
            self.stdout.write("Nothing to send.")
        for kind, count in sorted(summary.sent.items()):
            self.stdout.write(f"{kind}: {count} sent")
