"""Degrade, don't fail: Redis down serves pages uncached; the database down answers a 503.

The cache here is production's (`portal.cache_backends.ResilientRedisCache`) pointed at a
port where nothing listens; the database outage is simulated by making every connection
attempt fail. tests/production/test_outages.py proves both on the real stack.
"""

import contextlib
import logging
import socket
from unittest import mock

import pytest
from django.db import connection, connections
from django.db.utils import OperationalError
from django.test import RequestFactory
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from portal import cache_backends, unavailable
from portal.cache_backends import ResilientRedisCache
from portal.views import server_error
from tests.pilots.factories import InnovationFactory
from tests.research.fixtures import home, locales  # noqa: F401

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


@pytest.fixture(autouse=True)
def _fresh_outage_state(monkeypatch):
    monkeypatch.setattr(cache_backends, "_outages", {})
    monkeypatch.setattr(unavailable, "_last_report", float("-inf"))
    monkeypatch.setattr(unavailable, "_turned_away", 0)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "portal.cache_backends.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"  # as production


def _warnings(caplog, logger: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == logger and r.levelno >= logging.WARNING]


def _errors(caplog) -> list[logging.LogRecord]:
    """Errors, and any line from Django's request logger (it logs each 5xx with its traceback)."""
    return [r for r in caplog.records if r.levelno >= logging.ERROR or r.name == "django.request"]


# Redis unreachable


def test_pages_and_sign_in_work_with_redis_down_and_one_warning_is_logged(
    client,
    home,  # noqa: F811
    member_user,
    redis_down,  # after the fixtures above: their writes went to the test's own cache
    caplog,
):
    InnovationFactory(title="Ahorro programado")
    caplog.set_level(logging.INFO)
    for path in ("/", "/pilots/", "/en/pilots/", "/en/", "/accounts/login/"):
        assert client.get(path).status_code == 200, path

    response = client.post("/en/accounts/login/", {"username": "member", "password": "pw"})
    assert response.status_code == 302
    signed_in = client.get("/en/pilots/")
    assert signed_in.status_code == 200
    assert signed_in.wsgi_request.user == member_user
    assert "Ahorro programado" in signed_in.content.decode()
    assert client.get("/").status_code == 200

    warnings = _warnings(caplog, "portal.cache_backends")
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    assert "Cache unreachable" in warnings[0].getMessage()
    assert not _errors(caplog)


def test_healthz_still_answers_503_naming_the_cache(client, redis_down):
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}


class FakeRedis:
    """What RedisCacheClient asks of redis-py, over a dict; `down` makes every call fail."""

    def __init__(self):
        self.data: dict[str, bytes] = {}
        self.down: type[Exception] | None = None
        self.calls = 0

    def _call(self):
        self.calls += 1
        if self.down:
            raise self.down("unreachable")

    def get(self, key):
        self._call()
        return self.data.get(key)

    def set(self, key, value, ex=None, nx=False):
        self._call()
        if nx and key in self.data:
            return False
        self.data[key] = value if isinstance(value, bytes) else str(value).encode()
        return True

    def exists(self, key):
        self._call()
        return key in self.data

    def delete(self, *keys):
        self._call()
        return sum(self.data.pop(key, None) is not None for key in keys)

    def scan_iter(self, match, count):
        self._call()
        prefix = match.removesuffix("*").replace("\\", "")
        return [key for key in list(self.data) if key.startswith(prefix)]

    def unlink(self, *keys):
        return self.delete(*keys)


@pytest.fixture
def fake_redis():
    backend = ResilientRedisCache("redis://127.0.0.1:1/0", {"KEY_PREFIX": "portal", "OPTIONS": {"retry_seconds": 5}})
    fake = FakeRedis()
    backend._cache.get_client = lambda *args, **kwargs: fake
    clock = [1000.0]
    with mock.patch.object(cache_backends.time, "monotonic", lambda: clock[0]):
        yield backend, fake, clock


