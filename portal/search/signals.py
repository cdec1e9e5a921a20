"""Helpers the apps' signal receivers use to keep the knowledge index current (each app
connects its own receivers, in its `documents.py`).

A failing search server must not stop an editor from publishing or staff from saving, so
errors are logged, and `rebuild_knowledge_index` repairs.
"""

import logging

from django.db import transaction

from . import get_engine

logger = logging.getLogger(__name__)


def safely(action, *args) -> None:
    try:
        # a savepoint: a failed write to the database engine's table must not break
        # the caller's transaction (PostgreSQL refuses every later query in it)
        with transaction.atomic():
            action(*args)
    except Exception:  # noqa: BLE001 - logged, repaired by rebuild_knowledge_index
        logger.exception("Knowledge index update failed")


def index(obj) -> None:
    """Index the object's documents again (and remove those it no longer has)."""
    safely(get_engine().index_object, obj)


def remove(obj) -> None:
    safely(get_engine().remove_object, obj)


def remove_keys(keys: list[str]) -> None:
    def _remove():
        engine = get_engine()
        for key in keys:
            engine.remove_key(key)

    safely(_remove)
