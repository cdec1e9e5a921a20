"""Spanish normalisation used by the database engine (and mirrored by the ES analyzer)."""

from portal.search.base import highlight
from portal.search.elasticsearch import DEFAULT_STEMMER, ElasticsearchEngine
from portal.search.text import STOP_WORDS, fold, query_terms, stem, terms


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


def test_production_analyzers_fold_drop_the_same_stop_words_and_use_light_stemmers():
    engine = ElasticsearchEngine(url="http://127.0.0.1:9")
    analysis = engine.index_definition().to_dict()["settings"]["analysis"]
    assert DEFAULT_STEMMER == "light_spanish"
    assert analysis["filter"]["portal_stemmer_es"] == {"type": "stemmer", "language": "light_spanish"}
    assert analysis["filter"]["portal_stemmer_en"] == {"type": "stemmer", "language": "minimal_english"}
    for language in ("es", "en"):
        assert analysis["analyzer"][f"text_{language}"]["filter"] == [
            "lowercase",
            "asciifolding",
            f"portal_stop_{language}",
            f"portal_stemmer_{language}",
        ]
        assert set(analysis["filter"][f"portal_stop_{language}"]["stopwords"]) == STOP_WORDS[language]


def test_stop_words_and_english_plurals():
    assert query_terms("seguro de la vida") == ["segur", "vida"]
    assert query_terms("de la") == []
    assert query_terms("the pensions and policies", "en") == ["pension", "policy"]
    assert stem("cases", "en") == "case" and stem("does", "en") == "does" and stem("bus", "en") == "bus"
