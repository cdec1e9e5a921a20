"""Cached reads and pages, keyed by what the viewer may see and by the versions of what they show
(docs/caching.md tells the whole story, with examples).

Each cached value's key holds:

- the **versions of what it shows**, each a number in the cache replaced after every committed
  write to its data, so nothing cached before an edit is served after it (the old keys become
  unreachable and expire): `innovation:<pk>` per **subject** (`register_subject`: a write to
  the subject or anything belonging to it replaces it); `portfolio:<scope>` for the aggregates
  a viewer scope sees (a write to innovation A replaces the scopes whose portfolio includes
  A); one per **namespace** (`watch`: a write belonging to no subject retires the namespaces
  its app's models retire). **Drafts retire nothing** (`register_quiet`);
- the **viewer's scope** (what `Innovation.objects.visible_to` depends on), so two viewers share
  a value only when they may see the same;
- the page's language and parameters.

A request reads the versions it needs together (one `get_many`) and keeps them for the rest of
the request. `render_cached` keeps a page's body as HTML, framed per request (`portal.frames`).
A version is replaced when a row is written and again when its transaction commits, so a value
recomputed between the two is retired too.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from .frames import render_framed

TIMEOUT = 60 * 60  # an hour: versions retire stale values; this only bounds memory
# Each namespace has its own version, replaced by writes to the models its apps watch
# (`watch`) that belong to no subject. Every app watches its own models in "portal" (the
# tracker, research, Wagtail's page tree, the network's members, funders and users' roles);
# the survey keeps "surveys", which the network's data also retire (an institution's country
# and type group its answers).
_watched: dict[str, set[str]] = {}  # app label → the namespaces its writes retire
_derived: set[str] = set()  # model labels rebuilt from watched data, or not read by cached pages
PUBLIC = "public"
STAFF = "staff"


# --- What a write retires -------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    """A model whose rows have their own version (`<name>:<pk>`), and what of the portfolio
    a write to one of them retires: `portfolio(pk, instance)` names the viewer scopes whose
    aggregates include it (`PUBLIC`, `STAFF`, `funder-<id>`, `member-<id>`)."""

    name: str
    model: type[models.Model]
    portfolio: Callable[[int, models.Model], set[str]] | None = None


_subjects: dict[str, Subject] = {}  # by model label
_paths: dict[type, tuple | None] = {}  # model → (subject, foreign keys leading to it), found once
_quiet: dict[str, Callable[[models.Model, dict], bool]] = {}


def register_subject(model: type[models.Model], *, name: str, portfolio=None) -> None:
    """Give each row of `model` its own version; the rows of models with a foreign key (or
    a chain of them) to it retire that version instead of their namespace's."""
    _subjects[model._meta.label_lower] = Subject(name=name, model=model, portfolio=portfolio)
    _paths.clear()


def register_quiet(model: type[models.Model], when: Callable[[models.Model, dict], bool]) -> None:
    """A write to `model` for which `when(instance, signal_kwargs)` is true retires nothing
    (a draft saved as its author types)."""
    _quiet[model._meta.label_lower] = when


def _path_to_subject(model: type[models.Model]) -> tuple | None:
    """The subject `model` belongs to and the foreign keys from it to the subject's row
    (none for the subject itself), the shortest chain of at most three, within its app."""
    if model in _paths:
        return _paths[model]
    found = None
    if model._meta.label_lower in _subjects:
        found = (_subjects[model._meta.label_lower], ())
    else:
        frontier = [(model, ())]
        for _depth in range(3):
            following = []
            for current, chain in frontier:
                for field in current._meta.concrete_fields:
                    target = field.related_model if field.many_to_one or field.one_to_one else None
                    if target is None or target._meta.app_label != model._meta.app_label:
                        continue
                    if target._meta.label_lower in _subjects:
                        found = (_subjects[target._meta.label_lower], (*chain, field))
                        break
                    following.append((target, (*chain, field)))
                if found:
                    break
            if found:
                break
            frontier = following
    _paths[model] = found
    return found


def _subject_of(instance: models.Model) -> tuple[Subject, int | None] | None:
    """The subject row a written instance belongs to: (subject, its pk, None when it is gone)."""
    path = _path_to_subject(type(instance))
    if path is None:
        return None
    subject, chain = path
    if not chain:
        return subject, instance.pk
    first = getattr(instance, chain[0].attname)
    if first is None or len(chain) == 1:
        return subject, first
    lookup = "__".join(field.name for field in chain[1:])
    pk = chain[0].related_model._default_manager.filter(pk=first).values_list(lookup, flat=True).first()
    return subject, pk


