"""Periods due without a report (pilots.reporting.selectors.overdue_periods), in staff's queue."""

import datetime
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup

from pilots.models import MFIReport
from pilots.reporting import services
from pilots.reporting.selectors import overdue_periods
from pilots.reporting.services import Entry
from tests.factories import MemberInstitutionFactory, MemberUserFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, ParticipationFactory
from tests.research.fixtures import home, locales  # noqa: F401

D = datetime.date


@pytest.fixture
def plan(db, staff_user):
    """A monthly plan from January 2011, 10 days to report; Andina reports clients."""
    innovation = InnovationFactory(title="Micro-insurance", slug="micro-insurance", started_on=D(2010, 1, 1))
    clients = IndicatorFactory(innovation=innovation, name="Clients")
    services.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=D(2011, 1, 1),
        last_period=D(2011, 6, 1),
        days_to_report=10,
    )
    andina = MemberInstitutionFactory(name="Andina")
    participation = ParticipationFactory(innovation=innovation, institution=andina, since=D(2011, 1, 1))
    services.reported_indicators_set(participation=participation, indicators=[clients], user=staff_user)
    return {"participation": participation, "clients": clients, "user": MemberUserFactory(institution=andina)}


def submit(plan, start):
    report = services.report_save_draft(
        participation=plan["participation"],
        period_start=start,
        entries={plan["clients"].pk: Entry(value=Decimal(10))},
        comment="",
        version=None,
        user=plan["user"],
    )
    return services.report_submit(report=report, version=report.version, user=plan["user"])


def test_worked_example(plan):
    """Reported January only: on 2011-04-05 February (due 2011-03-10) is overdue; March (due
    2011-04-10) is not yet. A report counts from the day it was submitted."""
    january = submit(plan, D(2011, 1, 1))
    MFIReport.objects.filter(pk=january.pk).update(submitted_at=datetime.datetime(2011, 2, 5, 10, tzinfo=datetime.UTC))
    rows = overdue_periods(today=D(2011, 4, 5))
    assert [(row["institution"].name, row["period"].start, row["due_on"]) for row in rows] == [
        ("Andina", D(2011, 2, 1), D(2011, 3, 10))
    ]


def test_an_mfi_that_reports_nothing_is_not_chased(plan, staff_user):
    """Only an MFI set to report some indicator owes reports."""
    ParticipationFactory(innovation=plan["participation"].innovation, since=D(2011, 1, 1))
    assert {row["institution"].name for row in overdue_periods(today=D(2011, 4, 5))} == {"Andina"}


def test_the_queue_lists_due_periods_with_mfi_innovation_period_and_date(client, staff_user, plan):
    submit(plan, D(2011, 4, 1))
    client.force_login(staff_user)
    html = client.get("/en/pilots/mfi-reports/").content
    rows = [
        [td.get_text(strip=True) for td in tr.select("td")]
        for tr in BeautifulSoup(html, "html.parser").select("#due tbody tr")
    ]
    assert rows == [
        ["Andina", "Micro-insurance", f"{month} 2011", due]
        for month, due in (
            ("January", "02/10/2011"),
            ("February", "03/10/2011"),
            ("March", "04/10/2011"),
            ("May", "06/10/2011"),
            ("June", "07/10/2011"),
        )
    ]
    # and the submitted April report is in the table of reports to review
    assert "April 2011" in BeautifulSoup(html, "html.parser").select_one("table.queue").get_text()


def test_the_queue_keeps_its_query_count_as_mfis_fall_behind(client, staff_user, plan):
    client.force_login(staff_user)
    client.get("/en/pilots/mfi-reports/")  # warm up: sessions, site, content types

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            client.get("/en/pilots/mfi-reports/")
        return len(captured)

    before = queries()
    for _ in range(4):
        behind = ParticipationFactory(innovation=plan["participation"].innovation, since=D(2011, 1, 1))
        services.reported_indicators_set(participation=behind, indicators=[plan["clients"]], user=staff_user)
    assert "30 periods MFIs should have reported" in client.get("/en/pilots/mfi-reports/").content.decode()
    assert queries() == before
