"""Cached reads and pages, keyed by what the viewer may see and by the version of the data.

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

`render_cached` keeps the main part of a page (its body, as HTML) this way: for every
viewer without forms on the page — anyone but staff — the queries, figures and template
of the body run once per data version, scope, language, day and query string; the
request still renders the site's frame (header, messages, CSRF token) around it.

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
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

TIMEOUT = 60 * 60  # an hour: versions retire stale values; this only bounds memory
# Each namespace has its own data version, bumped by writes to the models of its apps (all of
# them but the derived ones). "portal": the tracker, the network (members, funders, users'
# roles), research and Wagtail's page tree, privacy and publication. "surveys": the demand
# survey and the network (an institution's country and type group its answers); a draft's
# answers, saved as members type, change no result and retire nothing.
NAMESPACES = {
    "portal": ("pilots", "accounts", "research", "wagtailcore"),
    "surveys": ("surveys", "accounts"),
}
DERIVED = (  # rebuilt from the watched data, or not read by cached pages
    "pilots.innovationprogress",
    "pilots.indicatorprogress",
    "wagtailcore.referenceindex",
    "surveys.answer",
)


def _version_key(namespace: str) -> str:
    return f"{namespace}:data-version"


def data_version(namespace: str = "portal") -> int:
    version = cache.get(_version_key(namespace))
    if version is None:
        cache.add(_version_key(namespace), time.time_ns(), None)
        version = cache.get(_version_key(namespace))
    return version


def bump_version(namespace: str = "portal") -> None:
    """Retire every value cached under this namespace (after a write has been committed)."""
    cache.set(_version_key(namespace), time.time_ns(), None)


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


def cache_key(name: str, *, user, params: Any = None, namespace: str = "portal") -> str:
    raw = json.dumps(params, sort_keys=True, default=str)
    digest = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    language = translation.get_language() or "es"
    return f"{namespace}:{name}:{data_version(namespace)}:{viewer_scope(user)}:{language}:{digest}"


def cached(name: str, *, user, params: Any = None, compute: Callable[[], Any], namespace: str = "portal") -> Any:
    """The value `compute()` returns for this viewer scope and parameters, from the cache when it can."""
    return cache.get_or_set(cache_key(name, user=user, params=params, namespace=namespace), compute, TIMEOUT)


def render_cached(
    request,
    *,
    name: str,
    page_template: str,
    body_template: str,
    params: Any,
    context: Callable[[], dict],
    keep: tuple[str, ...] = (),
    frame: dict | None = None,
    fill: dict[str, Callable[[], str]] | None = None,
    namespace: str = "portal",
):
    """Render `page_template` (the site's frame) around `body_template` rendered with
    `context()`, the body coming from the cache for this viewer scope, language, day and
    `params`. `keep` names the context values the frame needs besides the body (a title);
    `frame` adds cheap values to it (a Wagtail page). An exception in `context()` (a 404)
    is raised, not cached.

    What must differ on every request — a form's CSRF token, a one-time submission key —
    is rendered as a placeholder and filled in afterwards: `fill` maps each placeholder to
    the function that gives this request's value (see `CSRF_PLACEHOLDER`)."""

    def compute() -> dict:
        values = context()
        return {"body": render_to_string(body_template, values, request=request), **{k: values[k] for k in keep}}

    part = cached(
        name,
        user=request.user,
        params={"day": str(timezone.localdate()), "params": params},
        compute=compute,
        namespace=namespace,
    )
    body = part["body"]
    for placeholder, value in (fill or {}).items():
        body = body.replace(placeholder, value())
    return render(
        request,
        page_template,
        {**(frame or {}), **{f"cached_{k}": part[k] for k in keep}, "body": mark_safe(body)},  # noqa: S308
    )


# Rendered in place of the CSRF token in a cached body (pass it as the context's `csrf_token`),
# then replaced by the request's own token: `fill={CSRF_PLACEHOLDER: lambda: get_token(request)}`.
CSRF_PLACEHOLDER = "csrf-placeholder-6f1c0b0e"


def _on_write(namespaces: tuple[str, ...]):
    def retire(sender, **kwargs) -> None:
        if kwargs.get("raw"):
            return
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            return  # signing in changes nobody's view of anything
        for namespace in namespaces:
            bump_version(namespace)
            transaction.on_commit(lambda namespace=namespace: bump_version(namespace))

    return retire


def connect() -> None:
    """Every model of each namespace's apps retires that namespace's cached values when written."""
    watching: dict = {}
    for namespace, labels in NAMESPACES.items():
        for label in labels:
            for model in apps.get_app_config(label).get_models():
                if model._meta.label_lower not in DERIVED:
                    watching.setdefault(model, []).append(namespace)
    for model, namespaces in watching.items():
        receiver = _on_write(tuple(namespaces))
        uid = f"portal-cache-{model._meta.label_lower}"
        # weak=False: the receiver is a closure that nothing else keeps alive
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                receiver, sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}-{field.name}"
            )
