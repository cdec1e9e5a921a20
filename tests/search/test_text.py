"""Spanish normalisation: the terms both engines index and match."""

from portal.search.base import highlight
from portal.search.elasticsearch import ElasticsearchEngine
from portal.search.text import fold, query_terms, stem, terms


def test_fold_removes_accents_and_case():
    assert fold("EDUCACIÓN Pequeña") == "educacion pequena"


def test_light_stemmer_joins_singular_and_plural():
    assert stem("microseguros") == stem("microseguro") == "microsegur"
    assert stem("educaciones") == stem("educacion")
    assert stem("capaces") == "capaz"
    assert stem("red") == "red"  # short words stay


def test_hyphenated_words_are_indexed_whole_and_in_parts():
    assert terms("micro-finanzas") == ["microfinanz", "micr", "finanz"]
    assert query_terms("micro-finanzas Microfinanzas") == ["microfinanz"]


def test_highlight_marks_folded_matches_in_the_original_text():
    assert highlight("Educación y microseguros", query_terms("educacion microseguro")) == (
        "<mark>Educación</mark> y <mark>microseguros</mark>"
    )
    long_text = "palabra " * 100 + "microseguros al final"
    snippet = highlight(long_text, ["microsegur"], length=80)
    assert snippet.startswith("… ") and "<mark>microseguros</mark>" in snippet


def test_elasticsearch_indexes_the_terms_the_database_stores():
    """The server analyses nothing language-specific: the portal's terms, split at spaces."""
    source = ElasticsearchEngine._source(
        {
            "key": "research:1:es",
            "kind": "research",
            "language": "es",
            "title": "Educación y Microseguros",
            "summary": "Las pólizas",
            "body": "micro-finanzas",
            "date": None,
        }
    )
    assert source["title_terms"] == "educacion microsegur"
    assert source["summary_terms"] == "poliz"
    assert source["body_terms"] == "educacion microsegur poliz microfinanz micr finanz"
    mapping = ElasticsearchEngine(url="http://127.0.0.1:9").index_definition().to_dict()["mappings"]["properties"]
    assert {mapping[f"{field}_terms"]["analyzer"] for field in ("title", "summary", "body")} == {"whitespace"}


def test_stop_words_and_english_plurals():
    assert query_terms("seguro de la vida") == ["segur", "vida"]
    assert query_terms("de la") == []
    assert query_terms("the pensions and policies", "en") == ["pension", "policy"]
    assert stem("cases", "en") == "case" and stem("does", "en") == "does" and stem("bus", "en") == "bus"
