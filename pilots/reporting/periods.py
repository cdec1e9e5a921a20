"""Reporting periods: the months or quarters of an innovation's reporting plan."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from ..models import ReportingFrequency, ReportingPlan
from ..models.reporting import period_end, period_label


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    frequency: str

    @property
    def key(self) -> str:
        """How the period is written in addresses: its first month (2011-04)."""
        return f"{self.start:%Y-%m}"

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    def due_on(self, plan: ReportingPlan) -> datetime.date:
        return self.end + datetime.timedelta(days=plan.days_to_report)


def _step(day: datetime.date, frequency: str) -> datetime.date:
    return period_end(day, frequency) + datetime.timedelta(days=1)


def is_period_start(plan: ReportingPlan, day: datetime.date) -> bool:
    if day.day != 1:
        return False
    if plan.frequency == ReportingFrequency.QUARTERLY:
        return day.month in (1, 4, 7, 10)
    return True


def period_of(plan: ReportingPlan, start: datetime.date) -> Period:
    return Period(start=start, end=period_end(start, plan.frequency), frequency=plan.frequency)


def ended_periods(plan: ReportingPlan, *, today: datetime.date, since: datetime.date | None = None) -> list[Period]:
    """The plan's periods that have ended by `today` (only those can be reported: a figure
    is dated on its period's last day, never in the future), from the one containing `since`."""
    periods = []
    day = plan.first_period
    while True:
        period = period_of(plan, day)
        if period.end > today or (plan.last_period and day > plan.last_period):
            break
        if since is None or period.end >= since:
            periods.append(period)
        day = _step(day, plan.frequency)
    return periods


def overdue_periods_of(
    plan: ReportingPlan,
    *,
    since: datetime.date | None,
    received: Iterable[tuple[datetime.date, datetime.datetime | None]],
    today: datetime.date,
) -> list[tuple[Period, datetime.date]]:
    """The periods an MFI taking part since `since` should have reported by `today` and has
    not, each with the day its report fell due: a period of the plan that has ended is due
    `days_to_report` days after its end, and overdue once that day has passed without a
    report among `received` — (period start, submitted at) of its submitted or approved
    reports; one submitted after `today` had not come by then. Monthly from January 2011,
    10 days to report, January reported: on 2011-04-05 February (due 2011-03-10) is overdue,
    March (due 2011-04-10) not yet."""
    came = {
        start for start, submitted_at in received if submitted_at is None or timezone.localdate(submitted_at) <= today
    }
    return [
        (period, period.due_on(plan))
        for period in ended_periods(plan, today=today, since=since)
        if period.due_on(plan) < today and period.start not in came
    ]


def find_period(plan: ReportingPlan, start: datetime.date, *, today: datetime.date) -> Period | None:
    """The plan's period starting on `start`, if it exists and has ended."""
    if not is_period_start(plan, start) or start < plan.first_period:
        return None
    if plan.last_period and start > plan.last_period:
        return None
    period = period_of(plan, start)
    return period if period.end <= today else None
