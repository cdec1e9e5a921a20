"""An innovation as an IATI 2.03 activity, and a set of them as an `iati-activities` file.

What each element is made from (docs/iati.md has the table):

- `iati-identifier`: the association's organisation identifier (its settings), a hyphen, the slug;
- `title`, `description`: the title and summary, Spanish and, when written, English;
- `participating-org`: each funder of a contribution (funding), the association and each
  participating MFI (implementing);
- `activity-status`: from the stage and status (`codes.activity_status`);
- `activity-date`: the start (actual once past), the planned end (the latest target or
  milestone), the actual end of a completed or discontinued innovation (its last decision or
  milestone done);
- `recipient-country`, `sector` (the product line's DAC code);
- `transaction`: each contribution whose amount is public, as an incoming commitment dated
  when its stage began;
- `document-link`: the innovation's page, its semester reports, the studies about it;
- `result`: its indicators (`results.py`).

Elements are written in the order the schema's sequence requires; `validation.py` checks the
file against the schema and the ruleset's main conditions.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from lxml import etree

from portal.links import absolute_url

from ..cycle import Stage, stage_number
from ..models import Contribution, Indicator, Innovation, InnovationStatus, Participation
from ..related import related_research_of
from ..selectors.measurements import measurement_rows
from . import codes
from .results import as_written, indicator_result

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("es", "en")
REPORT_TITLE = _("Semester report, %(period)s")
FIRST_HALF, SECOND_HALF = _("January–June %(year)s"), _("July–December %(year)s")
RESULTS_TITLE = _("Results of the innovation")
BASELINE_COMMENT = _("The first figure recorded in the portal, not a value measured before the innovation began.")


@dataclass
class Publisher:
    """Who publishes the files: the association's settings; and today. Links are written on
    SITE_URL, as e-mails' and feeds' are (`portal.links`)."""

    ref: str
    type: str
    name: str
    today: datetime.date

    def identifier(self, innovation: Innovation) -> str:
        return f"{self.ref}-{innovation.slug}"


def with_activity_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """What an activity reads, in a fixed number of queries however many innovations."""
    return queryset.select_related("product_line", "reporting_plan").prefetch_related(
        "stage_changes",
        "milestones",
        "period_reports",
        Prefetch("contributions", queryset=Contribution.objects.select_related("funder")),
        Prefetch("participations", queryset=Participation.objects.select_related("institution")),
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")),
    )


# Characters XML 1.0 does not allow (control characters pasted from a word processor): left out,
# so that one title cannot make every file unwritable.
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _narratives(parent, tag: str, spanish: str, english: str = ""):
    """`tag` with a Spanish narrative and, when there is one, an English narrative."""
    element = etree.SubElement(parent, tag)
    for language, text in zip(LANGUAGES, (spanish, english), strict=True):
        text = NOT_IN_XML.sub("", text or "").strip()
        if text:
            narrative = etree.SubElement(element, "narrative")
            narrative.set(XML_LANG, language)
            narrative.text = text
    return element


def _both(text) -> tuple[str, str]:
    """A translatable text in Spanish and in English."""
    return tuple(str(_in(language, text)) for language in LANGUAGES)


def _in(language: str, text):
    with translation.override(language):
        return str(text)


def stage_began(innovation: Innovation, stage: str) -> datetime.date | None:
    """When the innovation entered `stage`: its stage decision (prefetched); the day it began for
    Identify, or for a stage reached without a recorded decision (imported data). None for a stage
    it has not reached."""
    entered = [change.decided_on for change in innovation.stage_changes.all() if change.to_stage == stage]
    if entered:
        return min(entered)
    if stage_number(stage) <= stage_number(innovation.stage):
        return innovation.started_on
    return None


def activity_dates(innovation: Innovation, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """(date type, date) pairs: the start (actual once it is past, planned before), the planned
    end, and the actual end of a completed or discontinued innovation."""
    start = innovation.started_on
    dates = [(codes.ACTUAL_START if start <= today else codes.PLANNED_START, start)]
    planned = [m.planned_date for m in innovation.milestones.all()]
    planned += [t.due_date for i in innovation.indicators.all() for t in i.targets.all()]
    if planned and max(planned) > start:
        dates.append((codes.PLANNED_END, max(planned)))
    if innovation.status in (InnovationStatus.COMPLETED, InnovationStatus.DISCONTINUED):
        done = [m.actual_date for m in innovation.milestones.all() if m.actual_date]
        done += [change.decided_on for change in innovation.stage_changes.all()]
        done = [day for day in done if start <= day <= today]
        if done:
            dates.append((codes.ACTUAL_END, max(done)))
    return dates


def country_shares(countries: list[str]) -> list[tuple[str, str | None]]:
    """Each country with its percentage: none for a single country; an even split, adding up to
    exactly 100, when there are several (the tracker does not record how work is divided)."""
    if len(countries) < 2:
        return [(code, None) for code in countries]
    hundredths, rest = divmod(10000, len(countries))
    shares = [hundredths + (1 if n < rest else 0) for n in range(len(countries))]
    return [(code, f"{share // 100}.{share % 100:02d}") for code, share in zip(countries, shares, strict=True)]


def _participating_orgs(activity, innovation: Innovation, publisher: Publisher) -> None:
    funders = {c.funder_id: c.funder for c in innovation.contributions.all()}
    for funder in sorted(funders.values(), key=lambda f: f.name):
        org = _narratives(activity, "participating-org", funder.name, funder.name_en)
        org.set("role", codes.FUNDING)
        if funder.iati_ref:
            org.set("ref", funder.iati_ref)
        if funder.iati_type:
            org.set("type", funder.iati_type)
    association = _narratives(activity, "participating-org", publisher.name)
    association.set("ref", publisher.ref)
    association.set("role", codes.IMPLEMENTING)
    association.set("type", publisher.type)
    for participation in innovation.participations.all():
        institution = participation.institution
        org = _narratives(activity, "participating-org", institution.name)
        org.set("role", codes.IMPLEMENTING)
        org.set("type", codes.institution_type(institution.institution_type))


def _transactions(activity, innovation: Innovation, publisher: Publisher) -> None:
    for contribution in innovation.contributions.all():
        if contribution.amount is None:  # not public
            continue
        day = stage_began(innovation, contribution.stage)
        if day is None or day > publisher.today:  # a stage not reached: no date to give it yet
            continue
        transaction = etree.SubElement(activity, "transaction")
        etree.SubElement(transaction, "transaction-type").set("code", codes.INCOMING_COMMITMENT)
        etree.SubElement(transaction, "transaction-date").set("iso-date", day.isoformat())
        value = etree.SubElement(
            transaction, "value", currency=contribution.currency, **{"value-date": day.isoformat()}
        )
        value.text = format(contribution.amount, "f")
        stage = _both(Stage(contribution.stage).label)
        texts = (contribution.description or stage[0], contribution.description_en or stage[1])
        _narratives(transaction, "description", *texts)
        provider = _narratives(transaction, "provider-org", contribution.funder.name, contribution.funder.name_en)
        if contribution.funder.iati_ref:
            provider.set("ref", contribution.funder.iati_ref)
        if contribution.funder.iati_type:
            provider.set("type", contribution.funder.iati_type)


def _document(activity, url: str, *, titles: tuple[str, str], fmt: str, category: str, languages, date=None):
    link = etree.SubElement(activity, "document-link", url=url, format=fmt)
    _narratives(link, "title", *titles)
    etree.SubElement(link, "category", code=category)
    for language in languages:
        etree.SubElement(link, "language", code=language)
    if date is not None:
        etree.SubElement(link, "document-date", **{"iso-date": date.isoformat()})


def _in_each_language(name: str, **kwargs) -> dict[str, str]:
    """The address of a page in each language: Spanish unprefixed, English under /en/."""
    found = {}
    for language in LANGUAGES:
        with translation.override(language):
            found[language] = reverse(name, kwargs=kwargs)
    return found


def _documents(activity, innovation: Innovation, publisher: Publisher, research: list) -> None:
    """The innovation's page and its semester reports (PDF) in each language, then the studies."""
    pages = _in_each_language("pilots:detail", slug=innovation.slug)
    for language, path in pages.items():
        english = language == "en" and innovation.title_en
        _document(
            activity,
            absolute_url(path),
            titles=("", innovation.title_en) if english else (innovation.title, ""),
            fmt="text/html",
            category=codes.WEB_PAGE,
            languages=(language,) if language == "es" or innovation.summary_en else ("en", "es"),
        )
    for report in innovation.period_reports.all():
        half = FIRST_HALF if report.semester == 1 else SECOND_HALF
        files = _in_each_language(
            "pilots:period_report_pdf", slug=innovation.slug, year=report.year, semester=report.semester
        )
        for language, path in files.items():
            title = _in(language, REPORT_TITLE) % {"period": _in(language, half) % {"year": report.year}}
            _document(
                activity,
                absolute_url(path),
                titles=(title, "") if language == "es" else ("", title),
                fmt="application/pdf",
                category=codes.REVIEW,
                languages=(language,) if language == "es" or report.progress_en else ("en", "es"),
                date=min(report.ends_on, report.updated_at.date()) if report.updated_at else report.ends_on,
            )
    for language, item in research:
        _document(
            activity,
            absolute_url(item["url"]),
            titles=(item["title"], "") if language == "es" else ("", item["title"]),
            fmt="text/html",
            category=codes.APPRAISAL,
            languages=(language,),
            date=item.get("date"),
        )


