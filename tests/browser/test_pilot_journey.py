"""A staff member logs a measurement on an innovation's page and sees the chart and table update."""

import datetime
from decimal import Decimal

import pytest

from tests.browser.conftest import login
from tests.factories import StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory, TargetFactory


@pytest.mark.django_db(transaction=True)
def test_staff_logs_a_measurement_and_sees_chart_and_table_update(page, live_server):
    StaffFactory(username="ana")
    innovation = InnovationFactory(
        title="Microseguro simplificado", slug="microseguro", started_on=datetime.date(2008, 9, 1)
    )
    clients = IndicatorFactory(innovation=innovation, name="Clientes asegurados", unit="count")
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=clients, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))

    login(page, "ana")
    page.goto("/en/pilots/microseguro/")
    row = page.locator(f"tr[data-indicator='{clients.pk}']")
    assert "51,000" in row.locator("td.actual").inner_text()
    assert "87 %" in row.locator("td.percent").inner_text()
    chart = page.locator(f"[data-figure='figure-{clients.pk}']")
    chart.locator(".main-svg").first.wait_for()
    assert page.evaluate(f"document.querySelector(\"[data-figure='figure-{clients.pk}']\").data[0].y") == [51000]

    page.locator("details.staff-form:has(#measurement-form) summary").click()
    page.select_option("#id_measurement-indicator", str(clients.pk))
    page.fill("#id_measurement-measured_on", "2011-12-31")
    page.fill("#id_measurement-value", "60000")
    page.fill("#id_measurement-source", "Informe anual RFR 2011")
    page.click("#measurement-form button[type=submit]")
    page.wait_for_load_state("networkidle")

    assert "Measurement logged" in page.locator(".messages").inner_text()
    row = page.locator(f"tr[data-indicator='{clients.pk}']")
    assert "60,000" in row.locator("td.actual").inner_text()
    assert "Achieved" in row.inner_text()
    page.locator(f"[data-figure='figure-{clients.pk}'] .main-svg").first.wait_for()
    assert page.evaluate(f"document.querySelector(\"[data-figure='figure-{clients.pk}']\").data[0].y") == [51000, 60000]
