"""A research page's indicator chart: the innovation page's figures, public innovations only."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape

from pilots.models import Innovation, Unit, Visibility
from pilots.reporting import services as reporting
from pilots.reporting.services import Entry
from pilots.selectors import innovation_for_page, innovation_progress
from pilots.templatetags.pilots_tags import in_unit
from research.blocks import IndicatorChartBlock, indicator_choices
from tests.factories import DonorFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)
from tests.research.fixtures import make_report

pytestmark = pytest.mark.django_db

D = datetime.date


def chart_page(research_index, *indicators, title="Estudio con gráfico"):
    body = [("chart", {"indicator": str(indicator.pk), "caption": "Meta y resultado"}) for indicator in indicators]
    return make_report(research_index, title=title, body=body)


def digits(html: str) -> str:
    """The page with the thousands and decimal separators taken out: 777.777,5 → 7777775."""
    return re.sub(r"(?<=\d)[.,\u00a0\u202f ](?=\d)", "", html)


# --- A restricted innovation's figures never reach a research page --------------------------------


@pytest.fixture
def confidential(db):
    """A pilot that is public when the study goes live, then restricted to its funder and MFIs."""
    innovation = InnovationFactory(title="Seguro confidencial", slug="seguro-confidencial")
    indicator = IndicatorFactory(innovation=innovation, name="Clientes confidenciales")
    TargetFactory(indicator=indicator, value=Decimal(888_888), due_date=D(2011, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal(777_777), measured_on=D(2011, 3, 31))
    funding = ContributionFactory(innovation=innovation)
    return {"innovation": innovation, "indicator": indicator, "funder": funding.funder}


def sign_in(client, who: str, funder) -> None:
    users = {
        "a donor who does not fund it": lambda: DonorFactory(username="other-donor"),
        "the donor who funds it": lambda: DonorFactory(username="its-donor", funder=funder),
        "staff": lambda: StaffFactory(username="editor"),
    }
    if who in users:
        client.force_login(users[who]())


@pytest.mark.parametrize("who", ["anonymous", "a donor who does not fund it", "the donor who funds it", "staff"])
def test_a_public_study_never_shows_a_restricted_innovations_chart(client, research_index, confidential, who):
    page = chart_page(research_index, confidential["indicator"])
    shown = client.get(page.url).content.decode()
    assert "Clientes confidenciales" in shown and "777777" in digits(shown)  # public: drawn

    innovation = confidential["innovation"]
    innovation.visibility = Visibility.DONORS
    innovation.save(update_fields=["visibility"])

    sign_in(client, who, confidential["funder"])
    html = client.get(page.url).content.decode()
    assert "Estudio con gráfico" in html
    for secret in ("Seguro confidencial", "seguro-confidencial", "Clientes confidenciales"):
        assert secret not in html
    assert "777777" not in digits(html) and "888888" not in digits(html)
    assert "data-figure=" not in html
    note = "Only association staff see this note" in html or "Solo el personal de la asociación" in html
    assert note == (who == "staff")


# --- The same actual as the innovation page ---------------------------------------------------------


@pytest.fixture
def reported(db, staff_user):
    """A public pilot whose clients are reported by two MFIs each month and approved by staff:
    per-MFI figures only, no network-wide value."""
    innovation = InnovationFactory(title="Microseguro de vida", slug="microseguro-de-vida", started_on=D(2020, 1, 1))
    clients = IndicatorFactory(innovation=innovation, name="Clientes asegurados", unit=Unit.COUNT)
    TargetFactory(indicator=clients, value=Decimal(10_000), due_date=D(2030, 1, 1))
    reporting.reporting_plan_save(
        innovation=innovation,
        user=staff_user,
        frequency="monthly",
        first_period=D(2021, 1, 1),
        last_period=D(2021, 6, 1),
        days_to_report=10,
    )
    for officer, values in (("mfi-a", (1_200, 1_450)), ("mfi-b", (2_650, 2_300))):
        member = MemberUserFactory(username=officer)
        participation = ParticipationFactory(innovation=innovation, institution=member.institution)
        reporting.reported_indicators_set(participation=participation, indicators=[clients], user=staff_user)
        for start, value in zip((D(2021, 3, 1), D(2021, 4, 1)), values, strict=True):
            report = reporting.report_save_draft(
                participation=participation,
                period_start=start,
                entries={clients.pk: Entry(value=Decimal(value))},
                comment="",
                version=None,
                user=member,
            )
            reporting.report_submit(report=report, version=report.version, user=member)
            reporting.report_approve(report=report, user=staff_user)
    return {"innovation": innovation, "clients": clients}


def test_the_chart_shows_the_innovation_pages_actual_from_the_mfis_approved_reports(client, research_index, reported):
    innovation, clients = reported["innovation"], reported["clients"]
    progress = innovation_progress(innovation_for_page(Innovation.objects.all(), innovation.slug))[0]
    assert progress.actual == 1_450 + 2_300  # each MFI's latest approved figure, summed
    with translation.override("es"):
        actual = in_unit(progress.actual, clients)

    innovation_page = client.get(innovation.get_absolute_url()).content.decode()
    assert re.search(rf'class="num actual"[^>]*>\s*{re.escape(actual)}<', innovation_page)

    page = chart_page(research_index, clients)
    html = client.get(page.url).content.decode()
    assert f'<span class="chart-actual">{actual}</span>' in html
    with translation.override("es"):
        assert escape(progress.rule.label) in html and escape(progress.rule.label) in innovation_page
    figure = json.loads(
        re.search(rf'<script type="application/json" id="indicator-chart-{clients.pk}">(.*?)</script>', html, re.S)[1]
    )
    assert figure["data"][0]["y"] == [float(value) for _day, value in progress.series]
    table = html.split("<details>", 1)[1]
    for _day, value in progress.series:
        with translation.override("es"):
            assert in_unit(value, clients) in table
    assert f'href="{innovation.get_absolute_url()}"' in html


def test_query_count_grows_by_the_same_three_queries_per_chart(client, research_index, django_assert_max_num_queries):
    """Each chart reads its indicator, targets and measurements (never the editor's list of every
    indicator); both pages are measured uncached."""
    innovation = InnovationFactory()
    indicators = [IndicatorFactory(innovation=innovation) for _ in range(3)]
    for indicator in indicators:
        TargetFactory(indicator=indicator, value=Decimal(100), due_date=D(2011, 12, 31))
        MeasurementFactory(indicator=indicator, value=Decimal(50), measured_on=D(2011, 3, 31))
    one = chart_page(research_index, indicators[0], title="Un gráfico")
    three = chart_page(research_index, *indicators, title="Tres gráficos")
    client.get(one.url)  # the site and its settings, once per process
    cache.clear()  # the study's body is cached: measure a first request of each page
    with CaptureQueriesContext(connection) as queries:
        client.get(one.url)
    with django_assert_max_num_queries(len(queries) + 2 * 3):
        client.get(three.url)


# --- Editors are told when they pick a restricted innovation's indicator ------------------------------


@pytest.fixture
def indicators(db):
    public = IndicatorFactory(innovation=InnovationFactory(title="Ahorro programado"), name="Ahorristas")
    restricted = IndicatorFactory(
        innovation=InnovationFactory(title="Crédito verde", visibility=Visibility.STAFF), name="Créditos"
    )
    return public, restricted


def test_the_chooser_marks_the_indicators_research_pages_will_not_show(indicators):
    public, restricted = indicators
    with translation.override("en"):
        labels = dict(indicator_choices())
    assert labels[str(public.pk)] == "Ahorro programado — Ahorristas"
    assert labels[str(restricted.pk)] == "Crédito verde — Créditos (restricted: not shown on research pages)"
    with translation.override("es"):
        assert dict(indicator_choices())[str(restricted.pk)].endswith(
            "(restringida: no se muestra en las páginas de investigación)"
        )


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "“Crédito verde” is not public: research pages show only the figures of public innovations"),
        ("es", "“Crédito verde” no es pública: las páginas de investigación solo muestran cifras de innovaciones"),
    ],
)
def test_saving_a_chart_of_a_restricted_innovation_is_refused_with_why(indicators, language, message):
    public, restricted = indicators
    block = IndicatorChartBlock()
    assert block.clean(block.to_python({"indicator": str(public.pk), "caption": ""}))["indicator"] == str(public.pk)
    with translation.override(language), pytest.raises(ValidationError) as refused:
        block.clean(block.to_python({"indicator": str(restricted.pk), "caption": ""}))
    assert message in str(refused.value.block_errors["indicator"].message)
