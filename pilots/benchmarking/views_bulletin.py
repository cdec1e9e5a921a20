"""The public peer bulletin: for a semester, each peer group's quartiles of every ratio.

Open to everyone, signed in or not. It is built from `peers.peer_rows` only, which holds no
institution: a group's name, how many institutions it counts and its quartiles. A group too
small to publish is not named either (it would tell that its one or two members reported):
the page says how many groups of a dimension are hidden, and why.
"""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..models import FinancialReport, ReportState
from .peers import DIMENSIONS, peer_rows
from .ratios import RATIOS
from .views_common import Semester, ratio_text


def _semesters() -> list[Semester]:
    """The semesters with approved reports, newest first."""
    starts = (
        FinancialReport.objects.filter(state=ReportState.APPROVED)
        .order_by("-period_start")
        .values_list("period_start", flat=True)
        .distinct()
    )
    return [Semester(start) for start in starts]


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


@require_GET
def bulletin(request):
    """The bulletin of one semester (`?semester=2011-1`; the latest by default)."""
    semesters = _semesters()
    wanted = request.GET.get("semester")
    chosen = next((s for s in semesters if s.key == wanted), semesters[0] if semesters else None)
    tables = _tables(peer_rows(chosen.start)) if chosen else []
    illustrative = (
        chosen is not None
        and FinancialReport.objects.filter(
            state=ReportState.APPROVED, period_start=chosen.start, illustrative=True
        ).exists()
    )
    context = {
        "semesters": semesters,
        "chosen": chosen,
        "tables": tables,
        "ratios": RATIOS,
        "illustrative": illustrative,
        "title": _("Peer bulletin: member performance by peer group"),
    }
    return render(request, "pilots/benchmarking/bulletin.html", context)
