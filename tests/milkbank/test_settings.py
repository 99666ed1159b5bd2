"""Settings parsing: fail closed, and bad values are refused with a message naming the variable.

Each case imports the settings in a fresh interpreter, because settings are read once per process.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, milkbank.settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'opts': s.DATABASES['default'].get('OPTIONS', {}), "
    "'hosts': s.ALLOWED_HOSTS, 'tz': s.TIME_ZONE, 'bank': s.MILKBANK, 'email': s.EMAIL_BACKEND}))"
)


def load(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MILKBANK_", "DATABASE_"))}
    clean.pop("TIME_ZONE", None)
    clean.update(env)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", PROBE], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )


def loaded(**env):
    import json

    result = load(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_refuses_to_start_without_a_secret_key_when_debug_is_off():
    result = load(DJANGO_ALLOWED_HOSTS="bank.example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_it_refuses_to_start_without_allowed_hosts_when_debug_is_off():
    result = load(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_debug_is_off_unless_asked_for():
    assert loaded(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="a.example")["debug"] is False
    assert loaded(DJANGO_DEBUG="true")["debug"] is True


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DJANGO_DEBUG", "maybe", "DJANGO_DEBUG must be true or false"),
        ("MILKBANK_BLOODWORK_VALID_DAYS", "soon", "MILKBANK_BLOODWORK_VALID_DAYS must be a whole number"),
        ("MILKBANK_BLOODWORK_VALID_DAYS", "0", "MILKBANK_BLOODWORK_VALID_DAYS must be between 1 and 3650"),
        ("MILKBANK_MILK_AGE_LIMIT_DAYS", "-5", "MILKBANK_MILK_AGE_LIMIT_DAYS must be between"),
        ("MILKBANK_FREEZER_LIMIT_C", "cold", "MILKBANK_FREEZER_LIMIT_C must be a number"),
        ("MILKBANK_MAX_ML_PER_CONTAINER", "0", "MILKBANK_MAX_ML_PER_CONTAINER must be between 10 and 10000"),
        ("MILKBANK_FREEZER_RECHECK_MINUTES", "soon", "RECHECK_MINUTES must be a whole number"),
        ("MILKBANK_WAIVE_INFANT_RELEASE_WHEN_BEREAVED", "sure", "must be true or false"),
    ],
)
def test_it_rejects_bad_values_with_a_clear_message(name, value, message):
    env = {"DJANGO_DEBUG": "true", name: value}
    if name == "DJANGO_DEBUG":
        env = {name: value}
    result = load(**env)
    assert result.returncode != 0
    assert message in result.stderr


def test_defaults_are_sqlite_with_wal_and_immediate_transactions_and_console_mail():
    s = loaded(DJANGO_DEBUG="true")
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"].endswith("db.sqlite3")
    assert s["opts"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in s["opts"]["init_command"]
    assert s["tz"] == "America/Chicago"
    assert s["email"] == "django.core.mail.backends.console.EmailBackend"
    assert s["bank"]["BLOODWORK_VALID_DAYS"] == 180
    assert s["bank"]["MILK_AGE_LIMIT_DAYS"] == 180
    assert s["bank"]["FREEZER_LIMIT_C"] == -20.0
    assert s["bank"]["MAX_ML_PER_CONTAINER"] == 500
    assert s["bank"]["FREEZER_RECHECK_MINUTES"] == 60


def test_it_reads_postgres_and_the_banks_own_settings_from_the_environment():
    s = loaded(
        DJANGO_DEBUG="true",
        DATABASE_URL="postgres://bank:pw@db.internal:5432/milkbank",
        TIME_ZONE="America/Edmonton",
        MILKBANK_NAME="Prairie Milk Bank",
        MILKBANK_BLOODWORK_VALID_DAYS="90",
        MILKBANK_WAIVE_INFANT_RELEASE_WHEN_BEREAVED="false",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "milkbank"
    assert s["tz"] == "America/Edmonton"
    assert s["bank"]["NAME"] == "Prairie Milk Bank"
    assert s["bank"]["BLOODWORK_VALID_DAYS"] == 90
    assert s["bank"]["WAIVE_INFANT_RELEASE_WHEN_BEREAVED"] is False


def _deploy_check(*options, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MILKBANK_", "EMAIL_"))}
    clean.update(
        DJANGO_SECRET_KEY="deploy-check-" + "x" * 60,
        DJANGO_ALLOWED_HOSTS="milkbank.example.org",
        DJANGO_SETTINGS_MODULE="milkbank.settings",
        **env,
    )
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", "check", "--deploy", *options],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_checks_pass_under_production_settings():
    result = _deploy_check("--fail-level", "WARNING", EMAIL_URL="smtp+tls://user:pw@smtp.example.org:587")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db
def test_postgres_connections_run_without_the_jit_compiler():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_the_deploy_check_fails_when_mail_would_go_to_the_console():
    result = _deploy_check()  # no EMAIL_URL: the console backend
    assert result.returncode != 0
    assert "milkbank.E001" in result.stderr and "EMAIL_URL" in result.stderr


@pytest.mark.parametrize(
    "env",
    [{"EMAIL_URL": "smtp+tls://user:pw@smtp.example.org:587"}, {"MILKBANK_ALLOW_LOCAL_EMAIL": "true"}],
)
def test_the_deploy_check_passes_with_a_mail_server_or_when_console_mail_is_allowed(env):
    result = _deploy_check(**env)
    assert result.returncode == 0, result.stderr
    assert "milkbank.E001" not in result.stderr + result.stdout


def test_a_redis_cache_url_keeps_its_key_prefix():
    """Several apps (or two banks) can share one Redis: ?key_prefix= reaches Django's cache settings."""
    probe = "import json, milkbank.settings as s; print(json.dumps(s.CACHES['default']))"
    env = {
        **os.environ,
        "DJANGO_DEBUG": "true",
        "CACHE_URL": "redis://127.0.0.1:6379/0?key_prefix=bank-a&timeout=60",
    }
    result = subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    import json

    cache = json.loads(result.stdout)
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://127.0.0.1:6379/0"
    assert (cache["KEY_PREFIX"], cache["TIMEOUT"]) == ("bank-a", 60)
    assert "key_prefix" not in cache
