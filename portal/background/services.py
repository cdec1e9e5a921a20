"""Writes of the background machinery: put back tasks whose worker died, retry failed
ones, send an e-mail once per idempotency key.

The lease rule (`tasks_requeue_stale`), with its worked example. Lease 900 s, now 10:20:00:

- a task RUNNING since 10:04:00 (16 minutes) has outlived its lease: it goes back to
  READY, in its old place in the queue, and the next free worker runs it again;
- a task RUNNING since 10:06:00 (14 minutes) is left alone: its worker may still be on it;
- a task whose worker died TASK_MAX_ATTEMPTS times (3: three worker ids in `worker_ids`)
  is not put back but marked FAILED (`WorkerLost`), so that a task that kills its worker
  (out of memory, say) cannot do so for ever; `tasks_retry_failed` runs it again once
  the cause is fixed.

The lease must be well above the longest task (an e-mail waits at most EMAIL_TIMEOUT on
the SMTP server): a task that outlives its lease is run a second time while its first
run goes on. Work is therefore done at least once, never lost; its effects must be
idempotent, as the e-mails are (`email_send_once`).
"""

import datetime
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import SentEmail

logger = logging.getLogger(__name__)


class WorkerLost(Exception):  # noqa: N818 - named for what happened, as TaskResult shows it
    """Recorded as the error of a task whose worker died too often while running it."""


@dataclass
class Requeued:
    requeued: list[str] = field(default_factory=list)
    abandoned: list[str] = field(default_factory=list)


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TASK_LEASE_SECONDS)


@transaction.atomic
def tasks_requeue_stale(
    *, now: datetime.datetime | None = None, lease_seconds: int | None = None, max_attempts: int | None = None
) -> Requeued:
    """Put back in the queue every task RUNNING for longer than its lease (the rule above).

    Rows another process holds locked (a worker claiming, another requeue) are skipped,
    not waited for; they are looked at again on the next run.
    """
    now = now or timezone.now()
    cutoff = now - (lease() if lease_seconds is None else datetime.timedelta(seconds=lease_seconds))
    max_attempts = settings.TASK_MAX_ATTEMPTS if max_attempts is None else max_attempts
    stale = DBTaskResult.objects.running().filter(started_at__lt=cutoff).select_for_update(skip_locked=True)
    result = Requeued()
    for row in stale:
        attempts = len(row.worker_ids)
        if attempts >= max_attempts:
            row.status = TaskResultStatus.FAILED
            row.finished_at = now
            row.return_value = None
            row.exception_class_path = f"{WorkerLost.__module__}.{WorkerLost.__qualname__}"
            row.traceback = (
                f"{WorkerLost.__name__}: the worker running this task stopped without finishing it "
                f"{attempts} times (workers {', '.join(row.worker_ids)}); it is not run again by itself. "
                "Run it again with `manage.py tasks_status --retry-failed` once the cause is fixed.\n"
            )
            row.save(update_fields=["status", "finished_at", "return_value", "exception_class_path", "traceback"])
            result.abandoned.append(str(row.pk))
            logger.error("Task %s (%s) lost its worker %s times: marked failed", row.pk, row.task_path, attempts)
        else:
            row.status = TaskResultStatus.READY
            row.save(update_fields=["status"])
            result.requeued.append(str(row.pk))
            logger.warning(
                "Task %s (%s) RUNNING since %s on worker %s outlived its lease: back in the queue",
                row.pk,
                row.task_path,
                row.started_at.isoformat() if row.started_at else "?",
                row.worker_ids[-1] if row.worker_ids else "?",
            )
    return result


@transaction.atomic
def tasks_retry_failed(*, ids: list[str] | None = None) -> int:
    """Queue failed tasks again (all of them, or those with these ids); returns how many.

    A retry starts afresh: its error and its list of workers are cleared, so the
    attempts of `tasks_requeue_stale` count from zero again.
    """
    failed = DBTaskResult.objects.failed()
    if ids is not None:
        failed = failed.filter(pk__in=ids)
    return failed.update(
        status=TaskResultStatus.READY,
        finished_at=None,
        return_value=None,
        exception_class_path="",
        traceback="",
        worker_ids=[],
    )


def task_key(context) -> str:
    """The idempotency key of a task run as such, for e-mails whose arguments do not name
    the event: every run of the same queued task shares its id."""
    return f"task:{context.task_result.id}"


def email_send_once(*, key: str, subject: str, body: str, recipients: list[str], from_email: str | None = None) -> int:
    """Send the e-mail unless one was sent under this key; returns how many were sent (0 or 1).

    Record first, send, then commit: the ledger row is inserted in a transaction that
    stays open while the SMTP server takes the message, and commits after it accepted.
    A second run of the same task finds the row (or, running at the same moment, waits
    on it) and sends nothing. If the worker dies before the commit, the database rolls
    the row back and the next run sends the e-mail: a crash in the instant between the
    SMTP server accepting the message and the commit means it goes out twice. That is
    the accepted trade-off, at least once rather than perhaps never: nothing can make
    an SMTP delivery and a database commit one atomic step.
    """
    if not recipients:
        return 0
    record = SentEmail(key=key)
    record.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL refuses every later query after an error
                record.save(force_insert=True)
        except IntegrityError:
            logger.info("E-mail %s was sent already: not sending it again", key)
            return 0
        return send_mail(subject, body, from_email, recipients)
