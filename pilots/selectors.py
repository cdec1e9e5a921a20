"""Reads that aggregate: progress of each indicator against its current target.

The progress rule
-----------------
*Current target.* The target set for the innovation's current stage; if that
stage has none, the earliest-due target of a later stage; failing that, the
latest-due target of an earlier stage.

*Actual.* Network-wide measurements (no participant MFI) take precedence over
per-MFI ones. For a **cumulative** indicator the actual is the sum of the values
(each measurement adds to the total). For a **latest reading** indicator it is
the most recent value; when only per-MFI readings exist, it is the sum of each
MFI's latest reading for counts and money, and their mean for days. Percentages
are **weighted**: when every MFI's latest reading says what it is a percentage of
(numerator and denominator, as MFI reports do), the actual is the sum of the
numerators over the sum of the denominators — MFI A, 90 of 100 clients satisfied,
and MFI B, 40 of 50: 130 ÷ 150 = 86.7 %, not the 85 % of averaging 90 % and 80 %.
Readings without a denominator fall back to the mean of the percentages. The
innovation's page says which of these made each actual (`actual_rule`).

*Which values count.* Measurements logged by staff, and the values of MFI reports
once staff approve them (`pilots.reporting`): drafts, submitted and returned reports
are not measurements, so they count nowhere — not in actuals, progress, the
dashboard, reports or the API — until approved.

*Progress* is the actual as a percentage of the target: actual ÷ target when
higher is better, target ÷ actual when lower is better (5 days against a
5-day target is 100 %; 10 days is 50 %).

*Status*, judged on a day — today, or a period report's last day (`progress_as_of`):

- **achieved** — the target is met (progress ≥ 100 %), before or after its due date;
- **missed** — the due date has passed and the target is not met: by a figure dated on or
  after the due date, or by a recent one (see *Freshness*) that stands for today's;
- **no recent data** — the latest figure is older than `PILOTS_RECENT_DATA_MONTHS` (12)
  before the day judged, and it is dated before the due date: too old to project from, and
  it cannot say whether a target since due was met. No projection is drawn or claimed;
- otherwise it is judged by the **projection**: at the current pace — the slope of
  a least-squares line through the last six actuals (`projection`; a single count or
  sum is taken to have grown from zero since the innovation started, a single level
  to hold) — what the indicator will be on the due date, as a percentage of the
  target:
- **on track** — the pace meets the target by its due date (projected ≥ 100 %);
- **at risk** — it falls short, but by less than a quarter (75 % ≤ projected < 100 %);
- **off track** — projected < 75 % (a flat series projects its last value; one
  moving away from the target, less). A first count taken on the very day the work
  began sets no pace: on track until the next one.
- **no data** — no measurement yet; **no target** — nothing to compare with.

*Overall* (an innovation's health): its worst measured status (missed, off track,
at risk, no recent data, on track, achieved, in that order: not knowing is worse than on
track, a shortfall the figures show is worse still); an innovation whose measured indicators
are all achieved but which has an indicator with a target and no data yet is **no
data**, not achieved (REDCAMIF: 10 of 10 MFIs taking part, 0 of 25,000 clients
known); with nothing measured, no data if some target waits for data, else no target.

*Freshness*. Every actual carries its "as of" date — the date of its latest figure
(`Progress.actual_date`) — and the page says how old it is in words once it is older than
the limit ("15 years ago", `Progress.age`). The limit, `PILOTS_RECENT_DATA_MONTHS` months
(12 by default; `recent_since`), decides whether the latest figure may stand for the day
judged. RFR on 5 December 2026: its figures are from March 2011, 15 years old.
- Insured clients, 51,000 on 31 March 2011 against 58,500 due 31 December 2010: a figure
  dated after the due date and short of the target is a fact, however old: **missed**.
- MFIs offering the insurance, 10 on 31 March 2011 against 13 due 31 December 2011: the
  last figure predates the due date and is stale, so whether 13 MFIs were reached by then
  is unknown — **no recent data**, not "missed" (it was *on track*, heading for 14 in
  November 2011, when the figure was recent). Had the figure been recent (within 12
  months), it would stand for today's and the target would be missed.
A projection speaks in the tense that fits the day judged (`Projection.past`): a date
before it is spoken of in the past, with the period whose figures set the pace
(`Projection.pace_period`) — "At the pace of early 2011, it would have reached the target of
58,500 in June 2011" — and so is a target never reached at a pace set by stale figures.

*Overdue*. A figure that should have come and has not (`Overdue`, `overdue_reports`):
an MFI the reporting plan names (`ReportingPlan`, `Participation.reported_indicators`) has
no submitted or approved report for a period whose report fell due (`days_to_report` after
the period ends) — *report overdue* since the earliest such due date, from those MFIs (RFR:
April to June 2011 never reported, overdue since 10 May 2011 from its 10 MFIs); or the
current target fell due with no figure at all — *no figure since the target was due*
(REDCAMIF's 25,000 clients, due 31 December 2012). Overdue is said next to the status, not
instead of it; an innovation's health says what is overdue across its indicators
(`innovation_health`). A period report judges all of this as of the period's last day.

One rule, two ways to read the measurements. `pilots.progress` stores the rule's
result (with what is overdue), one row per indicator and per innovation, good for the day
it was computed on, reading the measurements as plain tuples (`measurement_rows`); lists, the dashboard, its CSV and the progress filter
read those rows (`with_stored_progress`, `portfolio_summary`, `portfolio_targets`).
An innovation's own page reads every measurement as a tuple too, to draw the series, and loads
as models only the few its tables show (`page_measurements`); its downloads and period
reports load them all (`innovation_for_page`). All go through `series_from` and `indicator_progress`.
"""

