# The README's commands. Everything a fresh machine needs is installed from here.
SHELL := /bin/bash
PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STATIC := apregister/static
GOVUK := node_modules/govuk-frontend/dist/govuk

.PHONY: run test lint assets chromium clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --omit=optional
	touch $@

$(STATIC)/css/app.css: $(wildcard assets/*.scss) node_modules/.installed
	mkdir -p $(STATIC)/css $(STATIC)/js
	node_modules/.bin/sass --no-source-map --style=compressed --quiet-deps \
		--load-path=node_modules assets/app.scss $@

$(STATIC)/js/init.js: assets/init.js assets/autocomplete.js assets/favicon.svg node_modules/.installed
	mkdir -p $(STATIC)/js
	cp $(GOVUK)/govuk-frontend.min.js $(STATIC)/js/
	cp node_modules/accessible-autocomplete/dist/accessible-autocomplete.min.js $(STATIC)/js/
	cp assets/autocomplete.js $(STATIC)/js/autocomplete.js
	cp assets/init.js $(STATIC)/js/init.js
	cp assets/favicon.svg $(STATIC)/favicon.svg

# The agreement's printable copy has a plain stylesheet of its own, copied as it is.
$(STATIC)/css/agreement.css: assets/agreement.css
	mkdir -p $(STATIC)/css
	cp assets/agreement.css $@

# The dashboard opens its disclosures for printing.
$(STATIC)/js/dashboard-print.js: assets/dashboard-print.js
	mkdir -p $(STATIC)/js
	cp assets/dashboard-print.js $@

assets: $(STATIC)/css/app.css $(STATIC)/js/init.js $(STATIC)/css/agreement.css $(STATIC)/js/dashboard-print.js

# Browser tests drive Debian's Chromium; Playwright's own browser download cannot work offline.
chromium:
	@command -v chromium >/dev/null || { \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

run: $(VENV)/.installed assets
	mkdir -p instance
	APREGISTER_ENV=development $(FLASK) db upgrade
	APREGISTER_ENV=development $(FLASK) seed-demo --if-empty
	APREGISTER_ENV=development $(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .

# The whole suite on SQLite; with TEST_DATABASE_URL set, on SQLite and PostgreSQL side by side.
test: $(VENV)/.test-installed assets chromium lint
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		BIN=$(BIN) bash scripts/test-both-databases.sh; \
	else \
		$(BIN)/python -m pytest; \
	fi

# Page and export timings at the issue's scale: SQLite, or PostgreSQL with BENCH_DATABASE_URL.
bench: $(VENV)/.test-installed
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) node_modules $(STATIC) .pytest_cache .ruff_cache
