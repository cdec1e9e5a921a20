"""What the task queue holds, and the two repairs: `manage.py tasks_status`.

    manage.py tasks_status                    # counts, running tasks, latest failures
    manage.py tasks_status --requeue-stale    # put back tasks whose worker died (lease rule)
    manage.py tasks_status --retry-failed     # queue every failed task again
    manage.py tasks_status --retry-failed --id <uuid> --id <uuid>

The worker requeues stale tasks when it starts (`db_worker`) and the scheduler every
minute (`run_scheduler`, with -v0: it prints only what it did). See docs/tasks.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.tasks import TaskResultStatus
from django.utils import timezone

from ...selectors import tasks_overview
from ...services import lease, tasks_requeue_stale, tasks_retry_failed

LABELS = {
    TaskResultStatus.READY: "queued",
    TaskResultStatus.RUNNING: "running",
    TaskResultStatus.FAILED: "failed",
    TaskResultStatus.SUCCESSFUL: "successful",
}


class Command(BaseCommand):
    help = "Show queued, running and failed background tasks; requeue stale ones, retry failed ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--requeue-stale",
            action="store_true",
            help="Put back in the queue tasks RUNNING for longer than TASK_LEASE_SECONDS (their worker died).",
        )
        parser.add_argument("--retry-failed", action="store_true", help="Queue failed tasks again.")
        parser.add_argument(
            "--id", action="append", dest="ids", metavar="ID", help="With --retry-failed: only this task (repeatable)."
        )
        parser.add_argument("--errors", type=int, default=5, help="How many of the latest failures to show.")

    def handle(self, *args, **options):
        if options["ids"] and not options["retry_failed"]:
            raise CommandError("--id goes with --retry-failed.")
        quiet = options["verbosity"] == 0
        if options["requeue_stale"]:
            result = tasks_requeue_stale()
            if result.requeued or result.abandoned or not quiet:
                self.stdout.write(
                    f"Requeued {len(result.requeued)} stale task(s) (lease {int(lease().total_seconds())} s)"
                    + (
                        f"; {len(result.abandoned)} lost their worker too often and failed."
                        if result.abandoned
                        else "."
                    )
                )
        if options["retry_failed"]:
            retried = tasks_retry_failed(ids=options["ids"])
            self.stdout.write(f"Queued {retried} failed task(s) again.")
        if not quiet:
            self._show(options["errors"])

    def _show(self, errors: int) -> None:
        now = timezone.now()
        overview = tasks_overview(errors=errors, now=now)
        self.stdout.write("Tasks: " + ", ".join(f"{overview.counts[s]} {label}" for s, label in LABELS.items()))
        for status in (TaskResultStatus.READY, TaskResultStatus.RUNNING, TaskResultStatus.FAILED):
            rows = sorted((path, n) for (s, path), n in overview.by_task.items() if s == status)
            if rows:
                self.stdout.write(f"{LABELS[status].capitalize()} by task:")
                for path, n in rows:
                    self.stdout.write(f"  {n:6d}  {path}")
        if overview.running:
            self.stdout.write("Running:")
            for task in overview.running:
                age = int((now - task.started_at).total_seconds()) if task.started_at else 0
                flag = "  STALE (worker gone?)" if task.stale else ""
                self.stdout.write(
                    f"  {task.id}  {task.task_path}  for {age} s on worker {task.worker_id}, "
                    f"attempt {task.attempts}{flag}"
                )
        if overview.failed:
            self.stdout.write(
                f"Latest failures ({len(overview.failed)} of {overview.counts[TaskResultStatus.FAILED]}):"
            )
            for task in overview.failed:
                when = timezone.localtime(task.finished_at).strftime("%Y-%m-%d %H:%M:%S") if task.finished_at else "?"
                self.stdout.write(f"  {task.id}  {when}  {task.task_path}")
                self.stdout.write(f"      {task.message or task.error}")
