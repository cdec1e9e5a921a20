"""Research pages: tree rules, rendering, translations, document validation."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents.models import Document
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils  # noqa: F401

from portal.models import HomePage
from research.models import ResearchDocument, ResearchIndexPage, ResearchReportPage
from research.validators import validate_research_pdf
from tests.research.fixtures import image_block, large_image, make_innovation, make_report, translate

pytestmark = pytest.mark.django_db


def test_index_lives_under_the_home_page_only():
    assert ResearchIndexPage.allowed_parent_page_models() == [HomePage]
    assert ResearchIndexPage.allowed_subpage_models() == [ResearchReportPage]


def test_reports_live_under_the_index_and_have_no_children():
    assert ResearchReportPage.allowed_parent_page_models() == [ResearchIndexPage]
    assert ResearchReportPage.allowed_subpage_models() == []


def test_tree_rules_refuse_wrong_parents(home, research_index):
    assert not ResearchReportPage.can_create_at(home)
    assert ResearchReportPage.can_create_at(research_index)
    assert not ResearchIndexPage.can_create_at(Page.get_first_root_node())
    # one index per home page
    assert not ResearchIndexPage.can_create_at(home)


def test_index_is_served_in_spanish_and_english(client, research_index):
    assert client.get("/research/").status_code == 200
    response = client.get("/en/research/")
    assert response.status_code == 200
    assert b"Research" in response.content


def test_report_page_shows_contents_key_figures_and_translation_link(client, research_index, english_index, locales):
    body = [
        ("heading", {"text": "Resultados del estudio", "level": "h2"}),
        ("paragraph", "<p>La demanda potencial supera 8,5 millones.</p>"),
        ("key_figure", {"value": "8,5", "label": "millones de personas", "source": "REDCAMIF"}),
        ("quote", {"quote": "Las IMF son el canal adecuado.", "attribution": "REDCAMIF"}),
        ("table", {"caption": "IMF por país", "header": ["País", "IMF"], "rows": [["Nicaragua", "4"]]}),
        ("heading", {"text": "Método", "level": "h3"}),
    ]
    page = make_report(research_index, title="Demanda de micropensiones", body=body)
    translate(page, locales[1], title="Demand for micro-pensions")
    html = client.get(page.url).content.decode()
    assert 'href="#resultados-del-estudio"' in html
    assert '<h2 id="resultados-del-estudio">Resultados del estudio</h2>' in html
    assert '<h3 id="metodo">Método</h3>' in html
    assert "8,5" in html and "millones de personas" in html
    assert "<caption>IMF por país</caption>" in html
    assert 'hreflang="en"' in html and "/en/research/demanda-de-micropensiones/" in html
    assert 'lang="en">Read in English</a>' in html
    english = client.get("/en/research/demanda-de-micropensiones/")
    assert english.status_code == 200
    assert b"Demand for micro-pensions" in english.content
    assert 'lang="es">Leer en español</a>' in english.content.decode()
    assert page.table_of_contents() == [
        {"text": "Resultados del estudio", "anchor": "resultados-del-estudio", "level": "h2"},
        {"text": "Método", "anchor": "metodo", "level": "h3"},
    ]


def test_a_large_body_image_is_offered_in_sizes_that_fit_the_column_not_at_its_full_width(client, research_index):
    page = make_report(research_index, title="Grupos de ahorro", body=[image_block(large_image(width=2400))])
    figure = BeautifulSoup(client.get(page.url).content, "html.parser").select_one("figure.report-image")
    img = figure.img
    offered = sorted(int(candidate.split()[1].rstrip("w")) for candidate in img["srcset"].split(","))
    assert offered == [400, 800, 1200, 1600]  # a phone loads 400 px, never the 2400 px original
    assert img["width"] == "800" and img["sizes"]  # at most the column's width, height kept in proportion
    assert img["alt"] == "Socias de un grupo de ahorro"
    assert figure.figcaption.get_text() == "Reunión de un grupo"


def test_a_small_body_image_is_not_enlarged(client, research_index):
    page = make_report(research_index, title="Logotipo", body=[image_block(large_image(width=300, height=100))])
    img = BeautifulSoup(client.get(page.url).content, "html.parser").select_one("figure.report-image img")
    assert img["width"] == "300"


def test_chart_block_draws_an_indicator_target_against_actuals(client, research_index):
    from datetime import date

    from pilots.models import Indicator, Measurement, Target

    innovation = make_innovation(title="Microseguro", slug="microseguro")
    indicator = Indicator.objects.create(innovation=innovation, name="Clientes asegurados", unit="count")
    Target.objects.create(indicator=indicator, stage="pilot", value=58500, due_date=date(2010, 12, 31))
    Measurement.objects.create(indicator=indicator, measured_on=date(2011, 3, 1), value=51000, source="SEEP 2011")
    page = make_report(
        research_index,
        title="Con gráfico",
        body=[("chart", {"indicator": str(indicator.pk), "caption": "Meta y resultado"})],
    )
    html = client.get(page.url).content.decode()
    assert f'data-figure="indicator-chart-{indicator.pk}"' in html
    assert f'<script type="application/json" id="indicator-chart-{indicator.pk}">' in html
    assert "58500" in html.replace(",", "").replace(".", "") or "58\u202f500" in html
    assert "vendor/plotly.min.js" in html


def _document(name: str, content: bytes) -> Document:
    document = Document(title=name)
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def test_pdf_documents_are_accepted():
    validate_research_pdf(_document("estudio.pdf", b"%PDF-1.7\n..."))


def test_other_file_types_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_research_pdf(_document("estudio.docx", b"PK\x03\x04"))
    assert error.value.code == "not_pdf"


def test_files_pretending_to_be_pdf_are_refused():
    with pytest.raises(ValidationError) as error:
        validate_research_pdf(_document("estudio.pdf", b"<html>not a pdf</html>"))
    assert error.value.code == "not_pdf"


def test_large_documents_are_refused(settings):
    settings.RESEARCH_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        validate_research_pdf(_document("grande.pdf", b"%PDF-1.7\n" + b"x" * 100))
    assert error.value.code == "too_large"


def test_attached_document_validates_on_clean(research_index):
    page = make_report(research_index, title="Con anexo")
    attachment = ResearchDocument(page=page, document=_document("anexo.txt", b"hola"))
    with pytest.raises(ValidationError):
        attachment.full_clean()
    good = ResearchDocument(page=page, document=_document("anexo.pdf", b"%PDF-1.4 ok"), title="Anexo")
    good.full_clean()
    good.save()
    assert page.documents.get().label == "Anexo"


def test_report_links_only_the_innovations_the_reader_may_see(research_index, staff_user):
    from django.test import Client

    public = make_innovation(title="Microseguro público", slug="publico")
    secret = make_innovation(
        title="Microseguro reservado", slug="reservado", visibility="staff", line=public.product_line
    )
    page = make_report(research_index, title="Estudio enlazado", innovations=[public, secret])
    html = Client().get(page.url).content.decode()
    assert "/pilots/publico/" in html and "reservado" not in html
    staff = Client()
    staff.force_login(staff_user)
    assert "/pilots/reservado/" in staff.get(page.url).content.decode()
