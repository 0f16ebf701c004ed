# The two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV := DEBUG=True

.PHONY: run test test-postgres messages static clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

run: $(INSTALLED)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py demo_data
	@echo "Open http://127.0.0.1:8000 and log in with one of the users above (password: demo)."
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(PY) -m pytest $(PYTEST_ARGS)

# The suite on the local PostgreSQL (CI does this through .ci/run).
test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop $(MAKE) test

# Refresh the translation catalogues after changing UI strings.
messages: $(INSTALLED)
	$(DEV) $(PY) manage.py makemessages --all --no-obsolete --ignore='.venv/*' --ignore='staticfiles/*'
	$(DEV) $(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
