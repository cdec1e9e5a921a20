"""One contract, every engine: result sets, facet counts, highlights, Spanish folding,
visibility. Never scores."""

from datetime import date

import pytest

from pilots.models import Innovation
from portal.search import SearchQuery
from portal.search.registry import Access
from tests.factories import ProductLineFactory
from tests.research.fixtures import make_innovation, make_lesson, make_report, translate

pytestmark = pytest.mark.django_db


@pytest.fixture
def knowledge(engine, research_index, english_index, locales):
    """Created after the engine is chosen: publishing and saving index through the signals."""
    insurance = ProductLineFactory(code="micro-insurance", name_es="Microseguros", name_en="Micro-insurance")
    pensions = ProductLineFactory(code="micro-pensions", name_es="Micropensiones", name_en="Micro-pensions")
    demand = make_report(
        research_index,
        title="Estudio de demanda de microseguros",
        summary="Los clientes piden microseguros simples y educación financiera.",
        countries=["EC"],
        product_lines=[insurance],
        stage="identify",
        publication_date=date(2008, 9, 1),
    )
    make_report(
        research_index,
        title="Oferta de seguros en Ecuador",
        summary="Las pólizas tienen muchas exclusiones; se propone un microseguro simplificado.",
        countries=["EC"],
        product_lines=[insurance],
        stage="identify",
        publication_date=date(2008, 9, 15),
    )
    make_report(
        research_index,
        title="Viabilidad de las pensiones",
        summary="Micro-finanzas y pensiones para prestatarios de Centroamérica.",
        study_type="feasibility",
        countries=["GT", "NI"],
        product_lines=[pensions],
        stage="design",
        publication_date=date(2010, 3, 1),
    )
    make_report(research_index, title="Microseguros en borrador", summary="Borrador.", publish=False)
    translate(demand, locales[1], title="Demand for micro-insurance", summary="Clients ask for simple cover.")
    public = make_innovation(title="Microseguro simplificado", slug="microseguro", line=insurance, stage="pilot")
    secret = make_innovation(
        title="Microseguros agrícolas", slug="agricola", line=insurance, visibility="staff", stage="design"
    )
    make_innovation(title="Micropensiones", slug="micropensiones", line=pensions, countries=("GT",), stage="pilot")
    make_lesson(public, text="La educación de los clientes aumentó la venta de pólizas.", recorded_on=date(2011, 3, 1))
    make_lesson(secret, text="Una lección reservada sobre cosechas.", recorded_on=date(2012, 1, 1))
    return {"public": public, "secret": secret}


def run(engine, q="", *, user_ids=None, language="es", **filters):
    if user_ids is None:
        user_ids = frozenset(Innovation.objects.filter(visibility="public").values_list("pk", flat=True))
    sort = filters.pop("sort", "relevance")
    page = filters.pop("page", 1)
    per_page = filters.pop("per_page", 20)
    return engine.search(
        SearchQuery(
            q=q,
            language=language,
            access={
                "research": Access.excluding(()),
                "innovation": Access.only_ids(user_ids),
                "lesson": Access.only_ids(user_ids),
            },
            filters=filters,
            sort=sort,
            page=page,
            per_page=per_page,
        )
    )


def found(response) -> set[str]:
    return {f"{hit.kind}:{hit.title}" for hit in response.hits}


MICROSEGUROS = {
    "research:Estudio de demanda de microseguros",
    "research:Oferta de seguros en Ecuador",
    "innovation:Microseguro simplificado",
    "lesson:Microseguro simplificado",
}


def test_finds_research_innovations_and_lessons_together(engine, knowledge):
    response = run(engine, "microseguros")
    assert found(response) == MICROSEGUROS
    assert response.total == 4


def test_singular_and_plural_find_each_other(engine, knowledge):
    assert found(run(engine, "microseguro")) == found(run(engine, "microseguros")) == MICROSEGUROS
    # "pension" and "micropension" are synonyms (portal/search/synonyms.txt)
    assert found(run(engine, "pension")) == {"research:Viabilidad de las pensiones", "innovation:Micropensiones"}


def test_accents_are_folded(engine, knowledge):
    # the innovation's document holds its lessons' text: it is found by their words too
    expected = {
        "research:Estudio de demanda de microseguros",
        "lesson:Microseguro simplificado",
        "innovation:Microseguro simplificado",
    }
    assert found(run(engine, "educacion")) == expected
    assert found(run(engine, "EDUCACIÓN")) == expected
    assert found(run(engine, "polizas")) == MICROSEGUROS  # póliza is in the micro-insurance synonyms