import datetime
import math
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import (
    Count,
    Prefetch,
    QuerySet,
    Sum,
)
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince
from django.utils.translation import gettext
from django_countries import countries

from .cycle import Stage, stage_number
from .models import (
    Aggregation,
    Contribution,
    Counted,
    Direction,
    Indicator,
    IndicatorProgress,
    Innovation,
    Measurement,
    MFIReport,
    Milestone,
    Participation,
    ReportState,
    StageChange,
    Status,
    Target,
    Unit,
)
from .models.innovation import in_reader_language
from .reporting.periods import overdue_periods_of

AT_RISK_RATIO = Decimal("0.75")


def recent_data_months() -> int:
    """How many months a latest figure stays recent: the `PILOTS_RECENT_DATA_MONTHS` setting (12)."""
    return settings.PILOTS_RECENT_DATA_MONTHS


def recent_since(day: datetime.date) -> datetime.date:
    """The oldest date a figure may have and still count as recent on `day`: `recent_data_months`
    months before it (the same day of the month, or that month's last day)."""
    months = day.year * 12 + day.month - 1 - recent_data_months()
    year, month = divmod(months, 12)
    for last in (day.day, 30, 29, 28):  # the same day of that month, or its last day
        try:
            return datetime.date(year, month + 1, last)
        except ValueError:
            continue
    raise AssertionError("unreachable")


class Freshness:
    """How old a status's latest figure is, to say so next to it (`Progress`, `Health`)."""

    actual_date: datetime.date | None  # the "as of" date of the actual: its latest figure
    as_of: datetime.date | None  # the day the status is judged on: today, or a period's end

    @property
    def stale(self) -> bool:
        """The latest figure is older than the limit (`recent_since`) on the day judged."""
        return bool(self.actual_date and self.as_of and self.actual_date < recent_since(self.as_of))

    @property
    def age(self) -> str:
        """How old the latest figure is, in the reader's language ("15 years", "15 años")."""
        if not (self.actual_date and self.as_of):
            return ""
        return timesince(self.actual_date, self.as_of, depth=1)


@dataclass(frozen=True)
class Overdue:
    """A figure that should have come by the day judged and has not (see *Freshness* above).

    `kind` REPORT: MFIs the reporting plan names have no submitted or approved report for a
    period whose report fell due; `since` is the earliest such due date, `institutions` those
    MFIs' names. `kind` TARGET: the current target fell due (`since`) and the indicator has no
    figure at all; no MFI is named."""

    REPORT = "report"
    TARGET = "target"

    kind: str
    since: datetime.date
    institutions: tuple[str, ...] = ()


@dataclass
class Progress(Freshness):
    """One indicator against its current target, as the progress rule judges it on `as_of`.
    `actual_date` is the actual's "as of" date; `overdue` says which expected figure has not
    come (None: nothing is overdue); `stale` and `age` (from `Freshness`) how old the actual is."""

    indicator: Indicator
    target: Target | None
    actual: Decimal | None
    actual_date: datetime.date | None
    percent: Decimal | None
    status: str
    series: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    projection: "Projection | None" = None
    rule: "ActualRule | None" = None  # which part of the rule made the actual (None without one)
    as_of: datetime.date | None = None
    overdue: Overdue | None = None

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


@dataclass
class Health(Freshness):
    """An innovation's health with its freshness: its worst status (`overall_status`), the date
    of its latest figure, and what is overdue across its indicators (`innovation_health`)."""

    status: str
    actual_date: datetime.date | None
    as_of: datetime.date | None
    overdue: Overdue | None = None

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


def current_target(indicator: Indicator, stage: str) -> Target | None:
    targets = list(indicator.targets.all())
    if not targets:
        return None
    here = stage_number(stage)
    same = [t for t in targets if t.stage == stage]
    if same:
        return same[0]
    later = sorted((t for t in targets if stage_number(t.stage) > here), key=lambda t: t.due_date)
    if later:
        return later[0]
    return max(targets, key=lambda t: t.due_date)


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / len(values)


# A measurement as the rule reads it: date, MFI, value, and for a percentage its numerator
# and denominator (None when not known).
Row = tuple[datetime.date, int | None, Decimal, Decimal | None, Decimal | None]


def _weighable(readings: list[tuple[Decimal, Decimal | None, Decimal | None]]) -> bool:
    """Whether every reading says what it is a percentage of (a numerator and a denominator)."""
    return bool(readings) and all(den for _, _, den in readings) and all(num is not None for _, num, _ in readings)


