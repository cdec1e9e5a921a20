"""A donor follows the portfolio: lands on the innovations its funder pays for, filters the dashboard,
opens an innovation, reads the projection, downloads its numbers and the semester's reports (the
PDFs a donor forwards: the association's name, a chart, the filters), and never meets what its
funder does not support."""

import csv
import datetime
from decimal import Decimal

import pytest
from pypdf import PdfReader
from wagtail.models import Site

from pilots.models import Visibility
from portal.models import AssociationSettings
from tests.browser.conftest import login
from tests.factories import DonorFactory, FunderFactory, ProductLineFactory, StaffFactory
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
    rfr.product_line = ProductLineFactory(code="insurance", name_en="Micro-insurance")
    rfr.save()
    InnovationFactory(title="Otro seguro", slug="other-insurance", countries=["EC"])
    StaffFactory(username="ana")
    pensions = InnovationFactory(
        title="Micropensiones", slug="pensions", countries=["NI"], product_line=ProductLineFactory(code="pensions")
    )
    TargetFactory(indicator=IndicatorFactory(innovation=pensions, name="Afiliados"), value=Decimal(25000))
    InnovationFactory(title="Otra red", slug="other", visibility=Visibility.DONORS, countries=["EC"])
    AssociationSettings.objects.create(
        site=Site.objects.get(is_default_site=True), name="Red Financiera Rural", short_name="RFR"
    )

    # Staff write RFR's narrative for 2011-S1, choosing the semester on the innovation's page.
    login(page, "ana")
    page.goto("/en/pilots/rfr/")
    page.select_option("#id_report_period", "2011-S1")
    page.click("#reports button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/en/pilots/rfr/reports/2011-S1/")
    page.fill("#id_progress", "Diez IMF; 51.000 asegurados en marzo.")
    page.fill("#id_progress_en", "Ten MFIs; 51,000 insured in March.")
    page.click("#report-form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Ten MFIs; 51,000 insured in March." in page.locator("article.report").inner_text()
    page.context.clear_cookies()

    # Signing in, the donor lands on what its funder pays for: RFR, not the public innovations.
    login(page, "carmen")
    assert page.url.endswith("/pilots/dashboard/funded/")
    assert page.locator("h1").inner_text() == "Innovaciones que usted financia"
    cards = page.locator("main").inner_text()
    assert "Microseguro simplificado" in cards and "Micropensiones" not in cards and "Otra red" not in cards

    page.goto("/en/pilots/dashboard/")
    table = page.locator("section[aria-labelledby='targets-h'] table")
    assert "Micropensiones" in table.inner_text() and "Otra red" not in page.content()

    page.locator("details.dashboard-filters summary").click()
    page.select_option("#id_country", "EC")
    page.select_option("#id_product_line", label="Micro-insurance")
    page.click("details.dashboard-filters button[type=submit]")
    page.wait_for_load_state("networkidle")
    targets = page.locator("section[aria-labelledby='targets-h'] table").inner_text()
    assert "Simplified micro-insurance" in targets and "Micropensiones" not in targets
    # Two public or funded innovations in Ecuador; one of them is micro-insurance.
    countries = page.locator("section[aria-labelledby='countries-h'] tbody").inner_text().split()
    assert countries == ["Ecuador", "1"]
    assert "Missed" in targets

    page.locator("section[aria-labelledby='targets-h'] table a", has_text="Simplified micro-insurance").click()
    page.wait_for_load_state("networkidle")
    # Its course of 2011 is behind us: said in the past, naming the period whose figures set the pace.
    assert (
        "At the pace of September 2008 to March 2011, it would have reached the target of 58,500 in August 2011."
        in page.locator(".projection").inner_text()
    )
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
    assert rows[2][:4] == ["Insured clients", "Actual", "03/31/2011", "51000"]

    # The semester's report, as the staff wrote it, and its PDF.
    page.select_option("#id_report_period", "2011-S1")
    page.click("#reports button[type=submit]")
    page.wait_for_load_state("networkidle")
    report = page.locator("article.report").inner_text()
    assert "Ten MFIs; 51,000 insured in March." in report and "51,000" in report
    assert "report-form" not in page.content()  # donors read, staff write
    with page.expect_download() as download:
        page.click("a[href$='2011-S1.pdf']")
    assert download.value.suggested_filename == "rfr-2011-S1.pdf"
    text = pdf_text(download.value.path())
    assert text.startswith("Red Financiera Rural (RFR)")
    assert "Simplified micro-insurance — Report 2011-S1" in text
    assert "Ten MFIs; 51,000 insured in March." in text
    assert "Insured clients: actual against target" in text  # the chart, drawn into the PDF

    # The semester report of the filtered dashboard says which innovations it covers.
    page.goto("/en/pilots/dashboard/?country=EC&product_line=" + str(rfr.product_line_id))
    page.click("a:has-text('Semester report of these innovations')")
    page.wait_for_load_state("networkidle")
    assert "/en/pilots/reports/2011-S1/" in page.url  # where the figures are, not today's empty semester
    with page.expect_download() as download:
        page.click("a[href*='2011-S1.pdf']")
    text = pdf_text(download.value.path())
    assert text.startswith("Red Financiera Rural (RFR)")
    assert "Product line: Micro-insurance; Country: Ecuador." in text
    assert "Simplified micro-insurance" in text and "Micropensiones" not in text


def pdf_text(path) -> str:
    """The PDF's text as a reader extracts it, spaces collapsed."""
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)
