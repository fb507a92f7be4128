# The README's two commands: `make run` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast install translations lint bench serve-prod scan clean fuzz-tools

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed translations

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d samen/translations -D messages >/dev/null

run: install
	$(BIN)/flask db upgrade
	$(BIN)/flask demo load
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python wsgi.py

# The whole suite on SQLite (browser and fuzz tests included), in TEST_WORKERS processes with a database each;
# then, with TEST_DATABASE_URL set (CI), what can differ between the databases (-m database) on PostgreSQL.
# Tests that manage their own databases (concurrency, live servers, backups, migrations, deploy) run on both in
# the first pass. Three processes on two cores: many tests wait on a server, a browser or a subprocess, so two
# leave a core idle, and four crowd it (docs/benchmarks.md, "The test suite"). Each process gets whole modules, the
# slowest first (SLOW_MODULES in tests/conftest.py), so a module's world is built once (docs/testing.md).
# TEST_WORKERS=0 runs in one process; PYTEST_ARGS adds pytest options.
TEST_WORKERS ?= 3
# Bytecode and pytest's rewritten test modules are cached in __pycache__ even where the environment says not to
# (PYTHONDONTWRITEBYTECODE=1 here): otherwise every test process, and every server a test starts, compiles the
# app and rewrites the tests anew: 7 s of collection a process instead of 2.5.
export PYTHONDONTWRITEBYTECODE :=
PYTEST := $(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: install fuzz-tools lint
	$(PYTEST) $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== on PostgreSQL too: what can differ between the databases ($$TEST_DATABASE_URL)"; \
		SAMEN_TEST_BACKEND=postgresql $(PYTEST) -m database $(PYTEST_ARGS); \
	fi

# The inner loop: SQLite only; no browser, fuzz or integration tests (real servers, threads, whole databases).
test-fast: install
	$(PYTEST) -m "not browser and not fuzz and not integration and not nginx and not redis and not postgres" \
		$(PYTEST_ARGS)

# ruff, configured in pyproject.toml; `make test` runs it first.
lint: $(VENV)/.installed
	$(BIN)/ruff check samen tests bench migrations deploy/serve-prod deploy/scan wsgi.py

# schemathesis, which fuzzes the API from its OpenAPI document (tests/fuzz), in a virtualenv of its own: its
# dependencies are not the app's.
FUZZ_VENV := .venv-fuzz
SCHEMATHESIS_VERSION := 4.32.5

fuzz-tools: $(FUZZ_VENV)/.installed

$(FUZZ_VENV)/.installed:
	$(PYTHON) -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(FUZZ_VENV)/bin/python -m pip install --quiet 'schemathesis==$(SCHEMATHESIS_VERSION)'
	touch $@

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o samen/translations/messages.pot --no-location --sort-output --no-wrap .
	$(BIN)/pybabel update -i samen/translations/messages.pot -d samen/translations --no-fuzzy-matching --no-wrap

bench: install
	$(BIN)/python -m bench

# The production set-up on this machine: nginx on 127.0.0.1:8080 in front of two gunicorn processes, PostgreSQL
# and Redis (docs/deployment.md). SERVE_PROD_ARGS="--port 9000 --workers 3", DATABASE_URL=… to change it.
serve-prod: install
	$(BIN)/python deploy/serve-prod $(SERVE_PROD_ARGS)

# A scan of the running app with wapiti (docs/security.md, "Scanning the running app"): the demo plan in a scratch
# database, the app under gunicorn (HTTPS) on 127.0.0.1:8099, wapiti anonymously and signed in as a demo chair;
# fails on any vulnerability, anomaly or server error. wapiti has a virtualenv of its own (its dependencies are
# not the app's); 3.2.3 is the last release for Python 3.11. Not part of `make test`: it takes about 15 minutes.
# SCAN_ARGS="--anonymous-only --max-attack-time 300" to change it.
SCAN_VENV := .venv-scan
WAPITI_VERSION := 3.2.3

$(SCAN_VENV)/.installed:
	$(PYTHON) -m venv $(SCAN_VENV)
	$(SCAN_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SCAN_VENV)/bin/python -m pip install --quiet 'wapiti3==$(WAPITI_VERSION)'
	touch $@

scan: install $(SCAN_VENV)/.installed
	$(BIN)/python deploy/scan --wapiti $(SCAN_VENV)/bin/wapiti $(SCAN_ARGS)

clean:
	rm -rf $(VENV) $(FUZZ_VENV) $(SCAN_VENV) instance *.egg-info
