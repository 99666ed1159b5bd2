"""Anonymize donor files closed longer ago than the retention period. A dry run unless `--apply`.

Prints counts only, never a name: this output may end up in a cron mail or a log.
"""

from collections import Counter

from django.core.management.base import BaseCommand

from donors import privacy
from donors.models import Donor
from donors.transitions import TransitionRefused


class Command(BaseCommand):
    help = (
        "Anonymize donors whose file (declined, withdrawn or inactive) closed longer ago than "
        "MILKBANK_RETENTION_YEARS. Shows what it would do unless --apply is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--apply", action="store_true", help="Really anonymize them (the default is a dry run)."
        )

    def handle(self, *args, apply=False, **options):
        years = privacy.retention_years()
        cutoff = privacy.retention_cutoff()
        due = privacy.donors_past_retention()
        by_stage = Counter(due.values_list("stage", flat=True))
        total = sum(by_stage.values())
        self.stdout.write(
            f"Retention period: {years} years. Files closed before {cutoff:%Y-%m-%d} are past it."
        )
        for stage, count in sorted(by_stage.items()):
            self.stdout.write(f"  {Donor.Stage(stage).label}: {count}")
        if not apply:
            self.stdout.write(
                f"Dry run: {total} donor file(s) would be anonymized. Run with --apply to do it."
            )
            return
        done = failed = 0
        for donor in due.iterator():
            try:
                privacy.donor_anonymize(donor=donor, by=None)
            except TransitionRefused:
                failed += 1  # changed since the list was read (another run, or staff): left as it is
            else:
                done += 1
        self.stdout.write(self.style.SUCCESS(f"Anonymized {done} donor file(s)."))
        if failed:
            self.stdout.write(
                self.style.WARNING(f"{failed} file(s) changed meanwhile and were left as they are.")
            )
