"""Spanish text normalisation shared by both search engines.

The database engine matches folded, stemmed words it stores itself; the
Elasticsearch engine does the same work in its analyzer (lowercase,
asciifolding, light_spanish stemmer). The stemmer below is a port of Lucene's
SpanishLightStemmer, the filter Elasticsearch uses, so that both engines treat
"microseguro" and "microseguros", "educacion" and "educación" alike.
"""

import re
import unicodedata

WORD = re.compile(r"\w+(?:-\w+)*", re.UNICODE)


def fold(text: str) -> str:
    """Lowercase and strip accents: "Educación" -> "educacion" (ñ -> n as asciifolding does)."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def stem(word: str) -> str:
    """Lucene's light Spanish stemmer on an already folded word."""
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


def terms(text: str) -> list[str]:
    """Folded, stemmed terms of a text; hyphenated compounds also give the joined word,
    so "micro-finanzas" and "microfinanzas" find each other."""
    out: list[str] = []
    for match in WORD.finditer(fold(text)):
        token = match.group(0)
        parts = token.split("-")
        if len(parts) > 1:
            out.append(stem("".join(parts)))
        out.extend(stem(part) for part in parts if part)
    return out


def normalise(text: str) -> str:
    return " ".join(terms(text))


def query_terms(query: str) -> list[str]:
    """A query's terms: hyphenated compounds are searched as the joined word only."""
    out: list[str] = []
    for match in WORD.finditer(fold(query)):
        word = stem(match.group(0).replace("-", ""))
        if word and word not in out:
            out.append(word)
    return out
