"""The period reports' charts as static SVG, for the page and its PDF.

A PDF cannot run plotly.js, and drawing Plotly's figures to images needs a browser
(kaleido). So the reports draw their few charts here, from the same data as the
page's Plotly figures (`pilots.charts`): an indicator's actual over time against its
current target (as `indicator_figure`), and how many innovations sit in each stage or
state of health (as `stage_figure`). This module works out the geometry; the templates
in `pilots/charts/` write the SVG. Numbers are written as the page writes them
(`format_number`: "58.500" in Spanish), and the status colours are the dashboard's.
"""

import datetime
import math
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.numbers import format_number

from .charts import STATUS_COLOURS
from .models import Unit
from .selectors import Progress
from .templatetags.pilots_tags import in_unit

ACTUAL_COLOUR = "#0b5f73"  # the page's "Actual" line
TARGET_COLOUR = "#a86200"  # the page's current target
NO_STATUS_COLOUR = STATUS_COLOURS["no_data"]  # grey, for a state without a colour of its own (no target)
FONT_SIZE = 10
CHAR_WIDTH = 5.8  # about the width of a character of DejaVu Sans at FONT_SIZE, to leave room for labels
WIDTH, HEIGHT = 330, 190


def _nice_step(span: float, most: int, *, whole: bool) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) that cuts `span` in at most `most`
    parts; a whole number when `whole` (no 2.5 clients)."""
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    factors = (1, 2, 5, 10) if whole and power < 10 else (1, 2, 2.5, 5, 10)
    return max(1 if whole else 0, next(power * factor for factor in factors if power * factor >= raw))


def _value_ticks(top: float, *, whole: bool = False) -> list[float]:
    """From zero to a round value at or above `top`, in four or five round steps."""
    step = _nice_step(top, 4, whole=whole)
    return [round(n * step, 10) for n in range(math.ceil(top / step - 1e-9) + 1)]


def _month_index(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def _date_ticks(first: datetime.date, last: datetime.date, width: float) -> list[tuple[datetime.date, str]]:
    """The first days of months, a round number of months apart, between `first` and `last`,
    as many as fit in `width` without their labels touching: labelled by year when a year
    apart or more ("2011"), else by month and year ("Mar 2011")."""
    months = _month_index(last) - _month_index(first)

    def fits(step: int) -> bool:
        label = 4 if step >= 12 else 8  # characters: "2011", "Mar 2011"
        return months / step * (label + 2) * CHAR_WIDTH <= width

    step = next((s for s in (1, 2, 3, 6, 12, 24, 60) if fits(s)), 120)
    ticks = []
    index = (_month_index(first) // step + 1) * step
    while index <= _month_index(last):
        day = datetime.date(index // 12, index % 12 + 1, 1)
        ticks.append((day, str(day.year) if step >= 12 else date_format(day, "M Y")))
        index += step
    return ticks


def indicator_chart(progress: Progress) -> dict | None:
    """An indicator's actual over time (the points of the series up to the report's date)
    against its current target, as `indicator_figure` draws it on the page. None when it
    would tell no more than the table: no actual, or a single one and no target."""
    series, target, indicator = progress.series, progress.target, progress.indicator
    if not series or (target is None and len(series) < 2):
        return None
    dates = [day for day, _value in series] + ([target.due_date] if target else [])
    values = [float(value) for _day, value in series] + ([float(target.value)] if target else [])
    first, last = min(dates), max(dates)
    room = datetime.timedelta(days=max(30, (last - first).days // 16))  # the first and last points off the edges
    first, last = first - room, last + room
    ticks = _value_ticks(max(values) or 1, whole=indicator.unit in (Unit.COUNT, Unit.MONEY))
    suffix = " %" if indicator.unit == Unit.PERCENT else ""
    tick_labels = [format_number(Decimal(str(t)), places=2) + suffix for t in ticks]
    left = max(30, 10 + CHAR_WIDTH * max(len(label) for label in tick_labels))  # room for "Jan 2011" below too
    box = {"left": left, "right": WIDTH - 14, "top": 16, "bottom": HEIGHT - 44}
    box |= {"label_x": left - 6, "tick_end": box["bottom"] + 4, "label_y": box["bottom"] + 15}

    def x(day: datetime.date) -> float:
        share = (day - first).days / (last - first).days
        return round(box["left"] + share * (box["right"] - box["left"]), 1)

    def y(value: float) -> float:
        return round(box["bottom"] - value / ticks[-1] * (box["bottom"] - box["top"]), 1)

    points = [{"x": x(day), "y": y(float(value))} for day, value in series]
    end = points[-1]
    legend_y = HEIGHT - 8
    chart = {
        "width": WIDTH,
        "height": HEIGHT,
        "font_size": FONT_SIZE,
        "box": box,
        "title": (_("%(indicator)s: actual against target") if target else _("%(indicator)s: actual over time"))
        % {"indicator": indicator.display_name},
        "actual_colour": ACTUAL_COLOUR,
        "target_colour": TARGET_COLOUR,
        "y_ticks": [{"y": y(t), "label": label} for t, label in zip(ticks, tick_labels, strict=True)],
        "x_ticks": [{"x": x(day), "label": label} for day, label in _date_ticks(first, last, box["right"] - left)],
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "last": {  # the latest actual written over its point, kept inside the plot
            "x": end["x"],
            "label_y": end["y"] - 7,
            "anchor": "end" if end["x"] > box["right"] - 30 else "start" if end["x"] < left + 30 else "middle",
            "label": in_unit(series[-1][1], indicator),
        },
        "legend": [_legend(box["left"], legend_y, _("Actual"), ACTUAL_COLOUR, dashed=False)],
    }
    if target is not None:
        target_y = y(float(target.value))
        chart["target"] = {"x": x(target.due_date), "y": target_y, "top": target_y - 6}
        label = _("Target %(value)s by %(date)s") % {
            "value": in_unit(target.value, indicator),
            "date": date_format(target.due_date, "SHORT_DATE_FORMAT"),
        }
        chart["legend"].append(_legend(box["left"] + 80, legend_y, label, TARGET_COLOUR, dashed=True))
        if abs(end["y"] - 7 - target_y) < FONT_SIZE:  # the actual's label would sit on the target's line
            chart["last"]["label_y"] = end["y"] + 15 if end["y"] + 15 < box["bottom"] else target_y - 8
    return chart


def _legend(x: float, y: float, label: str, colour: str, *, dashed: bool) -> dict:
    """One entry of a chart's legend: a short line in the series' colour, then its name."""
    return {
        "x": x,
        "line_end": x + 18,
        "line_y": y - 4,
        "text_x": x + 22,
        "y": y,
        "label": label,
        "colour": colour,
        "stroke": 1.2 if dashed else 2.5,
        "dashed": dashed,
    }


def bar_chart(title: str, rows: list[dict]) -> dict:
    """Counts as horizontal bars, one per row (`label`, `count`, and `status` for the
    dashboard's status colours), with the count written at the end of each bar."""
    row_height, top = 20, 6
    label_width = 8 + CHAR_WIDTH * max((len(str(row["label"])) for row in rows), default=0)
    bar_left = round(min(label_width, WIDTH * 0.6), 1)
    most = max((row["count"] for row in rows), default=0)
    longest = WIDTH - bar_left - 8 - CHAR_WIDTH * len(str(most))
    bars = []
    for n, row in enumerate(rows):
        y = top + n * row_height
        width = round(row["count"] / (most or 1) * longest, 1)
        bars.append(
            {
                "label": row["label"],
                "count": format_number(row["count"], places=0),
                "y": y + 3,
                "text_y": round(y + row_height / 2 + FONT_SIZE / 3, 1),
                "width": width,
                "end": round(bar_left + width + 4, 1),
                "colour": STATUS_COLOURS.get(row["status"], NO_STATUS_COLOUR) if "status" in row else ACTUAL_COLOUR,
            }
        )
    height = top * 2 + row_height * len(rows)
    return {
        "title": title,
        "width": WIDTH,
        "height": height,
        "font_size": FONT_SIZE,
        "label_x": round(bar_left - 6, 1),
        "bar_left": bar_left,
        "bar_height": row_height - 6,
        "axis_end": height - 2,
        "bars": bars,
    }
