"""Wagtail's search index of the knowledge table, kept current in the background.

The knowledge table is rewritten wholesale: `rebuild` (run by `release` and the demo
loader) deletes every row and creates them again under new ids, and `remove_key` deletes
rows. So an index update queued when a row was saved may find it gone by the time the
worker runs it; that is nothing to do, not a failure. Wagtail's own auto-update task
(`modelsearch.tasks.insert_or_update_object_task`) raises `DoesNotExist` there, which left
77 failed tasks and their tracebacks after `release --demo`. So `KnowledgeEntry` opts out
of Wagtail's automatic updates (`search_auto_update = False`) and these receivers do the
same work with a task that treats a missing row as done.
"""

import logging

from django.db.models.signals import post_delete, post_save
from django.tasks import task
from wagtail.search import index

from .models import KnowledgeEntry

logger = logging.getLogger(__name__)


@task
def index_knowledge_entry(entry_id: int) -> bool:
    """Index the entry in Wagtail's search backends; False when it no longer exists."""
    entry = KnowledgeEntry.objects.filter(pk=entry_id).first()
    if entry is None:
        logger.info("Knowledge entry %s was removed or rebuilt after it was queued: nothing to index", entry_id)
        return False
    index.insert_or_update_object(entry)
    return True


def _saved(sender, instance, raw=False, **kwargs) -> None:
    if not raw:
        index_knowledge_entry.enqueue(entry_id=instance.pk)


def _deleted(sender, instance, **kwargs) -> None:
    index.remove_object(instance)


def connect() -> None:
    """What Wagtail's signal handlers do for an indexed model, with the task above."""
    post_save.connect(_saved, sender=KnowledgeEntry, dispatch_uid="knowledge-entry-index")
    post_delete.connect(_deleted, sender=KnowledgeEntry, dispatch_uid="knowledge-entry-unindex")
