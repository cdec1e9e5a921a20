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
        title={"text": indicator.name, "font": {"size": 15}},
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        height=320,
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": {"text": indicator.get_unit_display()}, "rangemode": "tozero"},
        xaxis={"type": "date"},
        template="plotly_white",
    )
    return figure.to_json()
