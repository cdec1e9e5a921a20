"""The task worker killed mid-task loses nothing and sends nothing twice (portal.background).

Production settings on a fresh PostgreSQL database, `manage.py release --demo`, then the
`db_worker` process as docker-compose.yml runs it, with mail going to a slow SMTP server in
this process. First the worker works off everything the release queued: no task may fail
(the demo once left 77 failed search-index tasks). Then staff invite four members and
remind them (eight e-mails); while the SMTP server holds the third message, before it has
accepted it, the worker gets SIGKILL (as the kernel's OOM killer or a host crash would stop
it). The task stays RUNNING. Once its lease (TASK_LEASE_SECONDS, shortened here to a few
seconds) has run out, a new worker starts, puts it back in the queue and runs it: every
member gets its invitation and its reminder exactly once.

PostgreSQL only, like test_stack.py (whose database fixture it shares); Redis is the cache.
"""

import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from email import message_from_bytes
from pathlib import Path

import psycopg
import pytest

from tests.production.test_stack import HOST, ROOT, SITE_URL, _free_port, _redis_up, database  # noqa: F401

pytestmark = pytest.mark.stack

LEASE_SECONDS = 3  # well above a task here (an e-mail takes SMTP_DELAY), far below production's 900
SMTP_DELAY = 1.0
MEMBERS = 4
TASKS_TABLE = "django_tasks_database_dbtaskresult"


class SlowSmtpServer:
    """An SMTP server that takes SMTP_DELAY seconds to accept each message.

    It answers the end of the message's data only after the delay, and only if the client
    is still there: a client that vanishes meanwhile (the worker killed) has not had its
    message accepted, so the message is not delivered, as with a real mail server.
    """

    def __init__(self, delay: float):
        self.delay = delay
        self.delivered: list = []  # email.message.Message, in the order accepted
        self.aborted: list[list[str]] = []  # recipients of messages whose client vanished
        self.held: list[list[str]] = []  # recipients of every message that reached the delay
        self.changed = threading.Condition()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._stop = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._stop.set()
        self._listener.close()

    def wait_for(self, condition, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: condition(self), timeout=timeout)

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _address = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _record(self, where: list, item) -> None:
        with self.changed:
            where.append(item)
            self.changed.notify_all()

    def _serve(self, connection: socket.socket) -> None:
        with connection, connection.makefile("rb") as lines:

            def reply(text: str) -> None:
                connection.sendall(f"{text}\r\n".encode())

            reply("220 slow-sink ESMTP")
            recipients: list[str] = []
            for raw in lines:
                verb = raw[:4].decode(errors="replace").upper()
                if verb in ("EHLO", "HELO"):
                    reply("250 slow-sink")
                elif verb == "MAIL":
                    recipients = []
                    reply("250 OK")
                elif verb == "RCPT":
                    recipients.append(raw.decode().split(":", 1)[1].strip().strip("<>"))
                    reply("250 OK")
                elif verb == "DATA":
                    reply("354 End data with <CR><LF>.<CR><LF>")
                    data = b"".join(iter(lines.readline, b".\r\n"))
                    self._record(self.held, recipients)
                    readable, _, _ = select.select([connection], [], [], self.delay)
                    if readable and not connection.recv(1, socket.MSG_PEEK):
                        self._record(self.aborted, recipients)  # the client is gone: not accepted
                        return
                    self._record(self.delivered, message_from_bytes(data.replace(b"\r\n..", b"\r\n.")))
                    reply("250 OK accepted")
                elif verb == "QUIT":
                    reply("221 Bye")
                    return
                else:
                    reply("250 OK")


def _ours(recipients: list[str]) -> bool:
    return any(address.startswith("fault-") for address in recipients)


@pytest.fixture(scope="module")
def smtp():
    server = SlowSmtpServer(SMTP_DELAY)
    yield server
    server.close()


@pytest.fixture(scope="module")
def worker_env(database, smtp, tmp_path_factory):  # noqa: F811 - test_stack's fixture
    if not _redis_up():
        pytest.skip("the production stack needs Redis on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("faults")
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "faults-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": SITE_URL,
        "DATABASE_URL": database,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CACHE_KEY_PREFIX": f"faults-{_free_port()}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "EMAIL_TIMEOUT": "30",
        "STATIC_ROOT": str(tmp / "static"),
        "SEARCH_ENGINE": "database",
        "TASK_LEASE_SECONDS": str(LEASE_SECONDS),
    }