def test_a_hung_redis_is_asked_once_then_left_alone_until_the_retry(fake_redis, caplog):
    backend, fake, clock = fake_redis
    fake.down = RedisTimeoutError
    for _ in range(20):
        assert backend.get("page") is None
        assert backend.get_or_set("page", lambda: "computed") == "computed"
        assert backend.add("page", "x") is False
    assert fake.calls == 1  # one socket timeout, not sixty
    clock[0] += 5
    assert backend.get("page", "default") == "default"
    assert fake.calls == 2
    assert len(_warnings(caplog, "portal.cache_backends")) == 1


def test_incr_on_an_unreachable_redis_is_a_missing_key(fake_redis):
    backend, fake, clock = fake_redis
    fake.down = RedisConnectionError
    with pytest.raises(ValueError, match="not found"):
        backend.incr("hits")
    assert backend.get_many(["a", "b"]) == {}
    assert backend.set_many({"a": 1}) == ["a"]


def test_back_after_dropped_writes_it_forgets_what_may_be_stale(fake_redis, caplog):
    """A write dropped during the outage (an edit's version bump) must not leave the values it
    would have retired readable when Redis comes back with its data (it was only hung)."""
    backend, fake, clock = fake_redis
    backend.set("portal:data-version", 1)
    fake.data["other-app:1:kept"] = b"1"  # not this cache's: untouched
    fake.down = RedisTimeoutError
    backend.set("portal:data-version", 2)  # dropped
    clock[0] += 5
    fake.down = None
    assert backend.get("portal:data-version") is None  # forgotten, not the stale 1
    assert fake.data == {"other-app:1:kept": b"1"}
    messages = [r.getMessage() for r in _warnings(caplog, "portal.cache_backends")]
    assert len(messages) == 2
    assert "Cache reachable again" in messages[1] and "dropped its 1 keys" in messages[1]
    backend.set("portal:data-version", 3)
    assert backend.get("portal:data-version") == 3


def test_back_after_reads_only_it_keeps_the_cache(fake_redis):
    backend, fake, clock = fake_redis
    backend.set("page", "body")
    fake.down = RedisConnectionError
    assert backend.get("page") is None
    clock[0] += 5
    fake.down = None
    assert backend.get("page") == "body"


# The database unreachable


@contextlib.contextmanager
def database_down():
    """Every query fails as it does when PostgreSQL refuses connections."""
    wrapper = type(connections["default"])
    refused = OperationalError('connection failed: connection to server at "127.0.0.1", port 5432 failed')
    with (
        mock.patch.object(wrapper, "ensure_connection", side_effect=refused),
        mock.patch.object(wrapper, "is_usable", return_value=False),
    ):
        yield


def test_database_down_answers_a_bilingual_503_with_retry_after(client, member_user, caplog):
    caplog.set_level(logging.INFO)
    client.force_login(member_user)
    anonymous = client.__class__()
    with database_down():
        responses = [anonymous.get("/"), anonymous.get("/en/pilots/"), client.get("/pilots/"), client.get("/en/")]
    for response in responses:
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        assert response["Cache-Control"] == "no-store"
        text = response.content.decode()
        assert "Temporalmente no disponible" in text
        assert "Temporarily unavailable" in text
        assert "Please try again in a few minutes" in text
    warnings = _warnings(caplog, "portal.unavailable")
    assert len(warnings) == 1
    assert "Database unreachable" in warnings[0].getMessage()
    assert not _errors(caplog)


def test_database_down_in_a_middleware_is_the_same_503():
    """Raised outside a view, the error reaches the 500 handler, which answers the 503 too."""
    request = RequestFactory().get("/")
    with database_down():
        try:
            connection.cursor()
        except OperationalError:
            response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_a_failing_query_on_a_working_connection_is_still_a_500():
    """A statement timeout or a deadlock is one request's failure, to be seen with its traceback."""
    connection.ensure_connection()
    assert not unavailable.database_unreachable(OperationalError("canceling statement due to statement timeout"))
    assert not unavailable.database_unreachable(ValueError("not a database error"))
    with mock.patch.object(type(connections["default"]), "is_usable", return_value=False):
        assert unavailable.database_unreachable(OperationalError("server closed the connection unexpectedly"))
