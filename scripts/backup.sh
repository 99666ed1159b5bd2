#!/usr/bin/env bash
# Back up the database into backups/ (or $BACKUP_DIR) with a timestamped name, and print the file's path.
#   PostgreSQL (DATABASE_URL=postgres://...): pg_dump in its custom format (-Fc), restorable with restore.sh.
#   SQLite (the default): `manage.py backup_db`, SQLite's online backup API.
# The file holds donors' health data: it is made readable by its owner only. Keep copies encrypted, off site.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077

PYTHON="${PYTHON:-.venv/bin/python}"
BACKUP_DIR="${BACKUP_DIR:-backups}"
url="${DATABASE_URL:-}"
if [[ -z "$url" && -f .env ]]; then
  url="$(sed -n 's/^[[:space:]]*DATABASE_URL[[:space:]]*=[[:space:]]*//p' .env | tail -n 1 | tr -d "\"'")"
fi

mkdir -p "$BACKUP_DIR"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"

case "$url" in
  postgres://*|postgresql://*|pgsql://*|psql://*)
    target="$BACKUP_DIR/milkbank-$stamp.dump"
    pg_dump -Fc --no-owner --dbname="postgresql://${url#*://}" --file="$target"
    ;;
  ""|sqlite://*)
    target="$BACKUP_DIR/milkbank-$stamp.sqlite3"
    "$PYTHON" manage.py backup_db --output "$target" >/dev/null
    ;;
  *)
    echo "backup.sh: DATABASE_URL names a database this script does not know how to back up." >&2
    exit 2
    ;;
esac
echo "$target"
