"""Survey figures are plain Plotly JSON: the numbers of the table, the look resolved once."""

import json
from decimal import Decimal
from types import SimpleNamespace

from surveys import charts


def test_numbers_figure_carries_the_numbers_and_no_copy_of_plotlys_template():
    question = SimpleNamespace(unit="%", code="women")
    numbers = {"q1": 40, "median": Decimal("60"), "q3": 70, "min": 10, "max": Decimal("80"), "mean": 55.5}
    figure = json.loads(charts.numbers_figure({"question": question, "numbers": numbers}))
    assert figure["data"][0]["type"] == "box"
    assert figure["data"][0]["upperfence"] == [80.0] and figure["data"][0]["median"] == [60.0]
    assert figure["layout"]["xaxis"]["title"]["text"] == "%"
    assert figure["layout"]["template"] == charts.LOOK


def test_trend_figure_is_safe_inside_a_script_element():
    rounds = [{"round": SimpleNamespace(code="2025-1")}, {"round": SimpleNamespace(code="2025-2")}]
    trend = {"rounds": rounds, "lines": [{"label": "</script>", "points": [{"rank": 1}, None]}]}
    text = charts.trend_figure(trend)
    assert "</script>" not in text
    assert json.loads(text)["data"][0]["y"] == [1, None]
