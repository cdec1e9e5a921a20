"""Where an indicator is heading at its recent pace (see *Status* in `status`), and the two
comparisons with a target every judgement makes: is it met (`target_met`), and by what
percentage (`percent_of`)."""

import datetime
import math
import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext

from ..models import Direction, Indicator, Target, Unit
from .recent import recent_since


def _grows(indicator: Indicator) -> bool:
    """Counts and money that build up over time (higher is better): they start from zero."""
    return indicator.unit in (Unit.COUNT, Unit.MONEY) and indicator.direction == Direction.HIGHER


RECENT_POINTS = 6  # the pace is the trend of the last six actuals
HORIZON_DAYS = 10 * 366  # a pace that meets the target later than this does not meet it


@dataclass
class Projection:
    """Where an indicator is heading at its recent pace (see `projection`), and the tense to say
    it in on `as_of` (the day judged): a date before it is spoken of in the past ("would have
    reached … in June 2011 at the pace of early 2011"), and so is a target never reached at a
    pace set by figures older than the limit."""

    pace_per_day: float | None  # None when read from the stored progress, which keeps only the outcome
    line: list[tuple[datetime.date, Decimal]]  # from the last actual to the due date (the dotted line)
    at_due: Decimal | None  # the value the pace gives on the due date, when that is after the last actual
    reached_on: datetime.date | None  # when the pace meets the target; None: not within HORIZON_DAYS
    due_date: datetime.date | None = None  # the target's due date (`at_due` is the value on it)
    paced_from: datetime.date | None = None  # the first and last points the pace is drawn through
    paced_to: datetime.date | None = None  # (None when read from the stored progress)
    as_of: datetime.date | None = None

    @property
    def due_passed(self) -> bool:
        return self.at_due is not None and self.as_of is not None and self.due_date < self.as_of

    @property
    def reach_passed(self) -> bool:
        return self.reached_on is not None and self.as_of is not None and self.reached_on < self.as_of

    @property
    def old_pace(self) -> bool:
        """The pace comes from figures older than the limit (`recent_since`) on the day judged."""
        return self.paced_to is not None and self.as_of is not None and self.paced_to < recent_since(self.as_of)

    @property
    def past(self) -> bool:
        """Whether the sentence about this course speaks of the past (see the class)."""
        return self.due_passed or self.reach_passed or (self.reached_on is None and self.old_pace)

    @property
    def pace_period(self) -> str:
        """When the pace was set, as people say it: "March 2011", "early 2011", "2011",
        "September 2008 to March 2011" (in the reader's language)."""
        start, end = self.paced_from, self.paced_to
        if start is None or end is None:
            return ""
        if (start.year, start.month) == (end.year, end.month):
            return date_format(end, "YEAR_MONTH_FORMAT")
        if start.year == end.year:
            thirds = {(start.month - 1) // 4, (end.month - 1) // 4}
            if len(thirds) == 1:
                words = (gettext("early %(year)s"), gettext("mid-%(year)s"), gettext("late %(year)s"))
                return words[thirds.pop()] % {"year": end.year}
            return str(end.year)
        return gettext("%(start)s to %(end)s") % {
            "start": date_format(start, "YEAR_MONTH_FORMAT"),
            "end": date_format(end, "YEAR_MONTH_FORMAT"),
        }


def projection(
    series: list[tuple[datetime.date, Decimal]],
    *,
    indicator: Indicator,
    target: Target | None,
    started_on,
    as_of: datetime.date | None = None,
) -> Projection | None:
    """The indicator's course at the current pace, or None when there is nothing to project
    (no actual, no target, the target already met, or a first count taken on the day the
    work began, which sets no pace).

    The pace is the slope of a least-squares line through the last `RECENT_POINTS` actuals.
    With a single actual, an indicator that builds up (counts, money; higher is better) is
    taken to have started from zero when the innovation started; a level (percentages, days,
    lower-is-better) is taken to hold. From the last actual, the pace gives the value on the target's due date and the day
    the target is met; a flat pace, or one moving away from the target, never meets it.
    """
    if not series or target is None:
        return None
    last_date, last_value = series[-1]
    lower = indicator.direction == Direction.LOWER
    if target_met(last_value, target, indicator):
        return None
    points = series[-RECENT_POINTS:]
    if len(points) == 1 and _grows(indicator):
        if started_on >= last_date:
            return None
        points = [(started_on, Decimal(0)), *points]
    if len(points) > 1:
        slope, _intercept = statistics.linear_regression(
            [d.toordinal() for d, _v in points], [float(v) for _d, v in points]
        )
    else:
        slope = 0.0

    def value_on(day: datetime.date) -> Decimal:
        return max(Decimal(0), last_value + Decimal(slope * (day - last_date).days)).quantize(Decimal(1))

    towards = -slope if lower else slope
    reached_on = None
    if towards > 0:
        days = math.ceil(float(abs(target.value - last_value)) / towards)
        if days <= HORIZON_DAYS:
            reached_on = last_date + datetime.timedelta(days=days)
    at_due = value_on(target.due_date) if target.due_date > last_date else None
    end = target.due_date if at_due is not None else reached_on
    line = [(last_date, last_value)] + ([(end, value_on(end))] if end else [])
    return Projection(
        slope,
        line,
        at_due,
        reached_on,
        due_date=target.due_date,
        paced_from=points[0][0],
        paced_to=last_date,
        as_of=as_of,
    )


def target_met(value: Decimal, target: Target, indicator: Indicator) -> bool:
    return value <= target.value if indicator.direction == Direction.LOWER else value >= target.value


def percent_of(value: Decimal, target: Target, indicator: Indicator) -> Decimal:
    """`value` as a percentage of the target (target ÷ value when lower is better)."""
    if indicator.direction == Direction.LOWER:
        return Decimal(100) if value == 0 else target.value / value * 100
    return Decimal(100) if target.value == 0 else value / target.value * 100
