"""The rules every figure obeys, whether staff log it (a measurement, a target) or an MFI
reports it (`pilots.reporting.services`)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import Unit


def figure_errors(
    *, unit: str, value: Decimal | None = None, numerator: Decimal | None = None, denominator: Decimal | None = None
) -> dict[str, str]:
    """What is wrong with a figure, by part ("value", "numerator", "denominator"): the rules every
    figure obeys, whether staff log it or an MFI reports it (`pilots.reporting.services`)."""
    errors = {}
    for part, amount in (("value", value), ("numerator", numerator), ("denominator", denominator)):
        if amount is not None and amount < 0:
            errors[part] = _("A value cannot be negative.")
    if unit == Unit.PERCENT and value is not None and value > 100:
        errors["value"] = _("A percentage cannot be above 100.")
    if numerator is not None and denominator is not None:
        if denominator == 0:
            errors["denominator"] = _("The denominator must be more than zero.")
        elif numerator > denominator:
            errors.setdefault("numerator", _("The numerator cannot be larger than the denominator."))
    return errors


def check_value(*, unit: str, value: Decimal, field: str = "value") -> None:
    if value is None:
        raise ValidationError({field: _("Enter a value.")})
    if errors := figure_errors(unit=unit, value=value):
        raise ValidationError({field: errors["value"]})
