"""Synonym groups (`synonyms.txt`) and the query they make: both engines search the same
concepts, so they agree.

A query becomes a list of *concepts*, all required; a concept is a list of
*alternatives*, any of which may match; an alternative is a phrase whose words must all
match. A phrase of a synonym group found in the query (the longest first) becomes one
concept whose alternatives are every phrase of its group; any other word is a concept of
its own. Stop words are dropped first ("seguro de vida" is "seguro" + "vida").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .text import is_stop_word, stem, words

FILE = Path(__file__).with_name("synonyms.txt")


@dataclass(frozen=True)
class Alternative:
    text: str  # as written (what Elasticsearch analyses)
    terms: tuple[str, ...]  # analysed in the query's language (what the database matches)


Concept = list[Alternative]


def analysed(phrase: str, language: str) -> tuple[str, ...]:
    return tuple(stem(word, language) for word in words(phrase) if not is_stop_word(word, language))


@cache
def groups_as_written() -> tuple[tuple[str, ...], ...]:
    out = []
    for line in FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(tuple(phrase.strip() for phrase in line.split(",") if phrase.strip()))
    return tuple(out)


@cache
def groups(language: str) -> tuple[tuple[Alternative, ...], ...]:
    """Every group, each phrase analysed in `language` (phrases that analyse alike kept once)."""
    out = []
    for group in groups_as_written():
        seen: dict[tuple[str, ...], Alternative] = {}
        for phrase in group:
            terms = analysed(phrase, language)
            if terms and terms not in seen:
                seen[terms] = Alternative(phrase, terms)
        out.append(tuple(seen.values()))
    return tuple(out)


def concepts(query: str, language: str) -> list[Concept]:
    """The query's concepts in `language` (see the module's docstring)."""
    typed = [word for word in words(query) if not is_stop_word(word, language)][:20]
    terms = [stem(word, language) for word in typed]
    out: list[Concept] = []
    position = 0
    while position < len(terms):
        best: tuple[int, tuple[Alternative, ...]] | None = None
        for group in groups(language):
            for alternative in group:
                size = len(alternative.terms)
                if tuple(terms[position : position + size]) == alternative.terms and (best is None or size > best[0]):
                    best = (size, group)
        if best:
            size, group = best
            concept = list(group)
        else:
            size, concept = 1, [Alternative(typed[position], (terms[position],))]
        if concept not in out:
            out.append(concept)
        position += size
    return out


def all_terms(concepts_: list[Concept]) -> set[str]:
    """Every analysed term of every alternative (what the highlighter marks)."""
    return {term for concept in concepts_ for alternative in concept for term in alternative.terms}
