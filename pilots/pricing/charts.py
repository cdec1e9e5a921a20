"""Where the client's money goes: principal, interest, tax, fees and insurance, flat against
declining balance (one stacked bar each)."""

from django.utils.translation import gettext as _

from portal.charts import figure_json, look

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
        "tax": _("Tax on interest"),
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
