"""The search page and its JSON endpoint, as each kind of user sees them."""

import pytest
from wagtail.rich_text import RichText

from tests.research.fixtures import make_innovation, make_lesson, make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def content(engine, research_index):
    from tests.factories import ProductLineFactory

    insurance = ProductLineFactory(code="micro-insurance", name_es="Microseguros", name_en="Micro-insurance")
    make_report(
        research_index,
        title="Estudio de demanda de microseguros",
        summary="Qué microseguros piden los clientes.",
        product_lines=[insurance],
    )
    public = make_innovation(title="Microseguro simplificado", slug="microseguro", line=insurance)
    secret = make_innovation(title="Microseguro reservado", slug="reservado", line=insurance, visibility="staff")
    make_lesson(secret, text="Lección reservada sobre microseguros.")
    return {"public": public, "secret": secret}


def kinds(payload) -> dict:
    return {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in payload["facets"]}


def test_json_endpoint_returns_hits_facets_and_highlights(client, content):
    payload = client.get("/search/json/?q=microseguros").json()
    assert payload["q"] == "microseguros"
    assert payload["total"] == 2
    assert {(hit["kind"], hit["title"]) for hit in payload["hits"]} == {
        ("research", "Estudio de demanda de microseguros"),
        ("innovation", "Microseguro simplificado"),
    }
    assert kinds(payload)["kind"] == {"research": 1, "innovation": 1}
    labels = {facet["name"]: facet for facet in payload["facets"]}
    assert labels["product_line"]["values"][0]["label"] == "Microseguros"
    research = next(hit for hit in payload["hits"] if hit["kind"] == "research")
    assert "<mark>microseguros</mark>" in research["snippet_html"]
    assert research["url"] == "/research/estudio-de-demanda-de-microseguros/"
    innovation = next(hit for hit in payload["hits"] if hit["kind"] == "innovation")
    assert innovation["url"] == "/pilots/microseguro/"


def test_anonymous_users_never_find_staff_only_innovations(client, content):
    payload = client.get("/search/json/?q=reservado").json()
    assert payload["total"] == 0
    html = client.get("/search/?q=microseguro").content.decode()
    assert "reservad" not in html.lower()


def test_staff_find_staff_only_innovations_and_their_lessons(staff_client, content):
    payload = staff_client.get("/search/json/?q=reservado").json()
    # one result for the innovation, its lesson under it; the kind facet counts the lesson
    assert [(hit["kind"], hit["title"]) for hit in payload["hits"]] == [("innovation", "Microseguro reservado")]
    assert [child["kind"] for child in payload["hits"][0]["children"]] == ["lesson"]
    assert kinds(payload)["kind"] == {"innovation": 1, "lesson": 1}
    lessons = staff_client.get("/search/json/?q=reservado&kind=lesson").json()
    assert [(hit["kind"], hit["title"]) for hit in lessons["hits"]] == [("lesson", "Microseguro reservado")]


def test_members_and_donors_do_not_see_staff_only_innovations(member_client, content):
    assert member_client.get("/search/json/?q=reservado").json()["total"] == 0


def test_search_page_shows_facets_with_counts_and_filter_links(client, content):
    response = client.get("/search/?q=microseguros")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-facet="kind"' in html
    assert "?q=microseguros&amp;kind=research" in html
    assert "<mark>microseguros</mark>" in html
    filtered = client.get("/search/?q=microseguros&kind=research").content.decode()
    assert filtered.count('class="search-hit"') == 1
    assert 'aria-current="true"' in filtered


def test_english_search_page(client, content):
    response = client.get("/en/search/?q=microseguro")
    assert response.status_code == 200
    assert 'lang="en"' in response.content.decode()


def test_empty_and_odd_queries_do_not_fail(client, content):
    assert client.get("/search/").status_code == 200
    for query in ['"', "*", "AND OR NOT", "(", "micro-", "ñ" * 300, "page=abc"]:
        assert client.get("/search/", {"q": query}).status_code == 200
        assert client.get("/search/json/", {"q": query}).status_code == 200
    assert client.get("/search/json/?page=abc").status_code == 200
    assert client.post("/search/json/").status_code == 405


def test_search_page_query_count_stays_flat(client, content, research_index, django_assert_max_num_queries):
    for number in range(15):
        make_report(research_index, title=f"Microseguros {number}")
    with django_assert_max_num_queries(15):
        response = client.get("/search/?q=microseguros")
    assert response.status_code == 200


def test_rebuild_command_reports_the_documents_indexed(engine, content):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("rebuild_knowledge_index", "--no-progress", stdout=out)
    assert f"on the {engine.name} engine: 4 documents" in out.getvalue()
    assert client_json_total("microseguros") == 2


def client_json_total(q: str) -> int:
    from django.test import Client

    return Client().get("/search/json/", {"q": q}).json()["total"]


def test_a_page_past_the_end_shows_the_last_page(client, content, research_index):
    for number in range(25):
        make_report(research_index, title=f"Microseguros {number}")
    response = client.get("/search/?q=microseguros&page=99")
    page = response.content.decode()
    assert "Página 2 de 2" in page and "Página 99" not in page
    assert page.count('class="search-hit"') == 27 - 20  # 25 + the study + the public innovation
    assert client.get("/search/json/?q=microseguros&page=99").json()["page"] == 2


