# staffrole: `make run` serves the app with a worker and beat; `make test` runs lint and the suite.
# Everything runs from the project's own virtual environment in .venv (created with $(PYTHON)), with the
# dependency versions and hashes of requirements/lock.txt (`make lock` regenerates it from pyproject.toml).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstalling is skipped while this stamp is newer than pyproject.toml and the lock file.
STAMP := $(VENV)/.installed
LOCK := requirements/lock.txt
# The runtime dependencies alone, at the same versions: what the Docker image installs.
RUNTIME_LOCK := requirements/runtime.txt
PIP := $(BIN)/python -m pip --disable-pip-version-check
MANAGE := $(BIN)/python manage.py
BLUEPRINT := scorecards/blueprint_documents/staff-software-engineer.txt
# Measured on the 2-core reference machine: two xdist workers beat one process and `-n auto` alike.
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=

.PHONY: help install lock audit run setup migrate blueprint demo web worker beat lint format test test-fast bench load clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "staffrole needs Python 3.11 or newer; '$(PYTHON)' is: $$($(PYTHON) --version 2>&1 | head -n1)." >&2; \
		echo "Install Python 3.11+ and run e.g. 'make PYTHON=python3.11 $(MAKECMDGOALS)'." >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)

# The locked set (runtime and dev tools, every file checked against its hash), then the project itself
# without letting pip pick any version of its own (tests/test_lock_file.py keeps the lock complete).
$(STAMP): pyproject.toml $(LOCK) | $(BIN)/python
	$(PIP) install --progress-bar off --quiet --require-hashes -r $(LOCK)
	$(PIP) install --progress-bar off --quiet --no-deps --no-build-isolation -e .
	@touch $@

install: $(STAMP) ## create .venv and install the locked dependencies and the project (no-op when nothing changed)

# The lock is for Python 3.11, the oldest Python staffrole supports; UPGRADE=1 moves every pin to the newest
# release the ranges in pyproject.toml allow, otherwise pins that still fit are kept.
UPGRADE ?=
lock: install ## regenerate requirements/lock.txt and runtime.txt from pyproject.toml (UPGRADE=1 to take newer releases)
	@$(BIN)/python -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
		echo "make lock needs a .venv made with Python 3.11 (make clean; make PYTHON=python3.11 lock)" >&2; exit 1; }
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra dev --strip-extras --generate-hashes \
		--allow-unsafe --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
		--output-file $(LOCK) pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --generate-hashes \
		--allow-unsafe --no-emit-index-url --no-emit-find-links --constraint $(LOCK) \
		--output-file $(RUNTIME_LOCK) pyproject.toml
	$(MAKE) --no-print-directory install

audit: install ## pip-audit of the locked dependencies; fails on a known vulnerability (docs/adr/0023)
	$(BIN)/python scripts/audit_dependencies.py $(LOCK)

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
bench: install ## benchmarks: org import, seed_demo --engineers 2000, KPI trend recompute, PDF exports, floors (PostgreSQL)
	env -u DATABASE_URL $(BIN)/python bench/org_import.py
	env -u DATABASE_URL $(BIN)/python bench/seed_demo.py
	env -u DATABASE_URL BENCH_DATABASE_URL='$(BENCH_DATABASE_URL)' $(BIN)/python bench/kpi_recompute.py
	env -u DATABASE_URL -u MEDIA_ROOT $(BIN)/python bench/packets.py
	env -u DATABASE_URL -u REDIS_URL -u MEDIA_ROOT $(BIN)/python bench/floor.py

# The load test of deadline day (load/run.py): a throwaway PostgreSQL database (its name must contain "load")
# copied from a seed made once, Redis db 15 (emptied before and after), gunicorn and a Celery worker on
# 127.0.0.1, and locust for LOAD_SECONDS; every process is stopped at the end. Figures: var/load/latest.json.
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/staffrole_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/15
LOAD_USERS ?= 50
LOAD_SECONDS ?= 60
load: install ## load test: 50 people on deadline day for 60 s against gunicorn, PostgreSQL, Redis and Celery
	env -u DATABASE_URL -u REDIS_URL -u MEDIA_ROOT LOAD_DATABASE_URL='$(LOAD_DATABASE_URL)' \
		LOAD_REDIS_URL='$(LOAD_REDIS_URL)' $(BIN)/python load/run.py --users $(LOAD_USERS) --run-time $(LOAD_SECONDS)

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