def _retired_by(instance: models.Model, namespaces: tuple[str, ...], kwargs: dict) -> set[str]:
    """The versions a write to `instance` replaces."""
    quiet = _quiet.get(instance._meta.label_lower)
    if quiet is not None and quiet(instance, kwargs):
        return set()
    found = _subject_of(instance)
    if found is None or found[1] is None:  # the network, research… or a row whose subject is gone
        return set(namespaces)
    subject, pk = found
    tags = {f"{subject.name}:{pk}"}
    if subject.portfolio is not None:
        tags |= {f"portfolio:{scope}" for scope in subject.portfolio(pk, instance)}
    return tags


# --- Versions -------------------------------------------------------------------------------


_request = threading.local()  # the versions read during the current request


def _forget(**kwargs) -> None:
    _request.versions = {}
    _request.active = kwargs.get("signal") is request_started


request_started.connect(_forget, dispatch_uid="portal-cache-request-started")
request_finished.connect(_forget, dispatch_uid="portal-cache-request-finished")


def _version_key(tag: str) -> str:
    return f"version:{tag}"


def versions(tags: Iterable[str]) -> dict[str, int | None]:
    """The current version of each tag, read from the cache in one call (a tag without one
    gets a new one); within a request, each tag is read once. None when the cache is unreachable."""
    tags = sorted(set(tags))
    known: dict = getattr(_request, "versions", None) if getattr(_request, "active", False) else None
    wanted = [tag for tag in tags if known is None or tag not in known]
    if wanted:
        found = cache.get_many([_version_key(tag) for tag in wanted])
        missing = [tag for tag in wanted if _version_key(tag) not in found]
        for tag in missing:
            cache.add(_version_key(tag), time.time_ns(), None)
        if missing:
            found |= cache.get_many([_version_key(tag) for tag in missing])
        fresh = {tag: found.get(_version_key(tag)) for tag in wanted}
        if known is None:
            return fresh
        known |= fresh
    return {tag: known[tag] for tag in tags}


def bump(tags: Iterable[str]) -> None:
    """Retire every value cached under these versions."""
    now = time.time_ns()
    tags = set(tags)
    if tags:
        cache.set_many({_version_key(tag): now for tag in tags}, None)
        known = getattr(_request, "versions", None)
        if known:
            for tag in tags:
                known.pop(tag, None)


def data_version(namespace: str = "portal") -> int | None:
    """The version of a whole namespace (what writes belonging to no subject replace)."""
    return versions([namespace])[namespace]


def bump_version(namespace: str | None = None) -> None:
    """Retire every value cached under a namespace — all of them when none is named (after
    bulk writes that send no signal, e.g. the demo's)."""
    bump([namespace] if namespace else namespaces())


# --- Keys -----------------------------------------------------------------------------------


def viewer_scope(user) -> str:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return PUBLIC
    if user.is_association_staff:
        return STAFF
    if user.is_donor:
        return f"funder-{user.funder_id}"
    if user.is_member:
        return f"member-{user.institution_id}"
    return PUBLIC


def portfolio(user) -> list[str]:
    """The versions of the aggregates this viewer sees: the public portfolio's and its scope's."""
    scope = viewer_scope(user)
    if scope == STAFF:
        return ["portfolio:staff"]
    if scope == PUBLIC:
        return ["portfolio:public"]
    return ["portfolio:public", f"portfolio:{scope}"]


def subject(name: str, pk: int) -> str:
    """The version of one subject's row: `subject("innovation", 12)`."""
    return f"{name}:{pk}"


def cache_key(
    name: str, *, user, params: Any = None, depends: Iterable[str] | None = None, namespace: str = "portal"
) -> str:
    """The key of `name` for this viewer, language and `params`, holding the versions of what
    it `depends` on (by default, the viewer's portfolio) and of its namespaces."""
    tags = {"portal", namespace, *(portfolio(user) if depends is None else depends)}
    raw = json.dumps([params, versions(tags)], sort_keys=True, default=str)
    digest = hashlib.blake2b(raw.encode(), digest_size=12).hexdigest()
    language = translation.get_language() or "es"
    return f"{namespace}:{name}:{viewer_scope(user)}:{language}:{digest}"


