"""The period report PDFs through the task worker: rendered once per viewer scope, filters and data
version, stored privately and served only to whom may see the report; while it renders a page that
reloads itself; a failed render says so and can be tried again."""

import datetime
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.tasks import task_backends
from django.test import Client, override_settings

from pilots import report_files
from pilots.cycle import Stage
from pilots.models import Visibility
from tests.factories import DonorFactory, FunderFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
)

pytestmark = pytest.mark.django_db
PDF = "/en/pilots/rfr/reports/2011-S1.pdf"
PORTFOLIO_PDF = "/en/pilots/reports/2011-S1.pdf"
QUERIES_TO_SERVE_A_FILE = 5  # the session, the user, the visibility, the site, its letterhead
DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def rfr():
    """RFR's micro-insurance, seen by its funder HIVOS and its participant MFI, not the public;
    51,000 insured clients in March 2011."""
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
    MeasurementFactory(indicator=clients, measured_on=datetime.date(2011, 3, 31), value=Decimal(51000))
    return innovation, hivos, clients


class Renders:
    """Stands in for WeasyPrint: records each HTML it is asked to print; `fail` makes it raise."""

    def __init__(self):
        self.html: list[str] = []
        self.fail = False
        renders = self

        class HTML:
            def __init__(self, *, string, base_url):
                renders.html.append(string)

            def write_pdf(self):
                if renders.fail:
                    raise RuntimeError("Pango ran out of memory")
                return b"%PDF-" + str(len(renders.html)).encode()

        self.HTML = HTML


@pytest.fixture
def renders():
    spy = Renders()
    with mock.patch("weasyprint.HTML", spy.HTML):
        yield spy


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_pdf_downloads_for_each_role_that_may_see_it_and_for_no_other(rfr):
    innovation, hivos, _clients = rfr
    member = MemberUserFactory()
    ParticipationFactory(innovation=innovation, institution=member.institution)
    for user in (StaffFactory(), DonorFactory(funder=hivos), member):
        pdf = signed_in(user).get(PDF)
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert (
            pdf.content.startswith(b"%PDF") and pdf["Content-Disposition"] == 'attachment; filename="rfr-2011-S1.pdf"'
        )
    for client in (signed_in(DonorFactory()), signed_in(MemberUserFactory()), Client()):
        assert client.get(PDF).status_code == 404
        assert client.post(PDF).status_code in (403, 404)  # nor can they ask for a render


def test_the_same_report_is_rendered_once_and_a_new_measurement_renders_it_again(
    rfr, renders, django_assert_max_num_queries
):
    _innovation, hivos, clients = rfr
    donor, colleague = signed_in(DonorFactory(funder=hivos)), signed_in(DonorFactory(funder=hivos))
    first = donor.get(PDF)
    assert first.status_code == 200 and len(renders.html) == 1 and "51,000" in renders.html[0]
    # Another person of the same funder (and the same one again): the stored file.
    with django_assert_max_num_queries(QUERIES_TO_SERVE_A_FILE):
        again = colleague.get(PDF)
    assert again.content == first.content and len(renders.html) == 1
    MeasurementFactory(indicator=clients, measured_on=datetime.date(2011, 5, 31), value=Decimal(52000))
    changed = donor.get(PDF)
    assert len(renders.html) == 2 and "52,000" in renders.html[1] and changed.content != first.content
    assert donor.get(PDF).content == changed.content and len(renders.html) == 2
    # A write to another innovation keeps this one's file.
    other = IndicatorFactory(innovation=InnovationFactory(slug="other", product_line=_innovation.product_line))
    MeasurementFactory(indicator=other, measured_on=datetime.date(2011, 5, 31), value=Decimal(7))
    assert donor.get(PDF).content == changed.content and len(renders.html) == 2


