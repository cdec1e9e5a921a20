"""The tracker's search documents: every innovation and every lesson learned, in Spanish and,
where they have English text, in English too. Who may find them follows the innovation's
visibility (`Innovation.objects.visible_to`), checked inside every query. They have no
drafts: they are indexed when saved and removed when deleted.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.search import documents, signals
from portal.search.registry import Access, Kind, registry

from .cycle import Stage
from .models import Innovation, Lesson

INNOVATION, LESSON = "innovation", "lesson"


def _urls(innovation: Innovation, anchor: str = "") -> dict[str, str]:
    urls = {}
    for language in documents.languages():
        with translation.override(language):
            urls[language] = reverse("pilots:detail", kwargs={"slug": innovation.slug}) + anchor
    return urls


def _facets(innovation: Innovation) -> dict:
    return {
        "countries": innovation.countries,
        "product_lines": [innovation.product_line.code],
    }


def innovation_documents(innovation: Innovation) -> list[dict]:
    texts = {"es": (innovation.title, innovation.summary)}
    if innovation.title_en or innovation.summary_en:
        texts["en"] = (innovation.title_en or innovation.title, innovation.summary_en or innovation.summary)
    return [
        documents.document(
            kind=INNOVATION,
            object_id=innovation.pk,
            guard=innovation.pk,
            group=f"{INNOVATION}:{innovation.pk}",
            language=language,
            languages=list(texts),
            title=title,
            body=body,
            urls=_urls(innovation),
            date=innovation.started_on,
            stage=innovation.stage,
            subtype=innovation.visibility,
            **_facets(innovation),
        )
        for language, (title, body) in texts.items()
    ]


def lesson_documents(lesson: Lesson) -> list[dict]:
    innovation = lesson.innovation
    texts = {"es": (innovation.title, lesson.text)}
    if lesson.text_en:
        texts["en"] = (innovation.title_en or innovation.title, lesson.text_en)
    return [
        documents.document(
            kind=LESSON,
            object_id=lesson.pk,
            guard=innovation.pk,
            group=f"{LESSON}:{lesson.pk}",
            language=language,
            languages=list(texts),
            title=title,
            body=body,
            urls=_urls(innovation, f"#lesson-{lesson.pk}"),
            date=lesson.recorded_on,
            stage=lesson.stage,
            subtype=lesson.kind,
            **_facets(innovation),
        )
        for language, (title, body) in texts.items()
    ]


def _access(user) -> Access:
    return Access.only_ids(Innovation.objects.visible_to(user).values_list("pk", flat=True))


def on_innovation_saved(sender, instance, **kwargs):
    signals.index(instance)
    for lesson in instance.lessons.select_related("innovation__product_line"):
        signals.index(lesson)  # they carry the innovation's title and facets


def on_innovation_deleted(sender, instance, **kwargs):
    signals.remove_keys(documents.keys(INNOVATION, instance.pk))


def on_lesson_saved(sender, instance, **kwargs):
    signals.index(instance)


def on_lesson_deleted(sender, instance, **kwargs):
    signals.remove_keys(documents.keys(LESSON, instance.pk))


def connect() -> None:
    post_save.connect(on_innovation_saved, sender=Innovation, dispatch_uid="knowledge_innovation_saved")
    post_delete.connect(on_innovation_deleted, sender=Innovation, dispatch_uid="knowledge_innovation_deleted")
    post_save.connect(on_lesson_saved, sender=Lesson, dispatch_uid="knowledge_lesson_saved")
    post_delete.connect(on_lesson_deleted, sender=Lesson, dispatch_uid="knowledge_lesson_deleted")


def register() -> None:
    registry.register(
        Kind(
            name=INNOVATION,
            label=lambda: _("Innovation"),
            model=Innovation,
            documents=innovation_documents,
            keys=lambda innovation: documents.keys(INNOVATION, innovation.pk),
            objects=lambda: Innovation.objects.select_related("product_line").order_by("pk"),
            count=lambda: Innovation.objects.count(),
            access=_access,
            connect=connect,
            order=2,
        )
    )
    registry.register(
        Kind(
            name=LESSON,
            label=lambda: _("Lesson learned"),
            model=Lesson,
            documents=lesson_documents,
            keys=lambda lesson: documents.keys(LESSON, lesson.pk),
            objects=lambda: Lesson.objects.select_related("innovation__product_line").order_by("pk"),
            count=lambda: Lesson.objects.count(),
            access=_access,
            order=3,
        )
    )
    registry.label_facet("stage", lambda value: str(Stage(value).label) if value in Stage.values else value)
