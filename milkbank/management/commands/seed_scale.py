"""Seed a large, realistic data set for the scale benchmark (see milkbank/bench/scale.py)."""

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from milkbank.bench import scale


class Command(BaseCommand):
    help = (
        "Create N donors and M drop-offs of realistic scale data (marked @scale.invalid). Refuses to run "
        "twice unless --replace, which removes only the rows it made before."
    )

    def add_arguments(self, parser):
        parser.add_argument("--donors", type=int, default=100_000)
        parser.add_argument("--dropoffs", type=int, default=1_000_000)
        parser.add_argument("--depots", type=int, default=12)
        parser.add_argument("--seed", type=int, default=9, help="Random seed, for the same data every run.")
        parser.add_argument(
            "--replace", action="store_true", help="Delete earlier scale data (only that) and seed again."
        )
        parser.add_argument("--delete", action="store_true", help="Only delete the scale data, then stop.")
        parser.add_argument(
            "--report", help="Also write what was made, and each step's seconds, to this JSON file."
        )

    def handle(self, *args, **options):
        if options["delete"]:
            deleted = scale.delete_scale_data()
            self.stdout.write(f"Deleted scale data: {deleted}")
            return
        if options["donors"] < 1 or options["dropoffs"] < 0 or options["depots"] < 1:
            raise CommandError("Give at least 1 donor, 1 depot and 0 or more drop-offs.")
        self.stdout.write(
            f"Seeding {options['donors']:,} donors and {options['dropoffs']:,} drop-offs "
            f"into {connection.vendor} ({'COPY' if connection.vendor == 'postgresql' else 'bulk_create'})..."
        )
        try:
            report = scale.seed(
                donors=options["donors"],
                dropoffs=options["dropoffs"],
                depots=options["depots"],
                replace=options["replace"],
                seed_value=options["seed"],
                log=self.stdout.write,
            )
        except scale.ScaleDataExists as exists:
            raise CommandError(str(exists)) from None
        if options["report"]:
            Path(options["report"]).write_text(json.dumps(asdict(report), indent=2) + "\n")
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {report.donors:,} donors, {report.dropoffs:,} drop-offs, "
                f"{report.bloodwork:,} bloodwork panels ({report.blood_tests:,} tests), "
                f"{report.butterflies:,} butterflies, {report.depots} "
                f"depots and {report.users} staff in {report.total_seconds:.1f} s. Highest donor number: "
                f"{report.highest_donor_number}."
            )
        )
