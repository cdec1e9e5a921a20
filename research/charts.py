"""Plotly figures for research pages, drawn from the portal's own pilot data.

A research page's indicator chart is the chart of the innovation's own page
(`pilots.public.indicator_figure`) over the same figures (`public_indicators.chart_progress`):
the same actual (`pilots.selectors.actual`), the same targets, and only for public innovations.
It reads the tracker through `pilots.public` only and the research models not at all.
"""

from django.utils.translation import gettext as _

from pilots.public import indicator_figure

from .public_indicators import chart_progress


def indicator_chart(*, indicator_id) -> dict | None:
    """One indicator's actual over time against its targets, with the same numbers as rows;
    None when the indicator no longer exists or its innovation is not public."""
    progress = chart_progress(indicator_id)
    if progress is None:
        return None
    indicator = progress.indicator
    rows = [
        {"date": t.due_date, "kind": _("Target (%(stage)s)") % {"stage": t.get_stage_display()}, "value": t.value}
        for t in indicator.targets.all()
    ]
    rows += [{"date": day, "kind": _("Actual"), "value": value} for day, value in progress.series]
    rows.sort(key=lambda row: row["date"])
    return {
        "id": f"indicator-chart-{indicator.pk}",
        "innovation": indicator.innovation,
        "progress": progress,
        "figure": indicator_figure(progress),
        "rows": rows,
    }