def weighted_percent(readings: list[tuple[Decimal, Decimal | None, Decimal | None]]) -> Decimal:
    """Several MFIs' percentages as one: the sum of their numerators over the sum of their
    denominators when each reading has them (90/100 and 40/50 → 86.7 %), else their mean."""
    if _weighable(readings):
        numerators = sum((num for _, num, _ in readings), Decimal(0))
        denominators = sum((den for _, _, den in readings), Decimal(0))
        return numerators * 100 / denominators
    return _mean([value for value, _, _ in readings])


def series_from(indicator: Indicator, rows: list[Row]) -> list[tuple[datetime.date, Decimal]]:
    """The indicator's actual value over time, one point per measurement date, from its
    measurements in the order they were taken (date, then when they were logged)."""
    network = [(on, value) for on, mfi, value, *_ in rows if mfi is None]
    if network:
        if indicator.aggregation == Aggregation.CUMULATIVE:
            total, points = Decimal(0), {}
            for on, value in network:
                total += value
                points[on] = total
            return list(points.items())
        return list(dict(network).items())

    # Only per-MFI values: combine them date by date.
    latest_by_mfi: dict[int, tuple[Decimal, Decimal | None, Decimal | None]] = {}
    totals: dict[int, Decimal] = defaultdict(Decimal)
    points = {}
    summed = indicator.unit in (Unit.COUNT, Unit.MONEY)
    for on, mfi, value, numerator, denominator in rows:
        if indicator.aggregation == Aggregation.CUMULATIVE:
            totals[mfi] += value
            points[on] = sum(totals.values(), Decimal(0))
        else:
            latest_by_mfi[mfi] = (value, numerator, denominator)
            readings = list(latest_by_mfi.values())
            if summed:
                points[on] = sum((reading[0] for reading in readings), Decimal(0))
            elif indicator.unit == Unit.PERCENT:
                points[on] = weighted_percent(readings)
            else:
                points[on] = _mean([reading[0] for reading in readings])
    return list(points.items())


@dataclass(frozen=True)
class ActualRule:
    """Which part of the progress rule made an indicator's actual, to say so next to it:
    `kind` is one of the `ActualRule.*` names below, `mfis` how many MFIs' figures it combines."""

    NETWORK = "network"  # the latest network-wide value
    NETWORK_TOTAL = "network_total"  # cumulative: the sum of the network-wide values
    MFI_SUM = "mfi_sum"  # counts and money: the sum of each MFI's latest value
    MFI_WEIGHTED = "mfi_weighted"  # percentages: the MFIs' numerators over their denominators
    MFI_MEAN = "mfi_mean"  # days, percentages without denominators: the mean of the latest values
    MFI_TOTAL = "mfi_total"  # cumulative: the sum of every MFI's values

    kind: str
    mfis: int = 0

    @property
    def label(self) -> str:
        if self.kind == self.NETWORK:
            return gettext("Network-wide figure")
        if self.kind == self.NETWORK_TOTAL:
            return gettext("Sum of the network-wide figures")
        if self.mfis == 1:
            return gettext("Sum of one MFI's figures") if self.kind == self.MFI_TOTAL else gettext("One MFI's figure")
        labels = {
            self.MFI_SUM: gettext("Sum of %(count)s MFIs' latest figures"),
            self.MFI_WEIGHTED: gettext("Weighted percentage of %(count)s MFIs' latest figures"),
            self.MFI_MEAN: gettext("Average of %(count)s MFIs' latest figures"),
            self.MFI_TOTAL: gettext("Sum of %(count)s MFIs' figures"),
        }
        return labels[self.kind] % {"count": self.mfis}


def actual_rule(indicator: Indicator, rows: list[Row], *, on: datetime.date) -> ActualRule:
    """Which part of the rule `series_from` applies to make the actual of `on` (a date of
    its series), from the same rows: network-wide values when there are any, else the MFIs'."""
    if any(mfi is None for _on, mfi, *_rest in rows):
        cumulative = indicator.aggregation == Aggregation.CUMULATIVE
        return ActualRule(ActualRule.NETWORK_TOTAL if cumulative else ActualRule.NETWORK)
    latest = {mfi: (value, numerator, denominator) for day, mfi, value, numerator, denominator in rows if day <= on}
    if indicator.aggregation == Aggregation.CUMULATIVE:
        kind = ActualRule.MFI_TOTAL
    elif indicator.unit in (Unit.COUNT, Unit.MONEY):
        kind = ActualRule.MFI_SUM
    elif indicator.unit == Unit.PERCENT and _weighable(list(latest.values())):
        kind = ActualRule.MFI_WEIGHTED
    else:
        kind = ActualRule.MFI_MEAN
    return ActualRule(kind, len(latest))


def indicator_rule(indicator: Indicator) -> ActualRule | None:
    """Which part of the rule makes the indicator's actual, from its prefetched measurements."""
    rows = _rows(indicator)
    return actual_rule(indicator, rows, on=max(row[0] for row in rows)) if rows else None


def _in_order(measurements) -> list[Measurement]:
    """Measurements in the order they were taken: date, then when they were logged."""
    return sorted(measurements, key=lambda m: (m.measured_on, m.created_at or 0, m.pk))


def _rows(indicator: Indicator) -> list[Row]:
    """The indicator's (prefetched) measurements as the rule reads them, in the order taken."""
    return [
        (m.measured_on, m.participation_id, m.value, m.numerator, m.denominator)
        for m in _in_order(indicator.measurements.all())
    ]


