"""The progress dashboard: only what the viewer may see, the same numbers in chart, table and CSV."""

import datetime
from decimal import Decimal

import pytest

from pilots.models import Visibility
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
URL = "/en/pilots/dashboard/"


def with_target(title, visibility=Visibility.PUBLIC, actual=51000, target=58500):
    innovation = InnovationFactory(title=title, visibility=visibility, started_on=datetime.date(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation, name=f"Clients of {title}")
    TargetFactory(indicator=indicator, value=Decimal(target), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal(actual), measured_on=datetime.date(2011, 3, 31))
    return innovation


def test_dashboard_counts_stages_and_lists_targets_against_actuals(client):
    with_target("RFR")
    response = client.get(URL)
    summary = response.context["summary"]
    assert {row["stage"].value: row["count"] for row in summary["by_stage"]}["pilot"] == 1
    assert [(r["innovation"].title, r["progress"].percent) for r in summary["targets"]] == [("RFR", Decimal("87.2"))]
    html = response.content.decode()
    assert "51,000" in html and "58,500" in html and 'data-figure="figure-progress"' in html


def test_donor_dashboard_shows_public_and_funded_only(donor_client, donor_user):
    with_target("Public")
    funded = with_target("Funded", visibility=Visibility.DONORS)
    ContributionFactory(innovation=funded, funder=donor_user.funder, amount=Decimal(5000), currency="USD")
    with_target("Someone else's", visibility=Visibility.DONORS)
    with_target("Internal", visibility=Visibility.STAFF)
    summary = donor_client.get(URL).context["summary"]
    assert {r["innovation"].title for r in summary["targets"]} == {"Public", "Funded"}
    assert summary["funding"] == [{"funder": donor_user.funder.name, "currency": "USD", "amount": Decimal(5000)}]


def test_dashboard_csv_has_the_table_numbers(client):
    with_target("RFR")
    lines = client.get(URL, {"format": "csv"}).content.decode().splitlines()
    assert lines[0].startswith("Innovation,Stage,Indicator,Target,Due date,Actual")
    assert lines[1].split(",")[:8] == [
        "RFR",
        "Pilot",
        "Clients of RFR",
        "58500.00",
        "2010-12-31",
        "51000.00",
        "2011-03-31",
        "87.2",
    ]


def test_dashboard_query_count_is_flat(client, django_assert_max_num_queries):
    with_target("First")
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    for n in range(10):
        with_target(f"More {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
