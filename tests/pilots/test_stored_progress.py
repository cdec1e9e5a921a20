"""Stored progress (`pilots.progress`): the same answer as the progress rule, current after every write
and every new day, whatever wrote the data."""

import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction

from pilots import services
from pilots.cycle import Stage
from pilots.models import Aggregation, Direction, IndicatorProgress, Innovation, InnovationProgress, Status
from pilots.progress import ensure_current
from pilots.selectors import indicator_progress, innovation_progress, overall_status
from tests.factories import StaffFactory
from tests.pilots.factories import (
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2010, 6, 30)


def stored(indicator) -> IndicatorProgress:
    return IndicatorProgress.objects.get(indicator=indicator)


def health(innovation) -> str:
    return InnovationProgress.objects.get(innovation=innovation).status


def rfr(actual=Decimal(51000)):
    """RFR's micro-insurance pilot: 58,500 clients by the end of 2010, started in September 2008."""
    innovation = InnovationFactory(started_on=datetime.date(2008, 9, 1), stage=Stage.PILOT)
    indicator = IndicatorFactory(innovation=innovation, name="Clientes asegurados")
    TargetFactory(indicator=indicator, stage=Stage.PILOT, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    if actual is not None:
        MeasurementFactory(indicator=indicator, value=actual, measured_on=datetime.date(2010, 3, 31))
    return innovation, indicator


def test_stored_rows_match_the_rule_computed_from_the_measurements():
    """A mix of the rule's cases: network and per-MFI values, cumulative and latest, lower is better,
    no data, no target. What is stored is exactly what the rule gives from the measurements."""
    innovation = InnovationFactory(started_on=datetime.date(2009, 1, 1))
    insured = IndicatorFactory(innovation=innovation, name="Insured")
    TargetFactory(indicator=insured, value=Decimal(1000), due_date=datetime.date(2010, 12, 31))
    a, b = ParticipationFactory(innovation=innovation), ParticipationFactory(innovation=innovation)
    MeasurementFactory(indicator=insured, participation=a, value=Decimal(300), measured_on=datetime.date(2010, 1, 31))
    MeasurementFactory(indicator=insured, participation=b, value=Decimal(200), measured_on=datetime.date(2010, 2, 28))
    MeasurementFactory(indicator=insured, participation=a, value=Decimal(600), measured_on=datetime.date(2010, 3, 31))
    trainings = IndicatorFactory(innovation=innovation, name="Trainings", aggregation=Aggregation.CUMULATIVE)
    TargetFactory(indicator=trainings, value=Decimal(40), due_date=datetime.date(2010, 12, 31))
    for value in (10, 12, 9):
        MeasurementFactory(indicator=trainings, value=Decimal(value), measured_on=datetime.date(2010, 4, value))
    days = IndicatorFactory(innovation=innovation, name="Days to pay", unit="days", direction=Direction.LOWER)
    TargetFactory(indicator=days, value=Decimal(5), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=days, value=Decimal(10), measured_on=datetime.date(2010, 5, 1))
    TargetFactory(indicator=IndicatorFactory(innovation=innovation, name="Not measured yet"))
    IndicatorFactory(innovation=innovation, name="No target")

    assert ensure_current(TODAY) == 1
    fresh = Innovation.objects.get(pk=innovation.pk)
    for indicator in fresh.indicators.all():
        rule = indicator_progress(indicator, stage=fresh.stage, started_on=fresh.started_on, today=TODAY)
        row = stored(indicator)
        assert (row.target, row.actual, row.actual_date, row.percent, row.status) == (
            rule.target,
            rule.actual,
            rule.actual_date,
            rule.percent,
            rule.status,
        ), indicator.name
    # 18 of the 24 months to the due date have passed (share 0.75): 800 of 1,000 insured and 31 of 40
    # trainings are on track; 10 days against 5 (lower is better) is off track.
    assert [stored(i).status for i in fresh.indicators.order_by("pk")] == [
        Status.ON_TRACK,
        Status.ON_TRACK,
        Status.OFF_TRACK,
        Status.NO_DATA,
        Status.NO_TARGET,
    ]
    assert stored(insured).actual == Decimal(800)  # each MFI's latest reading, summed
    assert stored(trainings).actual == Decimal(31)  # every activity adds up
    assert health(innovation) == overall_status(innovation_progress(fresh, today=TODAY)) == Status.OFF_TRACK


def test_a_new_day_recomputes_the_status_without_any_write():
    """'On track' means 'as far as it should be by now': the same 40,000 clients are on track in
    early 2010 and the target is missed once its due date has passed."""
    innovation, indicator = rfr(actual=Decimal(40000))
    assert ensure_current(datetime.date(2010, 1, 31)) == 1
    assert stored(indicator).status == Status.ON_TRACK
    assert ensure_current(datetime.date(2010, 1, 31)) == 0
    assert ensure_current(datetime.date(2011, 1, 31)) == 1
    assert stored(indicator).status == Status.MISSED
    assert health(innovation) == Status.MISSED


@pytest.mark.parametrize("write", ["measurement", "measurement-deleted", "target", "stage", "indicator"])
def test_every_kind_of_write_marks_the_innovation_out_of_date(write):
    innovation, indicator = rfr()
    ensure_current(TODAY)
    assert stored(indicator).actual == Decimal(51000)
    staff = StaffFactory()
    if write == "measurement":
        services.measurement_record(
            indicator=indicator, measured_on=TODAY, value=Decimal(58500), source="Informe RFR", user=staff
        )
        expected = (Decimal(58500), Status.ACHIEVED)
    elif write == "measurement-deleted":
        indicator.measurements.get().delete()  # the admin's path: a plain delete, no service
        expected = (None, Status.NO_DATA)
    elif write == "target":
        target = indicator.targets.get()
        target.value = Decimal(50000)
        target.save()  # a plain save, as the admin does
        expected = (Decimal(51000), Status.ACHIEVED)
    elif write == "stage":
        TargetFactory(
            indicator=indicator, stage=Stage.SCALE, value=Decimal(400000), due_date=datetime.date(2015, 12, 31)
        )
        ensure_current(TODAY)
        services.innovation_advance_stage(
            innovation=innovation, to_stage=Stage.EVALUATE, user=staff, decided_on=datetime.date(2010, 6, 1)
        )
        # 51,000 of the scale-up's 400,000 (due 2015) is behind where it should be by mid-2010.
        expected = (Decimal(51000), Status.OFF_TRACK)
    else:
        indicator.aggregation = Aggregation.CUMULATIVE
        indicator.save()
        MeasurementFactory(indicator=indicator, value=Decimal(9000), measured_on=datetime.date(2010, 4, 30))
        expected = (Decimal(60000), Status.ACHIEVED)
    assert not InnovationProgress.objects.filter(innovation=innovation).exists()
    assert ensure_current(TODAY) == 1
    row = stored(indicator)
    assert (row.actual, row.status) == expected


def test_deleting_an_innovation_or_an_indicator_with_stored_progress_works():
    innovation, indicator = rfr()
    other = IndicatorFactory(innovation=innovation, name="Satisfaction", unit="percent")
    ensure_current(TODAY)
    other.delete()
    assert ensure_current(TODAY) == 1
    assert list(IndicatorProgress.objects.filter(innovation=innovation).values_list("indicator", flat=True)) == [
        indicator.pk
    ]
    innovation.delete()
    assert not IndicatorProgress.objects.exists() and not InnovationProgress.objects.exists()
    assert ensure_current(TODAY) == 0


def test_the_scheduled_command_brings_everything_up_to_date(capsys):
    from django.core.management import call_command

    rfr()
    call_command("refresh_progress")
    assert "for 1 innovation(s)" in capsys.readouterr().out
    call_command("refresh_progress")
    assert "for 0 innovation(s)" in capsys.readouterr().out
    call_command("refresh_progress", "--all")
    assert "for 1 innovation(s)" in capsys.readouterr().out


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks (it runs one writer at a time)")
@pytest.mark.django_db(transaction=True)
def test_a_measurement_committed_during_a_recompute_is_never_hidden_by_it():
    """A reader recomputing an innovation's progress holds its row lock; a measurement recorded
    meanwhile waits for it and then marks the reader's result out of date, so the next read counts
    the new measurement instead of keeping the reader's stale row for the rest of the day."""
    # Earlier transactional tests flushed the tables, content types included: forget their cached ids.
    ContentType.objects.clear_cache()
    innovation, indicator = rfr()
    ensure_current(TODAY)
    locked, done = threading.Event(), threading.Event()

    def slow_reader():
        try:
            with transaction.atomic():
                list(Innovation.objects.select_for_update().filter(pk=innovation.pk).values_list("pk"))
                locked.set()
                time.sleep(0.5)  # the writer commits its measurement while we "compute"
                InnovationProgress.objects.update_or_create(
                    innovation=innovation, defaults={"status": Status.AT_RISK, "computed_on": TODAY}
                )
        finally:
            connection.close()
            done.set()

    reader = threading.Thread(target=slow_reader)
    reader.start()
    assert locked.wait(5)
    services.measurement_record(
        indicator=indicator, measured_on=TODAY, value=Decimal(58500), source="Informe RFR", user=StaffFactory()
    )
    assert done.wait(5)
    reader.join()
    assert not InnovationProgress.objects.filter(innovation=innovation).exists()
    ensure_current(TODAY)
    assert (stored(indicator).actual, health(innovation)) == (Decimal(58500), Status.ACHIEVED)
