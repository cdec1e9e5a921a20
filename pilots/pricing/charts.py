"""Where the client's money goes: principal, interest, tax, fees and insurance, flat against
declining balance (one stacked bar each); and what the APR is made of (a waterfall of
`pilots.pricing.breakdown`: each component's contribution, then the APR they add up to)."""

from django.utils.translation import gettext as _

from portal.charts import figure_json, look

from .breakdown import Breakdown

LOOK = look(grid_colour="#EBF0F8", font={"color": "#2a3f5f"})
PARTS = ("principal", "interest", "tax", "fees", "insurance", "savings_interest")
COLOURS = {
    "principal": "#0b5f73",
    "interest": "#b3261e",
    "tax": "#a86200",
    "fees": "#6b4c9a",
    "insurance": "#35608f",
    "savings_interest": "#1d7a3a",
}


def part_labels() -> dict[str, str]:
    return {
        "principal": _("Principal repaid"),
        "interest": _("Interest"),
        "tax": _("Taxes"),
        "fees": _("Fees"),
        "insurance": _("Insurance premiums"),
        "savings_interest": _("Interest earned on savings"),
    }


def method_labels() -> dict[str, str]:
    return {"flat": _("Flat rate"), "declining": _("Declining balance")}


def money_figure(costs: dict) -> str:
    labels, methods = part_labels(), method_labels()
    names = [methods[method] for method in costs]
    bars = []
    for part in PARTS:
        values = [float(cost.breakdown[part]) for cost in costs.values()]
        if not any(values):
            continue
        bars.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": labels[part],
                "y": names,
                "x": values,
                "marker": {"color": COLOURS[part]},
                "hovertemplate": "%{x:,.2f}<extra>" + labels[part] + "</extra>",
            }
        )
    layout = {
        "title": {"text": _("Where the client's money goes"), "font": {"size": 15}},
        "barmode": "relative",
        "height": 280,
        "margin": {"l": 130, "r": 20, "t": 50, "b": 80},
        "legend": {"orientation": "h", "y": -0.3},
        "xaxis": {"rangemode": "tozero"},
    }
    return figure_json(bars, layout, template=LOOK)


def breakdown_figure(breakdown: Breakdown) -> str | None:
    """A waterfall: interest, then what fees, insurance, tax and the savings' effect add (or
    take off), ending on the APR. The same numbers are in the table next to it."""
    if not breakdown.components:
        return None
    names = [component.label for component in breakdown.components] + [_("APR")]
    values = [float(component.contribution) for component in breakdown.components] + [float(breakdown.apr)]
    bars = [
        {
            "type": "waterfall",
            "orientation": "v",
            "x": names,
            "y": values,
            "measure": ["relative"] * len(breakdown.components) + ["total"],
            "texttemplate": "%{y:.2f}",
            "textposition": "outside",
            "cliponaxis": False,
            "increasing": {"marker": {"color": COLOURS["interest"]}},
            "decreasing": {"marker": {"color": COLOURS["savings_interest"]}},
            "totals": {"marker": {"color": COLOURS["principal"]}},
            "connector": {"line": {"color": "#8a94a6", "width": 1}},
            "hovertemplate": "%{x}: %{y:.2f}<extra></extra>",
            "showlegend": False,
        }
    ]
    layout = {
        "title": {"text": _("What the APR is made of"), "font": {"size": 15}},
        "height": 320,
        "margin": {"l": 60, "r": 20, "t": 50, "b": 80},
        "yaxis": {"title": {"text": _("Percentage points of APR")}, "rangemode": "tozero"},
    }
    return figure_json(bars, layout, template=LOOK)