@pytest.fixture(scope="module")
def logs(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("faults-logs")


def _manage(env: dict, *args: str, timeout: float = 300) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


class Worker:
    """One `manage.py db_worker` process, its output in a file."""

    def __init__(self, env: dict, log_path: Path):
        self.log_path = log_path
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log(self) -> str:
        return self.log_path.read_text()

    def stop(self, sig=signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(timeout=60)
        finally:
            self._log.close()


def _query(database_url: str, sql: str, *params) -> list[tuple]:
    with psycopg.connect(database_url, autocommit=True) as connection:
        return connection.execute(sql, params or None).fetchall()


def _wait_until_idle(env: dict, worker: Worker, timeout: float) -> None:
    """Until no task is queued or running (the worker has done everything)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.process.poll() is None, "the worker exited:\n" + worker.log()[-3000:]
        (left,) = _query(
            env["DATABASE_URL"], f"SELECT count(*) FROM {TASKS_TABLE} WHERE status IN ('READY', 'RUNNING')"
        )
        if left[0] == 0:
            return
        time.sleep(0.3)
    pytest.fail(f"tasks still queued or running after {timeout} s:\n" + _manage(env, "tasks_status"))


@pytest.fixture(scope="module")
def released(worker_env, logs):
    """`release --demo`, then a worker that works off everything it queued."""
    _manage(worker_env, "release", "--demo", timeout=600)
    worker = Worker(worker_env, logs / "worker-release.log")
    try:
        _wait_until_idle(worker_env, worker, timeout=120)
    finally:
        worker.stop()
    return worker.log()


def test_release_demo_leaves_no_failed_task(worker_env, released):
    failed = _query(
        worker_env["DATABASE_URL"],
        f"SELECT task_path, exception_class_path, count(*) FROM {TASKS_TABLE} WHERE status = 'FAILED' GROUP BY 1, 2",
    )
    assert failed == [], f"release --demo left failed tasks: {failed}"
    assert "Traceback" not in released
    status = _manage(worker_env, "tasks_status")
    assert "0 queued, 0 running, 0 failed" in status


def test_a_worker_killed_mid_email_loses_nothing_and_sends_nothing_twice(worker_env, released, smtp, logs):
    url = worker_env["DATABASE_URL"]
    _manage(
        worker_env,
        "shell",
        "-c",
        "import datetime\n"
        "from django.utils import timezone\n"
        "from portal.accounts.models import MemberInstitution, User\n"
        "from surveys.models import Round\n"
        "from surveys.services import invitations_send, reminders_send\n"
        "today = timezone.localdate()\n"
        "r = Round.objects.create(year=2098, semester=1, opens_on=today,"
        " closes_on=today + datetime.timedelta(days=30), state='open')\n"  # opened: invitations go at once
        f"members = [MemberInstitution.objects.create(name=f'Fault {{i}}', country='EC', institution_type='cooperative',"
        f" language='en', contact_email=f'fault-{{i}}@example.org') for i in range({MEMBERS})]\n"
        "staff = User.objects.get(username='staff')\n"
        "invitations_send(survey_round=r, user=staff, institutions=members)\n"
        "reminders_send(survey_round=r, user=staff)\n",
    )
    first = Worker(worker_env, logs / "worker-killed.log")
    try:
        held = smtp.wait_for(lambda s: len([r for r in s.held if _ours(r)]) >= 3, timeout=60)
        assert held, "the worker did not reach the third e-mail within a minute:\n" + first.log()[-3000:]
        running = _query(url, f"SELECT id, task_path FROM {TASKS_TABLE} WHERE status = 'RUNNING'")
        assert [path for _id, path in running] == ["surveys.tasks.send_invitation_email"]
    finally:
        first.stop(signal.SIGKILL)  # kill -9: no handler runs, the task stays RUNNING
    assert smtp.wait_for(lambda s: any(_ours(r) for r in s.aborted), timeout=10), "the held e-mail was not dropped"
    killed_id = running[0][0]
    ours = [m for m in smtp.delivered if m["To"].startswith("fault-")]
    assert len(ours) == 2  # two were accepted before the kill, the third was not
    assert _query(url, f"SELECT status FROM {TASKS_TABLE} WHERE id = %s", killed_id) == [("RUNNING",)]

    time.sleep(LEASE_SECONDS + 0.5)  # the lease runs out: the restarted worker puts the task back
    second = Worker(worker_env, logs / "worker-restarted.log")
    try:
        assert smtp.wait_for(
            lambda s: len([m for m in s.delivered if m["To"].startswith("fault-")]) >= 2 * MEMBERS, timeout=60
        ), "not every e-mail arrived:\n" + second.log()[-3000:]
        _wait_until_idle(worker_env, second, timeout=30)  # nothing left that could send a duplicate
    finally:
        code = second.stop()
    assert code == 0, second.log()[-3000:]

    assert "Requeued 1 stale task(s)" in second.log()
    delivered = sorted(
        (m["To"], "reminder" if m["Subject"].startswith("Reminder") else "invitation")
        for m in smtp.delivered
        if m["To"].startswith("fault-")
    )
    assert delivered == sorted(
        (f"fault-{i}@example.org", kind) for i in range(MEMBERS) for kind in ("invitation", "reminder")
    )
    (worker_ids,) = _query(
        url, f"SELECT worker_ids FROM {TASKS_TABLE} WHERE id = %s AND status = 'SUCCESSFUL'", killed_id
    )
    assert len(worker_ids[0]) == 2  # run by the killed worker, then by the restarted one
    assert _query(url, f"SELECT count(*) FROM {TASKS_TABLE} WHERE status = 'FAILED'") == [(0,)]
    assert _query(url, "SELECT count(*) FROM background_sentemail WHERE key LIKE 'invitation:%'") == [(2 * MEMBERS,)]
