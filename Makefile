# Two entry points for people: `make run` (set up, build the sample city) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint setup browser clean

run: $(STAMP)
	$(BIN)/kelurahan check
	$(BIN)/kelurahan build

test: lint browser
	$(BIN)/pytest -q

# Style, the layers of COMMON.md (import-linter contracts in pyproject.toml), and types.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (Playwright drives it via executable_path).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else echo "Chromium tidak ada: jalankan 'sudo apt-get install chromium'"; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) site .kelurahan
