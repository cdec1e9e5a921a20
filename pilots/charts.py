"""Plotly figures for indicators: actual over time against the targets.

Figures are built on the server and rendered by plotly.js served from static/;
each chart on a page sits next to a table with the same numbers.

They are plain Plotly JSON with the look of Plotly's "plotly_white" template
resolved once (`LOOK`; see `portal.charts` for why not `go.Figure`).
"""

import textwrap

from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.charts import figure_json as portal_figure_json
from portal.charts import look
from portal.numbers import format_number

from .models import Unit
from .selectors import Progress

# The parts of Plotly's "plotly_white" template these charts rely on.
LOOK = look(grid_colour="#EBF0F8", font={"color": "#2a3f5f"})


def figure_json(data: list[dict], layout: dict) -> str:
    return portal_figure_json(data, layout, template=LOOK)


def _line(*, x: float, y: float, axis: str, colour: str) -> dict:
    """A dashed reference line across the plot (what `add_hline`/`add_vline` draw)."""
    style = {"dash": "dash", "color": colour}
    if axis == "y":
        return {"type": "line", "xref": "x domain", "x0": 0, "x1": 1, "yref": "y", "y0": y, "y1": y, "line": style}
    return {"type": "line", "yref": "y domain", "y0": 0, "y1": 1, "xref": "x", "x0": x, "x1": x, "line": style}


def _trace(points, name: str, *, mode: str, line: dict) -> dict:
    """A line through (date, value) points."""
    return {
        "type": "scatter",
        "x": [d.isoformat() for d, _v in points],
        "y": [float(v) for _d, v in points],
        "mode": mode,
        "name": name,
        "line": {"color": "#0b5f73", **line},
    }


def indicator_figure(progress: Progress) -> str:
    """Actual over time, every stage's target, and (dotted) where the current pace leads."""
    indicator, course = progress.indicator, progress.projection
    data, shapes = [], []
    if progress.series:
        data.append(_trace(progress.series, _("Actual"), mode="lines+markers", line={"width": 3}))
    if course is not None and len(course.line) > 1:
        name = _("At the pace of %(period)s") % {"period": course.pace_period} if course.past else _("At this pace")
        data.append(_trace(course.line, name, mode="lines", line={"width": 2, "dash": "dot"}))
    for target in sorted(indicator.targets.all(), key=lambda t: t.due_date):
        current = progress.target is not None and target.pk == progress.target.pk
        data.append(
            {
                "type": "scatter",
                "x": [target.due_date.isoformat()],
                "y": [float(target.value)],
                "mode": "markers+text",
                "name": _("Target (%(stage)s)") % {"stage": target.get_stage_display()},
                "text": [_("Target")],
                "textposition": "top center",
                "cliponaxis": False,
                "marker": {
                    "symbol": "star" if current else "diamond",
                    "size": 14 if current else 10,
                    "color": "#a86200" if current else "#5b6877",
                },
            }
        )
        if current:
            shapes.append(_line(x=0, y=float(target.value), axis="y", colour="#a86200"))
    layout = {
        "title": {"text": str(indicator.display_name), "font": {"size": 15}},
        "margin": {"l": 50, "r": 20, "t": 50, "b": 40},
        "height": 320,
        "legend": {"orientation": "h", "y": -0.2},
        "yaxis": {
            "title": {"text": str(indicator.get_unit_display())},
            "rangemode": "tozero",
            # Whole numbers with the page's thousands separator (58 500 / 58,500), not "58.5k".
            **({"tickformat": ",d"} if indicator.unit in (Unit.COUNT, Unit.MONEY) else {}),
        },
        "xaxis": {"type": "date"},
    }
    if shapes:
        layout["shapes"] = shapes
    return figure_json(data, layout)


