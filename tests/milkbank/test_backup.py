"""Backups: `scripts/backup.sh` then `scripts/restore.sh` into a fresh database gives back every row.

The scripts run as they would from `make backup` / `make restore`, in a subprocess, against the test
database: on SQLite always, on PostgreSQL when DATABASE_URL says so (restoring into a scratch database that
is dropped afterwards).
"""

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from donors import transitions as t
from donors.models import Donor
from tests.donors.conftest import walk

ROOT = Path(settings.BASE_DIR)
SCRATCH_DB = "milkbank_restore_test"


def _env(database_url: str, backup_dir: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "milkbank.test_settings",
        "DATABASE_URL": database_url,
        "BACKUP_DIR": str(backup_dir),
        "PYTHON": sys.executable,
        "RESTORE_YES": "1",
    }


def _run(script: str, *args, env: dict) -> str:
    result = subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        [shutil.which("bash") or "/bin/bash", str(ROOT / "scripts" / script), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"{script} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout.strip()


def _counts_here() -> dict[str, int]:
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def some_data(coordinator, coordinator2):
    """Donors at several stages (with their timeline, links, audit entries), committed for another process."""
    stages = [Donor.Stage.INQUIRY, Donor.Stage.QUESTIONNAIRE_SUBMITTED, Donor.Stage.APPROVED]
    for n, stage in enumerate(stages):
        donor = t.donor_create_inquiry(
            first_name=f"Backup{n}", email=f"backup{n}@example.org", contact_consent=True
        )
        walk(donor, stage, by=coordinator, by2=coordinator2)
    counts = _counts_here()
    assert counts["donors_donor"] == 3 and counts["auditlog_logentry"] > 3
    return counts


@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_sqlite_into_a_fresh_database(some_data, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite round trip runs on SQLite; PostgreSQL has its own test below.")
    # The test database lives in memory, so hand it to the scripts as a file made by backup_db itself.
    live = tmp_path / "live.sqlite3"
    call_command("backup_db", output=str(live))
    backups = tmp_path / "backups"

    made = Path(_run("backup.sh", env=_env(f"sqlite:///{live}", backups)))

    assert made.parent == backups and made.name.startswith("milkbank-") and made.suffix == ".sqlite3"
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    fresh = tmp_path / "fresh.sqlite3"
    assert "Restored" in _run("restore.sh", str(made), env=_env(f"sqlite:///{fresh}", backups))
    restored = sqlite3.connect(fresh)
    try:
        counts = {
            table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
            for table in some_data
        }
    finally:
        restored.close()
    assert counts == some_data


@pytest.mark.django_db
def test_restore_db_refuses_a_file_that_is_not_a_backup(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("restore_db is the SQLite half.")
    junk = tmp_path / "junk.sqlite3"
    junk.write_text("not a database")
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    before = Donor.objects.count()

    with pytest.raises(CommandError, match="not a SQLite database backup"):
        call_command("restore_db", str(junk), yes=True)
    with pytest.raises(CommandError, match="not a backup of this app"):
        call_command("restore_db", str(other), yes=True)
    assert Donor.objects.count() == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_backs_up_and_restores_postgresql_into_a_fresh_database(some_data, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("Needs DATABASE_URL=postgres://...")
    import psycopg

    params = connection.settings_dict
    server = f"postgresql://{params['USER']}@{params['HOST']}:{params['PORT'] or 5432}"
    admin = psycopg.connect(f"{server}/postgres", autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}"')
    admin.execute(f'CREATE DATABASE "{SCRATCH_DB}"')
    try:
        backups = tmp_path / "backups"
        made = Path(_run("backup.sh", env=_env(f"{server}/{params['NAME']}", backups)))
        assert made.suffix == ".dump" and made.parent == backups
        _run("restore.sh", str(made), env=_env(f"{server}/{SCRATCH_DB}", backups))
        with psycopg.connect(f"{server}/{SCRATCH_DB}") as restored:
            counts = {
                table: restored.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]  # noqa: S608
                for table in some_data
            }
        assert counts == some_data
        # Restoring again over a full database replaces it rather than doubling it (--clean --if-exists).
        _run("restore.sh", str(made), env=_env(f"{server}/{SCRATCH_DB}", backups))
        with psycopg.connect(f"{server}/{SCRATCH_DB}") as restored:
            assert restored.execute("SELECT COUNT(*) FROM donors_donor").fetchone()[0] == 3
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH_DB}" WITH (FORCE)')
        admin.close()