def test_a_file_rendered_for_staff_is_never_served_to_another_scope(rfr, renders):
    innovation, hivos, _clients = rfr
    InnovationFactory(
        title="Interna", title_en="Staff-only pilot", visibility=Visibility.STAFF, started_on=datetime.date(2010, 1, 1)
    )
    staff, donor, other_donor = StaffFactory(), DonorFactory(funder=hivos), DonorFactory()
    staff_pdf = signed_in(staff).get(PORTFOLIO_PDF)
    assert staff_pdf.status_code == 200 and "Staff-only pilot" in renders.html[0]
    # The same address for a donor and for the public: each gets a render of what it may see.
    donor_pdf = signed_in(donor).get(PORTFOLIO_PDF)
    public_pdf = Client().get(PORTFOLIO_PDF)
    assert len(renders.html) == 3 and len({staff_pdf.content, donor_pdf.content, public_pdf.content}) == 3
    assert "Staff-only pilot" not in renders.html[1] and "Simplified micro-insurance" in renders.html[1]
    assert "Staff-only pilot" not in renders.html[2] and "Simplified micro-insurance" not in renders.html[2]
    # The innovation's own PDF: staff's file exists, another funder's donor still gets a 404.
    assert signed_in(staff).get(PDF).status_code == 200 and len(renders.html) == 4
    assert signed_in(other_donor).get(PDF).status_code == 404 and len(renders.html) == 4
    # Nothing of it is public: the files live in the private storage, under no /media/ address.
    report = report_files.ReportFile("any")
    assert report.path.startswith("report-pdfs/") and "media" not in report.path


def test_a_failed_render_says_so_and_trying_again_renders_it(rfr, renders):
    _innovation, hivos, _clients = rfr
    donor = signed_in(DonorFactory(funder=hivos))
    renders.fail = True
    failed = donor.get(PDF)
    body = failed.content.decode()
    assert failed.status_code == 503 and "The PDF could not be prepared" in body and "Try again" in body
    assert 'method="post"' in body and 'http-equiv="refresh"' not in body  # it does not reload for ever
    assert donor.get(PDF).status_code == 503 and len(renders.html) == 1  # asking again is not retrying
    renders.fail = False
    retried = donor.post(PDF)
    assert retried.status_code == 302 and retried["Location"] == f"{PDF}?wait=1"
    ready = donor.get(retried["Location"])
    assert ready.status_code == 200 and "The PDF is ready" in ready.content.decode()
    assert f'content="0;url={PDF}"' in ready.content.decode()  # the download starts by itself
    pdf = donor.get(PDF)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(renders.html) == 2


@override_settings(TASKS=DUMMY_TASKS)
def test_while_it_renders_a_page_reloads_itself_and_a_double_click_queues_one_render(rfr, renders):
    _innovation, hivos, _clients = rfr
    donor, colleague = signed_in(DonorFactory(funder=hivos)), signed_in(DonorFactory(funder=hivos))
    waiting = [donor.get(PDF, {"country": ""}), colleague.get(PDF, {"country": ""})]
    for page in waiting:
        html = page.content.decode()
        assert page.status_code == 202 and "The PDF is being prepared" in html
        assert f'<meta http-equiv="refresh" content="2;url={PDF}?country=&amp;wait=1">' in html
    queued = task_backends["default"].results
    assert len(queued) == 1 and renders.html == []
    # A minute on, the page says it is taking longer than usual (the worker is busy or stopped).
    assert "longer than usual" not in waiting[0].content.decode()
    with mock.patch("time.time", return_value=time.time() + report_files.SLOW_AFTER + 1):
        slow = donor.get(PDF, {"country": "", "wait": "1"})
    assert slow.status_code == 202 and "This is taking longer than usual" in slow.content.decode()
    assert len(queued) == 1
    # The worker runs it; the page's next reload says it is ready, and the address serves the file.
    report_files.render_report_pdf.call(*queued[0].args, **queued[0].kwargs)
    assert "The PDF is ready" in donor.get(PDF, {"country": "", "wait": "1"}).content.decode()
    assert donor.get(PDF, {"country": ""}).content.startswith(b"%PDF") and len(renders.html) == 1
    # A render whose worker died is queued again once it is older than STALE_AFTER.
    donor.get(PORTFOLIO_PDF)
    assert len(queued) == 2
    later = time.time() + report_files.STALE_AFTER + 1
    with mock.patch("pilots.report_files.time.time", return_value=later):
        donor.get(PORTFOLIO_PDF)
        donor.get(PORTFOLIO_PDF)
    assert len(queued) == 3


def test_the_render_refuses_a_viewer_whose_scope_changed_since_they_asked(rfr):
    _innovation, hivos, _clients = rfr
    donor = DonorFactory(funder=hivos)
    job = report_files.ReportJob(
        kind="period",
        year=2011,
        semester=1,
        slug="rfr",
        query="",
        user_id=donor.pk,
        scope="staff",
        language="en",
        path=PDF,
        host="testserver",
        port="80",
    )
    with pytest.raises(PermissionError):
        report_files.render_pdf(job)
