"""What a searcher types: stop words, typos ("did you mean"), and suggestions as they type,
on both engines. Result sets, never scores."""

import ast
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import StaffFactory
from tests.research.fixtures import make_innovation, make_report

from .test_contract import found, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def studies(engine, research_index):
    make_report(research_index, title="Estudio de demanda de microseguros", summary="Clientes y pólizas.")
    make_report(research_index, title="Viabilidad de las micropensiones", summary="Ahorro para la vejez.")
    make_innovation(title="Microseguro simplificado", slug="microseguro")
    make_innovation(title="Microseguro reservado", slug="reservado", visibility="staff")


def test_stop_words_are_never_required(engine, studies):
    assert found(run(engine, "de")) == set()  # "de" alone says nothing: nothing, not everything
    assert run(engine, "de la").total == 0
    assert found(run(engine, "demanda de la pólizas")) == {"research:Estudio de demanda de microseguros"}


def test_a_typo_finds_what_was_meant_and_says_so(engine, studies):
    response = run(engine, "microsegros")
    assert "research:Estudio de demanda de microseguros" in found(response)
    assert "innovation:Microseguro simplificado" in found(response)
    assert response.corrected.startswith("microseguro")
    nothing = run(engine, "xyzzyqw")
    assert nothing.total == 0 and nothing.corrected == ""


def test_a_word_cut_short_is_completed(engine, studies):
    response = run(engine, "micropens")
    assert found(response) == {"research:Viabilidad de las micropensiones"}
    assert response.corrected == "micropensiones"


def test_engine_specific_ways_give_the_same_results(engine, studies):
    """How "did you mean" finds its word is engine-specific — trigram similarity (pg_trgm) on
    PostgreSQL, difflib on SQLite, and on Elasticsearch the query itself runs again with
    fuzziness AUTO — but what a reader gets back is the same on every engine."""
    assert found(run(engine, "microsegurso")) >= {"research:Estudio de demanda de microseguros"}
    assert found(run(engine, "micropensoines")) == {"research:Viabilidad de las micropensiones"}


def test_the_page_says_what_it_searched_instead(client, engine, studies):
    page = client.get("/en/search/", {"q": "microsegros"}).content.decode()
    assert "Nothing matched “microsegros”: showing results for <strong>microseguro" in page
    assert "too common to search for" in client.get("/en/search/", {"q": "the of"}).content.decode()
    assert "demasiado comunes" in client.get("/search/", {"q": "de la"}).content.decode()


def test_suggestions_as_you_type_respect_visibility_and_language(client, engine, studies):
    titles = [s["title"] for s in client.get("/search/suggest/", {"q": "micros"}).json()["suggestions"]]
    assert set(titles) == {"Estudio de demanda de microseguros", "Microseguro simplificado"}
    staff = Client()
    staff.force_login(StaffFactory())
    staff_titles = [s["title"] for s in staff.get("/search/suggest/", {"q": "microseguro re"}).json()["suggestions"]]
    assert staff_titles == ["Microseguro reservado"]
    assert client.get("/search/suggest/", {"q": "microseguro re"}).json()["suggestions"] == []
    english = client.get("/en/search/suggest/", {"q": "micropens"}).json()["suggestions"]
    assert [s["url"] for s in english] and all(s["url"].startswith("/en/") or "/research/" in s["url"] for s in english)
    assert client.get("/search/suggest/", {"q": "m"}).json()["suggestions"] == []


def test_portal_search_imports_no_app():
    """The site shell's search knows no app: the apps register their documents with it."""
    apps = {"pilots", "research", "surveys"}
    package = Path(__file__).resolve().parents[2] / "portal" / "search"
    offenders = []
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] in apps]
    assert offenders == []
