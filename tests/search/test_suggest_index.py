"""Search as you type, served from an index: every word typed is the start of a word of the
title (accents and case aside), only what the reader may open is suggested, and one
keystroke costs the same few queries however many entries the index holds. Both engines;
result sets, never scores."""

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.search import SearchQuery
from portal.search.database import DatabaseEngine
from portal.search.documents import document
from portal.search.models import SuggestionWord
from portal.search.registry import Access
from tests.factories import DonorFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import ContributionFactory, ParticipationFactory
from tests.research.fixtures import make_innovation, make_lesson, make_report

pytestmark = pytest.mark.django_db

PUBLIC = "Piloto de seguro comunitario"
SHARED = "Piloto de ahorro móvil"  # its funder's donors and its participants' members see it
STAFF_ONLY = "Piloto de crédito agrícola"


@pytest.fixture
def catalogue(engine, research_index):
    """Created after the engine is chosen: publishing and saving index through the signals."""
    make_report(research_index, title="Educación financiera para mujeres", publication_date=date(2010, 5, 1))
    make_report(research_index, title="Micro-finanzas rurales", publication_date=date(2009, 5, 1))
    public = make_innovation(title=PUBLIC, slug="seguro")
    shared = make_innovation(title=SHARED, slug="ahorro", visibility="donors")
    staff_only = make_innovation(title=STAFF_ONLY, slug="credito", visibility="staff")
    make_lesson(public, text="Los pilotos enseñan.")  # shows its innovation's title: never a suggestion
    return {"public": public, "shared": shared, "staff_only": staff_only}


def titles(client, q: str, *, prefix: str = "") -> set[str]:
    response = client.get(f"{prefix}/search/suggest/", {"q": q})
    assert response.status_code == 200
    return {suggestion["title"] for suggestion in response.json()["suggestions"]}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_each_word_typed_is_the_start_of_a_word_of_the_title(client, catalogue):
    assert titles(client, "educ") == {"Educación financiera para mujeres"}
    assert titles(client, "financiera educ") == {"Educación financiera para mujeres"}  # any order
    assert titles(client, "educ xyz") == set()  # every word must start a word of the title
    assert titles(client, "ucac") == set()  # the start of a word, not its middle
    # a hyphenated compound is found whole and by its parts
    assert titles(client, "fin") == {"Educación financiera para mujeres", "Micro-finanzas rurales"}
    assert titles(client, "microfin") == {"Micro-finanzas rurales"}
    assert titles(client, "micro-fin rur") == {"Micro-finanzas rurales"}


def test_accents_and_case_do_not_matter(client, catalogue):
    for typed in ("educacion", "EDUCACIÓN", "Educación fin", "educación FINANCIERA"):
        assert titles(client, typed) == {"Educación financiera para mujeres"}, typed
    assert titles(signed_in(StaffFactory()), "CREDITO agri") == {STAFF_ONLY}
    assert titles(signed_in(StaffFactory()), "movil") == {SHARED}


def test_only_what_the_reader_may_open_is_suggested(client, catalogue):
    donor = DonorFactory()
    ContributionFactory(innovation=catalogue["shared"], funder=donor.funder)
    member = MemberUserFactory()
    ParticipationFactory(innovation=catalogue["shared"], institution=member.institution)

    assert titles(client, "pilo") == {PUBLIC}
    assert titles(signed_in(DonorFactory()), "pilo") == {PUBLIC}  # another funder's donor
    assert titles(signed_in(donor), "pilo") == {PUBLIC, SHARED}
    assert titles(signed_in(MemberUserFactory()), "pilo") == {PUBLIC}  # another institution's member
    assert titles(signed_in(member), "pilo") == {PUBLIC, SHARED}
    assert titles(signed_in(StaffFactory()), "pilo") == {PUBLIC, SHARED, STAFF_ONLY}
    kinds = {s["kind"] for s in signed_in(StaffFactory()).get("/search/suggest/", {"q": "pilo"}).json()["suggestions"]}
    assert kinds == {"innovation"}  # the lesson shows the same title but is not suggested


