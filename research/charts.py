"""Plotly figures for research pages, drawn from the portal's own pilot data."""

import json

import plotly.graph_objects as go
from django.utils.translation import gettext as _


def indicator_chart(*, indicator_id) -> dict | None:
    """Targets against measured values of one indicator, with the same numbers as rows.

    Only network-wide measurements count (those not tied to one participant MFI).
    Returns None when the indicator no longer exists.
    """
    from pilots.models import Indicator

    try:
        indicator = Indicator.objects.select_related("innovation").get(pk=int(indicator_id))
    except (Indicator.DoesNotExist, TypeError, ValueError):
        return None
    targets = list(indicator.targets.order_by("due_date"))
    measurements = list(indicator.measurements.filter(participation__isnull=True).order_by("measured_on"))
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=[m.measured_on.isoformat() for m in measurements],
            y=[float(m.value) for m in measurements],
            mode="lines+markers",
            name=_("Actual"),
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[t.due_date.isoformat() for t in targets],
            y=[float(t.value) for t in targets],
            mode="markers",
            marker={"symbol": "diamond", "size": 12},
            name=_("Target"),
        )
    )
    figure.update_layout(
        title=f"{indicator.innovation.title}: {indicator.name}",
        margin={"l": 40, "r": 20, "t": 50, "b": 40},
        height=360,
    )
    rows = [{"date": t.due_date, "kind": _("Target"), "value": t.value} for t in targets]
    rows += [{"date": m.measured_on, "kind": _("Actual"), "value": m.value} for m in measurements]
    rows.sort(key=lambda row: row["date"])
    return {
        "id": f"indicator-chart-{indicator.pk}",
        "title": figure.layout.title.text,
        "figure": json.loads(figure.to_json()),
        "rows": rows,
    }
