"""Text analysis shared by both search engines, per language.

Spanish text: lowercase, accent folding, Spanish stop words, Lucene's light Spanish
stemmer. English text: lowercase, accent folding, English stop words, Lucene's minimal
English stemmer (plurals). The database engine stores and matches terms made here; the
Elasticsearch engine does the same work in its analyzers (`elasticsearch.analysis_settings`,
built from the same stop-word lists and stemmer names), so both find the same documents.
Hyphenated compounds are indexed whole and in parts, so "micro-finanzas" and
"microfinanzas" find each other.
"""

import re
import unicodedata

WORD = re.compile(r"\w+(?:-\w+)*", re.UNICODE)
LANGUAGES = ("es", "en")

# Folded forms (what remains after lowercase + asciifolding). Words a searcher types that
# say nothing about the subject: "de", "la" and "the" are never required words.
STOP_WORDS = {
    "es": frozenset(
        [
            "a",
            "al",
            "algo",
            "algun",
            "alguna",
            "algunas",
            "alguno",
            "algunos",
            "ante",
            "antes",
            "como",
            "con",
            "contra",
            "cual",
            "cuando",
            "de",
            "del",
            "desde",
            "donde",
            "durante",
            "e",
            "el",
            "ella",
            "ellas",
            "ellos",
            "en",
            "entre",
            "era",
            "eran",
            "es",
            "esa",
            "esas",
            "ese",
            "eso",
            "esos",
            "esta",
            "estaba",
            "estan",
            "estar",
            "estas",
            "este",
            "esto",
            "estos",
            "fue",
            "fueron",
            "ha",
            "han",
            "hasta",
            "hay",
            "la",
            "las",
            "le",
            "les",
            "lo",
            "los",
            "mas",
            "me",
            "mi",
            "mientras",
            "muy",
            "nada",
            "ni",
            "no",
            "nos",
            "o",
            "otra",
            "otras",
            "otro",
            "otros",
            "para",
            "pero",
            "poco",
            "por",
            "porque",
            "que",
            "quien",
            "se",
            "sea",
            "ser",
            "si",
            "sido",
            "sin",
            "sobre",
            "son",
            "su",
            "sus",
            "tambien",
            "tan",
            "tanto",
            "te",
            "tiene",
            "tienen",
            "todo",
            "todos",
            "tu",
            "un",
            "una",
            "unas",
            "uno",
            "unos",
            "y",
            "ya",
        ]
    ),
    "en": frozenset(
        [
            "a",
            "an",
            "and",
            "are",
            "as",
            "at",
            "be",
            "but",
            "by",
            "for",
            "from",
            "has",
            "have",
            "if",
            "in",
            "into",
            "is",
            "it",
            "its",
            "no",
            "not",
            "of",
            "on",
            "or",
            "such",
            "that",
            "the",
            "their",
            "then",
            "there",
            "these",
            "they",
            "this",
            "to",
            "was",
            "were",
            "will",
            "with",
        ]
    ),
}


def fold(text: str) -> str:
    """Lowercase and strip accents: "Educación" -> "educacion" (ñ -> n as asciifolding does)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _light_spanish(word: str) -> str:
    """Lucene's SpanishLightStemmer (Elasticsearch's `light_spanish`)."""
    n = len(word)
    if n < 5:
        return word
    last = word[-1]
    if last in "oae":
        return word[:-1]
    if last == "s":
        if word.endswith("eses"):
            return word[:-2]
        if word[-3:-1] == "ce":
            return word[:-3] + "z"
        if word[-2] in "oae":
            return word[:-2]
    return word


def _minimal_english(word: str) -> str:
    """Lucene's EnglishMinimalStemmer (Elasticsearch's `minimal_english`): plurals only."""
    n = len(word)
    if n < 3 or word[-1] != "s" or word[-2] in "us":
        return word
    if word[-2] == "e":
        if n > 3 and word[-3] == "i" and word[-4] not in "ae":
            return word[:-3] + "y"
        if word[-3] in "iaoe":
            return word
    return word[:-1]


STEMMERS = {"es": _light_spanish, "en": _minimal_english}
# The same stemmers by their Elasticsearch names (production; the test server uses Snowball
# for Spanish, see tests/search/conftest.py)
ELASTICSEARCH_STEMMERS = {"es": "light_spanish", "en": "minimal_english"}


def stem(word: str, language: str = "es") -> str:
    """The stem of an already folded word."""
    return STEMMERS.get(language, _light_spanish)(word)


def is_stop_word(word: str, language: str = "es") -> bool:
    return word in STOP_WORDS.get(language, STOP_WORDS["es"])


def terms(text: str, language: str = "es") -> list[str]:
    """Folded, stemmed terms of a text, stop words left out; hyphenated compounds also give
    the joined word, so "micro-finanzas" and "microfinanzas" find each other."""
    out: list[str] = []
    for match in WORD.finditer(fold(text)):
        token = match.group(0)
        parts = [part for part in token.split("-") if part]
        if len(parts) > 1:
            out.append(stem("".join(parts), language))
        out.extend(stem(part, language) for part in parts if not is_stop_word(part, language))
    return out


def normalise(text: str, language: str = "es") -> str:
    return " ".join(terms(text, language))


def words(text: str) -> list[str]:
    """The words a searcher types, folded, hyphenated compounds joined, in order."""
    return [match.group(0).replace("-", "") for match in WORD.finditer(fold(text))]


def query_terms(query: str, language: str = "es") -> list[str]:
    """A query's terms, without stop words or repeats: hyphenated compounds are searched
    as the joined word only."""
    out: list[str] = []
    for word in words(query):
        if is_stop_word(word, language):
            continue
        term = stem(word, language)
        if term and term not in out:
            out.append(term)
    return out


def title_words(text: str) -> list[str]:
    """The words of a title whose start a searcher may type (search as you type), folded and
    without repeats: a hyphenated compound whole (joined) and in its parts, so "micro-fin"
    and "finanzas" both find "Micro-finanzas rurales"."""
    out: set[str] = set()
    for match in WORD.finditer(fold(text)):
        token = match.group(0)
        out.add(token.replace("-", ""))
        out.update(part for part in token.split("-") if part)
    return sorted(out)
