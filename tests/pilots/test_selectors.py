"""The progress rule: current target, actual, percentage and status (see pilots/selectors.py)."""

import datetime
from decimal import Decimal

import pytest

from pilots.cycle import Stage
from pilots.models import Indicator
from pilots.selectors import Status, actual_annotations, current_target, indicator_progress, overall_status
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
START = datetime.date(2020, 1, 1)


def progress_of(indicator, *, today, stage=Stage.PILOT):
    """The progress from the indicator's measurements, checked against the progress the
    lists and dashboard compute from database aggregates: both must agree to the digit."""
    from_rows = indicator_progress(indicator, stage=stage, started_on=START, today=today)
    annotated = Indicator.objects.annotate(**actual_annotations()).get(pk=indicator.pk)
    from_database = indicator_progress(annotated, stage=stage, started_on=START, today=today)
    seen = (from_database.actual, from_database.actual_date, from_database.percent, from_database.status)
    assert seen == (from_rows.actual, from_rows.actual_date, from_rows.percent, from_rows.status)
    assert str(from_database.actual) == str(from_rows.actual)
    return from_rows


def make(unit="count", direction="higher", aggregation="latest", target=None, due=datetime.date(2021, 1, 1), values=()):
    indicator = IndicatorFactory(
        innovation=InnovationFactory(started_on=START), unit=unit, direction=direction, aggregation=aggregation
    )
    if target is not None:
        TargetFactory(indicator=indicator, stage=Stage.PILOT, value=Decimal(target), due_date=due)
    for on, value in values:
        MeasurementFactory(indicator=indicator, measured_on=on, value=Decimal(value))
    return indicator


def test_rfr_clients_51000_against_58500_due_end_2010_is_87_percent_and_missed():
    indicator = make(target=58500, due=datetime.date(2010, 12, 31), values=[(datetime.date(2011, 3, 31), 51000)])
    indicator.innovation.started_on = datetime.date(2008, 9, 1)
    p = indicator_progress(
        indicator, stage=Stage.PILOT, started_on=datetime.date(2008, 9, 1), today=datetime.date(2026, 1, 1)
    )
    assert p.actual == Decimal(51000)
    assert p.percent == Decimal("87.2")
    assert p.status == Status.MISSED  # the due date (31/12/2010) has passed unmet
    # On the due date itself 87 % of the target was at risk; the day after, missed.
    for today, status in ((datetime.date(2010, 12, 31), Status.AT_RISK), (datetime.date(2011, 1, 1), Status.MISSED)):
        assert (
            indicator_progress(indicator, stage=Stage.PILOT, started_on=datetime.date(2008, 9, 1), today=today).status
            == status
        )


def test_satisfaction_87_against_90_is_on_track():
    p = progress_of(
        make(unit="percent", target=90, values=[(datetime.date(2020, 6, 1), 87)]), today=datetime.date(2020, 7, 1)
    )
    assert p.percent == Decimal("96.7")
    assert p.status == Status.ON_TRACK


def test_lower_is_better_days_meeting_target_is_achieved_and_twice_is_off_track():
    met = progress_of(
        make(unit="days", direction="lower", target=5, values=[(datetime.date(2020, 6, 1), 5)]),
        today=datetime.date(2020, 7, 1),
    )
    slow = progress_of(
        make(unit="days", direction="lower", target=5, values=[(datetime.date(2020, 6, 1), 10)]),
        today=datetime.date(2020, 7, 1),
    )
    assert (met.percent, met.status) == (Decimal(100), Status.ACHIEVED)
    assert (slow.percent, slow.status) == (Decimal(50), Status.OFF_TRACK)