def test_hyphenated_and_joined_words_find_each_other(engine, knowledge):
    expected = {"research:Viabilidad de las pensiones"}
    assert found(run(engine, "microfinanzas")) == expected
    assert found(run(engine, "micro-finanzas")) == expected


def test_all_words_must_match(engine, knowledge):
    assert found(run(engine, "microseguros educacion")) == {
        "research:Estudio de demanda de microseguros",
        "lesson:Microseguro simplificado",
        "innovation:Microseguro simplificado",
    }
    assert found(run(engine, "microseguros nicaragua")) == set()


def test_facet_counts(engine, knowledge):
    facets = run(engine, "microseguros").facets
    assert facets["kind"] == {"research": 2, "innovation": 1, "lesson": 1}
    assert facets["country"] == {"EC": 4}
    assert facets["product_line"] == {"micro-insurance": 4}
    assert facets["stage"] == {"identify": 2, "pilot": 2}
    assert facets["year"] == {"2008": 2, "2009": 1, "2011": 1}


def test_filters_combine_with_the_query_and_narrow_the_facets(engine, knowledge):
    response = run(engine, "microseguros", kind="research")
    assert found(response) == {"research:Estudio de demanda de microseguros", "research:Oferta de seguros en Ecuador"}
    # like every shop's facets: the chosen facet keeps its other values, with what each would give
    assert response.facets["kind"] == {"research": 2, "innovation": 1, "lesson": 1}
    assert response.facets["year"] == {"2008": 2}  # the other facets count the narrowed hits
    assert found(run(engine, "microseguros", year="2011")) == {"lesson:Microseguro simplificado"}
    assert found(run(engine, "microseguros", stage="pilot", kind="innovation")) == {
        "innovation:Microseguro simplificado"
    }
    assert found(run(engine, "microseguros", country="GT")) == set()


def test_several_values_of_a_facet_widen_and_facets_narrow(engine, knowledge):
    both = run(engine, "microseguros", kind=["research", "lesson"])
    assert found(both) == {
        "research:Estudio de demanda de microseguros",
        "research:Oferta de seguros en Ecuador",
        "lesson:Microseguro simplificado",
    }
    assert both.facets["kind"] == {"research": 2, "innovation": 1, "lesson": 1}
    assert found(run(engine, kind=["innovation"], country=["EC", "GT"])) == {
        "innovation:Microseguro simplificado",
        "innovation:Micropensiones",
    }
    narrowed = run(engine, kind=["innovation"], country=["GT"])
    assert found(narrowed) == {"innovation:Micropensiones"}
    assert narrowed.facets["country"] == {"EC": 1, "GT": 1}  # what choosing Ecuador too would add


def test_filters_without_words_browse_everything_visible(engine, knowledge):
    assert found(run(engine, kind="innovation")) == {"innovation:Microseguro simplificado", "innovation:Micropensiones"}
    response = run(engine, country="GT")
    assert found(response) == {"research:Viabilidad de las pensiones", "innovation:Micropensiones"}
    assert response.facets["product_line"] == {"micro-pensions": 2}


def test_highlights_mark_the_matched_words(engine, knowledge):
    hits = {f"{hit.kind}:{hit.title}": hit for hit in run(engine, "microseguros").hits}
    demand = hits["research:Estudio de demanda de microseguros"]
    assert "<mark>microseguros</mark>" in demand.title_html
    assert "<mark>microseguros</mark>" in demand.snippet_html
    assert "<mark>microseguro</mark>" in hits["research:Oferta de seguros en Ecuador"].snippet_html
    lesson = hits["lesson:Microseguro simplificado"]
    assert "<mark>Microseguro</mark>" in lesson.title_html
    folded = {f"{hit.kind}:{hit.title}": hit for hit in run(engine, "educacion").hits}
    assert "<mark>educación</mark>" in folded["research:Estudio de demanda de microseguros"].snippet_html


def test_highlights_escape_html(engine, research_index):
    make_report(research_index, title="Seguros <script>alert(1)</script>", summary="Microseguros & <b>más</b>.")
    hit = run(engine, "microseguros").hits[0]
    assert "<script>" not in hit.title_html and "<b>" not in hit.snippet_html
    assert "&lt;b&gt;" in hit.snippet_html


