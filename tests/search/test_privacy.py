"""Privacy on both engines: a research page with a view restriction on itself or an
ancestor is never found by the site search, for anyone, whether the index followed
the change (signals) or not (the query-time check). Result sets, never scores."""

import logging

import pytest
from django.db.models.signals import post_save
from wagtail.models import PageViewRestriction

from portal.search import SearchQuery
from portal.search.models import KnowledgeEntry
from portal.search.registry import Access
from research.models import ResearchReportPage
from tests.research.fixtures import make_innovation, make_report, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(engine, research_index, english_index, locales):
    """Created after the engine is chosen, so that publishing indexes them."""
    demand = make_report(research_index, title="Demanda de microseguros", summary="Qué piden los clientes.")
    offer = make_report(research_index, title="Oferta de microseguros", summary="Pólizas con exclusiones.")
    english = translate(demand, locales[1], title="Demand for microseguros", summary="What clients ask for.")
    make_innovation(title="Microseguro simplificado", slug="microseguro")
    return {"demand": demand, "offer": offer, "english": english}


def json_titles(client, q="microseguros", *, prefix="") -> set[str]:
    return {hit["title"] for hit in client.get(f"{prefix}/search/json/", {"q": q}).json()["hits"]}


def page_html(client, q="microseguros") -> str:
    return client.get("/search/", {"q": q}).content.decode()


def restrict(page, restriction_type=PageViewRestriction.PASSWORD) -> PageViewRestriction:
    return PageViewRestriction.objects.create(page=page, restriction_type=restriction_type, password="secreto")


def index_holds(engine, page) -> bool:
    """Whether the engine's index still has the page, whatever the query-time rules say."""
    language = page.locale.language_code
    everything = {"research": Access.excluding(())}
    response = engine.search(SearchQuery(q="", language=language, access=everything, per_page=100))
    return f"research:{page.pk}:{language}" in {hit.key for hit in response.hits}


EVERYTHING = {"Demanda de microseguros", "Oferta de microseguros", "Microseguro simplificado"}
# When the Spanish version of a study is hidden, its public English translation is what the
# Spanish search can show instead (the other language is the fallback), never the hidden one.
ENGLISH_INSTEAD = "Demand for microseguros"


def test_a_password_restriction_added_after_publishing_hides_the_page_until_removed(client, engine, reports):
    demand = reports["demand"]
    assert json_titles(client) == EVERYTHING
    restriction = restrict(demand)

    assert json_titles(client) == {"Oferta de microseguros", "Microseguro simplificado", ENGLISH_INSTEAD}
    html = page_html(client)
    assert "Oferta de" in html  # the titles come highlighted: "Oferta de <mark>microseguros</mark>"
    assert "Demanda" not in html and "piden los clientes" not in html
    assert not index_holds(engine, demand)  # the signal removed it, not only the query-time check

    restriction.delete()
    assert json_titles(client) == EVERYTHING
    assert "Demanda de" in page_html(client)


def test_a_restriction_on_the_research_index_hides_every_report_under_it(client, engine, reports, research_index):
    restriction = restrict(research_index)
    assert json_titles(client) == {"Microseguro simplificado", ENGLISH_INSTEAD}
    assert not index_holds(engine, reports["demand"]) and not index_holds(engine, reports["offer"])
    payload = client.get("/search/json/", {"q": "microseguros"}).json()
    facets = {facet["name"]: {v["value"]: v["count"] for v in facet["values"]} for facet in payload["facets"]}
    assert payload["total"] == 2
    assert facets["kind"] == {"innovation": 1, "research": 1}
    # a restriction covers one tree: the English index is another page, still public
    assert json_titles(client, prefix="/en") == {"Demand for microseguros", "Microseguro simplificado"}

    restriction.delete()
    assert json_titles(client) == EVERYTHING
    assert index_holds(engine, reports["demand"]) and index_holds(engine, reports["offer"])


def test_a_report_keeps_its_own_restriction_when_the_one_on_its_index_goes(client, reports, research_index):
    restrict(reports["offer"])
    on_index = restrict(research_index, PageViewRestriction.LOGIN)
    on_index.delete()
    assert json_titles(client) == {"Demanda de microseguros", "Microseguro simplificado"}


def test_a_restricted_page_stays_hidden_from_signed_in_readers_who_could_open_it(member_client, reports):
    """The rule: search shows only pages with no view restriction at all, whoever asks."""
    restrict(reports["demand"], PageViewRestriction.LOGIN)
    assert member_client.get(reports["demand"].url).status_code == 200  # they may read it by its link
    assert json_titles(member_client) == {"Oferta de microseguros", "Microseguro simplificado", ENGLISH_INSTEAD}


