"""Where an indicator is heading at its current pace (pilots.selectors.projection), worked by hand."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pilots.cycle import Stage
from pilots.selectors import RECENT_POINTS, projection
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory, TargetFactory

pytestmark = pytest.mark.django_db
D = datetime.date
START = D(2010, 1, 1)


def course(values, *, target, due, unit="count", direction="higher", started_on=START):
    indicator = IndicatorFactory(unit=unit, direction=direction)
    goal = TargetFactory(indicator=indicator, stage=Stage.PILOT, value=Decimal(target), due_date=due)
    series = [(START + datetime.timedelta(days=30 * n), Decimal(v)) for n, v in enumerate(values)]
    return projection(series, indicator=indicator, target=goal, started_on=started_on), series


def test_a_steady_climb_meets_the_target_on_the_day_the_line_says():
    # 10,000 → 13,000 → 16,000, thirty days apart: 100 a day. From 16,000 on day 60, the
    # 25,000 due on day 150 is met exactly then.
    result, series = course([10000, 13000, 16000], target=25000, due=START + datetime.timedelta(days=150))
    assert result.pace_per_day == pytest.approx(100)
    assert result.at_due == Decimal(25000)
    assert result.reached_on == START + datetime.timedelta(days=150)
    assert result.line == [series[-1], (START + datetime.timedelta(days=150), Decimal(25000))]


def test_rfr_one_reading_is_judged_from_the_start_of_the_work():
    """RFR: 51,000 insured in March 2011, work begun in September 2008 (941 days): 54.2 a day.
    The 58,500 due at the end of 2010 is met 139 days later, in August 2011."""
    innovation = InnovationFactory(started_on=D(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation)
    goal = TargetFactory(indicator=indicator, value=Decimal(58500), due_date=D(2010, 12, 31))
    MeasurementFactory(indicator=indicator, measured_on=D(2011, 3, 31), value=Decimal(51000))
    result = projection(
        [(D(2011, 3, 31), Decimal(51000))], indicator=indicator, target=goal, started_on=innovation.started_on
    )
    assert result.pace_per_day == pytest.approx(51000 / 941)
    assert result.at_due is None  # the due date is behind the last reading
    assert result.reached_on == D(2011, 8, 17)
    assert result.line == [(D(2011, 3, 31), Decimal(51000)), (D(2011, 8, 17), Decimal(58533))]


def test_flat_and_falling_series_never_meet_the_target():
    flat, _ = course([5000, 5000], target=8000, due=D(2011, 1, 1))
    assert (flat.reached_on, flat.at_due) == (None, Decimal(5000))
    falling, _ = course([6000, 5000], target=8000, due=D(2012, 1, 1))
    assert falling.reached_on is None
    assert falling.at_due == Decimal(0)  # a count does not go below zero


def test_lower_is_better_meets_the_target_going_down():
    # 10 days, then 8 days thirty days later: 1 day less every 15 days; 5 days is 45 days on.
    result, series = course([10, 8], target=5, due=START + datetime.timedelta(days=120), unit="days", direction="lower")
    assert result.reached_on == series[-1][0] + datetime.timedelta(days=45)
    assert result.at_due == Decimal(2)  # 8 - 90/15 = 2 days by day 120
    rising, _ = course([8, 10], target=5, due=D(2011, 1, 1), unit="days", direction="lower")
    assert rising.reached_on is None


def test_one_reading_of_a_level_is_taken_to_hold():
    result, _ = course([87], target=90, due=D(2011, 1, 1), unit="percent")
    assert (result.pace_per_day, result.at_due, result.reached_on) == (0, Decimal(87), None)


def test_only_the_recent_points_set_the_pace():
    early_burst = [0, 50000] + [60000 + 3000 * n for n in range(RECENT_POINTS)]
    result, _ = course(early_burst, target=100000, due=D(2012, 1, 1))
    assert result.pace_per_day == pytest.approx(100)


def test_nothing_to_project_without_an_actual_a_target_or_once_met():
    assert course([], target=10, due=D(2011, 1, 1))[0] is None
    assert course([12], target=10, due=D(2011, 1, 1))[0] is None
    assert course([5], target=5, due=D(2011, 1, 1), unit="days", direction="lower")[0] is None
    indicator = IndicatorFactory()
    assert projection([(START, Decimal(1))], indicator=indicator, target=None, started_on=START) is None


def test_the_innovation_page_says_where_the_pace_leads_and_draws_it(client):
    """Today, the RFR course of 2011 lies in the past: it is said so, naming the period whose
    figures set the pace (from the start of the work, September 2008, to March 2011)."""
    innovation = InnovationFactory(started_on=D(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation, name="Clientes asegurados", name_en="Insured clients")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=D(2010, 12, 31))
    MeasurementFactory(indicator=indicator, measured_on=D(2011, 3, 31), value=Decimal(51000))
    english = client.get(f"/en/pilots/{innovation.slug}/")
    assert (
        "At the pace of September 2008 to March 2011, it would have reached the target of 58,500 in August 2011."
        in " ".join(english.content.decode().split())
    )
    figure = english.context["indicators"][0]["figure"]
    assert '"dash":"dot"' in figure and "2011-08-17" in figure
    assert '"name":"At the pace of September 2008 to March 2011"' in figure
    spanish = " ".join(client.get(f"/pilots/{innovation.slug}/").content.decode().split())
    assert (
        "Al ritmo de septiembre de 2008 a marzo de 2011, habría alcanzado la meta de 58.500 en agosto de 2011."
        in spanish
    )


def test_a_course_still_ahead_is_said_in_the_present(client):
    """Figures of the last months, a target due next year: "at this pace … is reached in …"."""
    today = timezone.localdate()
    innovation = InnovationFactory(started_on=today - datetime.timedelta(days=400))
    indicator = IndicatorFactory(innovation=innovation, name_en="Insured clients")
    due = today + datetime.timedelta(days=365)
    TargetFactory(indicator=indicator, value=Decimal(10000), due_date=due)
    MeasurementFactory(indicator=indicator, measured_on=today - datetime.timedelta(days=60), value=Decimal(2000))
    MeasurementFactory(indicator=indicator, measured_on=today - datetime.timedelta(days=30), value=Decimal(3000))
    page = " ".join(client.get(f"/en/pilots/{innovation.slug}/").content.decode().split())
    # 1,000 more every 30 days: 7,000 to go from 30 days ago is 210 days on, before the due date.
    reached = today - datetime.timedelta(days=30) + datetime.timedelta(days=210)
    assert f"the target of 10,000 is reached in {reached:%B %Y}." in page
    assert "At this pace: " in page and "would have" not in page
