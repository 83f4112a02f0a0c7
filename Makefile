# ctgdocs: `make demo` sets everything up and builds the examples; `make test` runs every check.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat setup.py | cksum | cut -d' ' -f1)

.PHONY: demo test lint typecheck unit bench clean templates ooxml-validator

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

unit: $(STAMP) ooxml-validator
	$(BIN)/pytest

# The Open XML SDK validator (npm, pinned by its lock file) in a git-ignored node_modules;
# without npm the tests that need it are skipped (never under CI=true).
VALIDATOR := tools/ooxml-validator
$(VALIDATOR)/node_modules/.package-lock.json: $(VALIDATOR)/package-lock.json
	npm ci --prefix $(VALIDATOR) --no-audit --no-fund --loglevel=error

ooxml-validator:
	@if command -v npm >/dev/null 2>&1; then \
		$(MAKE) -s --no-print-directory $(VALIDATOR)/node_modules/.package-lock.json; \
	else echo "npm absent : validateur Open XML non installé (tests de schéma ignorés)"; fi

bench: $(STAMP)
	$(BIN)/python bench/validate.py
	$(BIN)/python bench/pdf.py
	$(BIN)/python bench/run.py --quick

templates: $(STAMP)
	$(BIN)/python scripts/make_templates.py

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache $(VALIDATOR)/node_modules
