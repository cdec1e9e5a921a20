"""Backups that restore: `make backup`, then `make restore` into a fresh database, finds the same portal.

The PostgreSQL test is the proof docs/deployment.md ("Backups and restore") points to: a fresh
database with the demo data, an image in a temporary MEDIA_ROOT and an MFI's report attachment in
a temporary PRIVATE_MEDIA_ROOT; `make backup` with production settings; a second fresh database
and two other, empty directories; `make restore` into them. Then every table has the same rows,
the innovation page reads the same, and the files are back byte for byte. It needs PostgreSQL, so
it runs in CI's PostgreSQL pass and is skipped on SQLite.

The SQLite test runs everywhere: the newcomer's default database round-trips too, and restore
refuses to overwrite a database that has tables unless told to (FORCE=1).
"""

import html
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import environ
import pytest

from portal.management.commands.backup_info import MAIN_TABLES

ROOT = Path(__file__).resolve().parents[2]
PAGE = "/en/pilots/rfr-microseguros/"

# The image and the attachment the backup must carry: rows in the database, files on disk.
ADD_FILES = """
import io
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from PIL import Image as Picture
from wagtail.images.models import Image
from pilots.models import MFIReport

png = io.BytesIO()
Picture.new("RGB", (3, 2), (11, 95, 115)).save(png, "PNG")
Image.objects.create(title="Backup test", file=ContentFile(png.getvalue(), name="backup-test.png"))
name = storages["private"].save("mfi-reports/2011/03/evidence.pdf", ContentFile(b"%PDF-1.4 backup test\\n"))
MFIReport.objects.filter(pk=MFIReport.objects.order_by("pk").values("pk")[:1]).update(attachment=name)
"""

# What the test compares between the two databases: the rows of every table, and the innovation page.
INSPECT = f"""
import json
from django.apps import apps
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
response = Client().get("{PAGE}")
print(json.dumps({{
    "counts": {{
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }},
    "status": response.status_code,
    "page": response.content.decode(),
}}))
"""


def _postgres_server() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("backups are proved on PostgreSQL (pg_dump/pg_restore): set DATABASE_URL=postgres://…")
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        pytest.skip("the PostgreSQL client programs pg_dump and pg_restore are not installed")
    config = environ.Env.db_url_config(url)
    return {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
    }


