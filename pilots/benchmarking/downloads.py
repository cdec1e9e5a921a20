"""The public peer bulletin as a file (CSV, XLSX), and the semesters it is published for.

The file holds what the bulletin page shows and nothing more: built from `peers.peer_rows`
only, it names no institution and gives no institution's own figure. It is a long table, one
row per peer group and ratio, so that a spreadsheet can filter and pivot it whatever the
number of ratios:

    Semester | Dimension | Peer group | Institutions | Ratio | Unit |
    Institutions with this ratio | First quartile | Median | Third quartile | Note

A group too small to publish (or hidden so that a small one cannot be worked out by
subtraction) is not in the file at all, as it is not named on the page. In a published
group, a ratio that fewer than 3 of its institutions have keeps its row, with its numbers
empty and the note saying why. The numbers stay numbers (percentages in percent: 5.5 means
5.5 %); `portal.downloads` writes them the reader's way (Spanish: "5,5", ";"-separated).
"""

from __future__ import annotations

import datetime

import tablib
from django.utils.translation import gettext as _

from ..models import FinancialReport, ReportState
from .peers import peer_rows
from .ratios import RATIOS
from .views_common import Semester


def published_semesters() -> list[tuple[Semester, bool]]:
    """The semesters with approved reports, newest first, each with whether any of its
    approved reports is illustrative (made up for the demo). One query."""
    pairs = (
        FinancialReport.objects.filter(state=ReportState.APPROVED)
        .order_by("-period_start")
        .values_list("period_start", "illustrative")
        .distinct()
    )
    illustrative: dict[datetime.date, bool] = {}
    for start, made_up in pairs:
        illustrative[start] = illustrative.get(start, False) or made_up
    return [(Semester(start), made_up) for start, made_up in illustrative.items()]


def unit_name(unit: str) -> str:
    """A ratio's unit in a table's column: percent, US dollars or number."""
    return {"percent": _("percent"), "money": _("US dollars"), "count": _("number")}.get(unit, unit)


def bulletin_headers() -> list[str]:
    return [
        _("Semester"),
        _("Dimension"),
        _("Peer group"),
        _("Institutions"),
        _("Ratio"),
        _("Unit"),
        _("Institutions with this ratio"),
        _("First quartile"),
        _("Median"),
        _("Third quartile"),
        _("Note"),
    ]


def bulletin_table(semester: Semester) -> tablib.Dataset:
    """The bulletin of `semester`, one row per published peer group and ratio (see the module)."""
    data = tablib.Dataset(headers=bulletin_headers(), title=_("Peer bulletin")[:31])
    not_published = _("Not published: fewer than 3 institutions of this group have this ratio.")
    for row in peer_rows(semester.start):
        if row.suppressed:
            continue
        for ratio in RATIOS:
            cell = row.cells[ratio.key]
            data.append(
                [
                    semester.label,
                    row.dimension_label,
                    row.group_label,
                    row.n,
                    str(ratio.label),
                    unit_name(ratio.unit),
                    cell.n,
                    cell.q1,
                    cell.median,
                    cell.q3,
                    not_published if cell.suppressed else "",
                ]
            )
    return data
