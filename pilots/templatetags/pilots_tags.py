"""Indicator values with their unit, in the reader's language (51.000 / 51,000): the numbers
are written by `portal.numbers.format_number`, like every other number of the portal."""

from decimal import Decimal

from django import template
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext as _

from pilots.models import Unit
from portal.numbers import format_number

register = template.Library()


def money_text(value) -> str:
    """An amount: its cents when it has any ("8.600,50"), none when it is whole ("10.000.000")."""
    number = Decimal(str(value))
    whole = number == number.to_integral_value()
    return format_number(number, places=0 if whole else 2, fixed=not whole)


@register.filter
def in_unit(value, indicator):
    """A value with its unit: 51,000 · 87 % · 5 days · USD 10,000,000."""
    if value is None or value == "":
        return "—"
    unit = Unit(indicator.unit)
    if unit == Unit.PERCENT:
        return f"{format_number(value, places=unit.places)} %"
    if unit == Unit.DAYS:
        return _("%(n)s days") % {"n": format_number(value, places=unit.places)}
    if unit == Unit.MONEY:
        return f"{indicator.currency} {money_text(value)}"
    return format_number(value, places=unit.places)


@register.simple_tag
def recent_data_months() -> int:
    """How many months a latest figure stays recent (the progress rule's setting), for the legend."""
    from pilots.selectors import recent_data_months as months

    return months()


@register.filter
def percent(value):
    if value is None:
        return "—"
    return f"{format_number(value, places=0)} %"


@register.filter
def is_chosen_period(semester, chosen) -> bool:
    """Whether `semester` is the one a period chooser opens on (`chosen`, which may be missing)."""
    return chosen is not None and getattr(chosen, "period", None) == semester.period


@register.filter
def without_earlier_version(change) -> bool:
    """Whether a history entry is an edit whose earlier version was never recorded."""
    return change.kind_code == "~" and not change.fields


@register.filter
def has_savings(cost) -> bool:
    """Whether a priced product holds compulsory savings (the schedule then has a savings column)."""
    if cost is None:
        return False
    return bool(cost.schedule and cost.schedule[0].savings) or bool(cost.upfront.get("savings"))


@register.filter
def taken_upfront(cost) -> str:
    """What is taken from the amount disbursed, the parts there are, as the page writes them:
    "fee 20.00, interest 180.00, tax on interest 0.00"; empty when nothing is."""
    if cost is None:
        return ""
    labels = {
        "fee": _("fee"),
        "savings": _("savings"),
        "insurance": _("insurance"),
        "interest": _("interest"),
        "tax": _("tax"),
    }
    parts = [
        f"{label} {floatformat(cost.upfront[part], '2g')}" for part, label in labels.items() if cost.upfront.get(part)
    ]
    return ", ".join(parts)
