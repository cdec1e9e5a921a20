"""A Redis cache the portal can lose: when Redis is down or hung, pages are served uncached.

The cache is an accelerator (see `portal.cache`): every value in it can be recomputed
from the database. So `ResilientRedisCache` is Django's `RedisCache` that turns a Redis
connection error or timeout into a miss — `get` answers its default, `get_many` nothing,
`add`/`touch`/`delete`/`has_key` False, `incr` the ValueError of a missing key, and writes are
dropped — instead of an exception that would make every page a 500.

One outage, one warning: the first failure logs that Redis is unreachable, and from then
on the process does not call Redis at all for `retry_seconds` (a hung Redis would
otherwise cost every cache call its full socket timeout). After that, one call tries
again; when it succeeds, one line says Redis is back.

While Redis was unreachable, writes were dropped, among them the version bumps that retire
cached pages after an edit (`portal.cache.bump_version`) and Wagtail's own invalidations. A
Redis that comes back with its data (it was hung, or the network was cut) would then serve
values older than those writes. So a process that dropped a write forgets, when Redis comes
back, every key of this cache (those under its KEY_PREFIX), which is what a restarted Redis
would hold: nothing stale, everything recomputed once.

The state is per process and per Redis address, shared by the threads (Django builds one
cache object per thread). Options besides redis-py's own: `retry_seconds` (default 5).
Short `socket_connect_timeout` and `socket_timeout` (half a second, set in production's
CACHES) bound what a failing call costs.

Why not django-redis with `DJANGO_REDIS_IGNORE_EXCEPTIONS`: it would replace Django's own
backend (another dependency, another key and value format) to get the first half only — it
waits out the timeout on every call to a hung Redis, logs every failed call or none, and
knows nothing of dropped writes.
"""

from __future__ import annotations

import functools
import logging
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
RETRY_SECONDS = 5.0


class Outage:
    """Whether this process currently considers one Redis unreachable, and since when."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_since: float | None = None  # time.monotonic() of the first failure
        self.next_try = 0.0
        self.dropped_writes = False

    def skip(self, *, write: bool) -> bool:
        """True while Redis is known to be down and the next try is not due: do not call it."""
        if self.down_since is None or time.monotonic() >= self.next_try:
            return False
        if write:
            self.dropped_writes = True
        return True

    def failed(self, error: Exception, *, write: bool, location: str, retry_seconds: float) -> None:
        with self.lock:
            now = time.monotonic()
            self.next_try = now + retry_seconds
            self.dropped_writes = self.dropped_writes or write
            if self.down_since is not None:
                return
            self.down_since = now
        logger.warning(
            "Cache unreachable at %s (%s: %s): serving pages uncached, trying again every %g s",
            location,
            type(error).__name__,
            " ".join(str(error).split()),
            retry_seconds,
        )

    def recovered(self) -> float | None:
        """How long Redis was down, when this call is the one that ends the outage; else None."""
        with self.lock:
            if self.down_since is None:
                return None
            seconds = time.monotonic() - self.down_since
            self.down_since, self.dropped_writes = None, False
        return seconds


_outages: dict[str, Outage] = {}
_outages_lock = threading.Lock()


def outage_for(location: str) -> Outage:
    with _outages_lock:
        return _outages.setdefault(location, Outage())


def _tolerant(method: Callable, *, write: bool, fallback: Callable) -> Callable:
    """`method` of RedisCache, answering `fallback(*same arguments)` while Redis is unreachable."""

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        return self._guard(
            lambda: method(self, *args, **kwargs), write=write, fallback=lambda: fallback(*args, **kwargs)
        )

    return call


def _missing_key(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found (the cache is unreachable).")


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` object on every call (about an eighth of a
    warm page's CPU); this one keeps one per connection pool. A `redis.Redis` object is safe to
    share: it takes a connection from its pool for each command."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            if index not in self._pools:
                self._pools[index] = self._pool_class.from_url(self._servers[index], **self._pool_options)
            client = self._clients[index] = self._client(connection_pool=self._pools[index])
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        self.retry_seconds = float(options.pop("retry_seconds", RETRY_SECONDS))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClientRedisCacheClient
        self.location = ",".join(self._servers)
        self.outage = outage_for(self.location)

    def _guard(self, call: Callable[[], Any], *, write: bool, fallback: Callable[[], Any]) -> Any:
        if self.outage.skip(write=write):
            return fallback()
        recovering = self.outage.down_since is not None
        try:
            # Stale keys go before this call can read one of them.
            forgotten = self._forget_all() if recovering and self.outage.dropped_writes else None
            result = call()
        except UNREACHABLE as error:
            self.outage.failed(error, write=write, location=self.location, retry_seconds=self.retry_seconds)
            return fallback()
        if recovering and (seconds := self.outage.recovered()) is not None:
            logger.warning(
                "Cache reachable again at %s after %.0f s%s",
                self.location,
                seconds,
                "" if forgotten is None else f"; dropped its {forgotten} keys, which may be stale",
            )
        return result

    def _forget_all(self) -> int:
        """Delete every key of this cache (under its prefix), batch by batch."""
        client = self._cache.get_client(None, write=True)
        pattern = re.sub(r"([*?\[\]\\])", r"\\\1", self.key_prefix) + ":*"
        count, batch = 0, []
        for key in client.scan_iter(match=pattern, count=1000):
            batch.append(key)
            if len(batch) == 1000:
                count += client.unlink(*batch)
                batch = []
        if batch:
            count += client.unlink(*batch)
        return count

    # Reads answer a miss, writes are dropped (and remembered as dropped).
    get = _tolerant(RedisCache.get, write=False, fallback=lambda key, default=None, version=None: default)
    get_many = _tolerant(RedisCache.get_many, write=False, fallback=lambda keys, version=None: {})
    has_key = _tolerant(RedisCache.has_key, write=False, fallback=lambda key, version=None: False)
    add = _tolerant(RedisCache.add, write=True, fallback=lambda key, value, timeout=None, version=None: False)
    set = _tolerant(RedisCache.set, write=True, fallback=lambda key, value, timeout=None, version=None: None)
    set_many = _tolerant(RedisCache.set_many, write=True, fallback=lambda data, timeout=None, version=None: list(data))
    touch = _tolerant(RedisCache.touch, write=True, fallback=lambda key, timeout=None, version=None: False)
    delete = _tolerant(RedisCache.delete, write=True, fallback=lambda key, version=None: False)
    delete_many = _tolerant(RedisCache.delete_many, write=True, fallback=lambda keys, version=None: None)
    incr = _tolerant(RedisCache.incr, write=True, fallback=_missing_key)
    clear = _tolerant(RedisCache.clear, write=True, fallback=lambda: False)
