"""What goes into the knowledge index: one plain dict per searchable object.

Both engines index exactly these dicts, so they agree on what is findable:
research pages only while live and public, every innovation and lesson (their
visibility is checked at query time against `Innovation.objects.visible_to`).

A research page is one document in its locale's language (its translation is
another page). An innovation and a lesson are one document per portal language,
in that language's text (English fields, or the Spanish text where the English
one is empty), so `/en/search/` finds "micro-insurance" in the RFR innovation.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.conf import settings

RESEARCH = "research"
INNOVATION = "innovation"
LESSON = "lesson"
KINDS = (RESEARCH, INNOVATION, LESSON)


def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def research_key(page_id: int) -> str:
    return f"{RESEARCH}:{page_id}"


def keys_for(obj) -> list[str]:
    """Every key the object's documents may have, indexed or not."""
    from pilots.models import Innovation, Lesson
    from research.models import ResearchReportPage

    if isinstance(obj, ResearchReportPage):
        return [research_key(obj.pk)]
    if isinstance(obj, Innovation):
        return [f"{INNOVATION}:{obj.pk}:{language}" for language in languages()]
    if isinstance(obj, Lesson):
        return [f"{LESSON}:{obj.pk}:{language}" for language in languages()]
    return []


def _in(language: str, spanish: str, english: str) -> str:
    return english if language == "en" and english else spanish


def is_public_live(page) -> bool:
    return bool(page.live) and not page.get_view_restrictions().exists()


def research_document(page) -> dict | None:
    if not is_public_live(page):
        return None
    return {
        "key": research_key(page.pk),
        "kind": RESEARCH,
        "object_id": page.pk,
        "language": page.locale.language_code,
        "title": page.title,
        "body": "\n".join(
            filter(None, [page.summary, page.body_text(), ", ".join(a.name for a in page.authors.all())])
        ),
        "url": page.url or "",
        "innovation_slug": "",
        "innovation_id": None,
        "date": page.publication_date,
        "year": page.publication_date.year if page.publication_date else None,
        "countries": [str(code) for code in page.countries],
        "product_lines": sorted(line.code for line in page.product_lines.all()),
        "stage": page.stage or "",
        "subtype": page.study_type,
    }


def innovation_document(innovation, language: str) -> dict:
    return {
        "key": f"{INNOVATION}:{innovation.pk}:{language}",
        "kind": INNOVATION,
        "object_id": innovation.pk,
        "language": language,
        "title": _in(language, innovation.title, innovation.title_en),
        "body": _in(language, innovation.summary, innovation.summary_en),
        "url": "",
        "innovation_slug": innovation.slug,
        "innovation_id": innovation.pk,
        "date": innovation.started_on,
        "year": innovation.started_on.year if innovation.started_on else None,
        "countries": [str(code) for code in innovation.countries],
        "product_lines": [innovation.product_line.code],
        "stage": innovation.stage,
        "subtype": innovation.visibility,
    }


def lesson_document(lesson, language: str) -> dict:
    innovation = lesson.innovation
    return {
        "key": f"{LESSON}:{lesson.pk}:{language}",
        "kind": LESSON,
        "object_id": lesson.pk,
        "language": language,
        "title": _in(language, innovation.title, innovation.title_en),
        "body": _in(language, lesson.text, lesson.text_en),
        "url": "",
        "innovation_slug": innovation.slug,
        "innovation_id": innovation.pk,
        "date": lesson.recorded_on,
        "year": lesson.recorded_on.year if lesson.recorded_on else None,
        "countries": [str(code) for code in innovation.countries],
        "product_lines": [innovation.product_line.code],
        "stage": lesson.stage,
        "subtype": lesson.kind,
    }


def documents_for(obj) -> list[dict]:
    """The knowledge documents of an object; none when it must not be findable."""
    from pilots.models import Innovation, Lesson
    from research.models import ResearchReportPage

    if isinstance(obj, ResearchReportPage):
        document = research_document(obj)
        return [document] if document else []
    if isinstance(obj, Innovation):
        return [innovation_document(obj, language) for language in languages()]
    if isinstance(obj, Lesson):
        return [lesson_document(obj, language) for language in languages()]
    return []


def all_objects() -> Iterator:
    from pilots.models import Innovation, Lesson
    from research.models import ResearchReportPage

    yield from (
        ResearchReportPage.objects.live().public().select_related("locale").prefetch_related("authors", "product_lines")
    )
    yield from Innovation.objects.select_related("product_line")
    yield from Lesson.objects.select_related("innovation__product_line")


def count_objects() -> int:
    from pilots.models import Innovation, Lesson
    from research.models import ResearchReportPage

    return ResearchReportPage.objects.live().public().count() + Innovation.objects.count() + Lesson.objects.count()
