"""An innovation's results framework as IATI reads it: each indicator with its baseline and,
per reporting period, the target then in force and the actual reached.

Periods are those of the innovation's reporting plan (months or quarters), or semesters
(January–June, July–December) when it has none; a period is listed for an indicator when it
has a figure dated within it. Only figures that count are read: staff's measurements and the
values of MFI reports staff approved (a report's values become measurements on approval;
drafts and reports awaiting review are not measurements). Each actual is the progress rule's
(`pilots.selectors.actual`): the level reached at the period's last figure, the MFIs' figures
combined as on the pages — so no MFI's own figure is ever written. The target is the one the
pages judged that period against: the current target of the stage the innovation was in at the
period's end (`current_target`, `stage_on`). The baseline is the indicator's first figure.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from ..models import Indicator, Innovation, ReportingFrequency, Unit
from ..models.reporting import period_end
from ..reports import semester_of
from ..selectors.actual import Row, series_from
from ..selectors.innovation import stage_on
from ..selectors.status import current_target

SEMESTER = "semester"


@dataclass(frozen=True)
class ResultPeriod:
    start: datetime.date
    end: datetime.date
    target: Decimal | None
    actual: Decimal


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    baseline: tuple[datetime.date, Decimal] | None
    periods: list[ResultPeriod]


def frequency_of(innovation: Innovation) -> str:
    """How the innovation's figures are grouped into periods: its reporting plan's frequency,
    or semesters without a plan (prefetched `reporting_plan`, or none)."""
    try:
        return innovation.reporting_plan.frequency
    except Innovation.reporting_plan.RelatedObjectDoesNotExist:
        return SEMESTER


def period_around(day: datetime.date, frequency: str) -> tuple[datetime.date, datetime.date]:
    """The period of `frequency` that contains `day`: its first and last days."""
    if frequency == ReportingFrequency.MONTHLY:
        start = day.replace(day=1)
    elif frequency == ReportingFrequency.QUARTERLY:
        start = datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    else:  # the semester of the period reports
        semester = semester_of(day)
        return semester.starts_on, semester.ends_on
    return start, period_end(start, frequency)


def as_written(value: Decimal, unit: str) -> str:
    """A value as the files write it: to the unit's places (`Unit.places`), no trailing zeros,
    never in exponent form: 51000, 87, 86.7, 8600.5."""
    text = format(Unit(unit).rounded(value), "f")  # halves up, as the pages round
    return text.rstrip("0").rstrip(".") if "." in text else text


def indicator_result(innovation: Innovation, indicator: Indicator, rows: list[Row]) -> IndicatorResult:
    """The indicator's baseline and periods from its measurements (`measurement_rows`, in the
    order taken); the innovation's stage decisions and the indicator's targets prefetched."""
    series = series_from(indicator, rows)
    if not series:
        return IndicatorResult(indicator, None, [])
    frequency = frequency_of(innovation)
    last_point: dict[tuple[datetime.date, datetime.date], tuple[datetime.date, Decimal]] = {}
    for day, value in series:  # in date order: the last point of each period wins
        last_point[period_around(day, frequency)] = (day, value)
    periods = []
    for (start, end), (_day, value) in sorted(last_point.items()):
        target = current_target(indicator, stage_on(innovation, end))
        periods.append(ResultPeriod(start, end, target.value if target else None, value))
    return IndicatorResult(indicator, series[0], periods)