def actual_series(indicator: Indicator) -> list[tuple[datetime.date, Decimal]]:
    """The indicator's actual value over time, from its (prefetched) measurements."""
    return series_from(indicator, _rows(indicator))


def latest_by_participant(indicator: Indicator) -> list[tuple[str, datetime.date, Decimal]]:
    """Each participant MFI's latest value (or its total, for cumulative indicators)."""
    taken = [(m, (m.measured_on, m.participation_id, m.value)) for m in _in_order(indicator.measurements.all())]
    return sorted((m.participation.institution.name, on, value) for m, on, value in _each_mfi(indicator, taken))


def _each_mfi(indicator: Indicator, taken: list[tuple]) -> list[tuple]:
    """Each participant MFI's latest value (or its total, for cumulative indicators), from
    (item, row) pairs in the order taken: (the item of its latest measurement, date, value)."""
    latest: dict[int, tuple] = {}
    for item, (on, mfi, value, *_rest) in taken:
        if mfi is None:
            continue
        if indicator.aggregation == Aggregation.CUMULATIVE and mfi in latest:
            value = latest[mfi][2] + value
        latest[mfi] = (item, on, value)
    return list(latest.values())


def contributing(indicator: Indicator, measurements: list[Measurement]) -> list[Measurement]:
    """The measurements behind an indicator's current actual, as the progress rule reads them:
    the network-wide ones if there are any, else the MFIs' — the latest one (of each MFI), or
    all of them for a cumulative indicator. The trust signals show these."""
    behind = _behind_actual(indicator, [(m, m.participation_id) for m in _in_order(measurements)])
    if indicator.aggregation != Aggregation.CUMULATIVE and behind and behind[0].participation_id is not None:
        return sorted(behind, key=lambda m: m.participation.institution.name)  # each MFI's latest
    return behind


def _behind_actual(indicator: Indicator, taken: list[tuple]) -> list:
    """`contributing`'s choice, from (item, participation id) pairs in the order taken."""
    network = [item for item, mfi in taken if mfi is None]
    if network:
        return network if indicator.aggregation == Aggregation.CUMULATIVE else network[-1:]
    if indicator.aggregation == Aggregation.CUMULATIVE:
        return [item for item, _mfi in taken]
    latest = {}
    for item, mfi in taken:
        latest[mfi] = item
    return list(latest.values())


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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
    if _met(last_value, target, indicator):
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


def _met(value: Decimal, target: Target, indicator: Indicator) -> bool:
    return value <= target.value if indicator.direction == Direction.LOWER else value >= target.value


def percent_of(value: Decimal, target: Target, indicator: Indicator) -> Decimal:
    """`value` as a percentage of the target (target ÷ value when lower is better)."""
    if indicator.direction == Direction.LOWER:
        return Decimal(100) if value == 0 else target.value / value * 100
    return Decimal(100) if target.value == 0 else value / target.value * 100


def indicator_progress(
    indicator: Indicator,
    *,
    stage: str,
    started_on: datetime.date,
    today=None,
    as_of: datetime.date | None = None,
    series: list[tuple[datetime.date, Decimal]] | None = None,
    rows: list[Row] | None = None,
    reports_due: Overdue | None = None,
) -> Progress:
    """The indicator's progress against its current target, with its projection.

    `series` is the indicator's actual over time (`series_from`); without it, it is
    computed from `rows` (`measurement_rows`) or from the indicator's prefetched
    measurements. With `as_of`, as it stood on that day: later points are left out and
    that day is "today". Which part of the rule made the actual (`actual_rule`) is known
    unless only a `series` is given. `reports_due` is what its reporting plan expected and
    did not get (`overdue_reports`); a current target past due without any figure is overdue too.
    """
    today = as_of or today or timezone.localdate()
    if series is None:
        rows = _rows(indicator) if rows is None else rows
        series = series_from(indicator, rows)
    if as_of is not None:
        series = [point for point in series if point[0] <= as_of]
    actual, actual_date = (series[-1][1], series[-1][0]) if series else (None, None)
    rule = actual_rule(indicator, rows, on=actual_date) if rows is not None and actual_date else None
    target = current_target(indicator, stage)
    overdue = reports_due
    if overdue is None and actual is None and target is not None and target.due_date < today:
        overdue = Overdue(Overdue.TARGET, target.due_date)
    dated = {"as_of": today, "overdue": overdue}
    if target is None:
        return Progress(indicator, None, actual, actual_date, None, Status.NO_TARGET, series, rule=rule, **dated)
    if actual is None:
        return Progress(indicator, target, None, None, None, Status.NO_DATA, series, **dated)

    percent = percent_of(actual, target, indicator)
    course = projection(series, indicator=indicator, target=target, started_on=started_on, as_of=today)
    recent = actual_date >= recent_since(today)
    if _met(actual, target, indicator):
        status = Status.ACHIEVED
    elif today > target.due_date and (recent or actual_date >= target.due_date):
        status = Status.MISSED
    elif not recent:  # too old to project from, or to say whether the target was met by its due date
        status, course = Status.NO_RECENT_DATA, None
    elif course is None:  # a first count on the day the work began sets no pace yet
        status = Status.ON_TRACK
    else:
        projected = percent_of(course.at_due if course.at_due is not None else actual, target, indicator)
        if projected >= 100:
            status = Status.ON_TRACK
        elif projected >= 100 * AT_RISK_RATIO:
            status = Status.AT_RISK
        else:
            status = Status.OFF_TRACK
    return Progress(indicator, target, actual, actual_date, _quantize(percent), status, series, course, rule, **dated)


