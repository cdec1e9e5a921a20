"""Every synonym group of portal/search/synonyms.txt, on both engines: a study that uses one
phrase of a group is found by every other phrase of it, and not by another group's words."""

import pytest

from portal.search.synonyms import concepts, groups_as_written
from tests.research.fixtures import make_report

from .test_contract import found, run

pytestmark = pytest.mark.django_db

GROUPS = groups_as_written()


@pytest.mark.parametrize("number", range(len(GROUPS)), ids=[group[0] for group in GROUPS])
def test_each_phrase_of_a_group_finds_a_study_using_another(engine, research_index, number):
    group = GROUPS[number]
    make_report(research_index, title=f"Estudio {number}", summary=f"Un estudio sobre {group[0]} en la región.")
    other = GROUPS[(number + 1) % len(GROUPS)]
    make_report(research_index, title="Otro estudio", summary=f"Un estudio sobre {other[0]}.")
    for phrase in group:
        assert f"research:Estudio {number}" in found(run(engine, phrase)), phrase
    assert found(run(engine, group[1])) == {f"research:Estudio {number}"}


def test_the_usual_queries_become_concepts():
    def alternatives(query):
        return [{alt.text for alt in concept} for concept in concepts(query, "es")]

    [life] = alternatives("seguro de vida")  # a group phrase, the stop word dropped
    assert {"microseguro", "seguro de vida", "micro-insurance"} <= life
    [agents] = alternatives("corresponsales no bancarios")
    assert "banca sin sucursales" in agents
    assert alternatives("de la") == []
    assert alternatives("ahorro rural")[1] == {"rural"}  # an ordinary word stands for itself
