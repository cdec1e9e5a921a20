"""Cached portfolio reads, keyed by what the viewer may see and by the version of the data.

Dashboards and charts are read far more often than innovations change. Each cached
value's key holds:

- the **data version**: one number in the cache, replaced after every committed write to
  the innovation tracker or the network (see `connect`), so that nothing cached before a
  staff edit is ever served after it — the new version makes every old key unreachable,
  and the old values simply expire;
- the **viewer's scope**: what `Innovation.objects.visible_to` depends on — staff see all,
  a donor what its funder may see, a member what its institution may see, everyone else
  the public portfolio — so two viewers share a value only when they may see the same;
- the page's language and parameters (filters, page number).

The version is bumped when a row is written and again when its transaction commits: a
request that reads between the two recomputes the old data and may cache it, and the
bump on commit retires that value.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import translation

VERSION_KEY = "pilots:data-version"
TIMEOUT = 60 * 60  # an hour: versions retire stale values; this only bounds memory
WATCHED_APPS = ("pilots", "accounts")
DERIVED = ("pilots.innovationprogress", "pilots.indicatorprogress")  # rebuilt from the watched data


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def bump_version() -> None:
    """Retire every cached portfolio value (after a write has been committed)."""
    cache.set(VERSION_KEY, time.time_ns(), None)


def viewer_scope(user) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return "public"
    if user.is_association_staff:
        return "staff"
    if user.is_donor:
        return f"funder-{user.funder_id}"
    if user.is_member:
        return f"member-{user.institution_id}"
    return "public"


def cache_key(name: str, *, user, params: Any = None) -> str:
    raw = json.dumps(params, sort_keys=True, default=str)
    digest = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    language = translation.get_language() or "es"
    return f"pilots:{name}:{data_version()}:{viewer_scope(user)}:{language}:{digest}"


def cached(name: str, *, user, params: Any = None, compute: Callable[[], Any]) -> Any:
    """The value `compute()` returns for this viewer scope and parameters, from the cache when it can."""
    return cache.get_or_set(cache_key(name, user=user, params=params), compute, TIMEOUT)


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    if set(kwargs.get("update_fields") or ()) == {"last_login"}:
        return  # signing in changes nobody's view of the portfolio
    bump_version()
    transaction.on_commit(bump_version)


def connect() -> None:
    """Every model of the tracker and of the network (members, funders, users' roles)."""
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower in DERIVED:
                continue
            uid = f"pilots-cache-{model._meta.label_lower}"
            post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete")
            for field in model._meta.local_many_to_many:
                m2m_changed.connect(_on_write, sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")