def test_counts_are_judged_against_the_time_elapsed():
    # Target 1,000 due 2021-01-01, started 2020-01-01. Half-way through the year (183/366 days),
    # 400 is 40 % of target against an expected 50 %: ratio 0.8 -> at risk.
    indicator = make(target=1000, values=[(datetime.date(2020, 6, 1), 400)])
    mid_year = datetime.date(2020, 7, 2)
    assert progress_of(indicator, today=mid_year).status == Status.AT_RISK
    # 460 is 46 % against 50 %: ratio 0.92 -> on track.
    assert (
        progress_of(make(target=1000, values=[(datetime.date(2020, 6, 1), 460)]), today=mid_year).status
        == Status.ON_TRACK
    )
    # Early on, even 100 is on track (expected ~8 % after a month).
    assert (
        progress_of(
            make(target=1000, values=[(datetime.date(2020, 1, 20), 100)]), today=datetime.date(2020, 2, 1)
        ).status
        == Status.ON_TRACK
    )
    # After the due date, unmet is missed: 700 of 1,000; even 990 of 1,000.
    for value in (700, 990):
        assert (
            progress_of(
                make(target=1000, values=[(datetime.date(2020, 6, 1), value)]), today=datetime.date(2021, 6, 1)
            ).status
            == Status.MISSED
        )
    # On the due date itself it is not missed yet.
    assert (
        progress_of(
            make(target=1000, values=[(datetime.date(2020, 6, 1), 990)]), today=datetime.date(2021, 1, 1)
        ).status
        == Status.ON_TRACK
    )


def test_a_target_met_stays_achieved_after_its_due_date_and_lower_is_better_can_be_missed():
    late = datetime.date(2022, 1, 1)
    assert progress_of(make(target=1000, values=[(datetime.date(2020, 6, 1), 1000)]), today=late).status == (
        Status.ACHIEVED
    )
    days = make(unit="days", direction="lower", target=5, values=[(datetime.date(2020, 6, 1), 6)])
    assert progress_of(days, today=late).status == Status.MISSED


def test_achieved_when_target_met():
    p = progress_of(make(target=1000, values=[(datetime.date(2020, 6, 1), 1200)]), today=datetime.date(2020, 7, 1))
    assert (p.percent, p.status) == (Decimal(120), Status.ACHIEVED)


def test_no_measurement_is_no_data_and_no_target_is_no_target():
    assert progress_of(make(target=1000), today=datetime.date(2020, 7, 1)).status == Status.NO_DATA
    p = progress_of(make(values=[(datetime.date(2020, 6, 1), 5)]), today=datetime.date(2020, 7, 1))
    assert (p.status, p.actual, p.percent) == (Status.NO_TARGET, Decimal(5), None)


def test_latest_reading_takes_the_most_recent_value_and_cumulative_adds_up():
    values = [(datetime.date(2020, 3, 1), 100), (datetime.date(2020, 6, 1), 250), (datetime.date(2020, 4, 1), 200)]
    latest = progress_of(make(values=values), today=datetime.date(2020, 7, 1))
    total = progress_of(make(aggregation="cumulative", values=values), today=datetime.date(2020, 7, 1))
    assert latest.actual == Decimal(250)
    assert total.actual == Decimal(550)
    assert [v for _d, v in total.series] == [Decimal(100), Decimal(300), Decimal(550)]


def test_per_mfi_readings_are_summed_for_counts_and_averaged_for_percentages():
    for unit, expected in (("count", Decimal(300)), ("percent", Decimal(75))):
        indicator = make(unit=unit)
        a = ParticipationFactory(innovation=indicator.innovation)
        b = ParticipationFactory(innovation=indicator.innovation)
        MeasurementFactory(
            indicator=indicator, participation=a, measured_on=datetime.date(2020, 2, 1), value=Decimal(10)
        )
        MeasurementFactory(
            indicator=indicator, participation=a, measured_on=datetime.date(2020, 3, 1), value=Decimal(100)
        )
        MeasurementFactory(
            indicator=indicator,
            participation=b,
            measured_on=datetime.date(2020, 4, 1),
            value=Decimal(50) if unit == "percent" else Decimal(200),
        )
        assert progress_of(indicator, today=datetime.date(2020, 5, 1)).actual == expected


def test_network_wide_values_take_precedence_over_per_mfi_ones():
    indicator = make()
    MeasurementFactory(
        indicator=indicator, participation=ParticipationFactory(innovation=indicator.innovation), value=Decimal(999)
    )
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2020, 2, 1), value=Decimal(40))
    assert progress_of(indicator, today=datetime.date(2020, 5, 1)).actual == Decimal(40)


def test_current_target_is_the_stage_target_else_the_next_else_the_last():
    indicator = IndicatorFactory()
    design = TargetFactory(indicator=indicator, stage=Stage.DESIGN, due_date=datetime.date(2020, 6, 1))
    scale = TargetFactory(indicator=indicator, stage=Stage.SCALE, due_date=datetime.date(2023, 1, 1))
    assert current_target(indicator, Stage.DESIGN) == design
    assert current_target(indicator, Stage.PILOT) == scale
    assert current_target(IndicatorFactory(), Stage.PILOT) is None
    only_design = IndicatorFactory()
    old = TargetFactory(indicator=only_design, stage=Stage.DESIGN)
    assert current_target(only_design, Stage.EVALUATE) == old


