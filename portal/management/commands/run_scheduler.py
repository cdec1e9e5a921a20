"""The scheduler process of a deployment: the periodic jobs, at their times, for ever.

- every `--publish-every` seconds (default 5 minutes): Wagtail's `publish_scheduled`,
  so research with a go-live date goes live (and into search) on time;
- every `--remind-every` seconds (default 1 hour): `open_and_close_rounds`, which opens the
  scheduled survey rounds whose opening date has come (sending their invitations) and closes
  those past their last day; then `send_survey_reminders`. That
  command reminds each member once per round, so running it often only means a
  reminder is sent within the hour its window opens; the e-mails themselves go
  through the task worker;
- every `--remind-every` seconds too: `send_report_reminders`, which reminds each MFI once
  of a reporting period that closed without its report;
- every `--progress-every` seconds (default 10 minutes): `refresh_progress`, which
  recomputes the stored progress of innovations out of date — after midnight, all
  of them, since statuses depend on the date — so that no visitor waits for it;
- every `--requeue-every` seconds (default 1 minute): `tasks_status --requeue-stale`, which
  puts back in the queue the tasks whose worker died while running them (RUNNING for
  longer than TASK_LEASE_SECONDS, see docs/tasks.md). It prints only what it did.

One scheduler per deployment (run it in one container only). A job that fails is
logged and tried again at its next time; SIGTERM or Ctrl-C stops between jobs.
"""

import logging
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run publish_scheduled, open_and_close_rounds, send_survey_reminders, send_report_reminders, refresh_progress and "
        "tasks_status --requeue-stale periodically (one process per deployment)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--publish-every", type=int, default=300, help="Seconds between publish_scheduled runs.")
        parser.add_argument("--remind-every", type=int, default=3600, help="Seconds between reminder runs.")
        parser.add_argument("--progress-every", type=int, default=600, help="Seconds between refresh_progress runs.")
        parser.add_argument(
            "--requeue-every", type=int, default=60, help="Seconds between requeues of tasks whose worker died."
        )
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        jobs = [
            ("publish_scheduled", options["publish_every"], {}),
            ("open_and_close_rounds", options["remind_every"], {}),
            ("send_survey_reminders", options["remind_every"], {}),
            ("send_report_reminders", options["remind_every"], {}),
            ("refresh_progress", options["progress_every"], {}),
            ("tasks_status", options["requeue_every"], {"requeue_stale": True, "verbosity": 0}),
        ]
        due = {name: 0.0 for name, _, _ in jobs}
        while not stop.is_set():
            for name, every, job_options in jobs:
                if time.monotonic() >= due[name]:
                    self._run(name, **job_options)
                    due[name] = time.monotonic() + every
            if options["once"]:
                break
            stop.wait(max(min(due.values()) - time.monotonic(), 1))
        self.stdout.write("Scheduler stopped.")

    def _run(self, name: str, **job_options) -> None:
        try:
            call_command(name, stdout=self.stdout, **job_options)
        except Exception:  # noqa: BLE001 - logged; the job runs again at its next time
            logger.exception("Scheduled job %s failed", name)
