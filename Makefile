# Prevent Hub — the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export HOST PORT

# The first Python >= 3.12 on PATH (pyenv users get 3.12 from .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3.14 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)

.PHONY: help run test install install-dev assets chromium check-python lint lock bench clean

help:
	@echo "make run    install, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   install and run the whole test suite, browser tests included"
	@echo "make lint   ruff"
	@echo "make lock   re-pin Python dependencies after editing pyproject.toml"
	@echo "make bench  run the benchmarks and update docs/benchmarks.md"
	@echo "make audit  known vulnerabilities in the lock files (pip-audit, npm audit) against the allow-list"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Prevent Hub needs Python 3.12 or newer, and none was found on PATH." >&2; \
	  echo "Install Python 3.12+ (or run 'pyenv install 3.12') and try again." >&2; exit 1; fi

$(VENV)/.created: | check-python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.base: requirements/base.lock $(VENV)/.created
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.dev: requirements/dev.lock $(VENV)/.created
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@ $(VENV)/.base

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

build/static/.built: node_modules/.installed $(shell find assets -type f)
	npm run --silent build
	touch $@

install: $(VENV)/.base assets
install-dev: $(VENV)/.dev assets
assets: build/static/.built

# Browser tests drive Debian's Chromium; install it if it is missing.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium for the browser tests (Debian package 'chromium')"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

run: install
	mkdir -p var
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.dev $(PY) manage.py load_demo_data --print-sign-in
	DJANGO_SETTINGS_MODULE=config.settings.dev PYTHON=$(PY) bin/serve

# One test process per core (pytest-xdist); PYTEST_ARGS="-n 0" runs them in one.
PYTEST_ARGS ?= -n auto
test: install-dev chromium
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .

lock: $(VENV)/.created
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --python-version 3.12 --universal --generate-hashes \
	  --index-url https://pypi.org/simple -o requirements/base.lock -q
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --python-version 3.12 --universal \
	  --generate-hashes --index-url https://pypi.org/simple -o requirements/dev.lock -q

# BENCH_DATABASE_URL (a PostgreSQL server) measures PostgreSQL beside SQLite;
# BENCH_REUSE="FILE.sqlite3 DBNAME" runs the national-scale benchmarks on
# already generated data instead of generating it (minutes at national-10y).
bench: install-dev
	$(if $(BENCH_DATABASE_URL),BENCH_DATABASE_URL="$(BENCH_DATABASE_URL)") \
	$(if $(BENCH_REUSE),BENCH_REUSE="$(BENCH_REUSE)") $(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules build var/staticfiles

# Known vulnerabilities in the lock files (pip-audit, npm audit) against .ci/vulnerability-allowlist.toml;
# SECURITY_AUDIT_REQUIRED=1 fails when the advisory services cannot be reached.
.PHONY: audit
audit: $(VENV)/.dev
	$(PY) bin/audit-dependencies
