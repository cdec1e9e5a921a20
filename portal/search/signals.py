"""Keep the knowledge index in step with what is published.

Research pages are indexed when published (also by scheduled publishing) and
removed when unpublished or deleted; draft saves never touch the index. When a
page's privacy changes (a `PageViewRestriction` created, changed or deleted),
the page and every research page under it are indexed again: removed while
restricted, back once public and live. Innovations and lessons are indexed when
saved (they have no drafts) and their visibility is checked at query time, as is
research's (`selectors.hidden_research_ids`), in case the index missed a change.
A failing search server must not stop an editor from publishing, so errors are
logged, and `rebuild_knowledge_index` repairs.
"""

import logging

from django.db import transaction
from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from . import get_engine
from .documents import research_key

logger = logging.getLogger(__name__)


def _safely(action, *args):
    try:
        # a savepoint: a failed write to the database engine's table must not break
        # the editor's transaction (PostgreSQL refuses every later query in it)
        with transaction.atomic():
            action(*args)
    except Exception:  # noqa: BLE001 - logged, repaired by rebuild_knowledge_index
        logger.exception("Knowledge index update failed")


def on_page_published(sender, instance, **kwargs):
    from research.models import ResearchReportPage

    page = instance.specific
    if isinstance(page, ResearchReportPage):
        _safely(get_engine().index_object, page)


def on_page_unpublished(sender, instance, **kwargs):
    from research.models import ResearchReportPage

    if isinstance(instance.specific, ResearchReportPage):
        _safely(get_engine().remove_key, research_key(instance.pk))


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        from research.models import ResearchReportPage

        if isinstance(instance, ResearchReportPage) or instance.specific_class is ResearchReportPage:
            _safely(get_engine().remove_key, research_key(instance.pk))


def reindex_research_under(page_id: int) -> None:
    """Index again the research page `page_id` and every research page under it, after
    a privacy change there: each is added or removed as `documents.research_document`
    decides (live and with no restriction on itself or an ancestor)."""
    from research.models import ResearchReportPage

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    engine = get_engine()
    reports = (
        ResearchReportPage.objects.descendant_of(page, inclusive=True)
        .select_related("locale")
        .prefetch_related("authors", "product_lines")
    )
    for report in reports:
        engine.index_object(report)


def on_view_restriction_changing(sender, instance, raw=False, **kwargs):
    """Remember which page an existing restriction protected, in case the save moves it."""
    if instance.pk and not raw:
        instance._knowledge_previous_page_id = (
            PageViewRestriction.objects.filter(pk=instance.pk).values_list("page_id", flat=True).first()
        )


def on_view_restriction_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return  # fixtures: the pages may not be loaded yet; rebuild_knowledge_index afterwards
    previous = getattr(instance, "_knowledge_previous_page_id", None)
    if previous and previous != instance.page_id:
        _safely(reindex_research_under, previous)
    _safely(reindex_research_under, instance.page_id)


def on_view_restriction_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a page deletes its restrictions first; the pages go next, and
    # on_page_deleted removes them, so there is nothing to add back.
    if isinstance(origin, Page) or (isinstance(origin, QuerySet) and issubclass(origin.model, Page)):
        return
    _safely(reindex_research_under, instance.page_id)


def on_innovation_saved(sender, instance, **kwargs):
    engine = get_engine()
    _safely(engine.index_object, instance)
    for lesson in instance.lessons.all():
        _safely(engine.index_object, lesson)


def on_innovation_deleted(sender, instance, **kwargs):
    _safely(get_engine().remove_object, instance)


def on_lesson_saved(sender, instance, **kwargs):
    _safely(get_engine().index_object, instance)


def on_lesson_deleted(sender, instance, **kwargs):
    _safely(get_engine().remove_object, instance)


def connect() -> None:
    from pilots.models import Innovation, Lesson

    page_published.connect(on_page_published, dispatch_uid="knowledge_page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="knowledge_page_unpublished")
    post_delete.connect(on_page_deleted, dispatch_uid="knowledge_page_deleted")
    pre_save.connect(
        on_view_restriction_changing, sender=PageViewRestriction, dispatch_uid="knowledge_restriction_changing"
    )
    post_save.connect(on_view_restriction_saved, sender=PageViewRestriction, dispatch_uid="knowledge_restriction_saved")
    post_delete.connect(
        on_view_restriction_deleted, sender=PageViewRestriction, dispatch_uid="knowledge_restriction_deleted"
    )
    post_save.connect(on_innovation_saved, sender=Innovation, dispatch_uid="knowledge_innovation_saved")
    post_delete.connect(on_innovation_deleted, sender=Innovation, dispatch_uid="knowledge_innovation_deleted")
    post_save.connect(on_lesson_saved, sender=Lesson, dispatch_uid="knowledge_lesson_saved")
    post_delete.connect(on_lesson_deleted, sender=Lesson, dispatch_uid="knowledge_lesson_deleted")