def test_an_apostrophe_in_a_study_is_escaped_once(client, research_index):
    make_report(
        research_index,
        title="Estudio de microseguros",
        body=[("paragraph", RichText("<p>El seguro de la cooperativa 'Unión' llega al campo.</p>"))],
    )
    page = client.get("/search/?q=cooperativa").content.decode()
    assert "&#x27;Unión&#x27;" in page or "&#39;Unión&#39;" in page
    assert "&amp;#x27;" not in page and "&amp;#39;" not in page


def test_several_values_of_a_facet_on_the_page(client, content):
    page = client.get("/search/?q=microseguros&kind=research&kind=innovation").content.decode()
    assert page.count('class="search-hit"') == 2
    assert page.count('class="selected"') == 2
    # the research link now removes research and keeps innovation
    assert "?q=microseguros&amp;kind=innovation" in page


@pytest.mark.elasticsearch
def test_the_rebuild_command_works_against_an_opensearch_compatible_server_from_settings(
    osmem_clone, content, settings
):
    """No test adapter: the settings an association would set for OpenSearch (or osmem-server)."""
    from io import StringIO

    from django.core.management import call_command

    from portal.search import set_engine

    settings.SEARCH_ENGINE = "elasticsearch"
    settings.ELASTICSEARCH_URL = osmem_clone.url
    settings.ELASTICSEARCH_PLAIN_JSON = True
    set_engine(None)
    try:
        out = StringIO()
        call_command("rebuild_knowledge_index", "--no-progress", stdout=out)
        assert "on the elasticsearch engine: 4 documents" in out.getvalue()
        assert client_json_total("microseguros") == 2
    finally:
        set_engine(None)


def test_lessons_are_shown_under_their_innovation_with_a_link_to_the_rest(client, content):
    for number in range(5):
        make_lesson(content["public"], text=f"Microseguros: lección número {number}.")
    html = client.get("/search/?q=microseguros").content.decode()
    result = html.split('data-kind="innovation"', 1)[1].split('<li class="search-hit" data-kind="research"')[0]
    assert result.count('class="search-hit search-child"') == 3
    assert 'href="/pilots/microseguro/#lessons">2 lecciones más</a>' in result
    assert "#lesson-" in result  # each lesson links to its place on the innovation's page
    page = client.get("/pilots/microseguro/").content.decode()
    lesson = content["public"].lessons.first()
    assert f'id="lesson-{lesson.pk}"' in page


def test_a_named_kind_is_said_and_can_be_left(client, content):
    make_lesson(content["public"], text="Las pólizas simples se vendieron mejor.")
    response = client.get("/search/?q=lecciones+microseguros")
    html = response.content.decode()
    assert "Mostrando solo: <strong>Lección aprendida</strong>" in html
    assert 'href="?q=lecciones+microseguros&amp;kinds=any"' in html
    assert {hit["kind"] for hit in client.get("/search/json/?q=lecciones+microseguros").json()["hits"]} == {"lesson"}
    every = client.get("/search/json/?q=lecciones+microseguros&kinds=any").json()
    assert every["named_kinds"] == []


def test_a_repeated_search_is_served_from_the_cache_and_a_write_shows_at_once(
    client, content, django_assert_num_queries
):
    first = client.get("/search/json/?q=microseguros").json()
    assert "Microseguro simplificado" in {hit["title"] for hit in first["hits"]}
    suggested = client.get("/search/suggest/?q=micros").json()
    with django_assert_num_queries(0):  # no access worked out, no query: one cache entry
        assert client.get("/search/json/?q=microseguros").json() == first
        assert client.get("/search/suggest/?q=micros").json() == suggested
    content["public"].title = "Microseguro renovado"
    content["public"].save()
    titles = {hit["title"] for hit in client.get("/search/json/?q=microseguros").json()["hits"]}
    assert "Microseguro renovado" in titles and "Microseguro simplificado" not in titles
    suggested = client.get("/search/suggest/?q=micros").json()["suggestions"]
    assert "Microseguro renovado" in {item["title"] for item in suggested}


def test_a_search_costs_the_same_queries_however_many_documents_match(staff_client, content, engine):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        cache.clear()  # the cold path: nothing cached
        with CaptureQueriesContext(connection) as context:
            assert staff_client.get("/search/json/?q=microseguros&country=EC").status_code == 200
        return len(context.captured_queries)

    few = queries()
    for number in range(12):
        innovation = make_innovation(title=f"Microseguro {number}", slug=f"microseguro-{number}")
        make_lesson(innovation, text=f"Lección {number} sobre microseguros.")
    assert staff_client.get("/search/json/?q=microseguros&country=EC").json()["total"] >= 14
    assert queries() == few


def test_junk_in_filters_matches_nothing_and_breaks_nothing(client, content):
    """NUL bytes (PostgreSQL refuses them in a parameter) and overlong values are dropped or cut."""
    for query in ["kind=https://evil.example/%00", f"topic={'x' * 500}"]:
        response = client.get(f"/search/json/?q=microseguros&{query}")
        assert response.status_code == 200 and response.json()["total"] == 0
    found = client.get("/search/json/?q=micro%00seguros&kind=innovation%00").json()
    assert [hit["title"] for hit in found["hits"]] == ["Microseguro simplificado"]
