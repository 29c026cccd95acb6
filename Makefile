# The two commands of the README: `make run` and `make test`. Everything else is a helper for them.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-dev chromium migrate demo reset-demo lint format worker beat bench clean loadtest loadtest-outage

$(VENV)/bin/activate:
	python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(VENV)/bin/activate
	$(PIP) install -q -r requirements.txt

# The browser tests' markup checkers from the npm registry, pinned in package-lock.json: axe-core (axe.min.js) and
# the Nu HTML Checker (vnu.jar). --ignore-scripts: vnu-jar's install script would download a Java runtime.
install-dev: $(VENV)/bin/activate node_modules/.package-lock.json
	$(PIP) install -q -r requirements-dev.txt

node_modules/.package-lock.json: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { \
	  echo "Installing Debian's npm for the browser tests' markup checkers..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

# Debian's Chromium for the browser tests (Playwright cannot download browsers here), and a Java runtime for the
# Nu HTML Checker they run on every page (tests/browser/markup.py).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }
	@command -v java >/dev/null 2>&1 || { \
	  echo "Installing Debian's default-jre-headless for the Nu HTML Checker..."; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq default-jre-headless >/dev/null; }

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

# The demo loads into an empty database only (a used one is left as it is): start over with a fresh one.
reset-demo:
	rm -f db.sqlite3
	$(MAKE) demo

run: demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The apps' dependency order first (pyproject.toml [tool.importlinter]): a back-edge fails the run.
# Two processes (pytest-xdist), each with its own test database and Redis database (cco/settings/test.py).
test: install-dev chromium
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest -n 2

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

worker: install
	$(VENV)/bin/celery -A cco worker -l info

beat: install
	$(VENV)/bin/celery -A cco beat -l info

# Pages, API lists and scoring at 20, 200 and 2,000 departments (ops/bench.py --help); writes docs/bench-latest.md.
# REPLACES the organisation in DATABASE_URL (PostgreSQL) and empties the queue in REDIS_URL: give it its own, e.g.
# make bench DATABASE_URL=postgres://postgres@127.0.0.1:5432/cco_bench REDIS_URL=redis://127.0.0.1:6379/14 ARGS="--sizes 20,200"
bench: install
	$(PY) ops/bench.py $(ARGS)

# Locust against gunicorn + Celery worker + beat on PostgreSQL and a private Redis (ops/loadtest.py --help).
# `make loadtest ARGS="--run-time 30"` passes options; loadtest-outage stops that Redis for 20 s mid-run.
loadtest: $(VENV)/bin/activate
	$(PIP) install -q -r requirements-load.txt
	$(PY) ops/loadtest.py $(ARGS)

loadtest-outage: $(VENV)/bin/activate
	$(PIP) install -q -r requirements-load.txt
	$(PY) ops/loadtest.py --redis-outage 20 $(ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .dev-secret test-artifacts .pytest_cache node_modules
