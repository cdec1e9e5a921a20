"""Kinds of documents named in a query (portal/search/kinds.txt), on every engine: every phrase
names its kind, the search then shows only that kind and says so, and words that name a kind
but find none of it are searched as words."""

import pytest

from portal.search.synonyms import NamedKind, concepts, kinds_as_written, named_kinds
from tests.research.fixtures import make_innovation, make_lesson, make_report

from .test_contract import found, run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_phrase_names_its_kind(language):
    for named, phrases in kinds_as_written():
        for phrase in phrases:
            assert named_kinds(phrase, language) == [named], (phrase, language)
            assert concepts(phrase, language, read_kinds=True) == []


def test_a_longer_synonym_phrase_wins_over_a_kind():
    assert named_kinds("evaluación de impacto", "es") == []
    assert named_kinds("evaluaciones de impacto", "es") == []
    assert named_kinds("evaluaciones", "es") == [NamedKind("research", "evaluation")]
    assert named_kinds("lecciones aprendidas microseguros", "es") == [NamedKind("lesson")]
    assert [c[0].terms for c in concepts("lecciones aprendidas microseguros", "es", read_kinds=True)] == [
        ("microsegur",)
    ]


@pytest.fixture
def kinds_corpus(engine, research_index):
    make_report(research_index, title="Evaluación del microseguro", summary="Resultados.", study_type="evaluation")
    make_report(research_index, title="Demanda de microseguros", summary="Encuesta.", study_type="market")
    make_report(research_index, title="Países piloto", summary="Selección de países.", study_type="regulatory")
    innovation = make_innovation(title="Microseguro rural", slug="rural")
    make_lesson(innovation, text="Las pólizas simples se vendieron mejor.")
    return innovation


def test_a_named_kind_shows_only_that_kind(engine, kinds_corpus):
    response = run(engine, "lecciones microseguros")
    assert found(response) == {"lesson:Microseguro rural"}
    assert response.named_kinds == [NamedKind("lesson")]
    assert found(run(engine, "lessons learned", language="en")) == {"lesson:Microseguro rural"}
    assert found(run(engine, "estudios microseguros")) == {
        "research:Evaluación del microseguro",
        "research:Demanda de microseguros",
    }
    assert found(run(engine, "evaluaciones")) == {"research:Evaluación del microseguro"}
    assert found(run(engine, "estudios de mercado")) == {"research:Demanda de microseguros"}
    assert found(run(engine, "innovaciones microseguros")) == {"innovation:Microseguro rural"}


def test_a_kind_that_finds_nothing_is_searched_as_words(engine, kinds_corpus):
    # no innovation is about countries: "piloto" is then a word of the study's title
    response = run(engine, "países piloto")
    assert found(response) == {"research:Países piloto"}
    assert response.named_kinds == []
