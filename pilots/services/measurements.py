"""Observed values of indicators, as staff log and correct them; which series makes the actual."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import Indicator, Measurement, Participation, Unit
from ..selectors.actual import percent_from_parts
from .common import require_staff, today
from .figures import check_value, figure_errors


@transaction.atomic
def measurement_record(
    *,
    indicator: Indicator,
    measured_on: datetime.date,
    value: Decimal,
    source: str,
    user,
    participation: Participation | None = None,
    submission_key=None,
    numerator: Decimal | None = None,
    denominator: Decimal | None = None,
    confirm_override: bool = False,
) -> Measurement:
    """Log an observed value of an indicator.

    `submission_key` makes the write idempotent: a form submitted twice (double
    click, retry after a dropped connection) records one measurement, not two.
    A value that would change which series makes the actual (`check_override`) is
    refused until `confirm_override` says the person has read what will happen.
    """
    require_staff(user)
    if submission_key:
        existing = Measurement.objects.filter(submission_key=submission_key).first()
        if existing:
            return existing
    if measured_on is None:
        raise ValidationError({"measured_on": _("Enter the date of the measurement.")})
    if not (source or "").strip():
        raise ValidationError({"source": _("Say where the number comes from.")})
    measurement = Measurement(
        indicator=indicator,
        measured_on=measured_on,
        value=value,
        source=source.strip(),
        participation=participation,
        numerator=numerator,
        denominator=denominator,
        logged_by=user,
    )
    if submission_key:
        measurement.submission_key = submission_key
    _check_measurement(measurement)
    if not confirm_override:
        check_override(measurement)
    try:
        with transaction.atomic():
            measurement._history_user = user  # who, in the change history (pilots.history)
            measurement.save()
    except IntegrityError:
        # Two identical submissions raced each other: the first one won.
        return Measurement.objects.get(submission_key=submission_key)
    return measurement


def _check_parts(measurement: Measurement) -> None:
    """A percentage may say what it is a percentage of (satisfied clients of clients surveyed):
    then both parts are needed and the value must be their ratio (weighted aggregation,
    `pilots.selectors.weighted_percent`)."""
    numerator, denominator = measurement.numerator, measurement.denominator
    if numerator is None and denominator is None:
        return
    if measurement.indicator.unit != Unit.PERCENT:
        raise ValidationError({"numerator": _("Only a percentage has a numerator and a denominator.")})
    if numerator is None or denominator is None:
        raise ValidationError({"denominator": _("Give both the numerator and the denominator, or neither.")})
    if errors := figure_errors(unit=Unit.PERCENT, numerator=numerator, denominator=denominator):
        raise ValidationError(errors)
    if abs(numerator * 100 / denominator - measurement.value) >= Decimal("0.01"):
        raise ValidationError(
            {
                "value": _("The value must be the numerator as a percentage of the denominator (%(percent)s).")
                % {"percent": percent_from_parts(numerator, denominator)}
            }
        )


OVERRIDE = "override"  # the code of `check_override`'s refusal: forms offer "Record it anyway"


def _months(first: datetime.date, last: datetime.date) -> str:
    """A span of months as people write it: "Apr 2011", "Jan–Apr 2011", "Nov 2010–Apr 2011"."""
    if (first.year, first.month) == (last.year, last.month):
        return date_format(first, "M Y")
    if first.year == last.year:
        return f"{date_format(first, 'M')}–{date_format(last, 'M Y')}"
    return f"{date_format(first, 'M Y')}–{date_format(last, 'M Y')}"


def check_override(measurement: Measurement) -> None:
    """Refuse, until confirmed, a value that changes which series makes the actual.

    Network-wide measurements take precedence over per-MFI ones (the progress rule,
    `pilots.selectors`): a first network-wide value of an indicator that has per-MFI
    figures replaces their series in the chart and the actual (RFR: ten MFIs' January to
    April series became one point), and a per-MFI value of an indicator that has
    network-wide figures counts nowhere. The refusal, keyed on `participation` with the
    code `OVERRIDE`, says what would happen.
    """
    others = Measurement.objects.filter(indicator_id=measurement.indicator_id)
    if measurement.pk:
        others = others.exclude(pk=measurement.pk)
    network = others.filter(participation__isnull=True)
    if measurement.participation_id is None:
        if network.exists():
            return  # the network-wide series already makes the actual
        per_mfi = others.filter(participation__isnull=False).aggregate(
            mfis=Count("participation", distinct=True), first=Min("measured_on"), last=Max("measured_on")
        )
        if not per_mfi["mfis"]:
            return
        message = ngettext(
            "This indicator has per-MFI figures from %(count)s MFI (%(months)s). A network-wide value takes "
            "precedence: the chart and the actual will show the network-wide series instead.",
            "This indicator has per-MFI figures from %(count)s MFIs (%(months)s). A network-wide value takes "
            "precedence: the chart and the actual will show the network-wide series instead.",
            per_mfi["mfis"],
        ) % {"count": per_mfi["mfis"], "months": _months(per_mfi["first"], per_mfi["last"])}
    else:
        found = network.aggregate(first=Min("measured_on"), last=Max("measured_on"))
        if found["first"] is None:
            return
        message = _(
            "This indicator has network-wide figures (%(months)s). They take precedence over per-MFI ones: "
            "the chart and the actual will keep showing the network-wide series, without this MFI's value."
        ) % {"months": _months(found["first"], found["last"])}
    raise ValidationError({"participation": ValidationError(message, code=OVERRIDE)})


def _check_measurement(measurement: Measurement) -> None:
    if measurement.measured_on > today():
        raise ValidationError({"measured_on": _("A measurement cannot be dated in the future.")})
    if measurement.measured_on < measurement.indicator.innovation.started_on:
        raise ValidationError({"measured_on": _("A measurement cannot be dated before the innovation started.")})
    check_value(unit=measurement.indicator.unit, value=measurement.value)
    _check_parts(measurement)
    participation = measurement.participation
    if participation is not None and participation.innovation_id != measurement.indicator.innovation_id:
        raise ValidationError({"participation": _("This MFI does not take part in this innovation.")})
    measurement.full_clean()


@transaction.atomic
def measurement_update(*, measurement: Measurement, user, confirm_override: bool = False, **changes) -> Measurement:
    """Correct a logged measurement (a typo, a revised figure); the same rules apply,
    including asking to confirm a move between network-wide and per-MFI (`check_override`)."""
    require_staff(user)
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    was_network = measurement.participation_id is None
    for field, value in changes.items():
        setattr(measurement, field, value)
    _check_measurement(measurement)
    if not confirm_override and (measurement.participation_id is None) != was_network:
        check_override(measurement)
    measurement._history_user = user  # who, in the change history (pilots.history)
    measurement.save()
    return measurement