@pytest.fixture
def fresh_databases():
    """Two new, empty PostgreSQL databases (the original and the one restored into), dropped afterwards."""
    import psycopg

    server = _postgres_server()
    suffix = uuid.uuid4().hex[:8]
    names = [f"backup_{suffix}_original", f"backup_{suffix}_restored"]
    admin = {**server, "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**admin) as connection:
        for name in names:
            connection.execute(f'CREATE DATABASE "{name}"')
    credentials = f"{server['user']}:{server['password']}" if server["password"] else server["user"]
    try:
        yield [f"postgres://{credentials}@{server['host']}:{server['port']}/{name}" for name in names]
    finally:
        with psycopg.connect(**admin) as connection:
            for name in names:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(database_url: str, media: Path, private: Path, *, production: bool = False) -> dict:
    """The environment of a deployment on that database and those directories (dev or production settings)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        PRIVATE_MEDIA_ROOT=str(private),
    )
    if production:  # what the operator's cron job has: the web process's environment
        env.update(
            DJANGO_SETTINGS_MODULE="portal.settings.production",
            SECRET_KEY="backup-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
            ALLOWED_HOSTS="portal.example.org",
            SITE_URL="https://portal.example.org",
            EMAIL_URL="consolemail://",
            REDIS_URL="redis://127.0.0.1:6379/15",  # read, never connected to by the scripts
            SEARCH_ENGINE="database",
        )
    return env


def _run(args: list[str], env: dict, *, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    if ok:
        assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


def _manage(env: dict, *args: str) -> str:
    return _run([sys.executable, "manage.py", *args], env).stdout


def _shell(env: dict, code: str) -> str:
    return _manage(env, "shell", "--no-imports", "-v", "0", "-c", code)


def _make(env: dict, *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    return _run(["make", "--no-print-directory", *args, f"PY={sys.executable}"], env, ok=ok)


def _inspect(env: dict) -> tuple[dict[str, int], str]:
    """Rows per table, and the visible text of the innovation page, as the test client reads them."""
    found = json.loads(_shell(env, INSPECT))
    assert found["status"] == 200, f"{PAGE} answered {found['status']}"
    text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", found["page"]))).strip()
    return found["counts"], text


def _files(directory: Path) -> dict[str, bytes]:
    return {str(path.relative_to(directory)): path.read_bytes() for path in directory.rglob("*") if path.is_file()}


def _the_backup(backups: Path) -> Path:
    written = list(backups.iterdir())
    assert len(written) == 1 and re.fullmatch(r"portal-\d{8}T\d{6}Z", written[0].name), written
    return written[0]


def test_a_postgresql_backup_restores_into_a_fresh_database(fresh_databases, tmp_path):
    if not shutil.which("make"):
        pytest.skip("make is not installed")
    original_url, restored_url = fresh_databases
    media, private = tmp_path / "media", tmp_path / "private-media"
    media_restored, private_restored = tmp_path / "media-restored", tmp_path / "private-media-restored"
    backups = tmp_path / "backups"
    original = _env(original_url, media, private)
    restored = _env(restored_url, media_restored, private_restored)

    _manage(original, "migrate", "--no-input", "-v", "0")
    _manage(original, "load_demo", "-v", "0")
    _shell(original, ADD_FILES)
    assert _files(media) and _files(private)

    backup = _make(_env(original_url, media, private, production=True), "backup", f"BACKUP_DIR={backups}")
    path = _the_backup(backups)
    assert backup.stdout.strip().splitlines()[-1] == str(path)
    assert {p.name for p in path.iterdir()} == {
        "database.dump",
        "media.tar.gz",
        "private-media.tar.gz",
        "manifest.json",
        "SHA256SUMS",
    }
    manifest = json.loads((path / "manifest.json").read_text())
    assert manifest["settings_module"] == "portal.settings.production"
    assert manifest["database"]["engine"] == "postgresql"
    assert re.fullmatch(r"[0-9a-f]{40}|unknown", manifest["git_commit"])
    assert manifest["counts"]["pilots.Innovation"] == 5
    assert manifest["counts"]["wagtailimages.Image"] == 2  # the demo association's logo and the test's image

    restore = _make(_env(restored_url, media_restored, private_restored, production=True), "restore", f"BACKUP={path}")
    assert re.search(r"surveys\.Answer\s+(\d+)\s+\1\b", restore.stdout), restore.stdout
    assert "differ" not in restore.stderr

    counts, page = _inspect(original)
    counts_restored, page_restored = _inspect(restored)
    for label in MAIN_TABLES:
        assert counts_restored[label] == counts[label] == manifest["counts"][label], label
    assert counts["surveys.Answer"] > 0 and counts["wagtailcore.Page"] > 0 and counts["pilots.Measurement"] > 0
    assert counts_restored == counts  # every table, not only the main ones

    for text in ("Simplified micro-insurance (RFR, Ecuador)", "Insured clients", "51,000", "58,500", "87 %"):
        assert text in page_restored
    assert page_restored == page

    assert _files(media_restored) == _files(media)
    assert _files(private_restored) == _files(private)

    # Once restored, the database has tables: a second restore refuses to overwrite it.
    again = _make(restored, "restore", f"BACKUP={path}", ok=False)
    assert again.returncode != 0
    assert "is not empty" in again.stderr and "FORCE=1" in again.stderr


def test_a_sqlite_backup_restores_and_restore_refuses_to_overwrite(tmp_path):
    """The newcomer's default database: SQLite's own backup; no migrations needed to prove the round trip."""
    source = tmp_path / "portal.sqlite3"
    with sqlite3.connect(source) as connection:
        connection.execute("CREATE TABLE note (body TEXT)")
        connection.executemany("INSERT INTO note VALUES (?)", [("uno",), ("dos",), ("tres",)])
    connection.close()
    media, private = tmp_path / "media", tmp_path / "private-media"
    (media / "original_images").mkdir(parents=True)
    (media / "original_images" / "logo.png").write_bytes(b"\x89PNG not really")
    backups = tmp_path / "backups"
    script_env = {"PORTAL_PYTHON": sys.executable}

    env = {**_env(f"sqlite:///{source}", media, private), **script_env}
    _run([str(ROOT / "scripts" / "backup"), str(backups)], env)
    path = _the_backup(backups)
    assert {p.name for p in path.iterdir()} >= {"database.sqlite3", "media.tar.gz", "private-media.tar.gz"}
    assert json.loads((path / "manifest.json").read_text())["database"]["engine"] == "sqlite"

    target, media_restored = tmp_path / "restored" / "portal.sqlite3", tmp_path / "media-restored"
    env = {**_env(f"sqlite:///{target}", media_restored, tmp_path / "private-restored"), **script_env}
    _run([str(ROOT / "scripts" / "restore"), str(path)], env)
    with sqlite3.connect(target) as connection:
        assert [row[0] for row in connection.execute("SELECT body FROM note ORDER BY rowid")] == ["uno", "dos", "tres"]
        connection.execute("DELETE FROM note")
    connection.close()
    assert _files(media_restored) == _files(media)

    refused = _run([str(ROOT / "scripts" / "restore"), str(path)], env, ok=False)
    assert refused.returncode != 0
    assert "is not empty (tables: 1)" in refused.stderr and "--force" in refused.stderr
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT count(*) FROM note").fetchone() == (0,)  # untouched
    connection.close()

    _run([str(ROOT / "scripts" / "restore"), str(path)], {**env, "FORCE": "1"})
    with sqlite3.connect(target) as connection:
        assert connection.execute("SELECT count(*) FROM note").fetchone() == (3,)
    connection.close()
