"""What an innovation measures: its indicators and their targets per stage."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Indicator, Innovation, Target, Unit
from .common import require_staff
from .figures import check_value


def _check_indicator(indicator: Indicator) -> None:
    if indicator.unit == Unit.MONEY and not indicator.currency:
        raise ValidationError({"currency": _("Money indicators need a currency.")})
    if indicator.counted and indicator.unit != Unit.COUNT:
        raise ValidationError(
            {"counted": _("Only counts say what they count: leave this empty for percentages, days and money.")}
        )


@transaction.atomic
def indicator_define(
    *,
    innovation: Innovation,
    user,
    name: str,
    unit: str,
    direction: str = "higher",
    aggregation: str = "latest",
    currency: str = "",
    order: int = 0,
    name_en: str = "",
    counted: str = "",
) -> Indicator:
    """Define an indicator, or update the one with the same name."""
    require_staff(user)
    indicator = Indicator.objects.filter(innovation=innovation, name=name).first() or Indicator(
        innovation=innovation, name=name
    )
    indicator.name_en = name_en
    indicator.unit = unit
    indicator.direction = direction
    indicator.aggregation = aggregation
    indicator.currency = currency
    indicator.order = order
    indicator.counted = counted or ""
    _check_indicator(indicator)
    indicator.full_clean(validate_unique=False)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, user, **changes) -> Indicator:
    """Change an indicator (its name, unit, order, ...): the same rules as defining it."""
    require_staff(user)
    indicator = Indicator.objects.select_for_update().get(pk=indicator.pk)
    for field, value in changes.items():
        setattr(indicator, field, value)
    indicator.currency = indicator.currency or ""
    indicator.counted = indicator.counted or ""
    _check_indicator(indicator)
    indicator.full_clean()
    indicator.save()
    return indicator


def _check_due_date(indicator: Indicator, due_date: datetime.date) -> None:
    started_on = indicator.innovation.started_on
    if due_date < started_on:
        raise ValidationError(
            {
                "due_date": _("A target cannot be due before the innovation existed (it started on %(date)s).")
                % {"date": started_on.isoformat()}
            }
        )


@transaction.atomic
def target_set(*, indicator: Indicator, stage: str, value: Decimal, due_date: datetime.date, user) -> Target:
    """Set (or change) the indicator's target for a stage."""
    require_staff(user)
    check_value(unit=indicator.unit, value=value)
    _check_due_date(indicator, due_date)
    target = Target.objects.filter(indicator=indicator, stage=stage).first() or Target(indicator=indicator, stage=stage)
    target.value = value
    target.due_date = due_date
    target.full_clean(validate_unique=False)
    target._history_user = user  # who, in the change history (pilots.history)
    target.save()
    return target


@transaction.atomic
def target_update(*, target: Target, user, stage: str, value: Decimal, due_date: datetime.date) -> Target:
    """Change a target; moving it to a stage that already has one is refused."""
    require_staff(user)
    target = Target.objects.select_for_update().get(pk=target.pk)
    if Target.objects.filter(indicator=target.indicator, stage=stage).exclude(pk=target.pk).exists():
        raise ValidationError({"stage": _("This indicator already has a target for that stage.")})
    check_value(unit=target.indicator.unit, value=value)
    _check_due_date(target.indicator, due_date)
    target.stage, target.value, target.due_date = stage, value, due_date
    target.full_clean()
    target._history_user = user  # who, in the change history (pilots.history)
    target.save()
    return target
