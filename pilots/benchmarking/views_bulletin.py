"""The public peer bulletin: for a semester, each peer group's quartiles of every ratio.

Open to everyone, signed in or not. It is built from `peers.peer_rows` only, which holds no
institution: a group's name, how many institutions it counts and its quartiles. A group too
small to publish is not named either (it would tell that its one or two members reported):
the page says how many groups of a dimension are hidden, and why. The same bulletin as a
file (`bulletin_download`, `downloads.bulletin_table`) and in the JSON API (`api`).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.downloads import download

from .downloads import bulletin_table, published_semesters
from .peers import DIMENSIONS, peer_rows, peer_trends
from .ratios import RATIOS
from .views_common import ratio_text


def _cell(cell, unit: str) -> dict:
    if cell.suppressed:
        return {"suppressed": True}
    return {
        "suppressed": False,
        "median": ratio_text(cell.median, unit),
        "q1": ratio_text(cell.q1, unit),
        "q3": ratio_text(cell.q3, unit),
    }


def _tables(rows) -> list[dict]:
    """`peer_rows` as one table per dimension: its shown groups and how many are hidden."""
    tables = {dimension.key: {"dimension": dimension, "rows": [], "hidden": 0} for dimension in DIMENSIONS}
    for row in rows:
        table = tables[row.dimension]
        if row.suppressed:
            table["hidden"] += 1
            continue
        table["rows"].append(
            {
                "label": row.group_label,
                "n": row.n,
                "cells": [_cell(row.cells[ratio.key], ratio.unit) for ratio in RATIOS],
            }
        )
    return list(tables.values())


def _trend(semesters) -> dict:
    """All reporting members over time: each ratio's quartiles in every published semester,
    oldest first (a semester whose cell is not shown: None)."""
    trends = peer_trends("all", "all")
    ordered = sorted(semesters, key=lambda semester: semester.start)
    rows = []
    for ratio in RATIOS:
        by_start = {point.period_start: point for point in trends[ratio.key]}
        cells = []
        for semester in ordered:
            point = by_start.get(semester.start)
            shown = point is not None and point.median is not None
            cells.append(
                {"suppressed": True}
                if not shown
                else {
                    "suppressed": False,
                    "median": ratio_text(point.median, ratio.unit),
                    "q1": ratio_text(point.q1, ratio.unit),
                    "q3": ratio_text(point.q3, ratio.unit),
                }
            )
        rows.append({"ratio": ratio, "cells": cells})
    return {"semesters": ordered, "rows": rows}


@require_GET
def bulletin(request):
    """The bulletin of one semester (`?semester=2011-1`; the latest by default)."""
    published = published_semesters()
    semesters = [semester for semester, _made_up in published]
    wanted = request.GET.get("semester")
    chosen, illustrative = next(
        ((s, made_up) for s, made_up in published if s.key == wanted), published[0] if published else (None, False)
    )
    tables = _tables(peer_rows(chosen.start)) if chosen else []
    context = {
        "trend": _trend(semesters) if chosen else None,
        "semesters": semesters,
        "chosen": chosen,
        "tables": tables,
        "ratios": RATIOS,
        "illustrative": illustrative,
        "title": _("Peer bulletin: member performance by peer group"),
    }
    return render(request, "pilots/benchmarking/bulletin.html", context)


@require_GET
def bulletin_download(request, year: str, half: str, fmt: str):
    """The bulletin of one semester as CSV or XLSX (`downloads.bulletin_table`), in the page's
    language; 404 for a semester without approved reports."""
    semester = next((s for s, _made_up in published_semesters() if s.key == f"{year}-{half}"), None)
    if semester is None:
        raise Http404(_("No bulletin for this semester: it has no approved reports."))
    return download(bulletin_table(semester), filename=f"peer-bulletin-{semester.key}", fmt=fmt)
