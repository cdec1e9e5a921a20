"""Plotly figures of the survey results, built on the server from selector data.

Every figure here is shown next to a table with the same numbers (the templates
render both from the same selector output); plotly.js draws them from static/.
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

BRAND = "#0b5f73"
ACCENT = "#a86200"


def _layout(fig: go.Figure, **kwargs) -> str:
    kwargs.setdefault("margin", {"l": 10, "r": 10, "t": 30, "b": 10})
    fig.update_layout(font={"family": "system-ui, sans-serif"}, plot_bgcolor="white", **kwargs)
    return fig.to_json()


def ranking_figure(result: dict) -> str:
    labels = {option.code: option.label for option in result["question"].options.all()}
    rows = list(reversed(result["ranking"]))
    fig = go.Figure(
        go.Bar(
            x=[row["average"] for row in rows],
            y=[labels.get(row["code"], row["code"]) for row in rows],
            orientation="h",
            marker_color=BRAND,
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    return _layout(fig, xaxis_title=_("Average Borda points per respondent"), yaxis={"automargin": True})


def shares_figure(result: dict) -> str:
    labels = {option.code: option.label for option in result["question"].options.all()}
    rows = list(reversed(result["shares"]))
    fig = go.Figure(
        go.Bar(
            x=[row["share"] for row in rows],
            y=[labels.get(row["code"], row["code"]) for row in rows],
            orientation="h",
            marker_color=BRAND,
            hovertemplate="%{y}: %{x} %<extra></extra>",
        )
    )
    return _layout(fig, xaxis_title=_("% of respondents"), xaxis_range=[0, 100], yaxis={"automargin": True})


def numbers_figure(result: dict) -> str:
    numbers = result["numbers"]
    question = result["question"]
    fig = go.Figure(
        go.Box(
            name=question.unit or question.code,
            q1=[numbers["q1"]],
            median=[numbers["median"]],
            q3=[numbers["q3"]],
            lowerfence=[numbers["min"]],
            upperfence=[numbers["max"]],
            mean=[numbers["mean"]],
            marker_color=BRAND,
            orientation="h",
        )
    )
    return _layout(fig, height=220, xaxis_title=question.unit or "")


def trend_figure(trend: dict) -> str:
    codes = [item["round"].code for item in trend["rounds"]]
    fig = go.Figure()
    for line in trend["lines"]:
        fig.add_trace(
            go.Scatter(
                x=codes,
                y=[point["rank"] if point else None for point in line["points"]],
                name=line["label"],
                mode="lines+markers",
            )
        )
    return _layout(
        fig,
        yaxis={"autorange": "reversed", "title": _("Demand rank (1 = most demanded)"), "dtick": 1},
        xaxis={"type": "category", "title": _("Round")},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    )


def gap_figure(gap: dict) -> str:
    names = [str(row["product_line"]) for row in gap["rows"]]
    fig = go.Figure(
        [
            go.Bar(name=_("Clients demand"), x=names, y=[row["demand"] for row in gap["rows"]], marker_color=ACCENT),
            go.Bar(name=_("Members offer"), x=names, y=[row["supply"] for row in gap["rows"]], marker_color=BRAND),
        ]
    )
    return _layout(
        fig,
        barmode="group",
        yaxis_title=_("% of respondents"),
        xaxis={"automargin": True, "tickangle": -30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
