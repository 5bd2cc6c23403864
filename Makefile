# TrainHub: `make run` serves the LMS, `make test` runs the whole suite. Nothing else to install.
PYTHON ?= python3
VENV ?= .venv
HOST ?= 127.0.0.1
PORT ?= 5000
WORKERS ?= $(shell nproc 2>/dev/null || echo 2)

BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PIP_INSTALL := $(BIN)/python -m pip install --quiet --disable-pip-version-check

.PHONY: run test test-cluster e2e lint lock browser nginx fonts pdf-pictures bench bench-tools translations clean help
.DEFAULT_GOAL := help

help:
	@echo "make run    set up and serve TrainHub on http://$(HOST):$(PORT) with its jobs' worker"
	@echo "make test   run the whole test suite (TEST_DATABASE_URL=... for PostgreSQL)"
	@echo "make e2e    only the browser tests (Playwright driving Debian's chromium)"
	@echo "make test-cluster  two nodes behind nginx (deploy/), a node killed, Redis and PostgreSQL lost"
	@echo "make lint   ruff and mypy"
	@echo "make lock   re-pin constraints.txt after changing dependencies in pyproject.toml"
	@echo "make bench  benchmarks (figures go to bench/results/, not into the tests)"
	@echo "make translations  re-extract the interface's strings and update every catalog"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "TrainHub needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) --upgrade "pip>=24"

# Installs are pinned by constraints.txt, so every machine gets the versions CI tested.
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -c constraints.txt -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP_INSTALL) -c constraints.txt -e '.[dev]'
	@touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run fonts
	$(FLASK) db upgrade
	$(FLASK) courses import courses
	@echo "Starting TrainHub on http://$(HOST):$(PORT)  (Ctrl-C to stop)"
	@# Last before the server: on a database without accounts, the demo passwords, in a box.
	@$(FLASK) users create-demo
	@# The jobs' worker (outbox, overdue attempts) beside the web server. Background jobs of
	@# a script ignore Ctrl-C, so the trap hands it on to both; either one ending stops both.
	@$(FLASK) jobs worker & worker=$$!; \
	$(BIN)/gunicorn --workers $(WORKERS) --bind $(HOST):$(PORT) --access-logfile - wsgi:app & \
	web=$$!; \
	trap 'kill -TERM $$web $$worker 2>/dev/null' INT TERM; \
	while kill -0 $$web 2>/dev/null && kill -0 $$worker 2>/dev/null; do sleep 1; done; \
	kill -TERM $$web $$worker 2>/dev/null; wait

# End-to-end tests drive Debian's chromium (never a downloaded browser). Install it when we can.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "chromium is not installed (apt-get install chromium): browser tests will be skipped"; \
	  fi; }

# PDFs set Korean in Debian's Nanum Gothic (DejaVu, shipped in app/core/fonts, has no Hangul);
# without it they are still made, with Hangul left out. PDF_CJK_FONT names another font file.
fonts:
	@test -f /usr/share/fonts/truetype/nanum/NanumGothic.ttf || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's fonts-nanum for Korean in PDFs"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-nanum >/dev/null; \
	  else \
	    echo "fonts-nanum is not installed (apt-get install fonts-nanum): PDFs will leave Korean out"; \
	  fi; }

# The tests turn certificates into pictures (poppler's pdftoppm) for a person to look at.
pdf-pictures:
	@command -v pdftoppm >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's poppler-utils to picture PDFs in the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null; \
	  else \
	    echo "poppler-utils is not installed: the PDF picture tests will be skipped"; \
	  fi; }

test: $(VENV)/.installed-dev browser fonts pdf-pictures
	$(BIN)/pytest

# Two gunicorn nodes behind nginx with the shipped deploy/ files, on PostgreSQL and Redis:
# a node SIGKILLed mid-exam, a node on a closed Redis port, the database cut (README,
# "Testing a cluster"). nginx runs as a child of the test, never as the system's service.
# CLUSTER_DATABASE_URL is emptied first; the Redis databases are CLUSTER_RATELIMIT_STORAGE_URI
# and CLUSTER_JOBS_URL.
CLUSTER_DATABASE_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/cluster
test-cluster: $(VENV)/.installed-dev nginx
	CLUSTER_DATABASE_URL="$(CLUSTER_DATABASE_URL)" $(BIN)/pytest tests/cluster -m cluster