RECEIVED = (ReportState.SUBMITTED, ReportState.APPROVED)  # a report in these states has come


def overdue_reports(innovation: Innovation, *, today: datetime.date) -> dict[int, Overdue]:
    """Per indicator id: the reports its reporting plan expected by `today` that have not come.

    A participant MFI reports the indicators it is set to report (`reported_indicators`) for
    every period of the plan that ended since it joined; a period's report is due
    `days_to_report` days after the period ends. One still without a submitted or approved
    report (submitted by `today`) once that day has passed is overdue. Reads the innovation's
    `reporting_plan` and its participations (prefetched by `innovations_with_progress_data` and
    `with_page_data`)."""
    plan = getattr(innovation, "reporting_plan", None)
    if plan is None:
        return {}
    missing: dict[int, dict[str, datetime.date]] = defaultdict(dict)
    for participation in innovation.participations.all():
        indicators = [indicator.pk for indicator in participation.reported_indicators.all()]
        if not indicators:
            continue
        reports = getattr(participation, "received_reports", None)  # prefetched by `_participations`
        if reports is None:
            reports = participation.reports.filter(state__in=RECEIVED)
        late = [
            due_on
            for _period, due_on in overdue_periods_of(
                plan,
                since=participation.since,
                received=((report.period_start, report.submitted_at) for report in reports),
                today=today,
            )
        ]
        if late:
            for indicator_id in indicators:
                missing[indicator_id][participation.institution.name] = min(late)
    return {  # the MFIs in the order of the participants' list (since, name)
        indicator_id: Overdue(Overdue.REPORT, min(by_mfi.values()), tuple(by_mfi))
        for indicator_id, by_mfi in missing.items()
    }


def _participations() -> Prefetch:
    """An innovation's participations with what `overdue_reports` (and the page) read of them:
    the MFI, its selection criteria, the indicators it reports, the reports that have come."""
    received = MFIReport.objects.filter(state__in=RECEIVED).only(
        "pk", "participation_id", "period_start", "submitted_at"
    )
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("institution").prefetch_related(
            "criteria",
            Prefetch("reported_indicators", queryset=Indicator.objects.only("pk")),
            Prefetch("reports", queryset=received, to_attr="received_reports"),
        ),
    )


def stage_on(innovation: Innovation, day: datetime.date) -> str:
    """The stage the innovation was in on `day`, from its stage decisions (prefetched)."""
    changes = sorted(innovation.stage_changes.all(), key=lambda c: (c.decided_on, c.created_at))
    before = [c for c in changes if c.decided_on <= day]
    if before:
        return before[-1].to_stage
    return changes[0].from_stage or changes[0].to_stage if changes else innovation.stage


def progress_as_of(innovation: Innovation, day: datetime.date) -> list[Progress]:
    """Every indicator's progress as it stood on `day`, against the target of the stage of that
    day: judged on that day (its age, what was overdue then), not today."""
    stage = stage_on(innovation, day)
    due = overdue_reports(innovation, today=day)
    return [
        indicator_progress(
            indicator, stage=stage, started_on=innovation.started_on, as_of=day, reports_due=due.get(indicator.pk)
        )
        for indicator in innovation.indicators.all()
    ]


def innovation_progress(
    innovation: Innovation, *, today=None, rows: dict[int, list[Row]] | None = None
) -> list[Progress]:
    """Every indicator's progress, from its prefetched measurements or from `rows`
    (`measurement_rows`), with what is overdue (`overdue_reports`)."""
    today = today or timezone.localdate()
    due = overdue_reports(innovation, today=today)
    return [
        indicator_progress(
            indicator,
            stage=innovation.stage,
            started_on=innovation.started_on,
            today=today,
            rows=None if rows is None else rows.get(indicator.pk, []),
            reports_due=due.get(indicator.pk),
        )
        for indicator in innovation.indicators.all()
    ]


def overall_status(progress: list[Progress]) -> str:
    """The innovation's health: its worst measured indicator status, never "achieved" while
    an indicator with a target has no data (see *Overall* above)."""
    waiting = any(p.status == Status.NO_DATA for p in progress)
    measured = [p.status for p in progress if p.status not in (Status.NO_DATA, Status.NO_TARGET)]
    if not measured:
        return Status.NO_DATA if waiting else Status.NO_TARGET
    worst = min(measured, key=Status.ORDER.index)
    return Status.NO_DATA if worst == Status.ACHIEVED and waiting else worst


def merged_overdue(overdue: list[Overdue | None]) -> Overdue | None:
    """What is overdue across several indicators, as one: since the earliest, from every MFI
    named; a report overdue if any report is (else a target without figures)."""
    found = [o for o in overdue if o is not None]
    if not found:
        return None
    kind = Overdue.REPORT if any(o.kind == Overdue.REPORT for o in found) else Overdue.TARGET
    institutions = dict.fromkeys(name for o in found for name in o.institutions)  # in order, once each
    return Overdue(kind, min(o.since for o in found), tuple(institutions))


