"""A donor follows the portfolio: filters the dashboard, opens an innovation, reads the projection,
downloads its numbers, and never meets what its funder does not support."""

import csv
import datetime
from decimal import Decimal

import pytest

from pilots.models import Visibility
from tests.browser.conftest import login
from tests.factories import DonorFactory, FunderFactory, ProductLineFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    TargetFactory,
)


@pytest.mark.django_db(transaction=True)
def test_a_donor_filters_the_dashboard_and_reads_where_the_pilot_is_heading(page, live_server):
    hivos = FunderFactory(name="HIVOS")
    DonorFactory(username="carmen", funder=hivos)
    rfr = InnovationFactory(
        title="Microseguro simplificado",
        title_en="Simplified micro-insurance",
        slug="rfr",
        countries=["EC"],
        visibility=Visibility.DONORS,
        started_on=datetime.date(2008, 9, 1),
    )
    ContributionFactory(innovation=rfr, funder=hivos)
    clients = IndicatorFactory(innovation=rfr, name="Clientes asegurados", name_en="Insured clients")
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=clients, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))
    pensions = InnovationFactory(
        title="Micropensiones", slug="pensions", countries=["NI"], product_line=ProductLineFactory(code="pensions")
    )
    TargetFactory(indicator=IndicatorFactory(innovation=pensions, name="Afiliados"), value=Decimal(25000))
    InnovationFactory(title="Otra red", slug="other", visibility=Visibility.DONORS, countries=["EC"])

    login(page, "carmen")
    page.goto("/en/pilots/dashboard/")
    table = page.locator("section[aria-labelledby='targets-h'] table")
    assert "Micropensiones" in table.inner_text() and "Otra red" not in page.content()

    page.locator("details.dashboard-filters summary").click()
    page.select_option("#id_country", "EC")
    page.click("details.dashboard-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    targets = page.locator("section[aria-labelledby='targets-h'] table").inner_text()
    assert "Simplified micro-insurance" in targets and "Micropensiones" not in targets
    assert "Missed" in targets

    page.locator("section[aria-labelledby='targets-h'] table a", has_text="Simplified micro-insurance").click()
    page.wait_for_load_state("networkidle")
    assert "At this pace, the target of 58,500 is reached in August 2011." in page.locator(".projection").inner_text()
    page.locator(f"[data-figure='figure-{clients.pk}'] .main-svg").first.wait_for()
    dotted = page.evaluate(
        f"document.querySelector(\"[data-figure='figure-{clients.pk}']\").data"
        ".filter(trace => trace.line && trace.line.dash === 'dot').map(trace => trace.x)"
    )
    assert dotted == [["2011-03-31", "2011-08-17"]]

    with page.expect_download() as download:
        page.click("a[href$='series.csv']")
    with open(download.value.path(), encoding="utf-8") as downloaded:
        rows = list(csv.reader(downloaded))
    assert rows[0][:4] == ["Indicator", "Row", "Date", "Value"]
    assert rows[2][:4] == ["Insured clients", "Actual", "2011-03-31", "51000.00"]
