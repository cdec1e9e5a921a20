"""The knowledge table's index updates (portal.search.tasks): a row deleted or rebuilt
after its update was queued is nothing to do, not a failed task (`release --demo` left 77)."""

import logging

import pytest
from django_tasks_db.models import DBTaskResult

from portal.search.models import KnowledgeEntry
from portal.search.tasks import index_knowledge_entry
from tests.portal.test_background import DATABASE_QUEUE, _work


@pytest.mark.django_db
def test_a_missing_entry_is_nothing_to_do_logged_at_info(caplog):
    with caplog.at_level(logging.INFO, logger="portal.search.tasks"):
        assert index_knowledge_entry.call(entry_id=987654) is False
    assert [r.levelno for r in caplog.records] == [logging.INFO]


@pytest.mark.django_db
def test_updates_queued_for_rows_rebuilt_since_succeed(settings):
    """What the demo loader does: save entries (each queues an update), then rebuild the table."""
    settings.TASKS = DATABASE_QUEUE
    for n in range(3):
        KnowledgeEntry.objects.create(key=f"lesson:{n}:en", kind="lesson", item_id=n, heading=f"Lesson {n}")
    assert DBTaskResult.objects.ready().filter(task_path="portal.search.tasks.index_knowledge_entry").count() == 3
    KnowledgeEntry.objects.filter(key="lesson:0:en").delete()
    _work("w")
    assert not DBTaskResult.objects.failed().exists()
    assert sorted(DBTaskResult.objects.values_list("return_value", flat=True)) == [False, True, True]
    assert not DBTaskResult.objects.filter(task_path="modelsearch.tasks.insert_or_update_object_task").exists()