def cached(
    name: str,
    *,
    user,
    params: Any = None,
    compute: Callable[[], Any],
    depends: Iterable[str] | None = None,
    namespace: str = "portal",
) -> Any:
    """The value `compute()` returns for this viewer scope and parameters, from the cache when it can."""
    key = cache_key(name, user=user, params=params, depends=depends, namespace=namespace)
    return cache.get_or_set(key, compute, TIMEOUT)


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
    frame_key: Any = None,
    fill: dict[str, Callable[[], str]] | None = None,
    depends: Iterable[str] | None = None,
    namespace: str = "portal",
):
    """Render `page_template` (the site's frame) around `body_template` rendered with
    `context()`, the body coming from the cache for this viewer scope, language, day and
    `params`, and the versions of what it `depends` on (by default the viewer's portfolio:
    see `cache_key`). `keep` names the context values the frame needs besides the body (a
    title). The frame is kept (`portal.frames`) — unless `frame` adds values to it (a Wagtail
    page) without a `frame_key` saying which version of them it shows (the page's published
    revision): then it is rendered in full on every request. An exception in `context()` (a
    404) is raised, not cached.

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
        depends=depends,
        namespace=namespace,
    )
    body = part["body"]
    for placeholder, value in (fill or {}).items():
        body = body.replace(placeholder, value())
    kept = {f"cached_{k}": part[k] for k in keep}
    if frame is None:  # the frame shows nothing but the kept values: kept rendered (portal.frames)
        return render_framed(request, page_template, kept, body)
    if frame_key is not None:  # the frame shows what `frame_key` identifies (a page's published revision)
        return render_framed(request, page_template, {**frame, **kept}, body, key=[frame_key, kept])
    return render(request, page_template, {**frame, **kept, "body": mark_safe(body)})  # noqa: S308


# Rendered in place of the CSRF token in a cached body (pass it as the context's `csrf_token`),
# then replaced by the request's own token: `fill={CSRF_PLACEHOLDER: lambda: get_token(request)}`.
CSRF_PLACEHOLDER = "csrf-placeholder-6f1c0b0e"


# --- Writes ---------------------------------------------------------------------------------


def _on_write(namespaces: tuple[str, ...]):
    def retire(sender, instance=None, **kwargs) -> None:
        if kwargs.get("raw"):
            return
        if set(kwargs.get("update_fields") or ()) == {"last_login"}:
            return  # signing in changes nobody's view of anything
        tags = set(namespaces) if instance is None else _retired_by(instance, namespaces, kwargs)
        if tags:
            bump(tags)
            transaction.on_commit(lambda: bump(tags))

    return retire


def _on_m2m(namespaces: tuple[str, ...]):
    retire = _on_write(namespaces)

    def changed(sender, instance=None, action=None, **kwargs) -> None:
        if action in ("post_add", "post_remove", "post_clear"):
            retire(sender, instance=instance)

    return changed


def watch(app_label: str, *, namespaces: tuple[str, ...] = ("portal",), derived: tuple[str, ...] = ()) -> None:
    """Every model of the app `app_label`, written, retires the versions of what shows it: its
    subject's and the portfolios including it, or else the `namespaces`' — apps call this from
    their `AppConfig.ready` for their own models and for those of other apps their cached
    pages show. `derived` names the app's models that retire nothing (rebuilt from watched
    data, like stored progress, or never read by a cached page, like a draft's answers)."""
    _watched.setdefault(app_label, set()).update(namespaces)
    _derived.update(f"{app_label}.{name}" for name in derived)
    for model in apps.get_app_config(app_label).get_models():
        _connect(model, tuple(sorted(_watched[app_label])))


def namespaces() -> set[str]:
    """Every namespace some app's writes retire."""
    return {"portal"}.union(*_watched.values())


def _connect(model: type[models.Model], namespaces: tuple[str, ...]) -> None:
    uid = f"portal-cache-{model._meta.label_lower}"
    for signal, suffix in ((post_save, "save"), (post_delete, "delete")):
        signal.disconnect(sender=model, dispatch_uid=f"{uid}-{suffix}")
    for field in model._meta.local_many_to_many:
        m2m_changed.disconnect(sender=field.remote_field.through, dispatch_uid=f"{uid}-{field.name}")
    historical = any(field.name == "history_id" for field in model._meta.concrete_fields)
    if model._meta.label_lower in _derived or historical:  # history follows its row
        return
    receiver = _on_write(namespaces)
    # weak=False: the receiver is a closure that nothing else keeps alive
    post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}-delete")
    for field in model._meta.local_many_to_many:
        m2m_changed.connect(
            _on_m2m(namespaces), sender=field.remote_field.through, weak=False, dispatch_uid=f"{uid}-{field.name}"
        )
