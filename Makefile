# Two commands on a fresh machine: `make run` (the system with demo data) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WITH_DB := scripts/with-db.sh
HOST ?= 127.0.0.1
PORT ?= 8000
# pytest-xdist workers of `make test` (one per core of the 2-core CI machine; 0 runs in-process).
PYTEST_WORKERS ?= 2
# check --deploy needs production-like values; these never serve traffic.
DEPLOY_ENV := DJANGO_SETTINGS_MODULE=jinyuan.settings_production SECRET_KEY=ci-deploy-check-$$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n') ALLOWED_HOSTS=service.jinyuan-cbd.example

.PHONY: run test a11y bench setup system-deps system-deps-test system-deps-bench messages lint worker beat stop-db shell

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

setup: $(VENV)/.installed system-deps messages

system-deps:
	scripts/system-deps.sh run

system-deps-test:
	scripts/system-deps.sh test

system-deps-bench:
	scripts/system-deps.sh bench

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=var

# Serves as production does (scripts/serve.sh): gunicorn, a Celery worker and beat from the
# Procfile under honcho, plus a redis-server on var/redis.sock when REDIS_URL is unset.
run: setup
	SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)} HOST=$(HOST) PORT=$(PORT) $(WITH_DB) bash -c '$(PY) manage.py migrate --no-input -v1 && \
	  $(PY) manage.py seed_demo && \
	  $(PY) manage.py collectstatic --no-input -v0 && \
	  echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C stops everything)" && \
	  exec scripts/serve.sh'

test: setup system-deps-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(WITH_DB) $(PY) manage.py makemigrations --check --dry-run
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	$(WITH_DB) $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# The accessibility check alone: axe-core (WCAG 2.1 A/AA) on every page of the browser tests named so.
a11y:
	$(MAKE) test PYTEST_ARGS='-m e2e -k accessibility'

bench: setup system-deps-bench
	$(WITH_DB) $(PY) bench/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check .

worker: setup
	$(WITH_DB) $(VENV)/bin/celery -A jinyuan worker -l info

beat: setup
	$(WITH_DB) $(VENV)/bin/celery -A jinyuan beat -l info

shell: setup
	$(WITH_DB) $(PY) manage.py shell

stop-db:
	$(PY) -W ignore scripts/embedded_db.py stop
