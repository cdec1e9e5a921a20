"""Background work that survives its worker (portal.background): the lease rule that puts
back tasks whose worker died, e-mails sent once however often their task runs, and
`manage.py tasks_status`.

The queue here is django-tasks-db's, on the test database (SQLite or PostgreSQL); the
worker is its `Worker`, run in this process. Killing a real worker process is
tests/production/test_worker_faults.py.
"""

import datetime
import uuid
from io import StringIO
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max

from portal.background.models import SentEmail
from portal.background.services import email_send_once, tasks_requeue_stale, tasks_retry_failed
from surveys import services as surveys
from surveys.models import Invitation
from tests.factories import MemberInstitutionFactory
from tests.surveys.factories import RoundFactory

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
NOW = datetime.datetime(2026, 5, 4, 10, 20, tzinfo=datetime.UTC)


def _row(status=TaskResultStatus.RUNNING, *, started=None, workers=("w1",), **fields) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="surveys.tasks.send_due_reminders",
        backend_name="default",
        run_after=get_date_max(),
        started_at=started,
        worker_ids=list(workers),
        **fields,
    )


def _status(row: DBTaskResult) -> str:
    row.refresh_from_db()
    return row.status


def _keep_connection():
    """The worker closes the database connection between tasks when it is not in autocommit
    mode: in a test, that is the test's transaction (PostgreSQL would lose it)."""
    return mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections")


