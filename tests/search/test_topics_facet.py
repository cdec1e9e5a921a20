"""The topic facet: research studies carry their topic tags (slug as value, the tag's name
as label); other kinds carry none. Counted, chosen and labelled like the other facets, on
every engine."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from taggit.models import Tag

from portal.search import SearchQuery
from portal.search.registry import Access
from tests.research.fixtures import make_innovation, make_report

pytestmark = pytest.mark.django_db


def tag(page, *names):
    """Tag a published study as an editor does: the tags go live with the page's publication."""
    page.tags.add(*names)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def topical(engine, research_index):
    """Created after the engine is chosen: publishing indexes through the signals."""
    return make_topical(research_index)


def make_topical(research_index) -> dict:
    demand = make_report(
        research_index,
        title="Estudio de demanda de microseguros",
        summary="Los clientes piden microseguros simples.",
        publication_date=date(2008, 9, 1),
    )
    tag(demand, "Microseguros", "Educación financiera")
    supply = make_report(
        research_index,
        title="Oferta de microseguros en Ecuador",
        summary="Las pólizas tienen muchas exclusiones.",
        publication_date=date(2009, 5, 1),
    )
    tag(supply, "Microseguros")
    make_report(research_index, title="Microseguros rurales", summary="Sin temas.", publication_date=date(2010, 1, 1))
    tag(make_report(research_index, title="Viabilidad de las pensiones", summary="Pensiones."), "Pensiones")
    make_innovation(title="Microseguro simplificado", slug="microseguro")
    return {"demand": demand, "supply": supply}


def slug(name: str) -> str:
    return Tag.objects.get(name=name).slug


def run(engine, q="", **filters):
    return engine.search(
        SearchQuery(
            q=q,
            language="es",
            access={
                "research": Access.excluding(()),
                "innovation": Access.excluding(()),
                "lesson": Access.excluding(()),
            },
            filters=filters,
        )
    )


def found(response) -> set[str]:
    return {f"{hit.kind}:{hit.title}" for hit in response.hits}


def test_tagged_studies_are_counted_under_their_topics(engine, topical):
    response = run(engine, "microseguros")
    assert response.total == 4
    # the untagged study and the innovation count under no topic; "Pensiones" does not match
    assert response.facets["topic"] == {"microseguros": 2, slug("Educación financiera"): 1}
    assert run(engine).facets["topic"] == {"microseguros": 2, slug("Educación financiera"): 1, "pensiones": 1}
    study = next(hit for hit in response.hits if hit.title == "Estudio de demanda de microseguros")
    assert sorted(study.topics) == sorted(["microseguros", slug("Educación financiera")])


def test_choosing_a_topic_narrows_the_hits_to_studies_tagged_with_it(engine, topical):
    response = run(engine, "microseguros", topic=["microseguros"])
    assert found(response) == {
        "research:Estudio de demanda de microseguros",
        "research:Oferta de microseguros en Ecuador",
    }
    # the topic's own counts ignore its choice; the other facets count the narrowed hits
    assert response.facets["topic"] == {"microseguros": 2, slug("Educación financiera"): 1}
    assert response.facets["kind"] == {"research": 2}
    assert response.facets["year"] == {"2008": 1, "2009": 1}

    one = run(engine, "microseguros", topic=[slug("Educación financiera")])
    assert found(one) == {"research:Estudio de demanda de microseguros"}
    assert one.facets["topic"] == {"microseguros": 2, slug("Educación financiera"): 1}
    # several topics widen; other facets still narrow
    assert run(engine, topic=["microseguros", "pensiones"]).total == 3
    assert found(run(engine, "microseguros", topic=["microseguros"], kind=["innovation"])) == set()
    assert found(run(engine, "microseguros", topic=["no-such-topic"])) == set()


