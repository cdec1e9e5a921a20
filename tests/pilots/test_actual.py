"""The actual (pilots.selectors.actual): the worked examples of its docstring, by hand, and the one
function every reader reaches (the page, the stored progress) giving the same number."""

import datetime
from decimal import Decimal

import pytest

from pilots.models import Aggregation, Indicator, Unit
from pilots.selectors import (
    ActualRule,
    actual_rule,
    indicator_progress,
    measurement_rows,
    percent_from_parts,
    rounded_percent,
    series_from,
    weighted_percent,
)
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory, ParticipationFactory

JAN, FEB, MAR = datetime.date(2011, 1, 31), datetime.date(2011, 2, 28), datetime.date(2011, 3, 31)
A, B = 1, 2  # two participant MFIs
NETWORK = None


def indicator(unit=Unit.COUNT, aggregation=Aggregation.LATEST) -> Indicator:
    return Indicator(name="Clients", unit=unit, aggregation=aggregation)


def row(on, mfi, value, numerator=None, denominator=None):
    return (
        on,
        mfi,
        Decimal(value),
        None if numerator is None else Decimal(numerator),
        denominator and Decimal(denominator),
    )


def actual(indicator, rows):
    """The actual (the series' last point) and the part of the rule that made it."""
    series = series_from(indicator, rows)
    return series[-1][1], actual_rule(indicator, rows, on=series[-1][0])


def test_network_sum_cumulative_ignores_the_mfis():
    """1,000 clients in January and 500 in February, network-wide: 1,500; an MFI's 70 counts nowhere."""
    counted = indicator(aggregation=Aggregation.CUMULATIVE)
    rows = [row(JAN, NETWORK, 1000), row(FEB, A, 70), row(FEB, NETWORK, 500)]
    assert series_from(counted, rows) == [(JAN, Decimal(1000)), (FEB, Decimal(1500))]
    assert actual(counted, rows) == (Decimal(1500), ActualRule(ActualRule.NETWORK_TOTAL))


def test_network_latest_reading():
    """1,000 then 1,200, network-wide: 1,200, whatever the MFIs say."""
    rows = [row(JAN, NETWORK, 1000), row(FEB, A, 5000), row(MAR, NETWORK, 1200)]
    assert actual(indicator(), rows) == (Decimal(1200), ActualRule(ActualRule.NETWORK))


def test_per_mfi_counts_sum_each_mfis_latest():
    """A's 120 (after its 100) and B's 30: 150."""
    rows = [row(JAN, A, 100), row(JAN, B, 30), row(FEB, A, 120)]
    assert series_from(indicator(), rows) == [(JAN, Decimal(130)), (FEB, Decimal(150))]
    assert actual(indicator(), rows) == (Decimal(150), ActualRule(ActualRule.MFI_SUM, 2))


def test_per_mfi_cumulative_sums_every_value():
    """A adds 100 and 50, B adds 30: 180."""
    counted = indicator(aggregation=Aggregation.CUMULATIVE)
    rows = [row(JAN, A, 100), row(JAN, B, 30), row(FEB, A, 50)]
    assert actual(counted, rows) == (Decimal(180), ActualRule(ActualRule.MFI_TOTAL, 2))


def test_per_mfi_percentages_with_their_parts_are_weighted():
    """A 90 of 100 satisfied, B 40 of 50: 130 ÷ 150 = 86.7 %, not the 85 % of averaging 90 % and 80 %."""
    satisfied = indicator(unit=Unit.PERCENT)
    rows = [row(JAN, A, 90, 90, 100), row(JAN, B, 80, 40, 50)]
    value, rule = actual(satisfied, rows)
    assert rounded_percent(value) == Decimal("86.7")
    assert rule == ActualRule(ActualRule.MFI_WEIGHTED, 2)
    assert weighted_percent([(r[2], r[3], r[4]) for r in rows]) == value


def test_per_mfi_percentages_without_parts_and_days_are_averaged():
    """90 % and 80 % without their parts: 85 %; 10 and 20 days: 15 days."""
    rows = [row(JAN, A, 90), row(JAN, B, 80)]
    assert actual(indicator(unit=Unit.PERCENT), rows) == (Decimal(85), ActualRule(ActualRule.MFI_MEAN, 2))
    days = [row(JAN, A, 10), row(FEB, B, 20)]
    assert actual(indicator(unit=Unit.DAYS), days) == (Decimal(15), ActualRule(ActualRule.MFI_MEAN, 2))


def test_a_percentage_from_its_parts():
    assert percent_from_parts(Decimal(45), Decimal(60)) == Decimal("75.00")
    assert percent_from_parts(Decimal(2), Decimal(3)) == Decimal("66.67")


@pytest.mark.django_db
def test_the_page_and_the_stored_progress_read_the_same_actual():
    """Prefetched measurements (the page, the downloads) and plain rows (the stored progress, the
    research chart) give the same weighted actual, through the same function."""
    innovation = InnovationFactory()
    satisfied = IndicatorFactory(innovation=innovation, unit=Unit.PERCENT)
    for numerator, denominator in ((90, 100), (40, 50)):
        MeasurementFactory(
            indicator=satisfied,
            participation=ParticipationFactory(innovation=innovation),
            measured_on=JAN,
            value=Decimal(numerator * 100) / denominator,
            numerator=numerator,
            denominator=denominator,
        )
    common = {"stage": innovation.stage, "started_on": innovation.started_on, "today": MAR}
    from_rows = indicator_progress(satisfied, rows=measurement_rows([satisfied.pk])[satisfied.pk], **common)
    prefetched = Indicator.objects.prefetch_related("measurements", "targets").get(pk=satisfied.pk)
    from_models = indicator_progress(prefetched, **common)
    assert rounded_percent(from_rows.actual) == rounded_percent(from_models.actual) == Decimal("86.7")
    assert from_rows.rule == ActualRule(ActualRule.MFI_WEIGHTED, 2)
