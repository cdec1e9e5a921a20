"""Demo research: the research index (es + en), the "Revisión" workflow and the seed
studies as published pages in Spanish with English versions. Idempotent.

Runs after pilots.demo so that reports can link to the demo innovations; when an
innovation does not exist yet the link is simply left out (and added on a later run).
"""

from django.db import transaction
from django.utils.html import escape
from wagtail.models import GroupApprovalTask, Locale, Workflow, WorkflowPage, WorkflowTask

from portal.accounts.models import ProductLine
from portal.models import HomePage

from .demo_content import REPORTS, TOPICS, TOPICS_EN
from .models import Author, ResearchIndexPage, ResearchReportPage

AFFILIATIONS = {
    "Bindu Ananth": "IFMR Trust",
    "Gregory Chen": "CGAP",
    "Stephen Rasmussen": "CGAP",
}

INDEX_TEXT = {
    "es": (
        "Investigación",
        "<p>Estudios de mercado, de factibilidad, normativos, evaluaciones y casos que "
        "sustentan las innovaciones de la red.</p>",
    ),
    "en": (
        "Research",
        "<p>Market, feasibility and regulatory studies, evaluations and cases behind the network's innovations.</p>",
    ),
}


def _research_index() -> tuple[ResearchIndexPage, ResearchIndexPage]:
    es = Locale.objects.get(language_code="es")
    en = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=es)
    index = ResearchIndexPage.objects.filter(locale=es).first()
    if index is None:
        title, intro = INDEX_TEXT["es"]
        index = ResearchIndexPage(title=title, slug="research", intro=intro, locale=es)
        home.add_child(instance=index)
        index.save_revision().publish()
    translation = index.get_translation_or_none(en)
    if translation is None:
        translation = index.copy_for_translation(en)
        translation.title, translation.intro = INDEX_TEXT["en"]
        translation.slug = "research"
        translation.save_revision().publish()
    return index, translation


def _workflow(*indexes) -> Workflow:
    """Draft -> review by a moderator -> publish, on both research indexes."""
    from django.contrib.auth.models import Group

    workflow, _ = Workflow.objects.get_or_create(name="Revisión", defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name="Revisión editorial").first()
    if task is None:
        task = GroupApprovalTask.objects.create(name="Revisión editorial")
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators:
        task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for page in indexes:
        WorkflowPage.objects.update_or_create(page=page, defaults={"workflow": workflow})
    return workflow


def _body(report: dict, language: str, innovation) -> list:
    text = report[language]
    blocks = []
    for index, (heading, paragraphs) in enumerate(text["sections"]):
        blocks.append(("heading", {"text": heading, "level": "h2"}))
        blocks.append(("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs)))
        if index == 0:
            for value, label_es, label_en in report.get("figures", []):
                label = label_es if language == "es" else label_en
                blocks.append(("key_figure", {"value": value, "label": label, "source": ""}))
    if "quote" in text:
        quote, attribution = text["quote"]
        blocks.append(("quote", {"quote": quote, "attribution": attribution}))
    if "table" in report:
        caption, header, rows = report["table"][language]
        blocks.append(("table", {"caption": caption, "header": header, "rows": rows}))
    if report.get("chart") and innovation is not None:
        indicator = innovation.indicators.filter(targets__isnull=False).distinct().first()
        if indicator is not None:
            caption = "Meta frente a resultados del piloto" if language == "es" else "Pilot target against results"
            blocks.append(("chart", {"indicator": str(indicator.pk), "caption": caption}))
    return blocks


def _apply(page: ResearchReportPage, report: dict, language: str, innovation) -> None:
    text = report[language]
    page.title = text["title"]
    page.summary = text["summary"]
    page.study_type = report["type"]
    page.publication_date = report["date"]
    page.countries = report["countries"]
    page.stage = report["stage"]
    page.body = _body(report, language, innovation)


def _topics(report: dict, language: str) -> list[str]:
    spanish = TOPICS.get(report["slug"], [])
    return spanish if language == "es" else [TOPICS_EN[topic] for topic in spanish]


def _outdated(page: ResearchReportPage, report: dict, innovation) -> bool:
    """A study loaded before its innovation existed, or before studies had topics."""
    missing_innovation = innovation is not None and not page.innovations.filter(pk=innovation.pk).exists()
    return missing_innovation or (bool(TOPICS.get(report["slug"])) and not page.tags.exists())


def _relations(page: ResearchReportPage, report: dict, innovation) -> None:
    page.authors.set(
        [
            Author.objects.get_or_create(name=name, defaults={"affiliation": AFFILIATIONS.get(name, "")})[0]
            for name in report["authors"]
        ]
    )
    page.product_lines.set(ProductLine.objects.filter(code__in=report["lines"]))
    page.innovations.set([innovation] if innovation is not None else [])
    page.tags.set(_topics(report, page.locale.language_code))


def _report(index_es, index_en, report: dict) -> bool:
    """Create or complete one study in both languages; True when anything was written."""
    from pilots.models import Innovation

    innovation = Innovation.objects.filter(slug=report["innovation"]).first() if report["innovation"] else None
    page = ResearchReportPage.objects.child_of(index_es).filter(slug=report["slug"]).first()
    changed = False
    if page is None:
        page = ResearchReportPage(slug=report["slug"], locale=index_es.locale)
        _apply(page, report, "es", innovation)
        _relations(page, report, innovation)
        index_es.add_child(instance=page)
        page.save_revision().publish()
        changed = True
    elif _outdated(page, report, innovation):
        _apply(page, report, "es", innovation)
        _relations(page, report, innovation)
        page.save_revision().publish()
        changed = True
    translation = page.get_translation_or_none(index_en.locale)
    if translation is None:
        translation = page.copy_for_translation(index_en.locale)
        translation.slug = report["slug"]
    elif not _outdated(translation, report, innovation):
        return changed
    _apply(translation, report, "en", innovation)
    _relations(translation, report, innovation)
    translation.save_revision().publish()
    return True


@transaction.atomic
def load(stdout=None) -> None:
    index_es, index_en = _research_index()
    _workflow(index_es, index_en)
    changed = [_report(index_es, index_en, report) for report in REPORTS]
    if not any(changed):
        if stdout:
            stdout.write(f"Research: {len(REPORTS)} studies already loaded; search index left as it is.")
        return
    # What was loaded, and content created before the search app was installed, becomes findable.
    from portal.search import get_engine

    try:
        count = get_engine().rebuild()
    except Exception as error:  # noqa: BLE001 - the demo must load even without a search server
        count = 0
        if stdout:
            stdout.write(f"Search index not rebuilt ({error}); run rebuild_knowledge_index later.")
    if stdout:
        stdout.write(
            f"Research: {len(REPORTS)} studies in Spanish and English, workflow “Revisión”; {count} documents indexed."
        )
