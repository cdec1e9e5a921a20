"""The dashboard's bar charts keep their labels short enough for a phone (the browser journey
`tests/browser/test_donor_landing.py` checks that they fit at 390 px)."""

import json
from decimal import Decimal
from types import SimpleNamespace

from pilots.charts import progress_figure, stage_figure, tick_label
from pilots.models import Status
from pilots.selectors import Progress


def test_a_tick_label_wraps_at_spaces_and_cuts_what_does_not_fit():
    assert tick_label("Identificación de oportunidades", width=18, lines=2) == "Identificación de<br>oportunidades"
    assert tick_label("Microseguro simplificado (RFR, Ecuador)", width=26) == "Microseguro simplificado …"
    assert tick_label("Clients <b>", width=26) == "Clients &lt;b&gt;"  # Plotly would read the tag


def test_stages_are_horizontal_bars_read_across():
    figure = json.loads(
        stage_figure(
            [
                {"stage": "identify", "label": "Identificación de oportunidades", "count": 0},
                {"stage": "pilot", "label": "Experimentación en la fase piloto", "count": 2},
            ]
        )
    )
    bar = figure["data"][0]
    assert bar["orientation"] == "h" and bar["x"] == [0, 2]
    assert bar["y"] == ["1. Identificación<br>de oportunidades", "2. Experimentación<br>en la fase piloto"]


def test_two_bars_whose_labels_are_cut_alike_stay_two_bars():
    innovation = SimpleNamespace(display_title="Microseguro simplificado para las IMF de la red")
    rows = []
    for name in ("Clientes asegurados en la provincia de Pichincha", "Clientes asegurados en la provincia de Guayas"):
        indicator = SimpleNamespace(display_name=name)
        progress = Progress(indicator, None, Decimal(50), None, Decimal("50.0"), Status.AT_RISK)
        rows.append({"innovation": innovation, "progress": progress})

    figure = json.loads(progress_figure(rows))

    labels = figure["layout"]["yaxis"]["ticktext"]
    assert labels[0] == labels[1] == "Microseguro simplificado …<br>Clientes asegurados en la…<br><b>At risk</b>"
    assert figure["data"][0]["y"] == [0, 1] and figure["layout"]["yaxis"]["tickvals"] == [0, 1]
    assert "Pichincha" in figure["data"][0]["hovertext"][0] and "Guayas" in figure["data"][0]["hovertext"][1]
