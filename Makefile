# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEBUG_ENV := DJANGO_DEBUG=true

.PHONY: run test install install-dev lint format bench backup restore clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## Create the environment, migrate the SQLite database, load starter and demo data, serve on 127.0.0.1:8000.
run: install
	$(DEBUG_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEBUG_ENV) $(BIN)/python manage.py seed_demo --if-empty
	$(DEBUG_ENV) $(BIN)/python manage.py runserver 127.0.0.1:8000

## Run the whole test suite (SQLite unless DATABASE_URL says otherwise).
test: install-dev
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmark the pages at 1k/10k (the DATABASE_URL database) and 100k/1M rows (a sibling <name>_size2); use scratch databases.
## BENCH_ARGS="--small-only" for a quick run, "--no-gunicorn-export" to skip the whole export through
## gunicorn (milkbank/bench/); results in bench-results/latest.md.
bench: install-dev
	$(DEBUG_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEBUG_ENV) $(BIN)/python manage.py bench $(BENCH_ARGS)

## Back up the database into backups/ (pg_dump on PostgreSQL, SQLite's online backup otherwise).
backup: install
	scripts/backup.sh

## Restore a backup over the database: make restore FILE=backups/milkbank-....dump
restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/..." && exit 2)
	scripts/restore.sh "$(FILE)"

## Gather the strings to translate into locale/es and locale/fr (needs GNU gettext), then compile them. The compiled
## catalogues (.mo) are committed, so `make run` needs no gettext on a fresh machine.
MESSAGES_IGNORE := --ignore='.venv/*' --ignore='staticfiles/*' --ignore='tests/*' --ignore='bench-results/*'
messages: install-dev
	$(DEBUG_ENV) $(BIN)/python manage.py makemessages -l es -l fr --no-obsolete $(MESSAGES_IGNORE)
	$(DEBUG_ENV) $(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