def test_overall_status_is_the_worst_measured_one():
    ok = progress_of(make(target=10, values=[(datetime.date(2020, 6, 1), 10)]), today=datetime.date(2020, 7, 1))
    empty = progress_of(make(target=10), today=datetime.date(2020, 7, 1))
    missed = progress_of(make(target=10, values=[(datetime.date(2020, 6, 1), 1)]), today=datetime.date(2021, 7, 1))
    late = progress_of(make(target=10, values=[(datetime.date(2020, 6, 1), 1)]), today=datetime.date(2020, 12, 1))
    untargeted = progress_of(make(values=[(datetime.date(2020, 6, 1), 5)]), today=datetime.date(2020, 7, 1))
    assert (missed.status, late.status) == (Status.MISSED, Status.OFF_TRACK)
    assert overall_status([ok, late, missed, empty]) == Status.MISSED
    assert overall_status([ok, late, empty]) == Status.OFF_TRACK
    assert overall_status([ok, untargeted]) == Status.ACHIEVED
    assert overall_status([empty]) == Status.NO_DATA
    assert overall_status([untargeted]) == Status.NO_TARGET
    assert overall_status([]) == Status.NO_TARGET


def test_an_innovation_is_not_achieved_while_a_target_waits_for_data():
    """REDCAMIF: its 10 participating MFIs reached the target of 10, but none of the 25,000 clients
    with a micro-pension is known yet: that is no data, not achieved."""
    mfis = progress_of(make(target=10, values=[(datetime.date(2011, 6, 30), 10)]), today=datetime.date(2011, 7, 1))
    clients = progress_of(make(target=25000, due=datetime.date(2012, 12, 31)), today=datetime.date(2011, 7, 1))
    assert (mfis.status, clients.status) == (Status.ACHIEVED, Status.NO_DATA)
    assert overall_status([mfis, clients]) == Status.NO_DATA
    assert overall_status([mfis]) == Status.ACHIEVED


def test_latest_by_participant_takes_each_mfis_latest_or_total():
    from pilots.selectors import latest_by_participant

    for aggregation, expected in (("latest", Decimal(100)), ("cumulative", Decimal(110))):
        indicator = make(aggregation=aggregation)
        mfi = ParticipationFactory(innovation=indicator.innovation, institution__name=f"Cooperativa {aggregation}")
        MeasurementFactory(
            indicator=indicator, participation=mfi, measured_on=datetime.date(2020, 2, 1), value=Decimal(10)
        )
        MeasurementFactory(
            indicator=indicator, participation=mfi, measured_on=datetime.date(2020, 3, 1), value=Decimal(100)
        )
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2020, 3, 1), value=Decimal(999))
        assert latest_by_participant(indicator) == [(f"Cooperativa {aggregation}", datetime.date(2020, 3, 1), expected)]


def test_database_actuals_match_the_rule_for_fractions_ties_and_mixed_sources():
    """Sums of fractional values, averages that do not terminate, readings on the same day,
    and network values next to per-MFI ones: the database aggregates give the same actual."""
    day = datetime.date(2020, 3, 1)
    for unit, aggregation in (("percent", "latest"), ("count", "latest"), ("count", "cumulative")):
        indicator = make(unit=unit, aggregation=aggregation, target=50)
        mfis = [ParticipationFactory(innovation=indicator.innovation) for _ in range(3)]
        for mfi, values in zip(mfis, (("0.10", "33.33"), ("0.20", "10.01"), ("66.67", "0.30")), strict=True):
            for value in values:
                MeasurementFactory(indicator=indicator, participation=mfi, measured_on=day, value=Decimal(value))
        per_mfi = progress_of(indicator, today=datetime.date(2020, 5, 1))
        MeasurementFactory(indicator=indicator, measured_on=day, value=Decimal("0.10"))
        MeasurementFactory(indicator=indicator, measured_on=day, value=Decimal("0.20"))
        with_network = progress_of(indicator, today=datetime.date(2020, 5, 1))
        assert per_mfi.actual is not None and with_network.actual is not None
    assert progress_of(make(target=10), today=datetime.date(2020, 5, 1)).actual is None
