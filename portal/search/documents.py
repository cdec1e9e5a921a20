"""What goes into the knowledge index: one plain dict per searchable object.

Both engines index exactly these dicts, so they agree on what is findable:
research pages only while live and public, every innovation and lesson (their
visibility is checked at query time against `Innovation.objects.visible_to`).
"""

from __future__ import annotations

from collections.abc import Iterator

RESEARCH = "research"
INNOVATION = "innovation"
LESSON = "lesson"
KINDS = (RESEARCH, INNOVATION, LESSON)


def key_for(obj) -> str | None:
    from pilots.models import Innovation, Lesson
    from research.models import ResearchReportPage

    if isinstance(obj, ResearchReportPage):
        return f"{RESEARCH}:{obj.pk}"
    if isinstance(obj, Innovation):
        return f"{INNOVATION}:{obj.pk}"
    if isinstance(obj, Lesson):
        return f"{LESSON}:{obj.pk}"
    return None


def is_public_live(page) -> bool:
    return bool(page.live) and not page.get_view_restrictions().exists()


def research_document(page) -> dict | None:
    if not is_public_live(page):
        return None
    return {
        "key": f"{RESEARCH}:{page.pk}",
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


def innovation_document(innovation) -> dict:
    return {
        "key": f"{INNOVATION}:{innovation.pk}",
        "kind": INNOVATION,
        "object_id": innovation.pk,
        "language": "",
        "title": innovation.title,
        "body": innovation.summary,
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


def lesson_document(lesson) -> dict:
    innovation = lesson.innovation
    return {
        "key": f"{LESSON}:{lesson.pk}",
        "kind": LESSON,
        "object_id": lesson.pk,
        "language": "",
        "title": innovation.title,
        "body": lesson.text,
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


def document_for(obj) -> dict | None:
    """The knowledge document of an object, or None when it must not be findable."""
    from pilots.models import Innovation, Lesson
    from research.models import ResearchReportPage

    if isinstance(obj, ResearchReportPage):
        return research_document(obj)
    if isinstance(obj, Innovation):
        return innovation_document(obj)
    if isinstance(obj, Lesson):
        return lesson_document(obj)
    return None


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
