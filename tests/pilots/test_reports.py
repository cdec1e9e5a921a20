"""Period reports: staff write a semester's narrative; the report (page and PDF) shows the figures as
they stood at the period's end and its milestones, with the same visibility as the innovation."""

import datetime
import io
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.test import Client, override_settings
from PIL import Image as Picture
from wagtail.images import get_image_model
from wagtail.models import Site

from pilots import services
from pilots.cycle import Stage
from pilots.models import MilestoneStatus, PeriodReport, Visibility
from pilots.report_charts import indicator_chart
from pilots.reports import semester_to_open
from pilots.selectors import Progress
from portal.models import AssociationSettings
from tests.downloads import pdf_images, pdf_pages
from tests.factories import DonorFactory, FunderFactory, StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
REPORT = "/en/pilots/rfr/reports/2011-S1/"


@pytest.fixture
def rfr():
    """RFR's micro-insurance, restricted to its funders: 40,000 insured at the end of 2010, 51,000 in
    March 2011 and 60,000 in September 2011; a milestone due and one done in 2011-S1."""
    hivos = FunderFactory(name="HIVOS")
    innovation = InnovationFactory(
        slug="rfr",
        title="Microseguro simplificado",
        title_en="Simplified micro-insurance",
        visibility=Visibility.DONORS,
        stage=Stage.PILOT,
        started_on=datetime.date(2008, 9, 1),
    )
    ContributionFactory(innovation=innovation, funder=hivos)
    clients = IndicatorFactory(innovation=innovation, name="Clientes asegurados", name_en="Insured clients")
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    for on, value in ((datetime.date(2010, 12, 31), 40000), (datetime.date(2011, 3, 31), 51000)):
        MeasurementFactory(indicator=clients, measured_on=on, value=Decimal(value))
    MeasurementFactory(indicator=clients, measured_on=datetime.date(2011, 9, 30), value=Decimal(60000))
    MilestoneFactory(innovation=innovation, title="Three more MFIs", planned_date=datetime.date(2011, 6, 30))
    MilestoneFactory(
        innovation=innovation,
        title="Claims manual",
        planned_date=datetime.date(2010, 11, 30),
        status=MilestoneStatus.DONE,
        actual_date=datetime.date(2011, 2, 15),
    )
    return innovation, hivos


def without_charts(html: str) -> str:
    """The page's text without its charts (whose axes are round numbers such as 60,000), spaces collapsed."""
    return " ".join(re.sub(r"<svg.*?</svg>", "", html, flags=re.S).split())


def write(innovation, user, **changes):
    texts = {"progress": "Diez IMF, 51.000 asegurados.", "progress_en": "Ten MFIs, 51,000 insured."} | changes
    return services.period_report_save(innovation=innovation, year=2011, semester=1, user=user, **texts)


def test_the_report_shows_the_figures_at_the_periods_end_its_milestones_and_the_narrative(rfr):
    innovation, hivos = rfr
    write(innovation, StaffFactory(), difficulties_en="Two MFIs left.")
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    html = without_charts(donor.get(REPORT).content.decode())
    assert "Simplified micro-insurance — Report 2011-S1" in html
    assert "Ten MFIs, 51,000 insured." in html and "Two MFIs left." in html
    assert "51,000" in html and "60,000" not in html  # September's figure comes after the period
    assert "Missed" in html  # on 30/06/2011 the end-2010 target had passed unmet
    assert "Three more MFIs" in html and "Claims manual" in html


def test_staff_write_and_revise_the_narrative_through_the_page(rfr, client):
    innovation, _ = rfr
    client.force_login(StaffFactory())
    response = client.post(REPORT, {"progress": "Diez IMF.", "progress_en": "Ten MFIs."})
    assert response.status_code == 302
    report = PeriodReport.objects.get(innovation=innovation, year=2011, semester=1)
    page = client.get(REPORT)
    assert page.context["form"].initial["progress"] == "Diez IMF."
    version = re.search(r'name="expected_updated_at" value="([^"]+)"', page.content.decode()).group(1)
    revised = client.post(REPORT, {"progress": "Diez IMF; dos salieron.", "expected_updated_at": version})
    assert revised.status_code == 302
    assert PeriodReport.objects.get(pk=report.pk).progress == "Diez IMF; dos salieron."


