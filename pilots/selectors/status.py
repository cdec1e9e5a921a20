"""The progress rule: each indicator against its current target, and an innovation's health.

The progress rule
-----------------
*Current target.* The target set for the innovation's current stage; if that
stage has none, the earliest-due target of a later stage; failing that, the
latest-due target of an earlier stage.

*Actual.* What the indicator has reached, from its measurements: network-wide figures
take precedence over the MFIs'; summed, latest or weighted as the indicator's aggregation
and unit say. The rule, with worked examples, is in `pilots.selectors.actual`; the
innovation's page says which part of it made each actual (`actual_rule`).

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
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from ..cycle import stage_number
from ..models import Indicator, Status, Target
from .actual import Row, actual_rule, indicator_rows, rounded_percent, series_from
from .projection import percent_of, projection, target_met
from .recent import recent_since
from .results import Health, Overdue, Progress

AT_RISK_RATIO = Decimal("0.75")


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
        rows = indicator_rows(indicator) if rows is None else rows
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
    if target_met(actual, target, indicator):
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
    return Progress(
        indicator, target, actual, actual_date, rounded_percent(percent), status, series, course, rule, **dated
    )


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
