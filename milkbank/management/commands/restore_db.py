"""Replace the SQLite database with a backup made by backup_db (SQLite's online backup API).

PostgreSQL is restored by scripts/restore.sh with pg_restore; this command is its SQLite half.
"""

import sqlite3
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


def _check_backup(path: Path) -> None:
    """Refuse anything that is not a sound SQLite file holding this app's tables, before touching data."""
    try:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (result,) = source.execute("PRAGMA quick_check").fetchone()
            tables = {row[0] for row in source.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            source.close()
    except sqlite3.DatabaseError as error:
        raise CommandError(f"{path} is not a SQLite database backup ({error}).") from None
    if result != "ok":
        raise CommandError(f"{path} is damaged: {result}")
    if "donors_donor" not in tables:
        raise CommandError(f"{path} is not a backup of this app's database.")


class Command(BaseCommand):
    help = "Replace the SQLite database with a backup file. Everything now in the database is lost."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The backup file (from backup_db or `make backup`).")
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, file, yes=False, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                "restore_db is for SQLite. On PostgreSQL, run scripts/restore.sh (pg_restore)."
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No backup file at {path}.")
        _check_backup(path)
        if not yes:
            answer = input(f"Replace the database {connection.settings_dict['NAME']} with {path}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("Nothing restored.")
        connection.ensure_connection()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
        self.stdout.write(f"Restored {path}.")
