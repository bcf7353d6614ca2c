# Osallistu Espoo — the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
AXE_VERSION := 4.14.1
AXE := .tools/node_modules/axe-core/axe.min.js
TEST_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/test
export TEST_DATABASE_URL

TALLY_ARGS ?= --cap 10

.PHONY: run test test-sqlite test-postgresql install install-dev translations browser-deps check-postgres lint bench clean

## Run the site on http://127.0.0.1:$(PORT) (SQLite in instance/ unless PARTICIPATION_DATABASE_URL is set).
run: install translations
	$(BIN)/participation db upgrade
	$(BIN)/participation seed demo --if-empty
	@echo ""
	@echo "Osallistu Espoo is running at http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --workers 2 --threads 4 --access-logfile - "participation:create_app()"

## Run the whole test suite on SQLite and on PostgreSQL, browser tests included. The two
## passes run side by side (one per core; each prints its output when it ends); the
## PostgreSQL pass takes the tests that open the database, and the tests that open none
## (see tests/conftest.py).
test: install-dev translations browser-deps check-postgres
	@PARTICIPATION_TEST_SPLIT=1 $(MAKE) --no-print-directory -j2 --output-sync=target test-sqlite test-postgresql

test-sqlite:
	@echo "=== Test suite on SQLite ==="
	PARTICIPATION_TEST_DB=sqlite $(BIN)/python -m pytest -q $(PYTEST_ARGS)

test-postgresql:
	@echo "=== Test suite on PostgreSQL ($(TEST_DATABASE_URL)) ==="
	PARTICIPATION_TEST_DB=postgresql $(BIN)/python -m pytest -q $(PYTEST_ARGS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

# The add1 rules' compiled MES kernel (numba), compiled once into its cache here, not at
# the first tally (PARTICIPATION_MES_FAST=0 skips it).
$(VENV)/.kernels: participation/budgeting/results/rules/mes_fast_kernels.py $(VENV)/.installed
	$(BIN)/python -c "from participation.budgeting.results.rules import mes_fast; mes_fast.warm_up()"
	touch $@

install: $(VENV)/.installed $(VENV)/.kernels
install-dev: $(VENV)/.installed-dev $(VENV)/.kernels

translations: install
	$(BIN)/participation translate compile

## Debian's Chromium for the browser tests (Playwright drives it; no browser download) and axe-core from npm.
browser-deps: $(AXE)
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Chromium from Debian's packages..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

$(AXE):
	npm install --silent --no-audit --no-fund --prefix .tools axe-core@$(AXE_VERSION)

check-postgres: install-dev
	@$(BIN)/python scripts/check_postgres.py

lint: install-dev
	$(BIN)/ruff check participation tests bench

## Tally rules against pabutools, then pages and ballot casting against a bare Flask "hello"
## (wrk from Debian; bench/results.json). BENCH_ARGS="--database-url postgresql://..." for PostgreSQL.
## A step that misses a target still lets the next ones run (make reports "Error 1 (ignored)").
bench: install-dev
	-$(BIN)/python bench/tally.py $(TALLY_ARGS)
	-$(BIN)/python bench/indicators.py
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	-$(BIN)/python bench/cast_floor.py
	$(BIN)/python bench/pages.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .tools