def innovation_health(progress: list[Progress], *, as_of: datetime.date | None = None) -> Health:
    """The innovation's health (`overall_status`) with the date of its latest figure and what is
    overdue across its indicators: what its page's header and a donor's card say."""
    dates = [p.actual_date for p in progress if p.actual_date]
    as_of = as_of or next((p.as_of for p in progress if p.as_of), None) or timezone.localdate()
    return Health(
        overall_status(progress), max(dates, default=None), as_of, merged_overdue([p.overdue for p in progress])
    )


def innovations_with_progress_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch what the progress rule reads of each innovation besides its measurements
    (see `measurement_rows`): its indicators and their targets, its reporting plan and participations."""
    return queryset.select_related("reporting_plan").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")), _participations()
    )


def measurement_rows(indicator_ids) -> dict[int, list[Row]]:
    """The measurements of these indicators as the rule reads them (`Row`), in
    the order they were taken, grouped by indicator: plain tuples, not model instances."""
    rows: dict[int, list[Row]] = defaultdict(list)
    measurements = (
        Measurement.objects.filter(indicator_id__in=indicator_ids)
        .order_by("indicator_id", "measured_on", "created_at", "pk")
        .values_list("indicator_id", "measured_on", "participation_id", "value", "numerator", "denominator")
    )
    for indicator_id, *row in measurements.iterator(chunk_size=5000):
        rows[indicator_id].append(tuple(row))
    return rows


def innovation_for_page(queryset: QuerySet[Innovation], slug: str) -> Innovation:
    """One innovation with everything its page shows, in a fixed number of queries,
    including all its measurements as models (its downloads and period reports read them)."""
    return with_page_data(queryset).get(slug=slug)


def with_page_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch everything an innovation's page (or its API detail) shows, every measurement included."""
    measurements = Measurement.objects.order_by("measured_on", "created_at").select_related(*MEASUREMENT_RELATIONS)
    indicators = Indicator.objects.prefetch_related("targets", Prefetch("measurements", queryset=measurements))
    return _with_page_parts(queryset, indicators)


def innovation_for_detail(queryset: QuerySet[Innovation], slug: str) -> Innovation:
    """One innovation with what its own page shows besides its measurements, which the page
    reads without loading them all as models (`page_measurements`)."""
    return with_detail_data(queryset).get(slug=slug)


def with_detail_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch what an innovation's page (or its API detail) shows besides its measurements."""
    return _with_page_parts(queryset, Indicator.objects.prefetch_related("targets"))


def _with_page_parts(queryset: QuerySet[Innovation], indicators: QuerySet[Indicator]) -> QuerySet[Innovation]:
    return queryset.select_related("product_line", "lead", "reporting_plan").prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("contributions", queryset=Contribution.objects.select_related("funder")),
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("decided_by")),
        "checklist",
        "lessons",
        "evaluation_answers",
        Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "id")),
        _participations(),
    )


# What a measurements table shows of each measurement besides its own fields.
MEASUREMENT_RELATIONS = ("participation__institution", "logged_by", "approved_by", "report")
PAGE_MEASUREMENTS = 12  # the latest measurements of an indicator its innovation's page shows


@dataclass
class PageMeasurements:
    """One indicator's measurements as its innovation's page shows them. `rows`: every one as the
    progress rule reads them (`Row`, in the order taken), for its progress and chart; `count`: how
    many; `latest`: the latest few, newest first, for its tables (the rest are on its measurements
    page and in the downloads); `behind`: those behind its actual (`contributing`), for the trust
    signals; `by_participant`: each MFI's latest value or total (`latest_by_participant`)."""

    rows: list[Row]
    count: int
    latest: list[Measurement]
    behind: list[Measurement]
    by_participant: list[tuple[str, datetime.date, Decimal]]


def page_measurements(innovation: Innovation, *, latest: int = PAGE_MEASUREMENTS) -> dict[int, PageMeasurements]:
    """Per indicator id of the innovation (prefetched indicators): its `PageMeasurements`, in two
    queries however many measurements there are: every measurement as a plain tuple, then as models
    only the ones the page shows (the latest few, those behind the actual, each MFI's latest)."""
    indicators = list(innovation.indicators.all())
    taken: dict[int, list[tuple[int, Row]]] = defaultdict(list)  # indicator id: (pk, row), in the order taken
    measurements = (
        Measurement.objects.filter(indicator_id__in=[indicator.pk for indicator in indicators])
        .order_by("indicator_id", "measured_on", "created_at", "pk")
        .values_list("indicator_id", "pk", "measured_on", "participation_id", "value", "numerator", "denominator")
    )
    for indicator_id, pk, *row in measurements:
        taken[indicator_id].append((pk, tuple(row)))
    shown, behind, by_mfi = {}, {}, {}
    for indicator in indicators:
        pairs = taken[indicator.pk]
        shown[indicator.pk] = [pk for pk, _row in reversed(pairs[-latest:])] if latest > 0 else []
        behind[indicator.pk] = _behind_actual(indicator, [(pk, row[1]) for pk, row in pairs])
        by_mfi[indicator.pk] = _each_mfi(indicator, pairs)
    wanted = {pk for pks in (*shown.values(), *behind.values()) for pk in pks}
    wanted |= {pk for latest_of_each in by_mfi.values() for pk, _on, _value in latest_of_each}
    loaded = Measurement.objects.select_related(*MEASUREMENT_RELATIONS).in_bulk(wanted) if wanted else {}
    return {
        indicator.pk: PageMeasurements(
            rows=[row for _pk, row in taken[indicator.pk]],
            count=len(taken[indicator.pk]),
            latest=[loaded[pk] for pk in shown[indicator.pk]],
            behind=contributing(indicator, [loaded[pk] for pk in behind[indicator.pk]]),
            by_participant=sorted(
                (loaded[pk].participation.institution.name, on, value) for pk, on, value in by_mfi[indicator.pk]
            ),
        )
        for indicator in indicators
    }


