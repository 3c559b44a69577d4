# Two commands for a newcomer: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test install install-test lint bench clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $(STAMP)

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(PIP) install -q -e '.[test]'
	touch $(TEST_STAMP)

install: $(STAMP)

install-test: $(TEST_STAMP)

demo: $(STAMP)
	$(VENV)/bin/sitrep extract examples/demo-report.txt --published 2026-03-15 --format table

test: $(TEST_STAMP)
	$(PY) -m pytest -q -p no:cacheprovider

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check sitrep tests bench

bench: $(STAMP)
	$(PY) bench/evaluate.py
	$(PY) bench/throughput.py

clean:
	rm -rf $(VENV) build *.egg-info
