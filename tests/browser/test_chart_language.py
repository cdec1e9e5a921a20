"""Charts speak the page's language: Spanish month names and thousands on Spanish pages."""

import datetime
from decimal import Decimal

from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory, TargetFactory


def test_a_chart_on_a_spanish_page_writes_months_and_numbers_in_spanish(page, live_server):
    innovation = InnovationFactory(slug="rfr", started_on=datetime.date(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation, name="Clientes asegurados", name_en="Insured clients")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=datetime.date(2011, 12, 31))
    for on, value in ((datetime.date(2011, 1, 31), 40000), (datetime.date(2011, 4, 30), 51000)):
        MeasurementFactory(indicator=indicator, measured_on=on, value=Decimal(value))
    chart = f"[data-figure='figure-{indicator.pk}']"
    ticks = {}
    for language, prefix in (("es", ""), ("en", "/en")):
        page.goto(f"{prefix}/pilots/rfr/")
        page.locator(f"{chart} .xtick text").first.wait_for()
        ticks[language] = (
            page.locator(f"{chart} .xtick text").all_text_contents(),
            page.locator(f"{chart} .ytick text").all_text_contents(),
        )
    spanish_months, spanish_numbers = ticks["es"]
    english_months, english_numbers = ticks["en"]
    assert any(month.startswith(("ene", "abr", "jul", "oct")) for month in spanish_months), spanish_months
    assert any(month.startswith(("Jan", "Apr", "Jul", "Oct")) for month in english_months), english_months
    assert "60.000" in spanish_numbers and "60,000" in english_numbers
