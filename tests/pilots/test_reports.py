"""Period reports: staff write a semester's narrative; the report (page and PDF) shows the figures as
they stood at the period's end and its milestones, with the same visibility as the innovation."""

import datetime
import re
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from pilots import services
from pilots.cycle import Stage
from pilots.models import MilestoneStatus, PeriodReport, Visibility
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


def write(innovation, user, **changes):
    texts = {"progress": "Diez IMF, 51.000 asegurados.", "progress_en": "Ten MFIs, 51,000 insured."} | changes
    return services.period_report_save(innovation=innovation, year=2011, semester=1, user=user, **texts)


def test_the_report_shows_the_figures_at_the_periods_end_its_milestones_and_the_narrative(rfr):
    innovation, hivos = rfr
    write(innovation, StaffFactory(), difficulties_en="Two MFIs left.")
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    html = " ".join(donor.get(REPORT).content.decode().split())
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
    with mock.patch("pilots.services._today", return_value=datetime.date(2026, 3, 15)):
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
