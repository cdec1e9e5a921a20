"""Development's cache is one for every process: a command retires the server's cached pages.

With a cache in the server's own memory, `/research/` stayed stale for up to an hour after
`publish_scheduled` ran in another process (portal/settings/dev.py).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from research.models import ResearchReportPage
from tests.research.fixtures import home, locales, make_report, research_index  # noqa: F401

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def in_another_process(code: str, *, cache_dir: Path) -> str:
    """Run `code` in a fresh Python with the development settings, as `manage.py` would."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings.dev", "DEV_CACHE_DIR": str(cache_dir)}
    script = f"import django\ndjango.setup()\n{code}"
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_write_announced_by_another_process_retires_the_servers_cached_research_list(
    client,
    research_index,  # noqa: F811
    tmp_path,
):
    backend = in_another_process(
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])", cache_dir=tmp_path
    )
    # The server's side of the test uses the same cache as the development settings configure.
    shared = {"default": {"BACKEND": backend.strip(), "LOCATION": str(tmp_path), "KEY_PREFIX": "portal"}}
    with override_settings(CACHES=shared):
        report = make_report(research_index, title="Microseguros en Ecuador")
        assert "Microseguros en Ecuador" in client.get("/research/").content.decode()
        # A write this process never saw (as when a command publishes in its own process):
        ResearchReportPage.objects.filter(pk=report.pk).update(title="Microseguros en Bolivia")
        assert "Microseguros en Ecuador" in client.get("/research/").content.decode()  # cached

        in_another_process("from portal.cache import bump_version\nbump_version()", cache_dir=tmp_path)

        page = client.get("/research/").content.decode()
        assert "Microseguros en Bolivia" in page
        assert "Microseguros en Ecuador" not in page
