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
	$(PY) manage.py makemigrations --check --dry-run

test: lint
	$(PY) -m pytest -n auto $(PYTEST_ARGS)

# Translations: extract every marked string into locale/<language>/LC_MESSAGES/django.po
# (needs GNU gettext: apt-get install gettext) and compile the .mo files, which are committed.
messages: $(VENV)/.installed-dev
	$(PY) manage.py catalogues

# Benchmarks print their figures and write them under benchmarks/results/ (not part of make test).
bench: $(VENV)/.installed-dev
	for script in benchmarks/*.py; do [ "$$script" = benchmarks/__init__.py ] || $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .pytest_cache
