"""The tracker's tables as files (CSV, XLSX): the innovation page's indicators and series,
and the dashboard's targets and breakdowns.

Each function returns a `tablib.Dataset`; `portal.downloads.download` writes it in the
format asked for. Numbers and dates stay themselves: `portal.downloads` writes them for
the reader. The numbers come from the selectors, the same as the pages show.
"""

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.people import display_person

from .models import Innovation
from .selectors import innovation_progress, target_row

# The dashboard's breakdowns as downloads (`?table=<name>&format=csv|xlsx`): each one's
# title, its rows in `portfolio_summary`, and its columns (header, key).
SUMMARY_TABLES = {
    "stages": (
        gettext_lazy("Innovations by stage"),
        "by_stage",
        [(gettext_lazy("Stage"), "label"), (gettext_lazy("Innovations"), "count")],
    ),
    "health": (
        gettext_lazy("Health of the portfolio"),
        "health",
        [(gettext_lazy("Status"), "label"), (gettext_lazy("Innovations"), "count")],
    ),
    "reach": (
        gettext_lazy("Reach against targets"),
        "reach",
        [
            (gettext_lazy("What is counted"), "label"),
            (gettext_lazy("Actual"), "actual"),
            (gettext_lazy("Target"), "target"),
            (gettext_lazy("Progress (%)"), "percent"),
            (gettext_lazy("Indicators"), "indicators"),
            (gettext_lazy("Indicators with data"), "reporting"),
            (gettext_lazy("Innovations"), "innovations"),
        ],
    ),
    "countries": (
        gettext_lazy("Innovations by country"),
        "by_country",
        [(gettext_lazy("Country"), "label"), (gettext_lazy("Code"), "code"), (gettext_lazy("Innovations"), "count")],
    ),
    "product-lines": (
        gettext_lazy("Innovations by product line"),
        "by_product_line",
        [(gettext_lazy("Product line"), "label"), (gettext_lazy("Innovations"), "count")],
    ),
    "funding": (
        gettext_lazy("Disclosed funding"),
        "funding",
        [
            (gettext_lazy("Funder"), "funder"),
            (gettext_lazy("Currency"), "currency"),
            (gettext_lazy("Amount"), "amount"),
        ],
    ),
    "funding-by-stage": (
        gettext_lazy("Disclosed funding by stage"),
        "funding_by_stage",
        [
            (gettext_lazy("Stage"), "label"),
            (gettext_lazy("Funder"), "funder"),
            (gettext_lazy("Currency"), "currency"),
            (gettext_lazy("Amount"), "amount"),
            (gettext_lazy("Share (%)"), "share"),
        ],
    ),
}


def progress_headers() -> list[str]:
    return [
        _("Target"),
        _("Due date"),
        _("Actual"),
        _("Actual date"),
        _("Progress (%)"),
        _("Status"),
        _("At this pace, by the due date"),
        _("At this pace, target reached on"),
        _("Report overdue since"),
        _("MFIs with reports overdue"),
    ]


def progress_cells(p) -> list:
    """The progress columns shared by both downloads: target, due date, actual, its "as of"
    date, %, status, the projection (the value on the due date, the day the target is met) and
    what is overdue (since when, from which MFIs)."""
    course, overdue = p.projection, p.overdue
    return [
        p.target.value if p.target else None,
        p.target.due_date if p.target else None,
        p.actual,
        p.actual_date,
        p.percent,
        p.status_label,
        course.at_due if course else None,
        course.reached_on if course else None,
        overdue.since if overdue else None,
        ", ".join(overdue.institutions) if overdue else "",
    ]


def indicators_table(innovation: Innovation) -> tablib.Dataset:
    """The numbers of the innovation page's charts, one row per indicator."""
    data = tablib.Dataset(headers=[_("Indicator"), _("Unit"), _("Target stage"), *progress_headers()])
    for p in innovation_progress(innovation):
        data.append(
            [
                p.indicator.display_name,
                p.indicator.get_unit_display(),
                p.target.get_stage_display() if p.target else "",
                *progress_cells(p),
            ]
        )
    return data


def series_table(innovation: Innovation, *, staff: bool) -> tablib.Dataset:
    """Every measurement (date, value, source, participant MFI; for staff, who logged it) and
    every target of every indicator, one row each."""
    headers = [_("Indicator"), _("Row"), _("Date"), _("Value"), _("Unit"), _("Stage"), _("Source"), _("Institution")]
    data = tablib.Dataset(headers=[*headers, _("Logged by")] if staff else headers)
    for indicator in innovation.indicators.all():
        unit = indicator.get_unit_display()
        for target in sorted(indicator.targets.all(), key=lambda t: t.due_date):
            row = [indicator.display_name, _("Target"), target.due_date, target.value, unit]
            data.append([*row, target.get_stage_display(), "", ""] + ([""] if staff else []))
        for m in indicator.measurements.all():
            row = [indicator.display_name, _("Actual"), m.measured_on, m.value, unit]
            row += ["", m.source, _institution(m)]
            data.append(row + ([display_person(m.logged_by)] if staff else []))
    data.title = innovation.slug[:31]  # the sheet's name
    return data


def _institution(measurement) -> str:
    return measurement.participation.institution.name if measurement.participation_id else _("Network-wide")


def summary_table(summary: dict, table: str) -> tablib.Dataset:
    """One of the dashboard's breakdowns (`SUMMARY_TABLES`), from its `portfolio_summary`."""
    title, key, columns = SUMMARY_TABLES[table]
    data = tablib.Dataset(headers=[str(header) for header, _key in columns], title=str(title)[:31])
    for row in summary[key]:
        data.append([row[name] for _header, name in columns])
    return data


def targets_table(targets) -> tablib.Dataset:
    """The dashboard's targets (`portfolio_targets`), every one, streamed from the database."""
    data = tablib.Dataset(headers=[_("Innovation"), _("Stage"), _("Indicator"), *progress_headers()])
    for stored in targets.iterator(chunk_size=500):
        row = target_row(stored)
        p = row["progress"]
        data.append(
            [row["innovation"].display_title, row["innovation"].get_stage_display(), p.indicator.display_name]
            + progress_cells(p)
        )
    return data