def participants_figure(points: list[tuple]) -> str:
    """Participating institutions over time: a step up on each date one joined."""
    steps = _trace(points, _("Participating institutions"), mode="lines+markers", line={"width": 3, "shape": "hv"})
    layout = {
        "title": {"text": _("Participating institutions over time"), "font": {"size": 15}},
        "margin": {"l": 40, "r": 20, "t": 50, "b": 40},
        "height": 260,
        "showlegend": False,
        "yaxis": {"rangemode": "tozero", "dtick": max(1, points[-1][1] // 5) if points else 1},
        "xaxis": {"type": "date"},
    }
    return figure_json([steps], layout)


def tick_label(text: str, *, width: int, lines: int = 1) -> str:
    """`text` as an axis label that fits a phone: wrapped at spaces into at most `lines` lines of
    about `width` characters, the rest cut with "…" (the full text is in the hover and the table).
    Escaped: Plotly reads tags in labels."""
    wrapped = textwrap.wrap(text, width) or [""]
    if len(wrapped) > lines:
        wrapped = [*wrapped[: lines - 1], Truncator(" ".join(wrapped[lines - 1 :])).chars(width)]
    return "<br>".join(escape(line) for line in wrapped)


def stage_figure(by_stage: list[dict]) -> str:
    """How many innovations are in each stage of the cycle: horizontal bars, so that the
    stages' names are read across, not slanted and cut, on a phone too."""
    counts = [row["count"] for row in by_stage]
    bar = {
        "type": "bar",
        "orientation": "h",
        "y": [tick_label(f"{n}. {row['label']}", width=18, lines=2) for n, row in enumerate(by_stage, start=1)],
        "x": counts,
        "marker": {"color": "#0b5f73"},
        "text": counts,
        "textposition": "outside",
        "cliponaxis": False,
        "hovertext": [escape(f"{row['label']}: {row['count']}") for row in by_stage],
        "hoverinfo": "text",
    }
    layout = {
        "title": {"text": _("Innovations by stage"), "font": {"size": 15}},
        "height": 320,
        "margin": {"l": 10, "r": 30, "t": 50, "b": 30},
        "xaxis": {"dtick": 1, "rangemode": "tozero"},
        "yaxis": {"autorange": "reversed"},
    }
    return figure_json([bar], layout)


STATUS_COLOURS = {
    "achieved": "#1d7a3a",
    "on_track": "#35608f",
    "at_risk": "#a86200",
    "missed": "#6b1a14",
    "off_track": "#b3261e",
    "no_recent_data": "#5b6877",
    "no_data": "#9aa5b1",
}


def progress_figure(targets: list[dict]) -> str:
    """Every indicator with a target: progress as a percentage of its current target.

    Each bar is labelled with its innovation, its indicator and its status in words (colour
    alone fails readers who cannot tell colours apart), in short lines that fit a phone; the
    full names are in the hover and in the table below. The labels are given by position, so
    that two labels cut to the same text stay two bars."""
    rows = [row for row in targets if row["progress"].percent is not None]
    labels = [
        "<br>".join(
            [
                tick_label(row["innovation"].display_title, width=26),
                tick_label(row["progress"].indicator.display_name, width=26),
                f"<b>{escape(row['progress'].status_label)}</b>",
            ]
        )
        for row in rows
    ]
    percents = [format_number(row["progress"].percent, places=0) + " %" for row in rows]
    shown = [float(min(row["progress"].percent, 150)) for row in rows]
    bar = {
        "type": "bar",
        "y": list(range(len(rows))),
        "x": shown,
        "orientation": "h",
        "marker": {"color": [STATUS_COLOURS.get(row["progress"].status, "#9aa5b1") for row in rows]},
        "text": percents,
        # Outside a short bar, inside a long one: the percentage stays within the chart.
        "textposition": ["inside" if value >= 110 else "outside" for value in shown],
        "cliponaxis": False,
        "hovertext": [
            escape(
                f"{row['innovation'].display_title} — {row['progress'].indicator.display_name}: "
                f"{percent} · {row['progress'].status_label}"
            )
            for row, percent in zip(rows, percents, strict=True)
        ],
        "hoverinfo": "text",
    }
    layout = {
        "title": {"text": _("Progress against the current target (%)"), "font": {"size": 15}},
        "height": max(260, 60 * len(rows) + 100),
        "margin": {"l": 10, "r": 20, "t": 50, "b": 40},
        "font": {"size": 11},
        "yaxis": {
            "automargin": True,
            "autorange": "reversed",
            "tickmode": "array",
            "tickvals": list(range(len(rows))),
            "ticktext": labels,
        },
        "xaxis": {"range": [0, 150], "ticksuffix": " %", "dtick": 50},
        "shapes": [_line(x=100, y=0, axis="x", colour="#1d2733")],
    }
    return figure_json([bar], layout)
