# Comptoir: `make run` for the demo, `make test` for the whole suite.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test screenshots install install-dev system-deps messages db demo lint check-migrations chromium pytest clean

# Debian packages the Python packages need at run time: gettext (translations), pango (PDFs).
system-deps:
	@command -v msgfmt >/dev/null && ldconfig -p | grep -q libpangoft2-1.0 || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext libpango-1.0-0 libpangoft2-1.0-0)

$(VENV)/.base: requirements/base.txt | system-deps
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements/base.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.base requirements/dev.txt
	$(PIP) install -q -r requirements/base.txt -r requirements/dev.txt
	@touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

messages: install system-deps
	cd src/comptoir && ../../$(PY) ../../manage.py compilemessages -v0

db: install
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py createcachetable

demo: db
	@mkdir -p var
	$(PY) manage.py seed_demo --products 500 | tee var/demo-logins.txt

run: messages demo
	$(PY) manage.py collectstatic --noinput -v0
	@echo; sed -n '/Demo logins/,$$p' var/demo-logins.txt; echo
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@export SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}; \
	$(PY) manage.py run_worker & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

chromium:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

lint: install-dev
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/mypy src

check-migrations: install-dev
	$(PY) manage.py makemigrations --check --dry-run

# Two workers: the machines this runs on have two cores.
PYTEST_ARGS ?= -n 2
pytest: install-dev messages chromium
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint check-migrations pytest

# Retake the guides' screenshots (docs/img/) by running the browser tests.
screenshots: install-dev messages chromium
	COMPTOIR_SCREENSHOTS=1 $(VENV)/bin/pytest -p no:xdist -q tests/e2e

clean:
	rm -rf $(VENV) var
