"""Whether an activity file is one IATI accepts: the official 2.03 activity schema (vendored in
`schema/`, see its README) and the main conditions of IATI's ruleset that a schema cannot say.

`problems(document)` returns every problem found, in words, empty when the file is valid; the
tests run it on every file the portal writes, and staff's publishing page shows it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMA = Path(__file__).with_name("schema") / "iati-activities-schema.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NUMERIC_MEASURES = {"1", "2", "3", "4"}  # unit, percentage, nominal, ordinal: values are numbers


@cache
def schema() -> etree.XMLSchema:
    """The 2.03 activity schema, read once (it imports its neighbours by relative path)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_problems(document: etree._ElementTree) -> list[str]:
    checker = schema()
    if checker.validate(document):
        return []
    return [f"line {error.line}: {error.message}" for error in checker.error_log]


def _date(element, attribute: str = "iso-date") -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(element.get(attribute, ""))
    except ValueError:
        return None


def _percentages_add_up(elements, what: str, identifier: str) -> list[str]:
    shares = [element.get("percentage") for element in elements]
    if len(elements) < 2:
        return []
    try:
        total = sum(Decimal(share) for share in shares)
    except (InvalidOperation, TypeError):
        return [f"{identifier}: every {what} needs a percentage when there are several"]
    return [] if total == 100 else [f"{identifier}: the {what} percentages add up to {total}, not 100"]


def _narratives_present(activity, identifier: str) -> list[str]:
    found = []
    for tag in ("title", "description", "reporting-org"):
        for element in activity.findall(tag):
            texts = [narrative.text or "" for narrative in element.findall("narrative")]
            if not any(text.strip() for text in texts):
                found.append(f"{identifier}: {tag} has no text")
    for element in activity.iter("narrative"):
        if element.get(XML_LANG) is None and activity.get(XML_LANG) is None:
            found.append(f"{identifier}: a narrative says no language")
    for org in activity.findall("participating-org"):
        if not org.get("ref") and not org.findall("narrative"):
            found.append(f"{identifier}: a participating organisation has neither identifier nor name")
    return found


def _dates_ordered(activity, identifier: str, today: datetime.date) -> list[str]:
    found = []
    dates = {element.get("type"): _date(element) for element in activity.findall("activity-date")}
    if not ({"1", "2"} & dates.keys()):
        found.append(f"{identifier}: no start date")
    for start, end in (("1", "3"), ("2", "4")):
        if dates.get(start) and dates.get(end) and dates[start] > dates[end]:
            found.append(f"{identifier}: activity-date {end} comes before activity-date {start}")
    for actual in ("2", "4"):
        if dates.get(actual) and dates[actual] > today:
            found.append(f"{identifier}: the actual activity-date {actual} is in the future")
    for transaction in activity.findall("transaction"):
        day = _date(transaction.find("transaction-date"))
        if day and day > today:
            found.append(f"{identifier}: a transaction is dated in the future")
    for period in activity.iter("period"):
        start, end = _date(period.find("period-start")), _date(period.find("period-end"))
        if start and end and start > end:
            found.append(f"{identifier}: a result period ends before it starts")
    return found


def _results_numeric(activity, identifier: str) -> list[str]:
    found = []
    for indicator in activity.iter("indicator"):
        if indicator.get("measure") not in NUMERIC_MEASURES:
            continue
        for element in (*indicator.iter("baseline"), *indicator.iter("target"), *indicator.iter("actual")):
            value = element.get("value")
            if value is None:
                continue
            try:
                Decimal(value)
            except InvalidOperation:
                found.append(f"{identifier}: {element.tag} value {value!r} is not a number")
    return found


def ruleset_problems(document: etree._ElementTree, *, today: datetime.date) -> list[str]:
    """The main conditions of IATI's ruleset for 2.03 activities."""
    found = []
    for activity in document.getroot().findall("iati-activity"):
        identifier = (activity.findtext("iati-identifier") or "").strip()
        reporting_ref = (
            activity.find("reporting-org").get("ref", "") if activity.find("reporting-org") is not None else ""
        )
        if not identifier.startswith(f"{reporting_ref}-"):
            found.append(f"{identifier}: the identifier does not start with the reporting organisation's")
        found += _narratives_present(activity, identifier)
        found += _dates_ordered(activity, identifier, today)
        found += _percentages_add_up(activity.findall("recipient-country"), "country", identifier)
        found += _percentages_add_up(activity.findall("sector"), "sector", identifier)
        found += _results_numeric(activity, identifier)
        if not activity.findall("recipient-country") and not activity.findall("recipient-region"):
            found.append(f"{identifier}: no recipient country or region")
        if not activity.findall("sector"):
            found.append(f"{identifier}: no sector")
    identifiers = [element.text for element in document.getroot().iter("iati-identifier")]
    found += [f"{name}: listed twice" for name in sorted({n for n in identifiers if identifiers.count(n) > 1})]
    return found


def problems(content: bytes, *, today: datetime.date) -> list[str]:
    """Every problem of an activity file: the schema's first, then the ruleset's."""
    document = etree.ElementTree(etree.fromstring(content))
    return schema_problems(document) + ruleset_problems(document, today=today)
