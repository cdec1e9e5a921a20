"""A dependency outage on the production stack: Redis down serves pages, the database down a 503.

gunicorn with production's settings (`outage_settings`: production's, static files aside) in
front of a fresh PostgreSQL database and a Redis of the test's own on a free port — never
the machine's, which other processes share. The test hangs that Redis (SIGSTOP), resumes
it, kills it and starts it again, and each time reads pages anonymously and signed in, and
signs in anew: every answer a 200 within about a second. When Redis is back the pages are
cached in it again. A second gunicorn whose DATABASE_URL names a port where nothing
listens answers a bilingual 503 with Retry-After.

PostgreSQL only, like test_stack.py (CI's PostgreSQL pass); it needs `redis-server`.
"""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests

from tests.production.test_stack import HOST, ROOT, SITE_URL, _free_port, _server_url, database  # noqa: F401

pytestmark = pytest.mark.stack

PREFIX = "outage"  # CACHE_KEY_PREFIX
VERSION_KEY = f"{PREFIX}:1:version:portfolio:public"  # the public list's version (portal.cache), as Django stores it
QUICK = 1.5  # seconds: the page, plus at most one socket timeout (0.5 s) while Redis is down
MEMBER, PASSWORD = "member-outage", "outage-password-2026"


class OwnRedis:
    """A redis-server of this test's own, that it may hang, kill and start again."""

    def __init__(self, directory: Path):
        self.port = _free_port()
        self.directory = directory
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                if self.client().ping():
                    return
            except redis.RedisError:
                time.sleep(0.05)
        pytest.fail(f"redis-server did not start on port {self.port}")

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port, socket_timeout=2, socket_connect_timeout=2)

    def hang(self) -> None:
        self.process.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)
            self.process.kill()
            self.process.wait(timeout=10)


def _environment(tmp: Path, *, database_url: str, redis_port: int, port: int) -> dict:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "tests.production.outage_settings",
        "SECRET_KEY": "outage-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": SITE_URL,
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "CACHE_KEY_PREFIX": PREFIX,
        "EMAIL_URL": f"filemail://{tmp / 'mail'}",
        "STATIC_ROOT": str(tmp / "static"),
        "SEARCH_ENGINE": "database",
        "SECURE_COOKIES": "false",  # the test speaks plain HTTP to gunicorn, as the proxy does
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",  # one process: one outage state, one warning per outage
    }


class Web:
    """gunicorn with gunicorn.conf.py, its log in a file."""

    def __init__(self, env: dict, log: Path):
        self.base = "http://" + env["GUNICORN_BIND"]
        self.log_path = log
        self.log = open(log, "w+")  # noqa: SIM115 - closed by stop()
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        for _ in range(120):
            try:
                _get(self.base, "/static/", timeout=5)  # anything that answers: up
                return
            except requests.RequestException:
                time.sleep(0.25)
        self.stop()
        pytest.fail("gunicorn did not start:\n" + self.text())

    def text(self) -> str:
        return self.log_path.read_text()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log.close()