def _results(activity, innovation: Innovation, rows: dict) -> None:
    indicators = list(innovation.indicators.all())
    if not indicators:
        return
    result = etree.SubElement(activity, "result", type=codes.OUTCOME)
    title = _both(RESULTS_TITLE)
    _narratives(result, "title", *title)
    for indicator in indicators:
        found = indicator_result(innovation, indicator, rows.get(indicator.pk, []))
        element = etree.SubElement(result, "indicator", measure=codes.measure(indicator.unit))
        element.set("ascending", "1" if indicator.direction == "higher" else "0")
        _narratives(element, "title", indicator.name, indicator.name_en)
        if found.baseline is not None:
            day, value = found.baseline
            baseline = etree.SubElement(
                element,
                "baseline",
                year=str(day.year),
                **{"iso-date": day.isoformat()},
                value=as_written(value, indicator.unit),
            )
            _narratives(baseline, "comment", *_both(BASELINE_COMMENT))
        for period in found.periods:
            row = etree.SubElement(element, "period")
            etree.SubElement(row, "period-start", **{"iso-date": period.start.isoformat()})
            etree.SubElement(row, "period-end", **{"iso-date": period.end.isoformat()})
            if period.target is not None:
                etree.SubElement(row, "target", value=as_written(period.target, indicator.unit))
            etree.SubElement(row, "actual", value=as_written(period.actual, indicator.unit))


