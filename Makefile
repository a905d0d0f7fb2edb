# Homeward: `make run` serves it, `make test` tests it. Both set everything up first.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
export HOST PORT

.PHONY: run test test-sqlite test-postgres lint check messages bench-help clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt requirements.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

run: $(VENV)/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	$(PY) manage.py serve --host $(HOST) --port $(PORT)

# The whole suite on SQLite; again on PostgreSQL when DATABASE_URL points at one.
test: $(VENV)/.test-installed
	env -u DATABASE_URL $(PY) -m pytest -q -n 2
	@case "$$DATABASE_URL" in postgres*) \
		echo "== again on PostgreSQL ($$DATABASE_URL)"; $(PY) -m pytest -q -n 2 ;; \
	esac

lint: $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Production-like checks (CI runs these).
check: $(VENV)/.test-installed
	$(PY) manage.py makemigrations --check --dry-run
	HOMEWARD_ENV=production SECRET_KEY=ci-only-$$(head -c 60 /dev/urandom | base64 | tr -d '/+=') \
	  HOMEWARD_DATA_KEY=$$($(PY) -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  HOMEWARD_INDEX_KEY=$$($(PY) -c 'import base64,os;print(base64.urlsafe_b64encode(os.urandom(32)).decode())') \
	  ALLOWED_HOSTS=homeward.example \
	  $(PY) manage.py check --deploy --fail-level WARNING

# Developers with GNU gettext: refresh and compile the catalogues, the project's and each app's (the .mo is committed).
messages: $(VENV)/.installed
	cd homeward && ../$(PY) ../manage.py makemessages -l ru --no-obsolete --ignore "*/tests/*" --ignore "appeals/*" --ignore "actions/*" --ignore "questions/*" --ignore "static/*"
	for app in actions appeals questions; do (cd homeward/$$app && ../../$(PY) ../../manage.py makemessages -l ru --no-obsolete --ignore "tests/*"); done
	$(PY) manage.py compilemessages -l ru

clean:
	rm -rf $(VENV) var