def measurements_newest_first(indicator: Indicator) -> QuerySet[Measurement]:
    """Every measurement of an indicator, newest first (its measurements page, a page at a time)."""
    return indicator.measurements.select_related(*MEASUREMENT_RELATIONS).order_by("-measured_on", "-created_at", "-pk")


def participants_over_time(innovation: Innovation, today: datetime.date) -> list[tuple[datetime.date, int]]:
    """How many member institutions were taking part over time (prefetched participations):
    none when the innovation started, one step up on each date some joined, level until today.
    The steps of the "participants joining over time" chart; empty without participants."""
    joined: dict[datetime.date, int] = defaultdict(int)
    for participation in innovation.participations.all():
        joined[participation.since] += 1
    if not joined:
        return []
    first = min(joined)
    total, points = 0, [] if innovation.started_on >= first else [(innovation.started_on, 0)]
    for day in sorted(joined):
        total += joined[day]
        points.append((day, total))
    if today > points[-1][0]:
        points.append((today, total))
    return points


def share_percent(amount: Decimal | None, total: Decimal | None) -> Decimal | None:
    """A party's share of what was disclosed for the same stage and currency, in %."""
    if amount is None or not total:
        return None
    return _quantize(amount / total * 100)


def funding_by_stage(innovation: Innovation) -> list[dict]:
    """Contributions grouped by stage, in cycle order, with per-currency totals and each
    contribution's share of its stage's disclosed total in its currency (cost sharing)."""
    rows = []
    for stage in Stage:
        contributions = [c for c in innovation.contributions.all() if c.stage == stage]
        if not contributions:
            continue
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for c in contributions:
            if c.amount is not None:
                totals[c.currency] += c.amount
        parts = [{"contribution": c, "share": share_percent(c.amount, totals.get(c.currency))} for c in contributions]
        rows.append({"stage": stage, "parts": parts, "totals": dict(totals)})
    return rows


def _from_row(indicator: Indicator, row: IndicatorProgress | None) -> Progress:
    """The `Progress` a stored row keeps, judged today (`pilots.progress.ensure_current` keeps
    the rows computed today): without the series, its pace or the rule that made the actual."""
    today = timezone.localdate()
    if row is None:  # written since the stored progress was brought up to date: not counted yet
        return Progress(indicator, None, None, None, None, Status.NO_DATA, as_of=today)
    course = None
    if row.projected is not None or row.reached_on is not None:
        course = Projection(
            pace_per_day=None,
            line=[],
            at_due=row.projected,
            reached_on=row.reached_on,
            due_date=row.target.due_date if row.target else None,
            as_of=today,
        )
    overdue = None
    if row.overdue_kind:
        overdue = Overdue(row.overdue_kind, row.overdue_since, tuple(row.overdue_institutions))
    return Progress(
        indicator,
        row.target,
        row.actual,
        row.actual_date,
        row.percent,
        row.status,
        projection=course,
        as_of=today,
        overdue=overdue,
    )


def stored_progress(indicator: Indicator) -> Progress:
    """The indicator's progress as `pilots.progress` stored it (no measurements read)."""
    return _from_row(indicator, getattr(indicator, "current_progress", None))


