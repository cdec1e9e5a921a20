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
    assert sorted(calls) == [  # each app's registered jobs (portal.jobs), once each, the failing one too
        "open_and_close_rounds",
        "publish_scheduled",
        "refresh_progress",
        "send_benchmarking_reminders",
        "send_report_reminders",
        "send_survey_reminders",
        "tasks_status",
    ]
    assert "Scheduler stopped." in out.getvalue()


def test_scheduler_options_tune_each_family_of_registered_jobs():
    """`--remind-every` is the interval of every job registered with `every="remind"`; its help names them."""
    from portal.management.commands.run_scheduler import Command

    parser = Command().create_parser("manage.py", "run_scheduler")
    help_text = parser.format_help()
    assert "send_report_reminders" in help_text and "open_and_close_rounds" in help_text
    options = vars(parser.parse_args(["--remind-every", "120"]))
    assert options["remind_every"] == 120 and options["progress_every"] == 600
