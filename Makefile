# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
VENDOR_STAMP := sitrep/serve/static/vendor/leaflet.js

.PHONY: demo test install install-test web browser postgres lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PIP) install -q -e '.[test]'
	touch $(TEST_STAMP)

# the web view's libraries, from the npm registry, copied into the package's static folder
$(VENDOR_STAMP): web/package.json web/package-lock.json web/build.mjs
	sh scripts/build_web.sh

install: $(STAMP)

install-test: $(TEST_STAMP)

web: $(VENDOR_STAMP)

# Debian's chromium for the headless browser test; PostgreSQL 15 for the PostgreSQL store tests
browser:
	sh scripts/install_browser.sh || echo "chromium not installed: tests/test_browser.py will be skipped"

postgres:
	sh scripts/install_postgres.sh || echo "PostgreSQL not installed: tests/test_postgres.py will be skipped"

demo: $(STAMP) $(VENDOR_STAMP)
	$(VENV)/bin/sitrep extract examples/demo-report.txt --published 2026-03-15 --format table

test: $(TEST_STAMP) $(VENDOR_STAMP) browser postgres
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check sitrep tests bench

bench: $(STAMP)
	$(PY) bench/evaluate.py
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info