def with_stored_progress(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch what lists show of each innovation: its stored health, its indicators with
    their stored progress and target, and its funders, in a fixed number of queries."""
    return queryset.select_related("product_line", "current_progress").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.select_related("current_progress__target")),
        Prefetch("contributions", queryset=Contribution.objects.select_related("funder")),
    )


def portfolio_summary(visible: QuerySet[Innovation]) -> dict:
    """The dashboard's aggregates over the innovations the viewer may see, computed by the
    database from the stored progress: how many sit in each stage, how many in each state of
    health, in each country and product line, and disclosed funding per funder and currency.
    Plain values only, so that the summary is cheap to cache. `visible` counts each innovation
    once (`visible_to` decides visibility without a join), so it is grouped as it is."""
    innovations = visible
    stages = dict(innovations.order_by().values_list("stage").annotate(n=Count("pk")))
    health = dict(innovations.order_by().values_list("current_progress__status").annotate(n=Count("pk")))
    health[Status.NO_DATA] = health.get(Status.NO_DATA, 0) + health.pop(None, 0)
    funding = (
        Contribution.objects.filter(innovation__in=innovations, amount__isnull=False)
        .order_by("funder__name", "currency")
        .values("funder__name", "funder__name_en", "currency")
        .annotate(total=Sum("amount"))
    )
    lines = (
        innovations.order_by()
        .values("product_line__code", "product_line__name_es", "product_line__name_en")
        .annotate(n=Count("pk"))
    )
    by_country: dict[str, int] = defaultdict(int)
    for value in innovations.values_list("countries", flat=True):
        for code in filter(None, (value or "").split(",")):
            by_country[code] += 1
    staged = list(
        Contribution.objects.filter(innovation__in=innovations, amount__isnull=False)
        .order_by()
        .values("stage", "funder__name", "funder__name_en", "currency")
        .annotate(total=Sum("amount"))
    )
    stage_totals: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for row in staged:
        stage_totals[(row["stage"], row["currency"])] += row["total"]
    return {
        "reach": reach(innovations),
        "funding_by_stage": [
            {
                "stage": row["stage"],
                "label": str(Stage(row["stage"]).label),
                "funder": in_reader_language(row["funder__name"], row["funder__name_en"]),
                "currency": row["currency"],
                "amount": row["total"],
                "share": share_percent(row["total"], stage_totals[(row["stage"], row["currency"])]),
            }
            for row in sorted(staged, key=lambda r: (stage_number(r["stage"]), r["currency"], -r["total"]))
        ],
        "by_product_line": sorted(
            (
                {
                    "code": row["product_line__code"],
                    "label": in_reader_language(row["product_line__name_es"], row["product_line__name_en"]),
                    "count": row["n"],
                }
                for row in lines
            ),
            key=lambda row: (-row["count"], row["label"]),
        ),
        "by_country": sorted(
            ({"code": code, "label": str(countries.name(code)), "count": n} for code, n in by_country.items()),
            key=lambda row: (-row["count"], row["label"]),
        ),
        "by_stage": [
            {"stage": stage.value, "label": str(stage.label), "count": stages.get(stage.value, 0)} for stage in Stage
        ],
        "health": [
            {"status": key, "label": str(Status.LABELS[key]), "count": health.get(key, 0)} for key in Status.ORDER
        ],
        "funding": [
            {
                "funder": in_reader_language(row["funder__name"], row["funder__name_en"]),
                "currency": row["currency"],
                "amount": row["total"],
            }
            for row in funding
        ],
    }


def _as_stored(value) -> Decimal:
    """A sum computed by the database with two decimal places, as PostgreSQL returns it
    (SQLite hands sums back unscaled)."""
    return Decimal(value).quantize(Decimal("0.01"))


SUMMED = (Counted.CLIENTS, Counted.INSTITUTIONS, Counted.PEOPLE)


def reach(innovations: QuerySet[Innovation]) -> list[dict]:
    """Actuals against current targets added up across innovations, only where they count the
    same thing (clients with clients, MFIs with MFIs: `Indicator.counted`); percentages, days,
    money and counts of anything else are not added up. Each targeted indicator counts once;
    one without data yet adds its target but no actual (`reporting` says how many have data)."""
    rows = (
        IndicatorProgress.objects.filter(
            innovation__in=innovations, target__isnull=False, indicator__unit=Unit.COUNT, indicator__counted__in=SUMMED
        )
        .order_by()
        .values("indicator__counted")
        .annotate(
            actual_total=Sum("actual"),
            target_total=Sum("target__value"),
            indicators=Count("pk"),
            reporting=Count("actual"),
            innovations=Count("innovation", distinct=True),
        )
    )
    found = {row["indicator__counted"]: row for row in rows}
    return [
        {
            "counted": counted.value,
            "label": str(counted.label),
            "actual": _as_stored(row["actual_total"] or 0),
            "target": _as_stored(row["target_total"]),
            "percent": share_percent(_as_stored(row["actual_total"] or 0), row["target_total"]),
            "indicators": row["indicators"],
            "reporting": row["reporting"],
            "innovations": row["innovations"],
        }
        for counted in SUMMED
        if (row := found.get(counted.value))
    ]


def overdue_milestones(visible: QuerySet[Innovation], today: datetime.date) -> QuerySet[Milestone]:
    """Open milestones past their planned date across the innovations the viewer may see, oldest first."""
    return (
        Milestone.objects.overdue(today)
        .filter(innovation__in=visible)
        .select_related("innovation")
        .order_by("planned_date", "id")
    )


def portfolio_targets(visible: QuerySet[Innovation]) -> QuerySet:
    """Every indicator with a target, target against actual, in the dashboard's order: one
    stored row each, ready to page through (`Progress` objects via `stored_progress`)."""
    return (
        IndicatorProgress.objects.filter(innovation__in=visible, target__isnull=False)
        .select_related("innovation", "indicator", "target")
        .order_by("innovation__title", "innovation_id", "indicator__order", "indicator_id")
    )


def target_row(row) -> dict:
    """One dashboard row from a stored `IndicatorProgress`: the innovation and its `Progress`."""
    return {"innovation": row.innovation, "progress": _from_row(row.indicator, row)}
