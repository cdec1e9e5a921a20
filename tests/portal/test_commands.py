"""The deployment's own commands: `release` (once per deploy) and `run_scheduler` (one process)."""

from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_release_migrates_and_builds_the_indexes_and_can_run_again():
    for _ in range(2):
        out = StringIO()
        call_command("release", stdout=out)
        assert "Knowledge index rebuilt" in out.getvalue()
        assert "Progress brought up to date" in out.getvalue()
        assert "Release steps done." in out.getvalue()


def test_scheduler_runs_each_job_and_survives_a_failing_one():
    calls = []

    def fake(name, **kwargs):
        calls.append(name)
        if name == "publish_scheduled":
            raise RuntimeError("database restarting")

    with mock.patch("portal.management.commands.run_scheduler.call_command", side_effect=fake):
        out = StringIO()
        call_command("run_scheduler", "--once", stdout=out)
    assert calls == [
        "publish_scheduled",
        "open_and_close_rounds",
        "send_survey_reminders",
        "send_report_reminders",
        "refresh_progress",
        "tasks_status",
    ]
    assert "Scheduler stopped." in out.getvalue()
