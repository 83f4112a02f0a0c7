# ctgdocs: `make demo` sets everything up and builds the examples; `make test` runs every check.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.py | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck unit bench clean templates

$(STAMP): setup.py
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/ctgdocs validate conventions/
	$(BIN)/ctgdocs build conventions/ -o build/

test: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check ctgdocs tests scripts bench
	$(BIN)/ruff format --check ctgdocs tests scripts bench

typecheck: $(STAMP)
	$(BIN)/mypy

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/pdf.py

templates: $(STAMP)
	$(BIN)/python scripts/make_templates.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
