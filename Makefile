# Two entry points for a fresh machine: `make run` (the dashboard) and `make test` (the whole suite).
# Both install what they need: a virtualenv with requirements.txt, Debian's chromium and fonts-noto-cjk
# (server-side chart export and browser tests), nginx (`make serve` and its test), and the database built
# from data/. `make serve` runs nginx in front of several app processes for an organisation's server.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DB     ?= data/records.duckdb
PORT   ?= 8501
# `make run` is for the machine you sit at: it answers only on this machine (see docs/security.md)
ADDRESS := 127.0.0.1
# make serve: nginx on SERVE_HOST:SERVE_PORT in front of WORKERS Streamlit processes on 127.0.0.1
WORKERS    ?= $(shell nproc 2>/dev/null || echo 2)
SERVE_HOST ?= 0.0.0.0
SERVE_PORT ?= 8080
RUN_DIR    ?= .serve
RUN_LOCAL  ?= .run
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DB_INPUTS := $(wildcard data/raw/*.csv) data/schema.sql data/views.sql data/derived.sql core/build.py \
             $(wildcard core/demo/*.py) $(wildcard data/demo/*.csv) data/plausibility.sql core/districts.py

export RECORDS_DB ?= $(abspath $(DB))

.PHONY: run serve test bench mutate setup system-deps test-deps db lint clean

# `make serve` with one worker, on 127.0.0.1 only: nginx sends Streamlit's 7.6 MB front end gzipped (2.6 MB;
# Streamlit sends it uncompressed), with the same headers, health checks and worker settings as `make serve`
# (no file watcher: it registered every local module for each new session, a first load of the districts
# page cost 1.00 CPU-s with it, 0.26 without). Run folder RUN_LOCAL (logs, generated nginx.conf).
run: setup system-deps db
	$(PY) -m core.serve --workers 1 --host $(ADDRESS) --port $(PORT) --run-dir $(RUN_LOCAL)

serve: setup system-deps db
	$(PY) -m core.serve --workers $(WORKERS) --host $(SERVE_HOST) --port $(SERVE_PORT) --run-dir $(RUN_DIR)

# The suite in two processes (pytest-xdist), a test file to each at a time (its module fixtures: one server, one
# browser). Most browser tests wait on a page or a server, so two halve the wait on two cores (888 s -> 585 s
# here); not more, because the timing-sensitive tests (a hung worker, a slow server) are tried at that load.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 1); [ $$n -gt 2 ] && echo 2 || echo $$n)

test: setup system-deps test-deps db
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile

bench: setup system-deps db
	$(PY) -m core.cli bench

setup: $(STAMP)

$(STAMP): requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

system-deps:
	@if command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans CJK" \
		&& { command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1; then \
		echo "chromium, fonts-noto-cjk and nginx present"; \
	else \
		echo "installing Debian's chromium, fonts-noto-cjk and nginx"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-noto-cjk nginx >/dev/null; \
	fi

# LibreOffice renders the Word memo in tests/test_export_docx.py (not needed to run the app)
test-deps:
	@if command -v soffice >/dev/null 2>&1; then \
		echo "libreoffice present"; \
	else \
		echo "installing Debian's libreoffice-writer-nogui (renders the Word memo in the tests)"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libreoffice-writer-nogui >/dev/null; \
	fi

db: $(DB)

$(DB): $(STAMP) $(DB_INPUTS)
	$(PY) -m core.cli build --db $(DB) --keep-imports

lint: setup
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) $(DB) .pytest_cache .ruff_cache tests/artifacts $(RUN_DIR) $(RUN_LOCAL) build/mutate

# Mutation testing (slow, not part of `make test`; results in docs/testing.md): every group of modules in
# tools/mutate.py, or one with GROUP=auth. Each group runs mutmut in its own copy under build/mutate/<group>/ with
# the tests that check it, against the prebuilt database; outcomes in build/mutate/<group>.txt.
GROUP ?= all
mutate: $(VENV)/.mutmut db
	$(PY) tools/mutate.py $(GROUP) --max-children 1 --db $(DB)

$(VENV)/.mutmut: $(STAMP) requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@
