"""The reporting plan of an innovation, what each MFI reports, and which periods an MFI may report."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ...models import Participation, ReportingPlan
from ..periods import Period, find_period, is_period_start
from .common import require_staff


@transaction.atomic
def reporting_plan_save(
    *,
    innovation,
    user,
    frequency: str,
    first_period: datetime.date,
    last_period: datetime.date | None = None,
    days_to_report: int = 10,
    instance: ReportingPlan | None = None,
) -> ReportingPlan:
    require_staff(user)
    plan = instance or ReportingPlan(innovation=innovation)
    plan.frequency = frequency
    plan.first_period = first_period
    plan.last_period = last_period
    plan.days_to_report = days_to_report
    errors = {}
    if first_period and not is_period_start(plan, first_period):
        errors["first_period"] = _(
            "A period starts on the first day of a month (of January, April, July or October for quarters)."
        )
    if last_period and not is_period_start(plan, last_period):
        errors["last_period"] = _(
            "A period starts on the first day of a month (of January, April, July or October for quarters)."
        )
    if first_period and last_period and last_period < first_period:
        errors["last_period"] = _("The last period cannot start before the first one.")
    if first_period and innovation and first_period < innovation.started_on.replace(day=1):
        errors["first_period"] = _("Reporting cannot start before the innovation started.")
    if errors:
        raise ValidationError(errors)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def reported_indicators_set(*, participation: Participation, indicators, user) -> None:
    """Which of the innovation's indicators this MFI reports."""
    require_staff(user)
    indicators = list(indicators)
    if any(indicator.innovation_id != participation.innovation_id for indicator in indicators):
        raise ValidationError(
            {"reported_indicators": _("An MFI can only report indicators of the innovation it takes part in.")}
        )
    participation.reported_indicators.set(indicators)


def reporting_period(
    *, participation: Participation, plan: ReportingPlan | None, period_start: datetime.date, today: datetime.date
) -> Period:
    """The period starting on `period_start` that this MFI may report: one of its innovation's
    plan, ended by `today`, and not over before the MFI took part (`participation.since`)."""
    period = find_period(plan, period_start, today=today) if plan else None
    if period is None or period.end < participation.since:
        raise ValidationError(
            _("This period cannot be reported (it has not ended, or is not in the plan)."), code="not_open"
        )
    return period
