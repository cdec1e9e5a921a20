"""A study page's cost does not grow with the portfolio (issue 24): its table of contents and
its chart blocks never read the editor's list of every indicator, and its body is cached like
the index's — a published edit still shows at once, a preview shows what is not saved yet."""

import json
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from research.models import ResearchReportPage
from tests.factories import StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory, TargetFactory
from tests.research.fixtures import make_report

pytestmark = pytest.mark.django_db

BODY = [
    ("heading", {"text": "Demanda", "level": "h2"}),
    ("paragraph", "<p>La demanda potencial supera 8,5 millones.</p>"),
    ("heading", {"text": "Por país", "level": "h3"}),
    ("heading", {"text": "Canales", "level": "h3"}),
    ("heading", {"text": "Conclusiones", "level": "h2"}),
]


@pytest.fixture
def indicator(db):
    indicator = IndicatorFactory(innovation=InnovationFactory(title="Microseguro"), name="Clientes asegurados")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal(51000), measured_on=date(2011, 3, 31))
    return indicator


@pytest.fixture
def study(research_index, indicator) -> ResearchReportPage:
    chart = ("chart", {"indicator": str(indicator.pk), "caption": "Meta y resultado"})
    return make_report(research_index, title="Demanda de microseguros", body=[*BODY[:2], chart, *BODY[2:]])


def _queries(client, url) -> tuple[list[str], str]:
    """The SQL of one request and the page it served."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries], response.content.decode()


def _uncached(client, *urls) -> list[int]:
    """How many queries each page costs with its body not cached (each page requested once
    before, so that work done once after a write is not counted)."""
    for url in urls:
        client.get(url)
    cache.clear()
    Site.get_site_root_paths()  # Wagtail keeps the site's paths in the cache too: not the page's cost
    return [len(_queries(client, url)[0]) for url in urls]


def test_the_contents_list_sections_and_subsections_in_order_without_reading_the_blocks(
    study, django_assert_num_queries
):
    page = ResearchReportPage.objects.get(pk=study.pk)
    with django_assert_num_queries(0):  # the chart block's indicator list is never read
        contents = page.table_of_contents()
    assert contents == [
        {"text": "Demanda", "anchor": "demanda", "level": "h2"},
        {"text": "Por país", "anchor": "por-pais", "level": "h3"},
        {"text": "Canales", "anchor": "canales", "level": "h3"},
        {"text": "Conclusiones", "anchor": "conclusiones", "level": "h2"},
    ]


def test_the_page_shows_its_contents_and_chart(client, study, indicator):
    html = client.get(study.url).content.decode()
    for anchor in ("demanda", "por-pais", "canales", "conclusiones"):
        assert f'href="#{anchor}"' in html and f'id="{anchor}"' in html
    assert f'data-figure="indicator-chart-{indicator.pk}"' in html
    assert html.index('id="demanda"') < html.index("indicator-chart") < html.index('id="por-pais"')
    assert "vendor/plotly.min.js" in html  # the frame still loads the chart library


def test_a_study_with_a_chart_costs_the_same_queries_however_many_indicators_exist(client, research_index, study):
    without_chart = make_report(research_index, title="Sin gráfico", body=BODY)
    IndicatorFactory.create_batch(3)
    with_few, plain = _uncached(client, study.url, without_chart.url)
    assert with_few - plain == 3  # the chart's indicator, its targets, its measurements; no list
    IndicatorFactory.create_batch(30)
    assert _uncached(client, study.url) == [with_few]


def test_the_second_anonymous_request_reuses_the_rendered_body(client, study, indicator):
    client.get(study.url)  # the site and its settings, once per process
    cache.clear()
    first, _ = _queries(client, study.url)
    second, html = _queries(client, study.url)
    assert len(second) < len(first)
    body_tables = ("pilots_", "research_researchdocument", "research_author", "taggit_")
    assert [sql for sql in second if any(table in sql for table in body_tables)] == []
    assert f'data-figure="indicator-chart-{indicator.pk}"' in html
    assert 'href="#conclusiones"' in html


def test_a_published_edit_shows_on_the_next_request(client, study):
    assert "Conclusiones" in client.get(study.url).content.decode()
    page = ResearchReportPage.objects.get(pk=study.pk)
    page.body = [*BODY[:4], ("heading", {"text": "Recomendaciones", "level": "h2"})]
    page.save_revision().publish()
    html = client.get(study.url).content.decode()
    assert 'href="#recomendaciones"' in html
    assert "Conclusiones" not in html


def test_a_preview_shows_unsaved_content_and_leaves_the_page_as_published(client, study):
    client.get(study.url)  # the published body is now cached
    page = ResearchReportPage.objects.get(pk=study.pk)
    page.body = [*BODY, ("heading", {"text": "Borrador sin guardar", "level": "h2"})]
    preview = page.make_preview_request()
    assert preview.status_code == 200
    html = preview.content.decode()
    assert 'href="#borrador-sin-guardar"' in html and 'id="borrador-sin-guardar"' in html
    assert "Borrador sin guardar" not in client.get(study.url).content.decode()


def test_the_editor_still_offers_the_indicator_list(client, study, indicator):
    client.force_login(StaffFactory(username="editora", is_superuser=True))
    other = IndicatorFactory(innovation=InnovationFactory(title="Ahorro programado"), name="Ahorristas")
    response = client.get(f"/admin/pages/{study.pk}/edit/")
    assert response.status_code == 200
    offered = _block_definitions(response.content.decode())
    assert "Microseguro — Clientes asegurados" in offered
    assert "Ahorro programado — Ahorristas" in offered  # every indicator, not only the chosen one
    assert other.pk != indicator.pk


def _block_definitions(html: str) -> str:
    """The StreamField's block definitions as text: the editor draws its forms from JSON held in
    attributes, where the chart block's list of indicators is an HTML string."""
    texts = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        for value in tag.attrs.values():
            if isinstance(value, str) and value.startswith(("{", "[")):
                try:
                    texts.append(json.dumps(json.loads(value), ensure_ascii=False))
                except ValueError:
                    continue
    return "\n".join(texts)
