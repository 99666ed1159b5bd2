"""Measure every page at a small and a large data size; see milkbank/bench/runner.py."""

import argparse
import json
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from milkbank.bench import runner as bench


class Command(BaseCommand):
    help = (
        "Seed scale data at each size (replacing earlier scale data), measure queries and latency per page, "
        "the CSV export and gunicorn throughput; print PASS/FAIL per target; write bench-results/latest.*"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default="1000:10000,100000:1000000",
            help="DONORS:DROPOFFS for each size, comma separated (the first is 'small', the last 'large').",
        )
        parser.add_argument("--small-only", action="store_true", help="Only the first size (a quick run).")
        parser.add_argument("--requests", type=int, default=40, help="Timed requests per page and size.")
        parser.add_argument("--no-load", action="store_true", help="Skip the gunicorn throughput test.")
        parser.add_argument(
            "--no-gunicorn-export",
            action="store_true",
            help="Skip downloading the whole CSV export through gunicorn as deployed (minutes at 1M rows).",
        )
        parser.add_argument("--load-seconds", type=float, default=8, help="Seconds of load per URL (max 60).")
        parser.add_argument(
            "--no-export-memory", action="store_true", help="Skip the tracemalloc export run."
        )
        parser.add_argument("--output", default=str(Path(settings.BASE_DIR) / "bench-results"))
        parser.add_argument("--strict", action="store_true", help="Exit non-zero when a target fails.")
        parser.add_argument(
            "--in-process",
            action="store_true",
            help="One process and one database, each size seeded and measured in turn: quicker, but the "
            "machine's drift between the sizes goes into the ratios.",
        )
        # A child process of the bench: measure "pages" or "export" on this database, write JSON, stop.
        parser.add_argument(
            "--child", choices=["pages", "export", "serve", "gunicorn-export"], help=argparse.SUPPRESS
        )
        parser.add_argument("--child-output", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["child"] == "serve":  # answers the parent's commands on stdin, one line each
            bench.serve_here(sys.stdin, lambda line: (sys.stdout.write(line), sys.stdout.flush()))
            return
        if options["child"] == "gunicorn-export":
            Path(options["child_output"]).write_text(json.dumps(bench.gunicorn_export_here(), default=str))
            return
        if options["child"]:
            measured = bench.measure_here(
                options["child"], requests=options["requests"], export_memory=not options["no_export_memory"]
            )
            Path(options["child_output"]).write_text(json.dumps(measured, default=str))
            return
        try:
            sizes = bench.parse_sizes(options["sizes"])
        except ValueError as problem:
            raise CommandError(str(problem)) from None
        if options["small_only"]:
            sizes = sizes[:1]
        if not 1 <= options["requests"] <= 1000:
            raise CommandError("--requests must be between 1 and 1000.")
        results = bench.run(
            sizes=sizes,
            requests=options["requests"],
            load=not options["no_load"],
            load_seconds=min(max(options["load_seconds"], 1), 60),
            export_memory=not options["no_export_memory"],
            gunicorn_export=not options["no_gunicorn_export"],
            out_dir=Path(options["output"]),
            in_process=options["in_process"],
            log=self.stdout.write,
        )
        self.stdout.write("")
        self.stdout.write((Path(options["output"]) / "latest.md").read_text())
        failed = [t for t in results["targets"] if t["result"] == "FAIL"]
        for target in results["targets"]:
            style = {"PASS": self.style.SUCCESS, "FAIL": self.style.ERROR}.get(
                target["result"], self.style.WARNING
            )
            self.stdout.write(style(f"{target['result']}: {target['target']} ({target['detail']})"))
        self.stdout.write(f"Written: {options['output']}/latest.md and latest.json")
        if failed and options["strict"]:
            raise CommandError(f"{len(failed)} target(s) failed.")