def test_changing_the_restriction_type_keeps_the_page_hidden(client, reports):
    restriction = restrict(reports["demand"])
    restriction.restriction_type = PageViewRestriction.LOGIN
    restriction.save()
    assert "Demanda de microseguros" not in json_titles(client)


def test_moving_a_restriction_to_another_page_indexes_both(client, engine, reports):
    restriction = restrict(reports["demand"])
    restriction.page = reports["offer"]
    restriction.save()
    assert json_titles(client) == {"Demanda de microseguros", "Microseguro simplificado"}
    assert index_holds(engine, reports["demand"])
    assert not index_holds(engine, reports["offer"])


def test_an_unpublished_report_under_a_lifted_restriction_is_not_added_back(client, engine, reports, research_index):
    restriction = restrict(research_index)
    reports["offer"].unpublish()
    restriction.delete()
    assert json_titles(client) == {"Demanda de microseguros", "Microseguro simplificado"}
    assert not index_holds(engine, reports["offer"])


def test_the_query_time_check_hides_what_a_stale_index_still_holds(client, engine, reports, research_index):
    """The index misses the change (no signals: bulk_create, queryset update); search still hides it."""
    demand, offer = reports["demand"], reports["offer"]
    PageViewRestriction.objects.bulk_create(
        [PageViewRestriction(page=demand, restriction_type=PageViewRestriction.PASSWORD, password="secreto")]
    )
    ResearchReportPage.objects.filter(pk=offer.pk).update(live=False)
    assert index_holds(engine, demand) and index_holds(engine, offer)  # stale on purpose

    payload = client.get("/search/json/", {"q": "microseguros"}).json()
    assert {hit["title"] for hit in payload["hits"]} == {"Microseguro simplificado"}
    assert payload["total"] == 1
    kinds = next(facet for facet in payload["facets"] if facet["name"] == "kind")
    assert {v["value"]: v["count"] for v in kinds["values"]} == {"innovation": 1}
    assert "Demanda" not in page_html(client) and "Oferta" not in page_html(client)
    # browsing without words goes through the same check
    assert {hit["title"] for hit in client.get("/search/json/", {"kind": "research"}).json()["hits"]} == set()


def test_the_query_time_check_covers_an_ancestor_restriction_the_index_missed(client, engine, reports, research_index):
    post_save.disconnect(dispatch_uid="knowledge_restriction_saved", sender=PageViewRestriction)
    try:
        restrict(research_index, PageViewRestriction.GROUPS)
    finally:
        from research.documents import on_view_restriction_saved

        post_save.connect(
            on_view_restriction_saved, sender=PageViewRestriction, dispatch_uid="knowledge_restriction_saved"
        )
    assert index_holds(engine, reports["demand"])
    assert json_titles(client) == {"Microseguro simplificado"}


def test_hidden_research_is_excluded_inside_the_engine_so_totals_facets_and_pages_agree(engine, reports):
    hidden = frozenset({reports["demand"].pk})
    access = {"research": Access.excluding(hidden), "innovation": Access.only_ids(()), "lesson": Access.only_ids(())}
    query = {"q": "microseguros", "language": "es", "access": access, "sort": "date", "per_page": 1}
    first = engine.search(SearchQuery(**query))
    second = engine.search(SearchQuery(**query, page=2))
    assert first.total == second.total == 1  # the innovation is not visible here: no innovation allowed
    assert [hit.title for hit in first.hits + second.hits] == ["Oferta de microseguros"]
    assert first.facets["kind"] == {"research": 1}


def test_index_errors_on_a_privacy_change_are_logged_not_raised(client, engine, reports, monkeypatch, caplog):
    def broken(obj):
        raise ConnectionError("search server down")

    monkeypatch.setattr(engine, "index_object", broken)
    with caplog.at_level(logging.ERROR, logger="portal.search.signals"):
        restriction = restrict(reports["demand"])
    assert "Knowledge index update failed" in caplog.text
    assert PageViewRestriction.objects.filter(pk=restriction.pk).exists()
    # the index is stale, the query-time check still hides the page
    assert "Demanda de microseguros" not in json_titles(client)


def test_deleting_a_restricted_section_does_not_put_its_reports_back(client, engine, reports, research_index):
    restrict(research_index)
    research_index.delete()
    assert json_titles(client) == {"Microseguro simplificado", ENGLISH_INSTEAD}
    if engine.name == "database":
        assert not KnowledgeEntry.objects.filter(kind="research", language="es").exists()


def test_query_count_stays_flat_with_restrictions(client, reports, research_index, django_assert_max_num_queries):
    for number in range(10):
        restrict(make_report(research_index, title=f"Microseguros reservados {number}"))
    with django_assert_max_num_queries(15):
        response = client.get("/search/?q=microseguros")
    assert response.status_code == 200
