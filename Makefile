# staffrole: `make run` serves the app with a worker and beat; `make test` runs lint and the suite.
# Everything runs from the project's own virtual environment in .venv (created with $(PYTHON)).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstalling is skipped while this stamp is newer than pyproject.toml.
STAMP := $(VENV)/.installed
MANAGE := $(BIN)/python manage.py
BLUEPRINT := scorecards/blueprint_documents/staff-software-engineer.txt
# Measured on the 2-core reference machine: two xdist workers beat one process and `-n auto` alike.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help install run setup migrate blueprint demo web worker beat lint format test test-fast bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "staffrole needs Python 3.11 or newer; '$(PYTHON)' is: $$($(PYTHON) --version 2>&1 | head -n1)." >&2; \
		echo "Install Python 3.11+ and run e.g. 'make PYTHON=python3.11 $(MAKECMDGOALS)'." >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --disable-pip-version-check --progress-bar off --quiet -e '.[dev]'
	@touch $@

install: $(STAMP) ## create .venv and install the project with its dev tools (no-op when nothing changed)

migrate: install
	$(MANAGE) migrate --noinput

blueprint: migrate ## import (and publish) the bundled Staff Software Engineer blueprint; a repeat import changes nothing
	$(MANAGE) import_blueprint $(BLUEPRINT) --publish

demo: blueprint ## load the demo organisation (idempotent)
	$(MANAGE) seed_demo

setup: demo ## migrate, import the bundled blueprint and load the demo organisation

# .env is for docker compose; local runs take their settings from the shell, so honcho reads no env file.
run: setup ## serve http://127.0.0.1:8000 with a Celery worker and beat (embedded broker unless REDIS_URL is set)
	PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONUNBUFFERED=1 $(BIN)/honcho start --env /dev/null --procfile Procfile

web worker beat: setup ## run one process of the Procfile on its own
	PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONUNBUFFERED=1 $(BIN)/honcho start --env /dev/null --procfile Procfile $@

# Benchmarks run on throwaway databases, never on DATABASE_URL's: SQLite files under var/, and for the KPI
# trend recompute a PostgreSQL database the script drops and creates (its name must contain "bench").
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/staffrole_bench
bench: install ## benchmarks: org import, seed_demo --engineers 2000, KPI trend recompute and PDF exports (PostgreSQL)
	env -u DATABASE_URL $(BIN)/python bench/org_import.py
	env -u DATABASE_URL $(BIN)/python bench/seed_demo.py
	env -u DATABASE_URL BENCH_DATABASE_URL='$(BENCH_DATABASE_URL)' $(BIN)/python bench/kpi_recompute.py
	env -u DATABASE_URL -u MEDIA_ROOT $(BIN)/python bench/packets.py

lint: install ## ruff (lint and format check) and mypy
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy .

format: install ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: install ## lint, then the whole test suite in parallel
	$(MAKE) --no-print-directory lint
	$(MAKE) --no-print-directory test-fast

test-fast: install ## the test suite only (PYTEST_ARGS='-k name' to narrow it)
	@status=0; $(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure" >&2; fi; \
	exit $$status

clean: ## remove the virtual environment and tool caches (local data in var/ stays)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache test-results
