"""Reads of published research: which studies anyone may read, their topics, the research
behind an innovation, and what the study editor's choosers offer.

The index page's filtered list is `listing.research_list`; the pilot figures a research page
may chart are `public_indicators`.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import translation
from django_countries import countries
from taggit.models import Tag

from pilots.public import Innovation
from portal.accounts.models import ProductLine

from .models.reports import ResearchReportPage, ResearchReportTag
from .models.snippets import Author

__all__ = [
    "chooser_options",
    "hidden_report_ids",
    "public_reports",
    "research_for_innovation",
    "research_for_innovations",
    "tag_counts",
]


def public_reports():
    """Research anyone may read: live, and no view restriction on the page or any ancestor.

    The one gate for research in lists, feeds, the home page and innovation pages.
    A restricted page is left out for everyone, also for readers who could open it
    (signed in, in the group, or who know the password): listings never depend on
    who is reading, so a restricted study is reached only by its link.
    """
    return ResearchReportPage.objects.live().public()


def hidden_report_ids() -> frozenset[int]:
    """Ids of the research pages that must not be listed or found: the complement of
    `public_reports` (not live, or restricted on the page or an ancestor).

    The site search excludes these at query time, so a knowledge index that missed a
    privacy change still shows nothing it should not. Two queries however many pages
    there are: the view restrictions, then the pages.
    """
    reports = ResearchReportPage.objects.all()
    return frozenset(reports.filter(Q(live=False) | reports.private_q()).values_list("pk", flat=True))


def tag_counts(reports) -> list[dict]:
    """The topics of `reports`, each with how many of them carry it, by name:
    [{"slug", "name", "count"}]. One query however many topics there are."""
    rows = (
        Tag.objects.filter(
            Exists(ResearchReportTag.objects.filter(tag=OuterRef("pk"), content_object__in=reports.values("pk")))
        )
        .annotate(
            count=Count(
                "research_researchreporttag_items",
                filter=Q(research_researchreporttag_items__content_object__in=reports.values("pk")),
            )
        )
        .order_by("name")
    )
    return [{"slug": tag.slug, "name": tag.name, "count": tag.count} for tag in rows]


def research_for_innovation(*, innovation, language_code: str) -> list[dict]:
    """Live public research pages linked to an innovation, in one language, newest first.

    Each item: {"title", "url", "date", "type" (study type code), "type_label", "language" (the page's)}.
    Falls back to Spanish pages that have no translation in the requested language.
    """
    return research_for_innovations(innovations=[innovation], language_code=language_code)[innovation.pk]


def research_for_innovations(*, innovations, language_code: str) -> dict[int, list[dict]]:
    """`research_for_innovation` of each of `innovations`, by innovation id, in a fixed number of
    queries however many innovations (the IATI file of a whole portfolio reads them all)."""
    ids = [innovation.pk for innovation in innovations]
    links = ResearchReportPage.innovations.through.objects.filter(innovation_id__in=ids)
    reports = (
        public_reports()
        .filter(pk__in=links.values("researchreportpage_id"))
        .select_related("locale")
        .order_by("-publication_date", "title")
    )
    by_page: dict[int, list[int]] = {}
    for page_id, innovation_id in links.values_list("researchreportpage_id", "innovation_id"):
        by_page.setdefault(page_id, []).append(innovation_id)
    chosen: dict[int, dict] = {pk: {} for pk in ids}
    for report in reports:
        for innovation_id in by_page.get(report.pk, []):
            current = chosen[innovation_id].get(report.translation_key)
            if current is None or report.locale.language_code == language_code:
                chosen[innovation_id][report.translation_key] = report
    found = {}
    with translation.override(language_code):
        for innovation_id, reports_of in chosen.items():
            items = [
                {
                    "title": report.title,
                    "url": report.url,
                    "date": report.publication_date,
                    "type": report.study_type,
                    "type_label": str(report.get_study_type_display()),
                    "language": report.locale.language_code,
                }
                for report in reports_of.values()
                if report.locale.language_code in (language_code, "es")
            ]
            items.sort(key=lambda item: (item["date"], item["title"]), reverse=True)
            found[innovation_id] = items
    return found


CHOOSER_LIMIT = 20


def _folded(text: str) -> str:
    """Lower case without accents, so "peru" finds "Perú" and "mexico" finds "México"."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def chooser_options(*, kind: str, query: str, user, limit: int = CHOOSER_LIMIT) -> list[dict] | None:
    """What the study editor's chooser of `kind` offers for the words typed, as
    [{"id", "label"}], at most `limit`, in alphabetical order; None for an unknown kind.

    Countries match their name in the admin's language, ignoring accents and capitals;
    authors their name or affiliation; innovations their title in either language, among
    those `user` may see (staff see every one).
    """
    words = " ".join((query or "").split())
    if kind == "countries":
        folded = _folded(words)
        return [
            {"id": code, "label": str(name)}
            for code, name in countries
            if folded in _folded(name) or folded == code.casefold()
        ][:limit]
    if kind == "authors":
        authors = (
            Author.objects.filter(Q(name__icontains=words) | Q(affiliation__icontains=words))
            if words
            else (Author.objects.all())
        )
        return [{"id": author.pk, "label": str(author)} for author in authors.order_by("name")[:limit]]
    if kind == "product-lines":
        lines = ProductLine.objects.all()
        if words:
            lines = lines.filter(Q(name_es__icontains=words) | Q(name_en__icontains=words) | Q(code__icontains=words))
        return sorted(({"id": line.pk, "label": str(line)} for line in lines[:limit]), key=lambda item: item["label"])
    if kind == "innovations":
        innovations = Innovation.objects.visible_to(user)
        if words:
            innovations = innovations.filter(Q(title__icontains=words) | Q(title_en__icontains=words))
        return [
            {"id": innovation.pk, "label": innovation.display_title}
            for innovation in innovations.order_by("title")[:limit]
        ]
    return None
