"""Synonym groups (`synonyms.txt`) and the query they make: both engines search the same
concepts, so they agree.

A query becomes a list of *concepts*, all required; a concept is a list of
*alternatives*, any of which may match; an alternative is a phrase whose words must all
match. A phrase of a synonym group found in the query (the longest first) becomes one
concept whose alternatives are every phrase of its group; any other word is a concept of
its own. Stop words are dropped first ("seguro de vida" is "seguro" + "vida").

Kinds of documents (`kinds.txt`): a phrase naming a kind ("lecciones aprendidas", "case
studies") is not a concept but a *named kind*: the search shows only that kind (and, for a
research study's type, only that type). Read in the same pass, longest phrase first, so
"evaluación de impacto" stays the synonym group's phrase while "evaluaciones" names a kind.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .text import is_stop_word, stem, words

FILE = Path(__file__).with_name("synonyms.txt")
KINDS_FILE = Path(__file__).with_name("kinds.txt")


@dataclass(frozen=True)
class Alternative:
    text: str  # as written (what Elasticsearch analyses)
    terms: tuple[str, ...]  # analysed in the query's language (what the database matches)


Concept = list[Alternative]


@dataclass(frozen=True)
class NamedKind:
    """A kind of document named in a query: `kind` (e.g. "lesson"), and for research the
    study type (`subtype`, "" for every type)."""

    kind: str
    subtype: str = ""


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


@cache
def kinds_as_written() -> tuple[tuple[NamedKind, tuple[str, ...]], ...]:
    out = []
    for line in KINDS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or ":" not in line:
            continue
        name, phrases = line.split(":", 1)
        kind, _slash, subtype = name.strip().partition("/")
        out.append((NamedKind(kind, subtype), tuple(p.strip() for p in phrases.split(",") if p.strip())))
    return tuple(out)


@cache
def kind_phrases(language: str) -> tuple[tuple[tuple[str, ...], NamedKind], ...]:
    """Every phrase of `kinds.txt` analysed in `language`, with the kind it names."""
    return tuple(
        (terms, named)
        for named, phrases in kinds_as_written()
        for phrase in phrases
        if (terms := analysed(phrase, language))
    )


def parse(query: str, language: str, *, read_kinds: bool = True) -> tuple[list[Concept], list[NamedKind]]:
    """The query's concepts and the kinds it names, in `language` (see the module's docstring):
    at each word, the longest phrase of a synonym group or of `kinds.txt` that starts there (a
    kind on a tie: "evaluación" alone names evaluations)."""
    typed = [word for word in words(query) if not is_stop_word(word, language)][:20]
    terms = [stem(word, language) for word in typed]
    out: list[Concept] = []
    named: list[NamedKind] = []
    position = 0
    while position < len(terms):
        best: tuple[int, tuple[Alternative, ...]] | None = None
        for group in groups(language):
            for alternative in group:
                size = len(alternative.terms)
                if tuple(terms[position : position + size]) == alternative.terms and (best is None or size > best[0]):
                    best = (size, group)
        kind: tuple[int, NamedKind] | None = None
        if read_kinds:
            for phrase, candidate in kind_phrases(language):
                size = len(phrase)
                if tuple(terms[position : position + size]) == phrase and (kind is None or size > kind[0]):
                    kind = (size, candidate)
        if kind and (best is None or kind[0] >= best[0]):
            size = kind[0]
            if kind[1] not in named:
                named.append(kind[1])
            position += size
            continue
        if best:
            size, group = best
            concept = list(group)
        else:
            size, concept = 1, [Alternative(typed[position], (terms[position],))]
        if concept not in out:
            out.append(concept)
        position += size
    return out, named


def concepts(query: str, language: str, *, read_kinds: bool = False) -> list[Concept]:
    """The query's concepts in `language` (with `read_kinds`, without the phrases naming kinds)."""
    return parse(query, language, read_kinds=read_kinds)[0]


def named_kinds(query: str, language: str) -> list[NamedKind]:
    """The kinds of documents the query names ("lecciones aprendidas" -> lesson)."""
    return parse(query, language)[1]


def all_terms(concepts_: list[Concept]) -> set[str]:
    """Every analysed term of every alternative (what the highlighter marks)."""
    return {term for concept in concepts_ for alternative in concept for term in alternative.terms}