def _work(worker_id: str) -> None:
    """What `manage.py db_worker --batch` does: run every ready task, then stop."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    with _keep_connection():
        worker.run()


@pytest.mark.django_db
class TestLeaseRule:
    def test_the_worked_example(self):
        """Lease 900 s, now 10:20: RUNNING since 10:04 goes back to the queue, since 10:06
        stays; a task whose worker died three times fails instead of running a fourth."""
        stale = _row(started=NOW - datetime.timedelta(minutes=16))
        recent = _row(started=NOW - datetime.timedelta(minutes=14))
        poison = _row(started=NOW - datetime.timedelta(minutes=16), workers=("w1", "w2", "w3"))
        done = _row(TaskResultStatus.SUCCESSFUL, started=NOW - datetime.timedelta(hours=2))
        queued = _row(TaskResultStatus.READY, workers=())

        result = tasks_requeue_stale(now=NOW, lease_seconds=900, max_attempts=3)

        assert result.requeued == [str(stale.pk)]
        assert result.abandoned == [str(poison.pk)]
        assert [_status(r) for r in (stale, recent, poison, done, queued)] == [
            TaskResultStatus.READY,
            TaskResultStatus.RUNNING,
            TaskResultStatus.FAILED,
            TaskResultStatus.SUCCESSFUL,
            TaskResultStatus.READY,
        ]
        assert poison.exception_class_path == "portal.background.services.WorkerLost"
        assert "3 times" in poison.traceback and poison.finished_at == NOW
        assert stale.worker_ids == ["w1"]  # the history of attempts is kept

    @override_settings(TASK_LEASE_SECONDS=60, TASK_MAX_ATTEMPTS=5)
    def test_lease_and_attempts_come_from_settings(self):
        old = _row(started=timezone.now() - datetime.timedelta(seconds=61), workers=("a", "b", "c", "d"))
        young = _row(started=timezone.now() - datetime.timedelta(seconds=30))
        assert tasks_requeue_stale().requeued == [str(old.pk)]
        assert _status(young) == TaskResultStatus.RUNNING

    def test_retry_failed_queues_them_afresh(self):
        first = _row(TaskResultStatus.FAILED, exception_class_path="x.Error", traceback="boom", finished_at=NOW)
        second = _row(TaskResultStatus.FAILED, exception_class_path="x.Error", traceback="boom", finished_at=NOW)
        assert tasks_retry_failed(ids=[str(first.pk)]) == 1
        first.refresh_from_db()
        assert (first.status, first.traceback, first.finished_at, first.worker_ids) == ("READY", "", None, [])
        assert _status(second) == TaskResultStatus.FAILED
        assert tasks_retry_failed() == 1
        assert _status(second) == TaskResultStatus.READY


@pytest.mark.django_db
class TestEmailSentOnce:
    def test_a_key_sends_once(self):
        for _ in range(2):
            email_send_once(key="invitation:1:invitation", subject="S", body="B", recipients=["a@example.org"])
        email_send_once(key="invitation:1:reminder:1", subject="S", body="B", recipients=["a@example.org"])
        assert len(mail.outbox) == 2
        assert SentEmail.objects.count() == 2

    def test_nothing_to_send_records_nothing(self):
        assert email_send_once(key="k", subject="S", body="B", recipients=[]) == 0
        assert not SentEmail.objects.exists()

    def test_a_refused_send_is_not_recorded_so_the_next_run_sends_it(self):
        refused = mock.patch("portal.background.services.send_mail", side_effect=OSError("SMTP down"))
        with refused, pytest.raises(OSError):
            email_send_once(key="k", subject="S", body="B", recipients=["a@example.org"])
        assert not SentEmail.objects.filter(key="k").exists()
        assert email_send_once(key="k", subject="S", body="B", recipients=["a@example.org"]) == 1
        assert len(mail.outbox) == 1


@pytest.mark.django_db
class TestWorkerDiesMidTask:
    """The issue's case on the real queue: a reminder's worker dies while it runs."""

    @pytest.fixture(autouse=True)
    def database_queue(self, settings):
        settings.TASKS = DATABASE_QUEUE

    def _remind(self, staff_user) -> tuple[Invitation, DBTaskResult]:
        survey_round = RoundFactory()
        institution = MemberInstitutionFactory(contact_email="humo@example.org")
        surveys.invitations_send(survey_round=survey_round, user=staff_user, institutions=[institution])
        _work("w0")
        assert len(mail.outbox) == 1  # the invitation
        surveys.reminders_send(survey_round=survey_round, user=staff_user)
        invitation = Invitation.objects.get(institution=institution)
        task = DBTaskResult.objects.ready().get()
        assert task.args_kwargs["kwargs"]["reminder_number"] == invitation.reminder_count == 1
        return invitation, task

    def test_the_reminder_is_sent_once_after_the_lease(self, staff_user):
        invitation, task = self._remind(staff_user)
        task.claim("killed-worker")  # claimed, then the worker is killed: nothing sent
        _work("w1")
        assert _status(task) == TaskResultStatus.RUNNING and len(mail.outbox) == 1

        later = timezone.now() + datetime.timedelta(seconds=901)
        with override_settings(TASK_LEASE_SECONDS=900), mock.patch("django.utils.timezone.now", return_value=later):
            assert tasks_requeue_stale().requeued == [str(task.pk)]
        _work("w2")

        task.refresh_from_db()
        assert task.status == TaskResultStatus.SUCCESSFUL
        assert task.worker_ids == ["killed-worker", "w2"]
        assert len(mail.outbox) == 2 and mail.outbox[1].to == ["humo@example.org"]
        assert SentEmail.objects.filter(key=f"invitation:{invitation.pk}:reminder:1").exists()

    def test_a_reminder_run_twice_sends_one_email(self, staff_user):
        """The lease ran out while the first run was still going (or the worker died between
        sending and recording success): the second run finds the e-mail sent."""
        _invitation, task = self._remind(staff_user)
        _work("w1")
        assert len(mail.outbox) == 2
        DBTaskResult.objects.filter(pk=task.pk).update(status=TaskResultStatus.READY)
        _work("w2")
        task.refresh_from_db()
        assert task.status == TaskResultStatus.SUCCESSFUL and task.return_value == 0
        assert len(mail.outbox) == 2

    def test_a_second_reminder_is_a_new_email(self, staff_user):
        invitation, _task = self._remind(staff_user)
        _work("w1")
        surveys.reminders_send(survey_round=invitation.round, user=staff_user)
        _work("w2")
        assert len(mail.outbox) == 3

    def test_the_worker_requeues_stale_tasks_when_it_starts(self, staff_user):
        _invitation, task = self._remind(staff_user)
        task.claim("killed-worker")
        DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
        with mock.patch.object(Worker, "configure_signals"), _keep_connection():
            call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", stdout=StringIO())
        assert _status(task) == TaskResultStatus.SUCCESSFUL
        assert len(mail.outbox) == 2


@pytest.mark.django_db
class TestTasksStatusCommand:
    def _run(self, *args) -> str:
        out = StringIO()
        call_command("tasks_status", *args, stdout=out)
        return out.getvalue()

    def test_lists_queued_running_and_failed_with_the_last_errors(self):
        _row(TaskResultStatus.READY, workers=())
        _row(TaskResultStatus.READY, workers=())
        _row(started=timezone.now() - datetime.timedelta(hours=1), workers=("dead-worker",))
        _row(
            TaskResultStatus.FAILED,
            exception_class_path="portal.search.models.KnowledgeEntry.DoesNotExist",
            traceback="Traceback (most recent call last):\n  ...\nKnowledgeEntry.DoesNotExist: no such entry\n",
            finished_at=timezone.now(),
        )
        out = self._run()
        assert "Tasks: 2 queued, 1 running, 1 failed, 0 successful" in out
        assert "     2  surveys.tasks.send_due_reminders" in out
        assert "on worker dead-worker, attempt 1  STALE" in out
        assert "KnowledgeEntry.DoesNotExist: no such entry" in out

    def test_requeues_stale_and_retries_failed(self):
        stale = _row(started=timezone.now() - datetime.timedelta(hours=1))
        failed = _row(TaskResultStatus.FAILED, exception_class_path="x.Error", traceback="x", finished_at=NOW)
        other = _row(TaskResultStatus.FAILED, exception_class_path="x.Error", traceback="x", finished_at=NOW)
        out = self._run("--requeue-stale", "--retry-failed", "--id", str(failed.pk))
        assert "Requeued 1 stale task(s) (lease 900 s)." in out
        assert "Queued 1 failed task(s) again." in out
        assert "Tasks: 2 queued, 0 running, 1 failed" in out
        assert [_status(r) for r in (stale, failed, other)] == ["READY", "READY", "FAILED"]

    def test_quiet_when_the_scheduler_finds_nothing_to_do(self):
        _row(started=timezone.now())
        assert self._run("--requeue-stale", "-v0") == ""

    def test_id_goes_with_retry_failed(self):
        with pytest.raises(CommandError):
            self._run("--id", str(uuid.uuid4()))