def test_tags_follow_the_page_publication(engine, topical, research_index):
    supply = topical["supply"]
    supply.tags.set(["Pensiones"])
    supply.save_revision()  # a draft: the index keeps the live tags
    assert found(run(engine, topic=["pensiones"])) == {"research:Viabilidad de las pensiones"}
    supply.save_revision().publish()
    assert found(run(engine, topic=["pensiones"])) == {
        "research:Viabilidad de las pensiones",
        "research:Oferta de microseguros en Ecuador",
    }
    assert found(run(engine, topic=["microseguros"])) == {"research:Estudio de demanda de microseguros"}


def test_rebuild_keeps_the_topics(engine, topical):
    before = run(engine, "microseguros").facets["topic"]
    engine.rebuild()
    assert run(engine, "microseguros").facets["topic"] == before


@pytest.mark.elasticsearch
def test_both_engines_give_the_same_topic_counts(research_index, osmem_clone):
    """The same documents, indexed by each engine, counted the same for every choice."""
    from portal.search import set_engine
    from portal.search.database import DatabaseEngine
    from portal.search.elasticsearch import ElasticsearchEngine
    from tests.search.osmem import PlainJsonNode

    database = DatabaseEngine()
    set_engine(database)
    try:
        make_topical(research_index)
    finally:
        set_engine(None)
    elastic = ElasticsearchEngine(
        url=osmem_clone.url, index="test-knowledge", client_options={"node_class": PlainJsonNode}
    )
    elastic.rebuild()
    mapping = elastic.client.indices.get_mapping(index=elastic.index)
    assert mapping[elastic.index]["mappings"]["properties"]["topics"]["type"] == "keyword"
    for q, filters in [
        ("microseguros", {}),
        ("", {}),
        ("microseguros", {"topic": ["microseguros"]}),
        ("", {"topic": ["pensiones"], "kind": ["research"]}),
        ("microseguros", {"topic": [slug("Educación financiera")], "year": ["2008"]}),
    ]:
        ours, theirs = run(database, q, **filters), run(elastic, q, **filters)
        assert ours.total == theirs.total
        assert found(ours) == found(theirs)
        assert ours.facets == theirs.facets


# --- The search page ---------------------------------------------------------------------------


def test_the_facet_is_labelled_with_the_tag_names(client, topical):
    payload = client.get("/en/search/json/", {"q": "microseguros"}).json()
    topic = next(facet for facet in payload["facets"] if facet["name"] == "topic")
    assert topic["title"] == "Topic"
    assert [(value["label"], value["count"]) for value in topic["values"]] == [
        ("Microseguros", 2),
        ("Educación financiera", 1),
    ]
    assert [value["value"] for value in topic["values"]] == ["microseguros", slug("Educación financiera")]


def test_the_sidebar_shows_topics_after_the_other_facets_and_links_choose_them(client, topical):
    html = client.get("/search/", {"q": "microseguros"}).content.decode()
    sections = BeautifulSoup(html, "html.parser").select("aside.facets section.facet")
    assert [section["data-facet"] for section in sections][-1] == "topic"
    topic = sections[-1]
    assert topic.h2.get_text(strip=True) == "Tema"
    link = topic.select_one('a[data-value="microseguros"]')
    assert "Microseguros" in link.get_text()
    assert link.find_next_sibling("span", class_="facet-count").get_text() == "2"

    chosen = client.get(f"/search/?{link['href'].lstrip('?')}")
    soup = BeautifulSoup(chosen.content.decode(), "html.parser")
    assert soup.select_one('section[data-facet="topic"] a[data-value="microseguros"]')["aria-current"] == "true"
    payload = client.get("/search/json/", {"q": "microseguros", "topic": "microseguros"}).json()
    assert {hit["title"] for hit in payload["hits"]} == {
        "Estudio de demanda de microseguros",
        "Oferta de microseguros en Ecuador",
    }


def test_search_page_query_count_stays_flat_with_topics(client, engine, research_index, django_assert_max_num_queries):
    for number in range(15):
        tag(make_report(research_index, title=f"Microseguros {number}"), f"Tema {number}", "Microseguros")
    with django_assert_max_num_queries(15):
        response = client.get("/search/", {"q": "microseguros", "topic": "microseguros"})
    assert response.status_code == 200
    assert response.content.decode().count('data-facet="topic"') == 1
