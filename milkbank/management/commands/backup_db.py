"""Copy the SQLite database to one file with SQLite's online backup API (safe while the app is running).

PostgreSQL is backed up by scripts/backup.sh with pg_dump; this command is its SQLite half.
"""

import sqlite3
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone


def default_path() -> Path:
    return settings.BASE_DIR / "backups" / f"milkbank-{timezone.now():%Y%m%dT%H%M%SZ}.sqlite3"


class Command(BaseCommand):
    help = "Back up the SQLite database to one file (default: backups/milkbank-<UTC time>.sqlite3)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Where to write the backup. It must not exist yet.")

    def handle(self, *args, output=None, **options):
        if connection.vendor != "sqlite":
            raise CommandError("backup_db is for SQLite. On PostgreSQL, run scripts/backup.sh (pg_dump).")
        target = Path(output) if output else default_path()
        if target.exists():
            raise CommandError(f"{target} already exists; choose another name.")
        target.parent.mkdir(parents=True, exist_ok=True)
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            target.chmod(0o600)  # the file holds donors' health data
            connection.connection.backup(destination)
            # One self-contained file: no -wal or -shm companions to lose.
            destination.execute("PRAGMA journal_mode=DELETE")
        finally:
            destination.close()
        self.stdout.write(str(target))
