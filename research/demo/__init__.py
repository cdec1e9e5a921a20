"""Demo research: the research index (es + en), the "Revisión" workflow and the seed studies
(one TOML document per study in `studies/`, Spanish and English side by side) as published
pages in Spanish with English versions. Idempotent.

Runs after pilots.demo so that studies can link to the demo innovations; when an innovation
does not exist yet the link is simply left out (and added on a later run).
"""

import tomllib
from functools import cache
from pathlib import Path

from django.db import transaction
from django.utils.html import escape
from wagtail.models import GroupApprovalTask, Locale, Workflow, WorkflowPage, WorkflowTask

from pilots.public import Innovation
from portal.accounts.models import ProductLine
from portal.models import HomePage

from ..models import Author, ResearchIndexPage, ResearchReportPage

HERE = Path(__file__).parent


def _read(path: Path) -> dict:
    with path.open("rb") as file:
        return tomllib.load(file)


@cache
def index_data() -> dict:
    return _read(HERE / "index.toml")


@cache
def studies() -> list[dict]:
    return [_read(HERE / "studies" / f"{slug}.toml") for slug in index_data()["studies"]]


def _in(data: dict, field: str, language: str):
    """A field in the page's language: `title` in Spanish, `title_en` in English."""
    return data[field] if language == "es" else data[f"{field}_en"]


def _research_index() -> tuple[ResearchIndexPage, ResearchIndexPage]:
    es = Locale.objects.get(language_code="es")
    en = Locale.objects.get(language_code="en")
    home = HomePage.objects.get(locale=es)
    text = index_data()
    index = ResearchIndexPage.objects.filter(locale=es).first()
    if index is None:
        index = ResearchIndexPage(title=text["title"], slug="research", intro=text["intro"], locale=es)
        home.add_child(instance=index)
        index.save_revision().publish()
    translation = index.get_translation_or_none(en)
    if translation is None:
        translation = index.copy_for_translation(en)
        translation.title, translation.intro = text["title_en"], text["intro_en"]
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


def _body(study: dict, language: str, innovation) -> list:
    blocks = []
    for number, section in enumerate(study["sections"]):
        blocks.append(("heading", {"text": _in(section, "heading", language), "level": "h2"}))
        paragraphs = _in(section, "paragraphs", language)
        blocks.append(("paragraph", "".join(f"<p>{escape(p)}</p>" for p in paragraphs)))
        if number == 0:
            for figure in study.get("figures", []):
                label = _in(figure, "label", language)
                blocks.append(("key_figure", {"value": figure["value"], "label": label, "source": ""}))
    if "quote" in study:
        blocks.append(("quote", {"quote": _in(study, "quote", language), "attribution": study["quote_attribution"]}))
    if "table" in study:
        table = study["table"]
        header, rows = _in(table, "header", language), _in(table, "rows", language)
        blocks.append(("table", {"caption": _in(table, "caption", language), "header": header, "rows": rows}))
    if study.get("chart") and innovation is not None:
        indicator = innovation.indicators.filter(targets__isnull=False).distinct().first()
        if indicator is not None:
            caption = _in(index_data(), "chart_caption", language)
            blocks.append(("chart", {"indicator": str(indicator.pk), "caption": caption}))
    return blocks


def _apply(page: ResearchReportPage, study: dict, language: str, innovation) -> None:
    page.title = _in(study, "title", language)
    page.summary = _in(study, "summary", language)
    page.study_type = study["type"]
    page.publication_date = study["date"]
    page.countries = study["countries"]
    page.stage = study["stage"]
    page.body = _body(study, language, innovation)


def _outdated(page: ResearchReportPage, study: dict, innovation) -> bool:
    """A study loaded before its innovation existed, or before studies had topics."""
    missing_innovation = innovation is not None and not page.innovations.filter(pk=innovation.pk).exists()
    return missing_innovation or (bool(study["topics"]) and not page.tags.exists())


def _relations(page: ResearchReportPage, study: dict, innovation) -> None:
    affiliations = index_data()["affiliations"]
    page.authors.set(
        [
            Author.objects.get_or_create(name=name, defaults={"affiliation": affiliations.get(name, "")})[0]
            for name in study["authors"]
        ]
    )
    page.product_lines.set(ProductLine.objects.filter(code__in=study["lines"]))
    page.innovations.set([innovation] if innovation is not None else [])
    page.tags.set(_in(study, "topics", page.locale.language_code))


def _study(index_es, index_en, study: dict) -> bool:
    """Create or complete one study in both languages; True when anything was written."""
    innovation = Innovation.objects.filter(slug=study["innovation"]).first() if "innovation" in study else None
    page = ResearchReportPage.objects.child_of(index_es).filter(slug=study["slug"]).first()
    changed = False
    if page is None:
        page = ResearchReportPage(slug=study["slug"], locale=index_es.locale)
        _apply(page, study, "es", innovation)
        _relations(page, study, innovation)
        index_es.add_child(instance=page)
        page.save_revision().publish()
        changed = True
    elif _outdated(page, study, innovation):
        _apply(page, study, "es", innovation)
        _relations(page, study, innovation)
        page.save_revision().publish()
        changed = True
    translation = page.get_translation_or_none(index_en.locale)
    if translation is None:
        translation = page.copy_for_translation(index_en.locale)
        translation.slug = study["slug"]
    elif not _outdated(translation, study, innovation):
        return changed
    _apply(translation, study, "en", innovation)
    _relations(translation, study, innovation)
    translation.save_revision().publish()
    return True


@transaction.atomic
def load(stdout=None) -> None:
    index_es, index_en = _research_index()
    _workflow(index_es, index_en)
    seeds = studies()
    changed = [_study(index_es, index_en, study) for study in seeds]
    if not any(changed):
        if stdout:
            stdout.write(f"Research: {len(seeds)} studies already loaded; search index left as it is.")
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
            f"Research: {len(seeds)} studies in Spanish and English, workflow “Revisión”; {count} documents indexed."
        )
