# The two commands a newcomer needs: `make run` and `make test`. Both are idempotent.
VENV ?= .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-test setup demo lint check clean messages bench backup restore

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@scripts/install-system-libraries
	@touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	@touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test
	@scripts/install-browser
	@scripts/install-axe

setup: install
	$(MANAGE) migrate --no-input -v0
	$(MANAGE) load_demo

run: setup
	@echo ""
	@echo "  Portal running at http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/)"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/"
	@echo "  Demo logins (user / password):"
	@echo "    staff  : staff  / demo-staff-2026"
	@echo "    member : member / demo-member-2026"
	@echo "    donor  : donor  / demo-donor-2026"
	@echo ""
	$(MANAGE) runserver $(HOST):$(PORT)

test: install-test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

messages: install
	cd portal && ../$(PY) ../manage.py makemessages -l es -l en --ignore=accounts/migrations --ignore=locale_thirdparty --ignore=templates/wagtailadmin
	for app in pilots research surveys; do (cd $$app && ../$(PY) ../manage.py makemessages -l es -l en); done
	$(MANAGE) compilemessages --ignore=.venv --ignore=node_modules

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles

# Every page a user opens, warm and cold (after a write elsewhere / to its innovation), and the
# PDFs, against a bare Django view, served by gunicorn on a fresh PostgreSQL database
# (<BENCH_DATABASE_PREFIX>bench_f<factor>); results in bench/results/. BENCH_FACTOR=10 adds
# bench/scale.py's 10x data; BENCH_ARGS="--pages dashboard --seconds 0.5" makes a short run
# (options: bench/run.py's docstring).
BENCH_FACTOR ?= 1
bench: install-test
	$(PY) bench/run.py --factor $(BENCH_FACTOR) $(BENCH_ARGS)

# Backups (docs/deployment.md, "Backups and restore"): the database (pg_dump, or SQLite's own
# backup), MEDIA_ROOT and PRIVATE_MEDIA_ROOT, as the settings and the environment name them, into a
# new $(BACKUP_DIR)/portal-<UTC time>/. Restore refuses a database with tables unless FORCE=1.
BACKUP_DIR ?= backups
backup:
	PORTAL_PYTHON="$(PY)" scripts/backup "$(BACKUP_DIR)"

restore:
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=$(BACKUP_DIR)/portal-<time> [FORCE=1]" >&2; exit 2; }
	PORTAL_PYTHON="$(PY)" FORCE="$(FORCE)" scripts/restore "$(BACKUP)"
