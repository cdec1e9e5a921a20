"""What the task queue holds, for `manage.py tasks_status` (and anyone who asks)."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .services import lease


@dataclass(frozen=True)
class RunningTask:
    id: str
    task_path: str
    started_at: datetime.datetime | None
    worker_id: str
    attempts: int
    stale: bool  # outlived its lease: the next requeue puts it back in the queue


@dataclass(frozen=True)
class FailedTask:
    id: str
    task_path: str
    finished_at: datetime.datetime | None
    error: str  # the exception class
    message: str  # the last line of its traceback


@dataclass(frozen=True)
class TasksOverview:
    counts: dict[str, int]  # by status, every status present (0 when none)
    by_task: dict[tuple[str, str], int]  # (status, task path) -> count
    running: list[RunningTask] = field(default_factory=list)
    failed: list[FailedTask] = field(default_factory=list)


def _last_line(traceback: str) -> str:
    lines = [line for line in traceback.strip().splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def tasks_overview(*, errors: int = 5, now: datetime.datetime | None = None) -> TasksOverview:
    """Counts by status and by task, the tasks running now (stale ones marked) and the
    latest `errors` failures with their message."""
    now = now or timezone.now()
    counts = dict.fromkeys(TaskResultStatus.values, 0)
    by_task = {}
    for row in DBTaskResult.objects.order_by().values("status", "task_path").annotate(n=Count("pk")):
        counts[row["status"]] = counts.get(row["status"], 0) + row["n"]
        by_task[(row["status"], row["task_path"])] = row["n"]
    cutoff = now - lease()
    running = [
        RunningTask(
            id=str(row.pk),
            task_path=row.task_path,
            started_at=row.started_at,
            worker_id=row.worker_ids[-1] if row.worker_ids else "",
            attempts=len(row.worker_ids),
            stale=row.started_at is not None and row.started_at < cutoff,
        )
        for row in DBTaskResult.objects.running().order_by("started_at")
    ]
    failed = [
        FailedTask(
            id=str(row.pk),
            task_path=row.task_path,
            finished_at=row.finished_at,
            error=row.exception_class_path,
            message=_last_line(row.traceback),
        )
        for row in DBTaskResult.objects.failed()
        .order_by("-finished_at")
        .only("id", "task_path", "finished_at", "exception_class_path", "traceback")[:errors]
    ]
    return TasksOverview(counts=counts, by_task=by_task, running=running, failed=failed)
