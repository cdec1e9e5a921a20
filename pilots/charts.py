"""Plotly figures for indicators: actual over time against the targets.

Figures are built on the server and rendered by plotly.js served from static/;
each chart on a page sits next to a table with the same numbers.
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from .selectors import Progress


def indicator_figure(progress: Progress) -> str:
    indicator = progress.indicator
    figure = go.Figure()
    if progress.series:
        figure.add_trace(
            go.Scatter(
                x=[d.isoformat() for d, _v in progress.series],
                y=[float(v) for _d, v in progress.series],
                mode="lines+markers",
                name=_("Actual"),
                line={"color": "#0b5f73", "width": 3},
            )
        )
    for target in sorted(indicator.targets.all(), key=lambda t: t.due_date):
        current = progress.target is not None and target.pk == progress.target.pk
        figure.add_trace(
            go.Scatter(
                x=[target.due_date.isoformat()],
                y=[float(target.value)],
                mode="markers+text",
                name=_("Target (%(stage)s)") % {"stage": target.get_stage_display()},
                text=[_("Target")],
                textposition="top center",
                marker={
                    "symbol": "star" if current else "diamond",
                    "size": 14 if current else 10,
                    "color": "#a86200" if current else "#5b6877",
                },
            )
        )
        if current:
            figure.add_hline(y=float(target.value), line_dash="dash", line_color="#a86200")
    figure.update_layout(
        title={"text": indicator.display_name, "font": {"size": 15}},
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        height=320,
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": {"text": indicator.get_unit_display()}, "rangemode": "tozero"},
        xaxis={"type": "date"},
        template="plotly_white",
    )
    return figure.to_json()


def stage_figure(by_stage: list[dict]) -> str:
    """How many innovations are in each stage of the cycle."""
    figure = go.Figure(
        go.Bar(
            x=[str(row["stage"].label) for row in by_stage],
            y=[row["count"] for row in by_stage],
            marker_color="#0b5f73",
            text=[row["count"] for row in by_stage],
            textposition="auto",
        )
    )
    figure.update_layout(
        title={"text": _("Innovations by stage"), "font": {"size": 15}},
        height=300,
        margin={"l": 40, "r": 20, "t": 50, "b": 60},
        yaxis={"dtick": 1, "rangemode": "tozero"},
        template="plotly_white",
    )
    return figure.to_json()


STATUS_COLOURS = {
    "achieved": "#1d7a3a",
    "on_track": "#35608f",
    "at_risk": "#a86200",
    "off_track": "#b3261e",
    "no_data": "#9aa5b1",
}


def progress_figure(targets: list[dict]) -> str:
    """Every indicator with a target: progress as a percentage of its current target."""
    rows = [row for row in targets if row["progress"].percent is not None]
    labels = [f"{row['innovation'].display_title[:40]} — {row['progress'].indicator.display_name[:40]}" for row in rows]
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=[float(min(row["progress"].percent, 150)) for row in rows],
            orientation="h",
            marker_color=[STATUS_COLOURS.get(row["progress"].status, "#9aa5b1") for row in rows],
            text=[f"{row['progress'].percent:.0f} %" for row in rows],
            textposition="auto",
        )
    )
    figure.add_vline(x=100, line_dash="dash", line_color="#1d2733")
    figure.update_layout(
        title={"text": _("Progress against the current target (%)"), "font": {"size": 15}},
        height=max(260, 40 * len(rows) + 100),
        margin={"l": 20, "r": 20, "t": 50, "b": 40},
        yaxis={"automargin": True, "autorange": "reversed"},
        xaxis={"range": [0, 150], "ticksuffix": " %"},
        template="plotly_white",
    )
    return figure.to_json()