def activity_element(innovation: Innovation, publisher: Publisher, rows: dict, research: list, written: str):
    """The `iati-activity` of one innovation (loaded by `with_activity_data`), its indicators'
    measurements in `rows` (`measurement_rows`), the studies about it in `research` (`studies`).

    Its `last-updated-datetime` is when it was `written`: a file is written again only after a
    write to something it shows (it is cached until then, `views`), so the date moves whenever
    the activity may have changed — a target, a figure approved or deleted, a funder's identifier
    — and never goes back, as IATI readers that re-read changed activities expect."""
    activity = etree.Element("iati-activity")
    activity.set(XML_LANG, "es")
    activity.set("last-updated-datetime", written)
    etree.SubElement(activity, "iati-identifier").text = publisher.identifier(innovation)
    reporting = _narratives(activity, "reporting-org", publisher.name)
    reporting.set("ref", publisher.ref)
    reporting.set("type", publisher.type)
    _narratives(activity, "title", innovation.title, innovation.title_en)
    _narratives(activity, "description", innovation.summary, innovation.summary_en).set("type", "1")
    _participating_orgs(activity, innovation, publisher)
    etree.SubElement(activity, "activity-status", code=codes.activity_status(innovation.stage, innovation.status))
    for kind, day in activity_dates(innovation, publisher.today):
        etree.SubElement(activity, "activity-date", type=kind, **{"iso-date": day.isoformat()})
    for code, share in country_shares([country.code for country in innovation.countries]):
        country = etree.SubElement(activity, "recipient-country", code=code)
        if share is not None:
            country.set("percentage", share)
    sector = innovation.product_line.dac_sector
    if sector:
        etree.SubElement(activity, "sector", vocabulary=codes.SECTOR_VOCABULARY, code=sector)
    _transactions(activity, innovation, publisher)
    _documents(activity, innovation, publisher, research)
    _results(activity, innovation, rows)
    return activity


def studies(innovations: list[Innovation]) -> dict[int, list[tuple[str, dict]]]:
    """The published studies about each innovation, in each language, by innovation id."""
    found: dict[int, list[tuple[str, dict]]] = {innovation.pk: [] for innovation in innovations}
    for language in LANGUAGES:
        for pk, items in related_research_of(innovations=innovations, language_code=language).items():
            # A study without a translation is offered to English readers in Spanish: listed once.
            found[pk].extend((language, item) for item in items if item.get("language", language) == language)
    return found


CHUNK = 25  # innovations read and written at a time: memory does not grow with the portfolio


def activity_fragments(innovations: list[Innovation], publisher: Publisher) -> dict[int, bytes]:
    """Each innovation's `iati-activity` (loaded by `with_activity_data`) as bytes, by id: written
    `CHUNK` at a time, each chunk's figures and studies read in a fixed number of queries and its
    activities serialised before the next is read."""
    written = timezone.now().replace(microsecond=0).isoformat()
    fragments = {}
    for start in range(0, len(innovations), CHUNK):
        chunk = innovations[start : start + CHUNK]
        rows = measurement_rows([i.pk for innovation in chunk for i in innovation.indicators.all()])
        research = studies(chunk)
        for innovation in chunk:
            element = activity_element(innovation, publisher, rows, research[innovation.pk], written)
            fragments[innovation.pk] = etree.tostring(
                element, encoding="UTF-8", xml_declaration=False, pretty_print=True
            )
    return fragments


def activities_document(fragments: Iterable[bytes]) -> bytes:
    """The `iati-activities` file holding these activities (`activity_fragments`), in this order."""
    generated = timezone.now().replace(microsecond=0).isoformat()
    header = f'<iati-activities version="{codes.VERSION}" generated-datetime="{generated}">\n'
    return b"".join([b"<?xml version='1.0' encoding='UTF-8'?>\n", header.encode(), *fragments, b"</iati-activities>\n"])
