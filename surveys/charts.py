"""Plotly figures of the survey results, built on the server from selector data.

Every figure here is shown next to a table with the same numbers (the templates
render both from the same selector output); plotly.js draws them from static/.

They are plain Plotly JSON with the look Plotly's default template gave them (on
a white plot background) resolved once (`LOOK`; see `portal.charts`).
"""

from django.utils.translation import gettext as _

from portal.charts import figure_json, look

BRAND = "#0b5f73"
ACCENT = "#a86200"

LOOK = look(grid_colour="white", font={"color": "#2a3f5f", "family": "system-ui, sans-serif"})


def _title(text) -> dict:
    return {"title": {"text": str(text)}}


def _layout(data: list[dict], **layout) -> str:
    """The figure as JSON that is safe inside a `<script>` element (Plotly escapes `<`, `>` and `/`)."""
    layout.setdefault("margin", {"l": 10, "r": 10, "t": 30, "b": 10})
    return figure_json(data, layout, template=LOOK)


def _option_bars(result: dict, *, rows_key: str, value_key: str, hover: str) -> dict:
    """Horizontal bars, one per option of the question, the first row on top."""
    labels = {option.code: option.label for option in result["question"].options.all()}
    rows = list(reversed(result[rows_key]))
    return {
        "type": "bar",
        "x": [row[value_key] for row in rows],
        "y": [labels.get(row["code"], row["code"]) for row in rows],
        "orientation": "h",
        "marker": {"color": BRAND},
        "hovertemplate": hover,
    }


def ranking_figure(result: dict) -> str:
    bar = _option_bars(result, rows_key="ranking", value_key="average", hover="%{y}: %{x}<extra></extra>")
    return _layout([bar], xaxis=_title(_("Average Borda points per respondent")), yaxis={"automargin": True})


def shares_figure(result: dict) -> str:
    bar = _option_bars(result, rows_key="shares", value_key="share", hover="%{y}: %{x} %<extra></extra>")
    return _layout([bar], xaxis={**_title(_("% of respondents")), "range": [0, 100]}, yaxis={"automargin": True})


def numbers_figure(result: dict) -> str:
    numbers = result["numbers"]
    question = result["question"]
    box = {
        "type": "box",
        "name": question.unit or question.code,
        "q1": [numbers["q1"]],
        "median": [numbers["median"]],
        "q3": [numbers["q3"]],
        "lowerfence": [numbers["min"]],
        "upperfence": [numbers["max"]],
        "mean": [numbers["mean"]],
        "marker": {"color": BRAND},
        "orientation": "h",
    }
    return _layout([box], height=220, xaxis=_title(question.unit or ""))


def trend_figure(trend: dict) -> str:
    codes = [item["round"].code for item in trend["rounds"]]
    lines = [
        {
            "type": "scatter",
            "x": codes,
            "y": [point["rank"] if point else None for point in line["points"]],
            "name": line["label"],
            "mode": "lines+markers",
        }
        for line in trend["lines"]
    ]
    return _layout(
        lines,
        yaxis={"autorange": "reversed", **_title(_("Demand rank (1 = most demanded)")), "dtick": 1},
        xaxis={"type": "category", **_title(_("Round"))},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0},
    )


def gap_figure(gap: dict) -> str:
    names = [str(row["product_line"]) for row in gap["rows"]]
    bars = [
        {
            "type": "bar",
            "name": _("Clients demand"),
            "x": names,
            "y": [row["demand"] for row in gap["rows"]],
            "marker": {"color": ACCENT},
        },
        {
            "type": "bar",
            "name": _("Members offer"),
            "x": names,
            "y": [row["supply"] for row in gap["rows"]],
            "marker": {"color": BRAND},
        },
    ]
    return _layout(
        bars,
        barmode="group",
        yaxis=_title(_("% of respondents")),
        xaxis={"automargin": True, "tickangle": -30},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 10, "t": 40, "b": 10},
    )
