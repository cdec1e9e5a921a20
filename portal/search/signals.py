"""Keep the knowledge index in step with what is published.

Research pages are indexed when published (also by scheduled publishing) and
removed when unpublished or deleted; draft saves never touch the index.
Innovations and lessons are indexed when saved (they have no drafts) and their
visibility is checked at query time. A failing search server must not stop an
editor from publishing, so errors are logged, and `rebuild_search_index` repairs.
"""

import logging

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from . import get_engine

logger = logging.getLogger(__name__)


def _safely(action, *args):
    try:
        action(*args)
    except Exception:  # noqa: BLE001 - logged, repaired by rebuild_search_index
        logger.exception("Knowledge index update failed")


def on_page_published(sender, instance, **kwargs):
    from research.models import ResearchReportPage

    page = instance.specific
    if isinstance(page, ResearchReportPage):
        _safely(get_engine().index_object, page)


def on_page_unpublished(sender, instance, **kwargs):
    from research.models import ResearchReportPage

    if isinstance(instance.specific, ResearchReportPage):
        _safely(get_engine().remove_key, f"research:{instance.pk}")


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        from research.models import ResearchReportPage

        if isinstance(instance, ResearchReportPage) or instance.specific_class is ResearchReportPage:
            _safely(get_engine().remove_key, f"research:{instance.pk}")


def on_innovation_saved(sender, instance, **kwargs):
    engine = get_engine()
    _safely(engine.index_object, instance)
    for lesson in instance.lessons.all():
        _safely(engine.index_object, lesson)


def on_innovation_deleted(sender, instance, **kwargs):
    _safely(get_engine().remove_key, f"innovation:{instance.pk}")


def on_lesson_saved(sender, instance, **kwargs):
    _safely(get_engine().index_object, instance)


def on_lesson_deleted(sender, instance, **kwargs):
    _safely(get_engine().remove_key, f"lesson:{instance.pk}")


def connect() -> None:
    from pilots.models import Innovation, Lesson

    page_published.connect(on_page_published, dispatch_uid="knowledge_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="knowledge_page_unpublished")
    post_delete.connect(on_page_deleted, dispatch_uid="knowledge_page_deleted")
    post_save.connect(on_innovation_saved, sender=Innovation, dispatch_uid="knowledge_innovation_saved")
    post_delete.connect(on_innovation_deleted, sender=Innovation, dispatch_uid="knowledge_innovation_deleted")
    post_save.connect(on_lesson_saved, sender=Lesson, dispatch_uid="knowledge_lesson_saved")
    post_delete.connect(on_lesson_deleted, sender=Lesson, dispatch_uid="knowledge_lesson_deleted")
