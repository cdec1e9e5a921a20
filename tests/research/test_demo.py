"""The demo loader publishes the seed research in both languages, idempotently."""

import pytest
from django.core.management import call_command
from wagtail.models import WorkflowPage

from research.models import ResearchIndexPage, ResearchReportPage

pytestmark = pytest.mark.django_db


def test_load_demo_publishes_the_seed_research_in_spanish_and_english(client):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115 - twice: idempotent
    assert ResearchIndexPage.objects.live().count() == 2
    spanish = ResearchReportPage.objects.live().filter(locale__language_code="es")
    english = ResearchReportPage.objects.live().filter(locale__language_code="en")
    assert spanish.count() == english.count() == 10
    for index in ResearchIndexPage.objects.all():
        assert WorkflowPage.objects.get(page=index).workflow.name == "Revisión"
    response = client.get("/research/?product_line=micro-insurance&year=2008")
    assert sorted(page.title for page in response.context["reports"]) == [
        "Estudio de demanda de microseguros en Ecuador",
        "Estudio de la oferta de microseguros en Ecuador",
    ]
    topic = client.get("/research/", {"tag": "microseguros"})  # the demo's topic tags, each study once
    assert len(topic.context["reports"]) == 3
    assert (
        ResearchReportPage.objects.get(slug="cgap-modelo-kgfs-india", locale__language_code="en")
        .tags.filter(name="financial inclusion")
        .exists()
    )
    found = client.get("/search/json/?q=microseguros").json()
    kinds = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in found["facets"]}
    assert kinds["kind"]["research"] >= 2  # the two micro-insurance studies, and those on insurance
    titles = {hit["title"] for hit in found["hits"]}
    assert {
        "Estudio de demanda de microseguros en Ecuador",
        "Estudio de la oferta de microseguros en Ecuador",
    } <= titles
    assert any("<mark>microseguros</mark>" in hit["snippet_html"].lower() for hit in found["hits"])
    assert client.get("/en/research/cgap-modelo-kgfs-india/").status_code == 200
