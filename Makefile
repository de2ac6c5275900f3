# The two commands of the README: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint install bench clean messages

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "The portal needs Python 3.11 or newer; this is " + sys.version.split()[0] + ". Set PYTHON=python3.12 (for example) and run make again.")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

# Re-install whenever pyproject.toml changes.
$(VENV)/.installed-dev: pyproject.toml $(VENV)/.python-ok
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@ $(VENV)/.installed

$(VENV)/.installed: pyproject.toml $(VENV)/.python-ok
	$(PY) -m pip install --quiet -e .
	@touch $@

install: $(VENV)/.installed

run: $(VENV)/.installed
	DEBUG=$${DEBUG:-1} $(PY) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PY) manage.py demo_data
	@echo "Serving the portal on http://$(HOST):$(PORT)/ (Ctrl+C to stop)"
	DEBUG=$${DEBUG:-1} $(PY) manage.py runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest -n auto --dist worksteal $(PYTEST_ARGS)

# Translations: extract every marked string into locale/<language>/LC_MESSAGES/django.po
# (needs GNU gettext: apt-get install gettext) and compile the .mo files, which are committed.
messages: $(VENV)/.installed-dev
	$(PY) manage.py catalogues

# Benchmarks print their figures and write them under benchmarks/results/ (not part of make test).
# The HTTP benchmarks need PostgreSQL and Redis: they create and drop databases named after
# DATABASE_URL's (forum_bench_1x, forum_bench_10x, forum_bench_storm, ...) and use Redis db 6.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/forum_bench
BENCH_REDIS_URL    ?= redis://127.0.0.1:6379/6
bench: $(VENV)/.installed-dev
	@export DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(BENCH_REDIS_URL)}"; \
	status=0; started=$$(date +%s); \
	for script in benchmarks/*.py; do \
	  case "$$script" in benchmarks/__init__.py|benchmarks/summary.py) continue;; esac; \
	  echo "== $$script"; $(PY) $$script || status=1; \
	done; \
	echo "== benchmarks/summary.py"; $(PY) benchmarks/summary.py || status=1; \
	echo "make bench: $$(( $$(date +%s) - started )) s"; exit $$status

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .pytest_cache
