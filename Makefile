# The two commands: `make run` (demo on http://127.0.0.1:8000) and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
DEV := DEBUG=True

.PHONY: run test test-postgres install lock messages static clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# The locked versions (requirements/dev.txt, from `make lock`), every file checked against its
# hash; then the project itself, editable, with nothing more. `pip check` fails when pyproject.toml
# asks for a package the lock lacks: run `make lock`.
$(INSTALLED): requirements/dev.txt pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip check
	touch $@

install: $(INSTALLED)

run: $(INSTALLED)
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py demo_data
	@echo "Open http://127.0.0.1:8000 and log in with one of the users above (password: demo)."
	@# The background worker (roster imports, notice e-mails: printed here by the console backend) runs
	@# beside the server and stops with it.
	$(DEV) $(PY) manage.py db_worker & worker=$$!; trap 'kill $$worker' EXIT INT TERM; \
		$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(PY) -m pytest $(PYTEST_ARGS)

# The suite on the local PostgreSQL (CI does this through .ci/run).
test-postgres:
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/iop $(MAKE) test

# Regenerate the lock files from pyproject.toml, for Python 3.11 on Linux (what the image and CI
# run), in an environment of their own. Keeps the current pins where they still fit;
# `make lock LOCK_ARGS=--upgrade` (or `--upgrade-package django`) moves them.
LOCK_PYTHON ?= python3.11
LOCK_VENV ?= .venv-lock
PIP_TOOLS ?= pip-tools==7.6.2
# Only PyPI: no local pip configuration, extra index or wheel folder leaks into the lock.
LOCK_ENV := env -u PIP_FIND_LINKS -u PIP_INDEX_URL -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null
PIP_COMPILE = $(LOCK_ENV) $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras $(LOCK_ARGS)

lock:
	@$(LOCK_PYTHON) -c 'import sys; sys.version_info[:2] == (3, 11) and sys.platform == "linux" or sys.exit("make lock needs Python 3.11 on Linux: set LOCK_PYTHON")'
	test -x $(LOCK_VENV)/bin/pip-compile || ($(LOCK_PYTHON) -m venv $(LOCK_VENV) \
		&& $(LOCK_ENV) $(LOCK_VENV)/bin/pip install --quiet '$(PIP_TOOLS)')
	$(PIP_COMPILE) --build-deps-for wheel -o requirements/base.txt pyproject.toml
	$(PIP_COMPILE) --build-deps-for editable --extra dev -c requirements/base.txt -o requirements/dev.txt pyproject.toml

# Refresh the translation catalogues after changing UI strings.
messages: $(INSTALLED)
	$(DEV) $(PY) manage.py makemessages --all --no-obsolete --ignore='.venv/*' --ignore='staticfiles/*'
	$(DEV) $(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 media
