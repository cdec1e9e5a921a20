"""What `scripts/backup` and `scripts/restore` need to know from Django, asked the Django way.

The scripts run pg_dump, pg_restore and tar; which database and which directories they work
on is whatever the settings say (DJANGO_SETTINGS_MODULE and the environment, exactly as the
web process reads them), so they ask through this command instead of parsing DATABASE_URL
themselves:

    manage.py backup_info settings          shell assignments (DB_ENGINE, DB_NAME, ..., MEDIA_ROOT,
                                            PRIVATE_MEDIA_ROOT) for the scripts to `eval`
    manage.py backup_info tables            how many tables the database has (0: empty)
    manage.py backup_info counts            rows in the main tables, as JSON
    manage.py backup_info counts --compare manifest.json
                                            the same, next to a backup's counts, with a warning
                                            on standard error for each that differs
    manage.py backup_info manifest DIR --tool "pg_dump (PostgreSQL) 15.20"
                                            a backup's manifest.json: date, git commit, settings,
                                            database, applied migrations, files, counts

A media root is empty in `settings` when that storage is not a directory on this machine
(object storage, or the tests' in-memory storage): the scripts then say that those files are
not in the backup, instead of archiving an unused directory.
"""

import json
import shlex
import subprocess
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand
from django.db import DatabaseError, connection
from django.db.migrations.recorder import MigrationRecorder

# The tables whose row counts a backup records and a restore checks: the association's own
# records (innovations and their figures, the survey's answers, the MFIs' reports), the site's
# pages and files, and who may sign in.
MAIN_TABLES = (
    "pilots.Innovation",
    "pilots.Indicator",
    "pilots.Measurement",
    "pilots.MFIReport",
    "surveys.Round",
    "surveys.Invitation",
    "surveys.Answer",
    "research.ResearchReportPage",
    "wagtailcore.Page",
    "wagtailcore.Revision",
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "accounts.User",
    "accounts.MemberInstitution",
)


def table_counts() -> dict[str, int | None]:
    """Rows per main table; None for a table the database lacks (a backup older than the code)."""
    counts = {}
    for label in MAIN_TABLES:
        try:
            counts[label] = apps.get_model(label)._base_manager.count()
        except DatabaseError:
            counts[label] = None
    return counts


def count_tables() -> int:
    """How many tables the database has; a SQLite file not created yet has none (and stays uncreated)."""
    if connection.vendor == "sqlite" and not Path(str(settings.DATABASES["default"]["NAME"])).exists():
        return 0
    return len(connection.introspection.table_names())


def storage_root(alias: str) -> str:
    """The directory a storage writes to, or "" when its files are not on this machine's disk."""
    storage = storages[alias]
    return str(storage.location) if isinstance(storage, FileSystemStorage) else ""


def storage_backend(alias: str) -> str:
    storage = storages[alias]
    return f"{type(storage).__module__}.{type(storage).__qualname__}"


def server_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0]
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.sqlite_version
    return ""


def git_commit() -> str:
    """The code's commit, where the checkout has git (an image built without .git says "unknown")."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 else "unknown"


def latest_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        latest[app_label] = max(latest.get(app_label, ""), name)
    return dict(sorted(latest.items()))


class Command(BaseCommand):
    help = "Facts from the settings and the database for scripts/backup and scripts/restore."
    # No system checks: some read the database, which a restore may not have created yet.
    requires_system_checks = []

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="what", required=True)
        sub.add_parser("settings", help="Shell assignments: the database and where the files are kept.")
        sub.add_parser("tables", help="How many tables the database has (0: an empty database).")
        counts = sub.add_parser("counts", help="Rows in the main tables, as JSON.")
        counts.add_argument("--compare", metavar="MANIFEST", help="Print them next to a backup manifest's counts.")
        manifest = sub.add_parser("manifest", help="A backup's manifest.json for the files in DIR.")
        manifest.add_argument("directory", metavar="DIR")
        manifest.add_argument("--tool", default="", help="The program that wrote the database file, with its version.")

    def handle(self, *args, **options):
        what = options["what"]
        if what == "settings":
            self.write_settings()
        elif what == "tables":
            self.stdout.write(str(count_tables()))
        elif what == "counts" and options["compare"]:
            self.compare_counts(Path(options["compare"]))
        elif what == "counts":
            self.stdout.write(json.dumps(table_counts(), indent=2))
        else:
            self.write_manifest(Path(options["directory"]), options["tool"])

    def write_settings(self):
        db = settings.DATABASES["default"]
        values = {
            "DB_ENGINE": connection.vendor,
            "DB_NAME": str(db["NAME"]),
            "DB_HOST": db.get("HOST") or "",
            "DB_PORT": str(db.get("PORT") or ""),
            "DB_USER": db.get("USER") or "",
            "DB_PASSWORD": db.get("PASSWORD") or "",
            "DB_SSLMODE": (db.get("OPTIONS") or {}).get("sslmode", ""),
            "MEDIA_ROOT": storage_root("default"),
            "MEDIA_STORAGE": storage_backend("default"),
            "PRIVATE_MEDIA_ROOT": storage_root("private"),
            "PRIVATE_STORAGE": storage_backend("private"),
        }
        for name, value in values.items():
            self.stdout.write(f"{name}={shlex.quote(value)}")

    def compare_counts(self, manifest_path: Path):
        expected = json.loads(manifest_path.read_text())["counts"]
        found = table_counts()
        width = max(len(label) for label in found)
        self.stdout.write(f"{'table':<{width}}  {'in backup':>10}  {'restored':>10}")
        differ = []
        for label, count in found.items():
            before = expected.get(label)
            mark = "" if before == count else "  <- differs"
            if mark:
                differ.append(label)
            self.stdout.write(f"{label:<{width}}  {_shown(before):>10}  {_shown(count):>10}{mark}")
        if differ:
            # Not an error: the manifest's counts are read just after pg_dump's snapshot, so rows
            # written in between (a site in use during the backup) show up here.
            self.stderr.write(
                f"Warning: the counts differ from the backup manifest's for {', '.join(differ)}. "
                "The manifest is read just after the dump: writes made while the backup ran explain small "
                "differences; large ones mean the restore is not the backup."
            )

    def write_manifest(self, directory: Path, tool: str):
        db = settings.DATABASES["default"]
        manifest = {
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "git_commit": git_commit(),
            "settings_module": settings.SETTINGS_MODULE,
            "database": {
                "engine": connection.vendor,
                "name": Path(str(db["NAME"])).name if connection.vendor == "sqlite" else str(db["NAME"]),
                "host": db.get("HOST") or "",
                "server_version": server_version(),
                "dumped_with": tool,
            },
            "media": {alias: storage_root(alias) or storage_backend(alias) for alias in ("default", "private")},
            "files": {path.name: path.stat().st_size for path in sorted(directory.iterdir()) if path.is_file()},
            "migrations": latest_migrations(),
            "counts": table_counts(),
        }
        self.stdout.write(json.dumps(manifest, indent=2))


def _shown(count: int | None) -> str:
    return "-" if count is None else str(count)
