"""The progress rule: current target, actual, percentage and status (pilots/selectors/status.py, actual.py)."""

import datetime
from decimal import Decimal

import pytest

from pilots.cycle import Stage
from pilots.selectors import (
    Status,
    current_target,
    indicator_progress,
    measurement_rows,
    overall_status,
    series_from,
)
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
    """The progress from the indicator's measurements as its page reads them, checked against
    the stored progress's reading (plain rows from `measurement_rows`): both must agree."""
    from_page = indicator_progress(indicator, stage=stage, started_on=START, today=today)
    rows = measurement_rows([indicator.pk]).get(indicator.pk, [])
    stored = indicator_progress(
        indicator, stage=stage, started_on=START, today=today, series=series_from(indicator, rows)
    )
    seen = (stored.actual, stored.actual_date, stored.percent, stored.status, stored.series, stored.projection)
    assert seen == (
        from_page.actual,
        from_page.actual_date,
        from_page.percent,
        from_page.status,
        from_page.series,
        from_page.projection,
    )
    assert str(stored.actual) == str(from_page.actual)
    return from_page


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


def test_a_level_is_judged_by_its_trend_satisfaction_87_against_90():
    # One reading of 87 % holds at 87 %: 96.7 % of the 90 % target by its due date -> at risk.
    single = progress_of(
        make(unit="percent", target=90, values=[(datetime.date(2020, 6, 1), 87)]), today=datetime.date(2020, 7, 1)
    )
    assert (single.percent, single.status) == (Decimal("96.7"), Status.AT_RISK)
    # 80 % then 87 % a month later (7 points in 31 days) reaches 90 % by the end of the year -> on track.
    rising = make(unit="percent", target=90, values=[(datetime.date(2020, 5, 1), 80), (datetime.date(2020, 6, 1), 87)])
    p = progress_of(rising, today=datetime.date(2020, 7, 1))
    assert (p.percent, p.status) == (Decimal("96.7"), Status.ON_TRACK)
    assert p.projection.reached_on == datetime.date(2020, 6, 15)  # 3 points at 7/31 a day: 13.3 -> 14 days
    # 87 % falling from 95 % heads away from the target: 32 % by the due date -> off track.
    falling = make(unit="percent", target=90, values=[(datetime.date(2020, 5, 1), 95), (datetime.date(2020, 6, 1), 87)])
    assert progress_of(falling, today=datetime.date(2020, 7, 1)).status == Status.OFF_TRACK


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


def test_counts_are_judged_by_where_the_pace_leads_by_the_due_date():
    # Target 1,000 due 2021-01-01; started 2020-01-01. One count of 400 on 2020-06-01 is
    # 152 days of work: 2.63 a day. The 214 days left add 563: 963 by the due date, 96.3 %
    # of the target -> at risk.
    slow = progress_of(make(target=1000, values=[(datetime.date(2020, 6, 1), 400)]), today=datetime.date(2020, 7, 2))
    assert slow.projection.at_due == Decimal(963)
    assert slow.status == Status.AT_RISK
    # 460 at the same date: 460 + 214 × 460/152 = 1,108 by the due date -> on track.
    fast = progress_of(make(target=1000, values=[(datetime.date(2020, 6, 1), 460)]), today=datetime.date(2020, 7, 2))
    assert (fast.projection.at_due, fast.status) == (Decimal(1108), Status.ON_TRACK)
    # 200 at the same date: 200 + 214 × 200/152 = 482, under 75 % -> off track.
    behind = progress_of(make(target=1000, values=[(datetime.date(2020, 6, 1), 200)]), today=datetime.date(2020, 7, 2))
    assert (behind.projection.at_due, behind.status) == (Decimal(482), Status.OFF_TRACK)
    # Two counts set the pace themselves: 300 then 500 a hundred days later (2 a day) -> 500 +
    # 2 × 214 = 928 by the due date: at risk, whatever the start date.
    paced = make(target=1000, values=[(datetime.date(2020, 2, 22), 300), (datetime.date(2020, 6, 1), 500)])
    assert progress_of(paced, today=datetime.date(2020, 7, 2)).projection.at_due == Decimal(928)
    # A first count on the day the work began sets no pace: on track until the next one.
    first_day = progress_of(make(target=1000, values=[(START, 5)]), today=START)
    assert (first_day.projection, first_day.status) == (None, Status.ON_TRACK)
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
    late = datetime.date(2021, 5, 1)  # the figures of June 2020 are still recent (under 12 months old)
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
    missed = progress_of(make(target=10, values=[(datetime.date(2020, 6, 1), 1)]), today=datetime.date(2021, 5, 1))
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


def test_stored_and_page_readings_agree_for_fractions_ties_and_mixed_sources():
    """Sums of fractional values, averages that do not terminate, readings on the same day,
    and network values next to per-MFI ones: both readings of the measurements agree."""
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