def _get(base: str, path: str, session=None, timeout: float = 30) -> requests.Response:
    """GET as the HTTPS proxy forwards it."""
    headers = {"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    return (session or requests).get(base + path, headers=headers, allow_redirects=False, timeout=timeout)


def _quick(call):
    started = time.monotonic()
    response = call()
    elapsed = time.monotonic() - started
    assert elapsed < QUICK, f"{response.request.method} {response.request.url} took {elapsed:.2f} s"
    return response


def _sign_in(base: str) -> requests.Session:
    session = requests.Session()
    session.headers.update({"Host": HOST, "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"})
    form = _quick(lambda: session.get(base + "/en/accounts/login/", allow_redirects=False, timeout=30))
    assert form.status_code == 200
    response = _quick(
        lambda: session.post(
            base + "/en/accounts/login/",
            data={"username": MEMBER, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Origin": SITE_URL, "Referer": SITE_URL + "/en/accounts/login/"},
            allow_redirects=False,
            timeout=30,
        )
    )
    assert response.status_code == 302, response.text[:2000]
    return session


def _serves_everyone(base: str, signed_in: requests.Session) -> None:
    """Anonymous and signed-in pages, and a fresh sign-in, each a quick 200."""
    for path in ("/pilots/", "/en/pilots/", "/en/accounts/login/"):
        assert _quick(lambda path=path: _get(base, path)).status_code == 200, path
    page = _quick(lambda: _get(base, "/en/pilots/", signed_in))
    assert page.status_code == 200
    assert MEMBER in page.text  # still signed in: the session is in the database
    fresh = _sign_in(base)
    assert MEMBER in _quick(lambda: _get(base, "/pilots/", fresh)).text


def _until(condition, *, seconds: float, base: str) -> None:
    """Read a page every quarter second until `condition()` holds (the retry interval is 5 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert _get(base, "/pilots/").status_code == 200
        if condition():
            return
        time.sleep(0.25)
    pytest.fail("condition not met in time")


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory):
    _server_url()  # PostgreSQL's pass only, like the rest of the stack
    if not shutil.which("redis-server"):
        pytest.skip("the outage test starts its own redis-server")
    server = OwnRedis(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


def test_redis_hung_or_down_serves_pages_and_sign_in_and_caches_again_when_back(
    database,  # noqa: F811
    own_redis,
    tmp_path,
):
    env = _environment(tmp_path, database_url=database, redis_port=own_redis.port, port=_free_port())
    setup = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.core.management import call_command\n"
         "call_command('migrate', interactive=False, verbosity=0)\n"
         "from portal.accounts.models import MemberInstitution, User\n"
         "m = MemberInstitution.objects.create(name='Cooperativa Apagón', country='EC', institution_type='cooperative')\n"
         f"User.objects.create_user(username='{MEMBER}', password='{PASSWORD}', role='member', institution=m)\n"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert setup.returncode == 0, setup.stdout + setup.stderr
    web = Web(env, tmp_path / "web.log")
    try:
        cache = own_redis.client()
        assert _get(web.base, "/pilots/").status_code == 200
        version = cache.get(VERSION_KEY)
        assert version, "with Redis up, pages are cached in it"
        member = _sign_in(web.base)

        own_redis.hang()  # connections are accepted, nothing is answered
        try:
            _serves_everyone(web.base, member)
            health = _quick(lambda: requests.get(web.base + "/healthz/", timeout=30))
            assert health.status_code == 503
            assert health.json()["checks"]["cache"] == "failing"
        finally:
            own_redis.resume()
        # Back with its data: what was cached before the writes dropped meanwhile is forgotten —
        # the process forgets every key when it sees Redis again, and the next page it serves
        # writes a new version (wait for that page: under load it may come a poll later).
        _until(
            lambda: "Cache reachable again" in web.text() and cache.get(VERSION_KEY) is not None,
            seconds=15,
            base=web.base,
        )
        assert cache.get(VERSION_KEY) != version

        own_redis.kill()  # connections refused
        _serves_everyone(web.base, member)
        own_redis.start()  # empty, on the same port
        _until(lambda: cache.get(VERSION_KEY) is not None, seconds=15, base=web.base)
        assert len(cache.keys(f"{PREFIX}:*")) > 1  # the version and a page body

        log = web.text()
        assert log.count("Cache unreachable") == 2, log  # one line per outage
        assert log.count("Cache reachable again") == 2, log
        assert "Traceback" not in log, log
    finally:
        web.stop()


def test_database_unreachable_answers_a_bilingual_503_with_retry_after(own_redis, tmp_path):
    nowhere = f"postgres://postgres@127.0.0.1:{_free_port()}/portal"  # nothing listens there
    # Nothing cached by the other tests: a page cached before an outage is served from the cache
    # (it needs no database); the pages here were never cached, so they need it.
    own_redis.client().flushdb()
    web = Web(_environment(tmp_path, database_url=nowhere, redis_port=own_redis.port, port=_free_port()),
              tmp_path / "web.log")  # fmt: skip
    try:
        session = requests.Session()
        form = _get(web.base, "/en/accounts/login/", session)
        assert form.status_code == 200  # a form needs no database; signing in does
        sign_in = session.post(
            web.base + "/en/accounts/login/",
            data={"username": MEMBER, "password": PASSWORD, "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Host": HOST, "X-Forwarded-Proto": "https", "Origin": SITE_URL},
            allow_redirects=False,
            timeout=30,
        )
        pages = [_quick(lambda path=path: _get(web.base, path)) for path in ("/", "/pilots/", "/en/pilots/")]
        for response in [*pages, sign_in]:
            assert response.status_code == 503, response.request.url
            assert response.headers["Retry-After"] == "30"
            assert response.headers["Cache-Control"] == "no-store"
            assert "Temporalmente no disponible" in response.text
            assert "Temporarily unavailable" in response.text
        log = web.text()
        assert log.count("Database unreachable") == 1, log  # one line, not a traceback per request
        assert "Traceback" not in log, log
        health = requests.get(web.base + "/healthz/", timeout=30)
        assert health.status_code == 503
        assert health.json()["checks"]["database"] == "failing"
    finally:
        web.stop()
