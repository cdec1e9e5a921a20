"""The scheduler process of a deployment: the periodic jobs, at their times, for ever.

Each app registers its jobs (`portal.jobs.register`) from its `AppConfig.ready`: a
management command and the interval it runs at. `--help` lists them; today:

- publishing (`--publish-every`, default 5 minutes): Wagtail's `publish_scheduled`, so
  research with a go-live date goes live (and into search) on time;
- reminders and rounds (`--remind-every`, default 1 hour): `open_and_close_rounds` opens the
  scheduled survey rounds whose opening date has come (sending their invitations) and closes
  those past their last day; `send_survey_reminders` reminds each member once per round and
  `send_report_reminders` each MFI once of a reporting period that closed without its
  report, so running them often only means a reminder goes within the hour its window
  opens (the e-mails go through the task worker);
- progress (`--progress-every`, default 10 minutes): `refresh_progress` recomputes the stored
  progress of innovations out of date — after midnight, all of them, since statuses depend
  on the date — so that no visitor waits for it;
- requeues (`--requeue-every`, default 1 minute): `tasks_status --requeue-stale` puts back in
  the queue the tasks whose worker died while running them (RUNNING for longer than
  TASK_LEASE_SECONDS, see docs/tasks.md). It prints only what it did.

One scheduler per deployment (run it in one container only). A job that fails is
logged and tried again at its next time; SIGTERM or Ctrl-C stops between jobs.
"""

import logging
import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from portal import jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the apps' periodic jobs (portal.jobs) at their intervals (one process per deployment)."

    def add_arguments(self, parser):
        for name, (seconds, help_text) in jobs.INTERVALS.items():
            commands = ", ".join(job.command for job in jobs.registered() if job.every == name)
            parser.add_argument(f"--{name}-every", type=int, default=seconds, help=f"{help_text} Runs: {commands}.")
        parser.add_argument("--once", action="store_true", help="Run every job once and stop.")

    def handle(self, *args, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        scheduled = [(job.command, options[f"{job.every}_every"], job.options) for job in jobs.registered()]
        due = {name: 0.0 for name, _, _ in scheduled}
        while not stop.is_set():
            for name, every, job_options in scheduled:
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
