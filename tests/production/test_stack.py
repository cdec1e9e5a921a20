"""The production stack, without Docker: what docker-compose.yml runs, proved on this machine.

Production settings, a fresh PostgreSQL database, `manage.py release --demo` (the compose
`release` service), gunicorn with gunicorn.conf.py (the `web` service) and the task
worker (the `worker` service), Redis as the cache. The test then reads the portal as a
browser behind the HTTPS proxy would, has staff invite a member through the survey
service, waits for the worker to deliver the e-mail, and stops both processes as
`docker compose stop` would (SIGTERM), expecting a clean exit.

It needs PostgreSQL and Redis, so it runs in CI's PostgreSQL pass (DATABASE_URL set to a
postgres:// URL) and is skipped on SQLite.
"""

import email
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import environ
import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
SITE_URL = "https://portal.example.org"
HOST = "portal.example.org"

pytestmark = pytest.mark.stack


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the production stack needs PostgreSQL: set DATABASE_URL=postgres://… (CI's PostgreSQL pass)")
    return url


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def database():
    import psycopg

    config = environ.Env.db_url_config(_server_url())
    name = f"portal_stack_{uuid.uuid4().hex[:8]}"
    admin = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"],
        "dbname": config["NAME"],
        "autocommit": True,
    }
    with psycopg.connect(**admin) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    user = f"{config['USER']}:{config['PASSWORD']}@" if config["PASSWORD"] else f"{config['USER']}@"
    yield f"postgres://{user}{admin['host']}:{admin['port']}/{name}"
    with psycopg.connect(**admin) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def stack(database, tmp_path_factory):
    if not _redis_up():
        pytest.skip("the production stack needs Redis on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("stack")
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "stack-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": SITE_URL,
        "DATABASE_URL": database,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CACHE_KEY_PREFIX": f"stack-{port}",
        "EMAIL_URL": f"filemail://{tmp / 'mail'}",
        "STATIC_ROOT": str(tmp / "static"),
        "SEARCH_ENGINE": "database",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "2",
    }

    def manage(*args, timeout=900):
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    manage("collectstatic", "--no-input", "-v0")
    release_output = manage("release", "--demo")
    logs = {name: open(tmp / f"{name}.log", "w+") for name in ("web", "worker")}  # noqa: SIM115
    bin_dir = Path(sys.executable).parent
    web = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi"],
        cwd=ROOT, env=env, stdout=logs["web"], stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay"],
        cwd=ROOT, env=env, stdout=logs["worker"], stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:  # the processes are stopped even when they never came up
        for _ in range(120):
            try:
                if requests.get(f"{base}/healthz/", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.5)
        else:
            logs["web"].seek(0)
            pytest.fail("gunicorn did not answer /healthz/:\n" + logs["web"].read())
        yield {
            "base": base,
            "manage": manage,
            "mail": tmp / "mail",
            "web": web,
            "worker": worker,
            "logs": logs,
            "release": release_output,
        }
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.kill()
                process.wait(timeout=30)
        for log in logs.values():
            log.close()


def _get(stack, path: str, **kwargs) -> requests.Response:
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", **kwargs.pop("headers", {})}
    return requests.get(stack["base"] + path, headers=headers, allow_redirects=False, timeout=30, **kwargs)


def test_release_is_idempotent(stack):
    assert "Release steps done." in stack["release"]
    assert "Release steps done." in stack["manage"]("release")


def test_home_page_over_https_carries_hsts_and_csp(stack):
    response = _get(stack, "/")
    assert response.status_code == 200
    assert "max-age=31536000" in response.headers["Strict-Transport-Security"]
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "Secure" in stack_login_cookie_flags(stack)


def stack_login_cookie_flags(stack) -> str:
    return _get(stack, "/accounts/login/").headers.get("Set-Cookie", "")


def test_plain_http_is_redirected_to_https(stack):
    response = requests.get(stack["base"] + "/pilots/", headers={"Host": HOST}, allow_redirects=False, timeout=30)
    assert response.status_code == 301
    assert response.headers["Location"] == f"https://{HOST}/pilots/"


def test_unknown_page_is_the_portals_spanish_404(stack):
    response = _get(stack, "/no-existe/")
    assert response.status_code == 404
    assert "Esta página no existe" in response.text


def test_healthz_answers_the_balancer(stack):
    response = requests.get(stack["base"] + "/healthz/", timeout=10)
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "cache": "ok"}


def test_an_innovation_page_and_its_static_files(stack):
    response = _get(stack, "/pilots/rfr-microseguros/")
    assert response.status_code == 200
    assert "58" in response.text
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]+\.css)"', response.text)
    assert stylesheet, "the stylesheet is served under its hashed, cacheable name"
    css = _get(stack, stylesheet.group(1))
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert "immutable" in css.headers.get("Cache-Control", "")


def test_the_worker_delivers_an_invitation_with_the_site_url(stack):
    stack["manage"](
        "shell",
        "-c",
        "import datetime\n"
        "from django.utils import timezone\n"
        "from portal.accounts.models import MemberInstitution, User\n"
        "from surveys.models import Round\n"
        "from surveys.services import invitations_send\n"
        "today = timezone.localdate()\n"
        "r = Round.objects.create(year=2099, semester=1, opens_on=today,"
        " closes_on=today + datetime.timedelta(days=30), state='open')\n"  # opened: invitations go at once
        "m = MemberInstitution.objects.create(name='Cooperativa Humo', country='EC', institution_type='cooperative',"
        " contact_email='humo@example.org')\n"
        "invitations_send(survey_round=r, user=User.objects.get(username='staff'), institutions=[m])\n",
    )
    deadline = time.monotonic() + 180  # behind the demo's own queued index updates
    messages = []
    while time.monotonic() < deadline and not messages:
        messages = list(stack["mail"].glob("*.log")) if stack["mail"].exists() else []
        time.sleep(0.5)
    assert messages, "the worker did not deliver the queued invitation within three minutes"
    message = email.message_from_string(messages[0].read_text().split("\n" + "-" * 79)[0])
    assert message["To"] == "humo@example.org"
    body = message.get_payload(decode=True).decode()
    assert re.search(rf"{re.escape(SITE_URL)}/surveys/respond/[\w-]+/", body)
    assert "127.0.0.1" not in body


def test_web_and_worker_shut_down_cleanly(stack):
    """Runs last in this module: SIGTERM, as `docker compose stop` sends, and a clean exit."""
    for name in ("web", "worker"):
        process = stack[name]
        process.send_signal(signal.SIGTERM)
        try:
            code = process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{name} did not stop within a minute of SIGTERM")
        log = stack["logs"][name]
        log.seek(0)
        assert code == 0, f"{name} exited with {code}:\n{log.read()[-3000:]}"