def test_the_engine_applies_each_kind_of_access_exactly(engine, catalogue):
    """`Access.only` (these guards) and `Access.excluding` (all but these), as the search does."""

    def suggested(**access) -> set[str]:
        return {hit.title for hit in engine.suggest(SearchQuery(q="pilo", access=access))}

    public, shared, staff_only = catalogue["public"], catalogue["shared"], catalogue["staff_only"]
    assert suggested(innovation=Access.only_ids([shared.pk, staff_only.pk])) == {SHARED, STAFF_ONLY}
    assert suggested(innovation=Access.only_ids([])) == set()
    assert suggested(innovation=Access.excluding([public.pk])) == {SHARED, STAFF_ONLY}
    assert suggested(innovation=Access.excluding([])) == {PUBLIC, SHARED, STAFF_ONLY}
    assert suggested(research=Access.excluding([])) == set()  # a kind not listed is never found
    assert suggested() == set()
    lesson_too = {
        hit.kind
        for hit in engine.suggest(
            SearchQuery(q="pilo", access={"innovation": Access.excluding([]), "lesson": Access.excluding([])})
        )
    }
    assert lesson_too == {"innovation"}


def test_suggestions_follow_every_write(client, catalogue, engine):
    innovation = catalogue["public"]
    innovation.title = "Seguro de vida campesino"
    innovation.save()
    assert titles(client, "campe") == {"Seguro de vida campesino"}
    assert titles(client, "comunit") == set()  # the old title's words went with it
    innovation.visibility = "staff"
    innovation.save()
    assert titles(client, "campe") == set()
    assert titles(signed_in(StaffFactory()), "campe") == {"Seguro de vida campesino"}
    innovation.delete()
    assert titles(signed_in(StaffFactory()), "campe") == set()
    engine.rebuild()
    assert titles(client, "educ") == {"Educación financiera para mujeres"}
    assert titles(signed_in(StaffFactory()), "credi") == {STAFF_ONLY}


# --- the database engine's index ------------------------------------------------------------


def add_studies(engine, count: int, *, start: int) -> None:
    """Synthetic research entries straight into the index (their pages need not exist: research's
    access excludes only hidden pages), each titled "Estudio de microseguros N"."""
    for number in range(start, start + count):
        engine.index_document(
            document(
                kind="research",
                object_id=100_000 + number,
                guard=100_000 + number,
                group=f"research:{number}",
                language="es",
                languages=["es"],
                title=f"Estudio de microseguros {number}",
                body="Resumen.",
                urls={"es": f"/research/estudio-{number}/"},
                date=date(2000 + number % 20, 1, 1),
            )
        )


def test_the_database_index_holds_each_titles_words_once():
    engine = DatabaseEngine()
    add_studies(engine, 1, start=1)
    add_studies(engine, 1, start=1)  # indexed again: its words replaced, not added
    assert sorted(SuggestionWord.objects.values_list("word", flat=True)) == ["1", "de", "estudio", "microseguros"]
    engine.remove_key("research:100001:es")
    assert not SuggestionWord.objects.exists()


def test_one_keystroke_costs_the_same_queries_however_many_entries(client, research_index):
    engine = DatabaseEngine()
    from portal.search import set_engine

    set_engine(engine)
    try:
        add_studies(engine, 20, start=0)

        def queries(q: str) -> tuple[int, int]:
            cache.clear()  # the cold path (a repeated keystroke is served from the cache)
            with CaptureQueriesContext(connection) as captured:
                found = client.get("/search/suggest/", {"q": q}).json()["suggestions"]
            return len(captured), len(found)

        few_full, few_none = queries("estudio micro"), queries("estudio zzz")
        add_studies(engine, 300, start=20)
        assert queries("estudio micro") == few_full
        assert queries("estudio zzz") == few_none  # nothing found: the fallback language is asked too
        assert few_full[1] == 8
        english = client.get("/en/search/suggest/", {"q": "estudio micro"}).json()["suggestions"]
        assert len(english) == 8  # the Spanish entries, as the fallback of an English page
    finally:
        set_engine(None)