def test_sort_by_date_newest_first(engine, knowledge):
    response = run(engine, "microseguros", sort="date")
    assert [f"{hit.kind}:{hit.title}" for hit in response.hits] == [
        "lesson:Microseguro simplificado",
        "innovation:Microseguro simplificado",
        "research:Oferta de seguros en Ecuador",
        "research:Estudio de demanda de microseguros",
    ]


def test_pagination(engine, knowledge):
    first = run(engine, "microseguros", sort="date", per_page=3)
    second = run(engine, "microseguros", sort="date", per_page=3, page=2)
    assert first.total == second.total == 4
    assert len(first.hits) == 3
    assert [hit.title for hit in second.hits] == ["Estudio de demanda de microseguros"]


def test_research_is_found_in_the_reader_language(engine, knowledge):
    assert found(run(engine, "cover", language="en")) == {"research:Demand for micro-insurance"}
    # a word no Spanish text has is read as English: the English study, rather than nothing
    assert found(run(engine, "cover", language="es")) == {"research:Demand for micro-insurance"}
    assert found(run(engine, "demanda", language="es")) == {"research:Estudio de demanda de microseguros"}
    # without an English text, innovations and lessons are found in Spanish from English pages too
    assert "innovation:Microseguro simplificado" in found(run(engine, "microseguro", language="en"))
    assert "innovation:Micropensiones" in found(run(engine, "micropensiones", language="en"))


def test_innovations_and_lessons_are_found_in_english_on_english_pages(engine, knowledge):
    innovation = knowledge["public"]
    innovation.title_en = "Simplified micro-insurance"
    innovation.summary_en = "Life cover sold through the MFIs."
    innovation.save()  # indexes its lessons again too
    lesson = innovation.lessons.get()
    lesson.text_en = "Teaching clients sold more micro-insurance policies."
    lesson.save()
    assert found(run(engine, "micro-insurance", language="en")) >= {
        "innovation:Simplified micro-insurance",
        "lesson:Simplified micro-insurance",
    }
    taught = {"lesson:Simplified micro-insurance", "innovation:Simplified micro-insurance"}
    assert found(run(engine, "teaching", language="en")) == taught
    # the Spanish page keeps the Spanish texts; an English word is looked up in English texts
    assert found(run(engine, "teaching", language="es")) == taught
    assert "innovation:Microseguro simplificado" in found(run(engine, "microseguro", language="es"))
    # deleting removes the document in every language
    lesson.delete()
    assert found(run(engine, "teaching", language="en")) == set()
    assert found(run(engine, "polizas", language="es")) == MICROSEGUROS - {"lesson:Microseguro simplificado"}


def test_drafts_are_never_found(engine, knowledge):
    assert "research:Microseguros en borrador" not in found(run(engine, "borrador"))
    assert found(run(engine, "borrador")) == set()


def test_restricted_innovations_and_their_lessons_need_permission(engine, knowledge):
    assert found(run(engine, "agricolas")) == set()
    assert found(run(engine, "cosechas")) == set()
    everything = frozenset(Innovation.objects.values_list("pk", flat=True))
    # a lesson carries its innovation's title
    assert found(run(engine, "agricolas", user_ids=everything)) == {
        "innovation:Microseguros agrícolas",
        "lesson:Microseguros agrícolas",
    }
    assert found(run(engine, "cosechas", user_ids=everything)) == {
        "lesson:Microseguros agrícolas",
        "innovation:Microseguros agrícolas",  # its document holds its lessons' text
    }
    assert run(engine, "microseguros", user_ids=everything).facets["kind"] == {
        "research": 2,
        "innovation": 2,
        "lesson": 2,
    }


def test_unpublish_and_visibility_changes_are_indexed(engine, knowledge, research_index):
    from research.models import ResearchReportPage

    page = ResearchReportPage.objects.get(title="Oferta de seguros en Ecuador")
    page.unpublish()
    assert "research:Oferta de seguros en Ecuador" not in found(run(engine, "microseguros"))
    knowledge["public"].title = knowledge["public"].summary = "Crédito simplificado"
    knowledge["public"].save()  # its lesson (about policies, a synonym) carries the new title
    assert found(run(engine, "microseguros")) == {
        "research:Estudio de demanda de microseguros",
        "lesson:Crédito simplificado",
        "innovation:Crédito simplificado",  # found by its lesson's words
    }


def test_rebuild_gives_the_same_results(engine, knowledge):
    before = found(run(engine, "microseguros"))
    # live research (es + en), innovations and lessons (in Spanish only: none has English text)
    assert engine.rebuild() == 3 + 1 + 3 + 2
    assert found(run(engine, "microseguros")) == before