# Debian's nginx for the cluster test. Installing it must not start the system's nginx on
# port 80: a policy-rc.d that refuses every service start is in place for the install.
nginx:
	@command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's nginx for the cluster test (its service is not started)"; \
	    policy=/usr/sbin/policy-rc.d; made=; \
	    if [ ! -e $$policy ]; then printf '#!/bin/sh\nexit 101\n' >$$policy; chmod 755 $$policy; made=1; fi; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
	    status=$$?; [ -z "$$made" ] || rm -f $$policy; exit $$status; \
	  else \
	    echo "nginx is not installed (apt-get install nginx): the cluster test needs it" >&2; exit 1; \
	  fi; }

e2e: $(VENV)/.installed-dev browser
	$(BIN)/pytest tests/e2e

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check app tests migrations bench
	$(BIN)/mypy

# The load benchmark drives TrainHub with wrk and hey (Debian packages), installed here when
# missing. BENCH_DATABASE_URL=postgresql+psycopg://... runs it on PostgreSQL as well (that
# database is emptied); BENCH_SCALE=large gives the large data set (PostgreSQL only).
BENCH_SCALE ?= small
bench: $(VENV)/.installed-dev bench-tools
	$(BIN)/python bench/load_bench.py --scale $(if $(BENCH_DATABASE_URL),small,$(BENCH_SCALE))
	@if [ -n "$$BENCH_DATABASE_URL" ]; then \
	  $(BIN)/python bench/load_bench.py --scale $(BENCH_SCALE) --database-url "$$BENCH_DATABASE_URL"; fi
	$(BIN)/python bench/report_bench.py --scale $(if $(BENCH_DATABASE_URL),small,$(BENCH_SCALE))
	@if [ -n "$$BENCH_DATABASE_URL" ]; then \
	  $(BIN)/python bench/report_bench.py --scale $(BENCH_SCALE) --database-url "$$BENCH_DATABASE_URL"; fi
	BENCH_DATABASE_URL= $(BIN)/python bench/selection_bench.py
	@if [ -n "$$BENCH_DATABASE_URL" ]; then \
	  $(BIN)/python bench/selection_bench.py --database-url "$$BENCH_DATABASE_URL"; fi

bench-tools:
	@command -v wrk >/dev/null && command -v hey >/dev/null || { \
	  echo "Installing Debian's wrk and hey for the load benchmark"; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq wrk hey; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq wrk hey; fi; }

lock: | $(BIN)/python
	$(PIP_INSTALL) pip-tools
	$(BIN)/pip-compile --quiet --extra dev --strip-extras --no-emit-index-url \
	  --no-emit-find-links --output-file constraints.txt pyproject.toml

# The interface's catalogs (docs/translating.md): extract every marked string into the
# template, merge it into each language's catalog (new strings untranslated, never guessed),
# and compile them. `make test` fails while any is out of date or untranslated.
TRANSLATIONS := app/translations
LANGUAGES := fr es pt ar ko
translations: $(VENV)/.installed-dev
	$(BIN)/pybabel --quiet extract --mapping-file babel.cfg --add-location file --sort-output \
	  --width 100 --add-comments Translators: --project TrainHub --copyright-holder TrainHub \
	  --keywords "_l N_ lazy_gettext lazy_ngettext:1,2 lazy_pgettext:1c,2" \
	  --output-file $(TRANSLATIONS)/messages.pot app
	@for lang in $(LANGUAGES); do \
	  if [ -f $(TRANSLATIONS)/$$lang/LC_MESSAGES/messages.po ]; then \
	    $(BIN)/pybabel --quiet update --no-fuzzy-matching --ignore-obsolete --width 100 \
	      --input-file $(TRANSLATIONS)/messages.pot --output-dir $(TRANSLATIONS) --locale $$lang; \
	  else \
	    $(BIN)/pybabel --quiet init --width 100 --input-file $(TRANSLATIONS)/messages.pot \
	      --output-dir $(TRANSLATIONS) --locale $$lang; \
	  fi; done
	$(BIN)/pybabel compile --statistics --directory $(TRANSLATIONS)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
