"""The tracker's search documents: every innovation and every lesson learned, in Spanish and,
where they have English text, in English too. Who may find them follows the innovation's
visibility (`Innovation.objects.visible_to`), checked inside every query. They have no
drafts: they are indexed when saved and removed when deleted.

An innovation's document is one result for the whole thing: its title and summary, and, weighing
least, its lessons' text and its product terms (each variant's rate, APR and effective rate, and
its Standard 6C warning signs), so "pricing", "TEA" or a lesson's words find it. Lessons are
shown under it in the results (`nested_in`), and are results of their own when the reader asks
for lessons ("lecciones aprendidas", the content-type facet). It is indexed again when one of its
lessons or product variants is saved or deleted.
"""

from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.search import documents, signals
from portal.search.registry import Access, Kind, registry

from .cycle import Stage
from .models import Innovation, Lesson, ProductTerms

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


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{number_format(value, 2)} %"


def pricing_text(innovation: Innovation) -> str:
    """Its product terms in words, in the active language: each variant with its rate, APR and
    effective rate, then its warning signs ("" without terms)."""
    from .pricing.signs import priced, render

    variants, facts = priced([innovation])[innovation.pk]
    if not variants:
        return ""
    lines = [_("Product terms and pricing (interest rate, APR, effective rate):")]
    for item in variants:
        variant = item.variant
        lines.append(
            _(
                "%(name)s: rate %(rate)s %% per period (%(method)s), instalments %(frequency)s; "
                "APR %(apr)s, effective rate %(effective)s."
            )
            % {
                "name": variant.display_name,
                "rate": number_format(variant.rate, 2),
                "method": variant.get_method_display(),
                "frequency": variant.get_frequency_display(),
                "apr": _percent(item.cost.apr if item.cost else None),
                "effective": _percent(item.cost.effective if item.cost else None),
            }
        )
    lines += [render(fact).message for fact in facts]
    return "\n".join(lines)


def innovation_documents(innovation: Innovation) -> list[dict]:
    texts = {"es": (innovation.title, innovation.summary)}
    if innovation.title_en or innovation.summary_en:
        texts["en"] = (innovation.title_en or innovation.title, innovation.summary_en or innovation.summary)
    lessons = list(innovation.lessons.order_by("recorded_on", "pk").values_list("text", "text_en"))
    bodies = {}
    for language in texts:
        with translation.override(language):
            said = [text_en or text if language == "en" else text for text, text_en in lessons]
            bodies[language] = "\n".join(filter(None, [*said, pricing_text(innovation)]))
    return [
        documents.document(
            kind=INNOVATION,
            object_id=innovation.pk,
            guard=innovation.pk,
            group=f"{INNOVATION}:{innovation.pk}",
            language=language,
            languages=list(texts),
            title=title,
            summary=body,
            body=bodies[language],
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
            summary=body,
            body="",
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
    signals.index(instance.innovation)  # its document holds its lessons' text


def on_lesson_deleted(sender, instance, **kwargs):
    signals.remove_keys(documents.keys(LESSON, instance.pk))
    _index_innovation(instance.innovation_id)


def _index_innovation(pk: int) -> None:
    innovation = Innovation.objects.select_related("product_line").filter(pk=pk).first()
    if innovation is not None:
        signals.index(innovation)


def on_product_terms_changed(sender, instance, **kwargs):
    _index_innovation(instance.innovation_id)  # its document holds its product terms


def connect() -> None:
    post_save.connect(on_innovation_saved, sender=Innovation, dispatch_uid="knowledge_innovation_saved")
    post_delete.connect(on_innovation_deleted, sender=Innovation, dispatch_uid="knowledge_innovation_deleted")
    post_save.connect(on_lesson_saved, sender=Lesson, dispatch_uid="knowledge_lesson_saved")
    post_delete.connect(on_lesson_deleted, sender=Lesson, dispatch_uid="knowledge_lesson_deleted")
    post_save.connect(on_product_terms_changed, sender=ProductTerms, dispatch_uid="knowledge_terms_saved")
    post_delete.connect(on_product_terms_changed, sender=ProductTerms, dispatch_uid="knowledge_terms_deleted")


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
            rank=1,
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
            rank=3,
            nested_in=INNOVATION,
        )
    )
    registry.label_facet("stage", lambda value: str(Stage(value).label) if value in Stage.values else value)
