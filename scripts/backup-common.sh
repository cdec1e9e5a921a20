# Shared by scripts/backup and scripts/restore (sourced, not run on its own).
#
# Which database and which directories: whatever the Django settings say, read through
# `manage.py backup_info settings` (portal/management/commands/backup_info.py), so that
# DJANGO_SETTINGS_MODULE, DATABASE_URL, MEDIA_ROOT and PRIVATE_MEDIA_ROOT mean here exactly
# what they mean to the web process.
#
# PORTAL_PYTHON  the Python that runs the portal (default: .venv/bin/python; in the Docker image: python)
# PG_DUMP, PG_RESTORE  other PostgreSQL client programs (default: pg_dump, pg_restore on PATH)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=${PORTAL_PYTHON:-$ROOT/.venv/bin/python}
PG_DUMP=${PG_DUMP:-pg_dump}
PG_RESTORE=${PG_RESTORE:-pg_restore}

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

manage() {
  "$PY" "$ROOT/manage.py" "$@"
}

# Sets DB_ENGINE, DB_NAME, DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_SSLMODE, MEDIA_ROOT,
# MEDIA_STORAGE, PRIVATE_MEDIA_ROOT and PRIVATE_STORAGE (a root is empty when that storage's
# files are not on this machine's disk, e.g. on S3).
load_settings() {
  command -v "$PY" >/dev/null || die "no Python at $PY: run 'make install' first, or set PORTAL_PYTHON"
  local assignments
  assignments=$(manage backup_info settings) || die "could not read the portal's settings (see above)"
  eval "$assignments"
}

# libpq's own variables for pg_dump and pg_restore: the password never shows on a command line.
export_pg_env() {
  export PGDATABASE="$DB_NAME"
  if [ -n "$DB_HOST" ]; then export PGHOST="$DB_HOST"; fi
  if [ -n "$DB_PORT" ]; then export PGPORT="$DB_PORT"; fi
  if [ -n "$DB_USER" ]; then export PGUSER="$DB_USER"; fi
  if [ -n "$DB_PASSWORD" ]; then export PGPASSWORD="$DB_PASSWORD"; fi
  if [ -n "$DB_SSLMODE" ]; then export PGSSLMODE="$DB_SSLMODE"; fi
}

# SQLite's online backup API, what `sqlite3 SOURCE ".backup TARGET"` runs: a consistent copy even
# while the portal writes, replacing everything TARGET held. Python's sqlite3 module is always
# there; the sqlite3 program often is not.
sqlite_copy() {
  "$PY" -c 'import sqlite3, sys
source, target = sqlite3.connect(sys.argv[1]), sqlite3.connect(sys.argv[2])
source.backup(target)
target.close()
source.close()' "$1" "$2"
}

sha256() {
  if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi
}

dir_is_empty() {
  [ ! -d "$1" ] || [ -z "$(ls -A "$1")" ]
}