def test_a_save_over_someone_elses_newer_version_is_refused_and_the_text_kept(rfr, client):
    innovation, _ = rfr
    client.force_login(StaffFactory())
    stale = write(innovation, StaffFactory()).updated_at
    write(innovation, StaffFactory(), progress="Someone else's newer text")
    response = client.post(REPORT, {"progress": "My text", "expected_updated_at": stale.isoformat()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved this report while you were writing" in html and "My text" in html
    assert PeriodReport.objects.get().progress == "Someone else's newer text"


def test_the_service_refuses_what_cannot_be_a_report(rfr):
    innovation, _ = rfr
    staff = StaffFactory()
    with pytest.raises(ValidationError, match="Write what progressed"):
        write(innovation, staff, progress="  ")
    with mock.patch("pilots.services.reports.today", return_value=datetime.date(2026, 3, 15)):
        with pytest.raises(ValidationError, match="has not begun"):
            services.period_report_save(innovation=innovation, year=2026, semester=2, user=staff, progress="x")
        with pytest.raises(ValidationError, match="between 2000 and this year"):
            services.period_report_save(innovation=innovation, year=2027, semester=1, user=staff, progress="x")
    with pytest.raises(ValidationError, match="semester is 1"):
        services.period_report_save(innovation=innovation, year=2011, semester=3, user=staff, progress="x")
    with pytest.raises(PermissionDenied):
        write(innovation, DonorFactory())


def test_the_pdf_is_a_pdf_with_the_same_visibility_as_the_page(rfr):
    innovation, hivos = rfr
    write(innovation, StaffFactory())
    own = Client()
    own.force_login(DonorFactory(funder=hivos))
    pdf = own.get("/en/pilots/rfr/reports/2011-S1.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="rfr-2011-S1.pdf"'
    other = Client()
    other.force_login(DonorFactory(funder=FunderFactory(name="Another funder")))
    assert other.get("/en/pilots/rfr/reports/2011-S1.pdf").status_code == 404
    assert other.get(REPORT).status_code == 404
    assert Client().get(REPORT).status_code == 404


def test_only_staff_may_write_and_a_missing_period_is_a_404(rfr):
    innovation, hivos = rfr
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    assert donor.post(REPORT, {"progress": "x"}).status_code == 403
    assert "report-form" not in donor.get(REPORT).content.decode()
    assert donor.get("/en/pilots/rfr/reports/2011-S3/").status_code == 404


PORTFOLIO = "/en/pilots/reports/2011-S1/"
BEGUN = datetime.date(2010, 1, 1)


def test_the_portfolio_report_has_every_innovation_the_viewer_may_see_as_it_stood(rfr):
    innovation, hivos = rfr
    write(innovation, StaffFactory())
    InnovationFactory(title="Micropensiones", title_en="Micro-pensions", countries=["HN"], started_on=BEGUN)
    InnovationFactory(title="Restringida", title_en="Someone else's", visibility=Visibility.DONORS, started_on=BEGUN)
    InnovationFactory(title="Posterior", title_en="Begun later", started_on=datetime.date(2011, 7, 1))
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    response = donor.get(PORTFOLIO)
    assert [s["innovation"].title_en for s in response.context["sections"]] == [
        "Micro-pensions",
        "Simplified micro-insurance",
    ]
    html = without_charts(response.content.decode())
    assert "Portfolio report 2011-S1" in html
    assert "Ten MFIs, 51,000 insured." in html and "51,000" in html and "60,000" not in html
    assert "Someone else" not in html and "Begun later" not in html
    rfr_section = response.context["sections"][1]
    assert (rfr_section["stage"], rfr_section["health"]) == (Stage.PILOT, "missed")
    assert [m.title for m in rfr_section["due"]] == ["Three more MFIs"]
    # The dashboard's filters narrow it: only Honduras.
    honduras = donor.get(PORTFOLIO, {"country": "HN"})
    assert [s["innovation"].title_en for s in honduras.context["sections"]] == ["Micro-pensions"]
    # Anonymous readers get the public ones only.
    assert [s["innovation"].title_en for s in Client().get(PORTFOLIO).context["sections"]] == ["Micro-pensions"]


def test_the_portfolio_pdf_holds_the_same_report_and_visibility(rfr):
    innovation, hivos = rfr
    write(innovation, StaffFactory())
    own = Client()
    own.force_login(DonorFactory(funder=hivos))
    pdf = own.get("/en/pilots/reports/2011-S1.pdf", {"country": ""})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"] == 'attachment; filename="portfolio-2011-S1.pdf"'
    rendered = []

    class Capture:
        def __init__(self, *, string, base_url):
            rendered.append(string)

        def write_pdf(self):
            return b"%PDF-captured"

    other = Client()
    other.force_login(DonorFactory(funder=FunderFactory(name="Another funder")))
    with mock.patch("weasyprint.HTML", Capture):
        own.get("/en/pilots/reports/2011-S1.pdf")
        other.get("/en/pilots/reports/2011-S1.pdf")
    assert "Ten MFIs, 51,000 insured." in rendered[0]
    assert "Simplified micro-insurance" not in rendered[1] and "No innovation matches" in rendered[1]


def test_the_period_chooser_keeps_the_filters_and_bad_periods_are_refused(rfr, client):
    chosen = client.get("/en/pilots/reports/", {"period": "2011-S1", "country": "EC"})
    assert chosen.status_code == 302 and chosen["Location"] == "/en/pilots/reports/2011-S1/?country=EC"
    with mock.patch("pilots.report_pages.timezone.localdate", return_value=datetime.date(2026, 3, 15)):
        assert client.get("/en/pilots/reports/")["Location"] == "/en/pilots/reports/2025-S2/"
        assert client.get("/en/pilots/reports/", {"period": "junk"})["Location"] == "/en/pilots/reports/2025-S2/"
    for bad in ("2011-S3/", "0-S1/", "99999-S1/"):
        assert client.get(f"/en/pilots/reports/{bad}").status_code == 404
    page = client.get(PORTFOLIO, {"stage": "launch"})
    assert page.status_code == 200 and "Select a valid choice" in page.content.decode()


def test_a_long_portfolio_report_says_it_shows_the_first_ones_only(rfr, client):
    for n in range(3):
        InnovationFactory(title=f"Pública {n}", title_en=f"Public {n}", started_on=BEGUN)
    with mock.patch("pilots.report_pages.PORTFOLIO_REPORT_LIMIT", 2):
        response = client.get(PORTFOLIO)
    assert len(response.context["sections"]) == 2
    assert "The first 2 of 3 innovations, by title" in " ".join(response.content.decode().split())


def test_the_portfolio_report_takes_the_same_queries_for_few_or_many_innovations(
    rfr, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def public_with_figures(n):
        innovation = InnovationFactory(title=f"Pública {n}", started_on=BEGUN)
        indicator = IndicatorFactory(innovation=innovation)
        TargetFactory(indicator=indicator, value=Decimal(100), due_date=datetime.date(2011, 12, 31))
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2011, 3, 1), value=Decimal(10))
        MilestoneFactory(innovation=innovation, planned_date=datetime.date(2011, 5, 1))

    public_with_figures(0)
    with CaptureQueriesContext(connection) as few:
        client.get(PORTFOLIO)
    for n in range(1, 6):
        public_with_figures(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(PORTFOLIO).context["sections"]) == 6


def test_the_innovation_page_offers_every_semester_since_it_began(rfr, client):
    innovation, hivos = rfr
    client.force_login(DonorFactory(funder=hivos))
    with mock.patch("pilots.report_pages.timezone.localdate", return_value=datetime.date(2011, 8, 1)):
        page = client.get("/en/pilots/rfr/")
    assert [s.period for s in page.context["semesters"]] == [
        "2011-S2",
        "2011-S1",
        "2010-S2",
        "2010-S1",
        "2009-S2",
        "2009-S1",
        "2008-S2",
    ]
    assert page.context["report_semester"].period == "2011-S1"  # the latest that has ended, with data
    chosen = client.get("/en/pilots/rfr/reports/", {"period": "2010-S2"})
    assert chosen.status_code == 302 and chosen["Location"] == "/en/pilots/rfr/reports/2010-S2/"


PDF = "/en/pilots/rfr/reports/2011-S1.pdf"


def _logo():
    """A small PNG in the image library, as an editor would upload it."""
    picture = io.BytesIO()
    Picture.new("RGB", (120, 40), "#07424f").save(picture, "PNG")
    return get_image_model().objects.create(title="Logo", file=ContentFile(picture.getvalue(), name="logo.png"))


@override_settings(SITE_URL="https://portal.example.org")
def test_the_pdf_is_on_the_associations_letterhead_and_points_to_the_public_portal(rfr):
    innovation, hivos = rfr
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Portal de la red"
    site.save()
    unnamed = donor.get(PDF)  # nothing set under Settings › Association yet: the site's name
    assert "Portal de la red" in pdf_pages(unnamed)[0] and pdf_images(unnamed) == 0

    AssociationSettings.objects.update_or_create(
        site=site,
        defaults={
            "name": "Red Financiera Rural",
            "short_name": "RFR",
            "website": "https://rfr.example",
            "logo": _logo(),
        },
    )
    response = donor.get(PDF)
    pages = pdf_pages(response)
    assert pages[0].startswith("Red Financiera Rural (RFR) https://rfr.example")
    assert pdf_images(response) == 1  # the logo, carried inside the PDF
    # Every page's footer: who it is from and the report's public address, not the host that asked.
    for page in pages:
        assert "Red Financiera Rural (RFR) · https://portal.example.org/en/pilots/rfr/reports/2011-S1/" in page
    assert not any("testserver" in page for page in pages)
    # The page has the same letterhead, its logo a rendition served from the media storage.
    html = donor.get(REPORT).content.decode()
    assert "Red Financiera Rural (RFR)" in html and re.search(r'<img class="report-logo" src="/media/[^"]+\.png"', html)


def test_the_report_draws_each_indicator_against_its_target_as_of_the_periods_end(rfr):
    innovation, hivos = rfr
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    spanish = donor.get("/pilots/rfr/reports/2011-S1/").content.decode()
    charts = re.findall(r"<svg.*?</svg>", spanish, flags=re.S)
    assert len(charts) == 1 and "Insured clients" not in charts[0]  # one indicator; the Spanish name
    labels = re.findall(r">([^<>]+)</text>", charts[0])
    # Numbers as the Spanish page writes them; the last actual is March's (September's comes later).
    assert "51.000" in labels and "60.000" in labels  # the actual, and the axis up to the 58.500 target
    assert any("58.500" in label and "31/12/2010" in label for label in labels)
    assert "60000" not in charts[0] and not any(label.startswith("60.000 ") for label in labels)

    text = " ".join(pdf_pages(donor.get(PDF)))
    assert "Insured clients: actual against target" in text  # the chart's caption
    assert re.search(r"0 20,000 40,000 60,000 .*51,000", text)  # its axis and its last actual

    # Without a target, a single figure is left to the table; two or more make a chart.
    workshops = IndicatorFactory(innovation=innovation, name="Talleres", name_en="Workshops")
    MeasurementFactory(indicator=workshops, measured_on=datetime.date(2011, 2, 1), value=Decimal(3))
    assert len(re.findall(r"<svg", donor.get(REPORT).content.decode())) == 1
    MeasurementFactory(indicator=workshops, measured_on=datetime.date(2011, 5, 1), value=Decimal(6))
    assert "Workshops: actual over time" in " ".join(pdf_pages(donor.get(PDF)))


def test_what_a_period_lacks_is_said_in_one_line_not_in_empty_blocks(rfr):
    innovation, hivos = rfr
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    # 2010-S2: no narrative; the claims manual was due (done only in February 2011).
    text = " ".join(pdf_pages(donor.get("/en/pilots/rfr/reports/2010-S2.pdf")))
    assert "No narrative was written for this period." in text
    assert "Due in the period Claims manual — 11/30/2010 · Done (02/15/2011)" in text
    assert "No milestone was done in the period." in text
    assert "None." not in text and "Narrative" not in text and "Done in the period" not in text
    # Nothing at all in 2008-S2 but the stage: one line each.
    empty = " ".join(pdf_pages(donor.get("/en/pilots/rfr/reports/2008-S2.pdf")))
    assert "No milestone was due or done in the period." in empty and "Milestones" not in empty


def test_the_portfolio_report_says_which_innovations_it_covers_and_charts_them(rfr):
    innovation, hivos = rfr
    innovation.product_line.name_en = "Micro-insurance"
    innovation.product_line.save()
    InnovationFactory(title="Micropensiones", title_en="Micro-pensions", countries=["HN"], started_on=BEGUN)
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    query = {"country": "EC", "product_line": innovation.product_line.pk, "progress": "missed", "stage": ""}
    text = " ".join(pdf_pages(donor.get("/en/pilots/reports/2011-S1.pdf", query)))
    assert "Innovations in this report: Product line: Micro-insurance; Country: Ecuador; Progress: Missed." in text
    assert "Filtered as on the dashboard" not in text and "Micro-pensions" not in text
    everything = donor.get("/en/pilots/reports/2011-S1.pdf")
    pages = pdf_pages(everything)
    assert "All the innovations you may see." in pages[0]
    # The summary's charts: stages and health at the period's end, as its table counts them.
    assert "Innovations by stage at the end of the period" in pages[0]
    assert "Innovations by health at the end of the period" in pages[0]
    assert re.search(r"Identify opportunities 0 Design 0 Pilot 2 Evaluate 0 Scale up 0", pages[0])
    # No page break before each innovation: page 1 goes on from the summary to the first one.
    assert pages[0].count("Micro-pensions") == 2 and "Stage at the end of the period: Pilot." in pages[0]


def test_the_period_chooser_opens_the_latest_semester_with_data(rfr):
    innovation, hivos = rfr
    InnovationFactory(title="Micropensiones", countries=["HN"], started_on=BEGUN)  # nothing recorded yet
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    with mock.patch("pilots.report_pages.timezone.localdate", return_value=datetime.date(2026, 12, 5)):
        # RFR's last figure is from September 2011: not the empty 2026-S1.
        assert donor.get("/en/pilots/rfr/reports/")["Location"] == "/en/pilots/rfr/reports/2011-S2/"
        assert donor.get("/en/pilots/reports/")["Location"] == "/en/pilots/reports/2011-S2/"
        page = donor.get("/en/pilots/rfr/")
        # Honduras has nothing (and anonymous readers see nothing of RFR): the last complete semester.
        assert (
            donor.get("/en/pilots/reports/", {"country": "HN"})["Location"] == "/en/pilots/reports/2026-S1/?country=HN"
        )
        assert Client().get("/en/pilots/reports/")["Location"] == "/en/pilots/reports/2026-S1/"
    assert page.context["report_semester"].period == "2011-S2"
    assert '<option value="2011-S2" selected>' in page.content.decode()
    assert '<option value="2026-S2">' in page.content.decode()  # the others are still offered


@pytest.mark.parametrize(
    ("days", "opens"),
    [
        ([datetime.date(2011, 3, 31), datetime.date(2010, 5, 31), None], "2011-S1"),  # RFR: figures end in 2011
        ([datetime.date(2026, 9, 1), datetime.date(2026, 3, 1)], "2026-S1"),  # a whole semester before half of one
        ([datetime.date(2026, 9, 1), datetime.date(2011, 3, 31)], "2026-S2"),  # nothing in the one before
        ([datetime.date(2027, 1, 1)], None),  # only the future
        ([], None),
    ],
)
def test_the_semester_to_open_is_the_latest_with_data(days, opens):
    found = semester_to_open(days, datetime.date(2026, 12, 5))
    assert (found.period if found else None) == opens


@pytest.mark.parametrize(
    ("unit", "target", "ticks"),
    [
        ("count", 10, ["0", "5", "10"]),  # REDCAMIF's 10 MFIs: no axis at 2.5 institutions
        ("count", 58500, ["0", "20,000", "40,000", "60,000"]),
        ("percent", 90, ["0 %", "25 %", "50 %", "75 %", "100 %"]),
    ],
)
def test_a_charts_value_axis_has_round_steps_in_the_indicators_unit(unit, target, ticks):
    indicator = IndicatorFactory(unit=unit)
    goal = TargetFactory(indicator=indicator, value=Decimal(target), due_date=datetime.date(2011, 6, 30))
    day, value = datetime.date(2011, 1, 15), Decimal(target)
    progress = Progress(
        indicator=indicator,
        target=goal,
        actual=value,
        actual_date=day,
        percent=Decimal(100),
        status="achieved",
        series=[(day, value)],
    )
    chart = indicator_chart(progress)
    assert [tick["label"] for tick in chart["y_ticks"]] == ticks
    assert chart["box"]["left"] < chart["points"][0]["x"] < chart["target"]["x"] < chart["box"]["right"]
