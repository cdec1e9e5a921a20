"""The research app's search documents: live public research pages, one per page, in the
language of the page's locale (a translation is another page of the same group).

Pages are indexed when published (also by scheduled publishing), with their translations
(whose `languages` change), and removed when unpublished or deleted; draft saves never touch
the index. When a page's privacy changes (a `PageViewRestriction` created, changed or
deleted), the page and every research page under it are indexed again: removed while
restricted, back once public and live. Hidden pages are also excluded at query time
(`selectors.hidden_report_ids`), in case the index missed a change.

A study's topic tags are words it is found by and the values of the search's topic facet
(their slugs, as `/research/?tag=` uses; labelled by `topic_names`). Tags are edited with the
page, so they reach the index when it is published, like every other field.
"""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_save
from django.utils.translation import gettext as _
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from portal.search import documents, signals
from portal.search.registry import Access, Kind, registry

from .models import ResearchReportPage, ResearchReportTag, StudyType
from .selectors import hidden_report_ids

KIND = "research"


def _public_live(page) -> bool:
    return bool(page.live) and not page.get_view_restrictions().exists()


def _languages(page) -> list[str]:
    translations = page.get_translations(inclusive=True).live().public().select_related("locale")
    return sorted({translation.locale.language_code for translation in translations} | {page.locale.language_code})


def page_documents(page) -> list[dict]:
    if not _public_live(page):
        return []
    language = page.locale.language_code
    tags = list(page.tags.all())
    return [
        documents.document(
            kind=KIND,
            object_id=page.pk,
            guard=page.pk,
            group=f"{KIND}:{page.translation_key}",
            language=language,
            languages=_languages(page),
            title=page.title,
            summary=page.summary,
            # what it is found by beyond its title and summary, weighing least (`portal.search.base`)
            body="\n".join(
                filter(
                    None,
                    [
                        page.body_text(),
                        ", ".join(a.name for a in page.authors.all()),
                        ", ".join(tag.name for tag in tags),  # its topics are words it is found by
                    ],
                )
            ),
            urls={language: page.url or ""},
            date=page.publication_date,
            countries=page.countries,
            product_lines=[line.code for line in page.product_lines.all()],
            stage=page.stage,
            subtype=page.study_type,
            topics=[tag.slug for tag in tags],  # the topic facet: `?topic=<slug>`, as on /research/
        )
    ]


def topic_names(slugs: list[str]) -> dict[str, str]:
    """The topic facet's labels: each tag's name by its slug (one query per search)."""
    Tag = ResearchReportTag._meta.get_field("tag").related_model
    return dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "name"))


def _objects():
    return (
        ResearchReportPage.objects.live()
        .public()
        .select_related("locale")
        .prefetch_related("authors", "product_lines", "tags")
        .order_by("pk")
    )


def _access(user) -> Access:
    return Access.excluding(hidden_report_ids())


# --- Signals -----------------------------------------------------------------------------------


def _with_translations(page):
    return ResearchReportPage.objects.filter(translation_key=page.translation_key).select_related("locale")


def on_page_published(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, ResearchReportPage):
        for each in _with_translations(page):
            signals.index(each)


def on_page_unpublished(sender, instance, **kwargs):
    page = instance.specific
    if isinstance(page, ResearchReportPage):
        signals.remove_keys(documents.keys(KIND, instance.pk))
        for each in _with_translations(page).exclude(pk=page.pk):
            signals.index(each)


def on_page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page) and (
        isinstance(instance, ResearchReportPage) or instance.specific_class is ResearchReportPage
    ):
        signals.remove_keys(documents.keys(KIND, instance.pk))
        for each in ResearchReportPage.objects.filter(translation_key=instance.translation_key).exclude(pk=instance.pk):
            signals.index(each)  # its translations are now the only versions


def reindex_under(page_id: int) -> None:
    """Index again the research page `page_id` and every research page under it, after a
    privacy change there: each is added or removed as `page_documents` decides."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return
    reports = (
        ResearchReportPage.objects.descendant_of(page, inclusive=True)
        .select_related("locale")
        .prefetch_related("authors", "product_lines", "tags")
    )
    for report in reports:
        for each in _with_translations(report):  # their `languages` change too
            signals.index(each)


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
        signals.safely(reindex_under, previous)
    signals.safely(reindex_under, instance.page_id)


def on_view_restriction_deleted(sender, instance, origin=None, **kwargs):
    # Deleting a page deletes its restrictions first; the pages go next, and
    # on_page_deleted removes them, so there is nothing to add back.
    if isinstance(origin, Page) or (isinstance(origin, QuerySet) and issubclass(origin.model, Page)):
        return
    signals.safely(reindex_under, instance.page_id)


def connect() -> None:
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


def register() -> None:
    registry.label_facet_values("topic", topic_names)
    registry.register(
        Kind(
            name=KIND,
            label=lambda: _("Research"),
            model=ResearchReportPage,
            documents=page_documents,
            keys=lambda page: documents.keys(KIND, page.pk),
            objects=_objects,
            count=lambda: ResearchReportPage.objects.live().public().count(),
            access=_access,
            connect=connect,
            order=1,
            rank=2,
            subtype_labels=lambda: dict(StudyType.choices),
        )
    )
