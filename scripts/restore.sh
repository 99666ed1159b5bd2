#!/usr/bin/env bash
# Restore a backup made by backup.sh over the database DATABASE_URL names. Everything in it now is replaced.
#   scripts/restore.sh backups/milkbank-20260101T020000Z.dump      (asks first; RESTORE_YES=1 does not)
#   PostgreSQL: pg_restore --clean --if-exists --no-owner, in one transaction (all or nothing).
#   SQLite: `manage.py restore_db`, SQLite's online backup API, after checking the file is sound.
set -euo pipefail
cd "$(dirname "$0")/.."

file="${1:-${FILE:-}}"
if [[ -z "$file" ]]; then
  echo "usage: scripts/restore.sh FILE   (or make restore FILE=...)" >&2
  exit 2
fi
if [[ ! -f "$file" ]]; then
  echo "restore.sh: no backup file at $file" >&2
  exit 2
fi

PYTHON="${PYTHON:-.venv/bin/python}"
url="${DATABASE_URL:-}"
if [[ -z "$url" && -f .env ]]; then
  url="$(sed -n 's/^[[:space:]]*DATABASE_URL[[:space:]]*=[[:space:]]*//p' .env | tail -n 1 | tr -d "\"'")"
fi

confirm() {
  if [[ "${RESTORE_YES:-}" == "1" ]]; then return 0; fi
  read -r -p "Replace everything in the database with $file? Type yes: " answer
  [[ "$answer" == "yes" ]] || { echo "Nothing restored." >&2; exit 1; }
}

case "$url" in
  postgres://*|postgresql://*|pgsql://*|psql://*)
    [[ "$file" == *.dump ]] || { echo "restore.sh: a PostgreSQL restore needs a .dump file from backup.sh" >&2; exit 2; }
    confirm
    pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
      --dbname="postgresql://${url#*://}" "$file"
    ;;
  ""|sqlite://*)
    [[ "$file" == *.sqlite3 ]] || { echo "restore.sh: a SQLite restore needs a .sqlite3 file from backup.sh" >&2; exit 2; }
    confirm
    "$PYTHON" manage.py restore_db --yes "$file" >/dev/null
    ;;
  *)
    echo "restore.sh: DATABASE_URL names a database this script does not know how to restore." >&2
    exit 2
    ;;
esac
echo "Restored $file"
