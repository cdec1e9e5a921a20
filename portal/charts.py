"""The look of the portal's Plotly charts, and their JSON, for every app that draws.

Charts are plain Plotly JSON (`{"data": [...], "layout": {...}}`) rather than
`go.Figure` objects: a `go.Figure` validates every property and deep-copies its
template for each figure, which cost ~100 ms per small chart. The parts of
Plotly's stock templates the charts rely on are resolved once, by `look`, and
handed to plotly.js as the layout's template.
"""

from plotly.io.json import to_json_plotly

COLORWAY = [
    "#636efa",
    "#EF553B",
    "#00cc96",
    "#ab63fa",
    "#FFA15A",
    "#19d3f3",
    "#FF6692",
    "#B6E880",
    "#FF97FF",
    "#FECB52",
]


def look(*, grid_colour: str, font: dict) -> dict:
    """A Plotly template: white backgrounds, grid lines of `grid_colour`, the stock colours."""
    axis = {
        "gridcolor": grid_colour,
        "linecolor": grid_colour,
        "zerolinecolor": grid_colour,
        "zerolinewidth": 2,
        "ticks": "",
        "automargin": True,
        "title": {"standoff": 15},
    }
    return {
        "layout": {
            "paper_bgcolor": "white",
            "plot_bgcolor": "white",
            "font": font,
            "colorway": COLORWAY,
            "hovermode": "closest",
            "hoverlabel": {"align": "left"},
            "title": {"x": 0.05},
            "xaxis": axis,
            "yaxis": axis,
        }
    }


def figure_json(data: list[dict], layout: dict, *, template: dict) -> str:
    """The figure as JSON that is safe inside a `<script>` element (Plotly escapes `<`, `>` and `/`)."""
    return to_json_plotly({"data": data, "layout": {"template": template, **layout}})
