"""The one search interface both engines implement.

Views and selectors build a `SearchQuery`, ask the configured engine, and get a
`SearchResponse` of plain data: hits with highlighted snippets, facet counts
and the total. Engines never decide who may see what: the caller passes, for each
kind of document, the `registry.Access` of the user (which guard ids it may or may
never find), and engines apply it inside the query, so totals, facets and pages stay
right.

Language: the query is analysed in the page's language and matched against the
documents in that language; documents in another language are searched too (analysed
in theirs) for the things that have no text in the page's language — the fallback.
The query's words become concepts (`synonyms.concepts`: all required, each satisfied
by any of its synonyms). When nothing matches, engines look for the closest words the
index knows ("did you mean") and search those instead, saying so.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field, replace
from datetime import date

from .registry import Access
from .synonyms import Concept, concepts
from .text import LANGUAGES, fold, stem, words

FACETS = ("kind", "country", "product_line", "stage", "year", "topic")
# facet name -> field name of the knowledge documents
FACET_FIELDS = {
    "kind": "kind",
    "country": "countries",
    "product_line": "product_lines",
    "stage": "stage",
    "year": "year",
    "topic": "topics",  # tag slugs (research's topic tags); labelled by their names
}


@dataclass
class SearchQuery:
    q: str = ""
    language: str = "es"  # the language the words are analysed in and searched first
    reader_language: str = ""  # the page's language (links point there); `language` when empty
    # kind -> what the user may find of it; a kind not listed is never found
    access: dict[str, Access] = field(default_factory=dict)
    # facet name -> the values chosen: several values of one facet widen (OR), facets narrow (AND)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = 20

    def __post_init__(self):
        self.reader_language = self.reader_language or self.language
        self.filters = {
            name: [str(v) for v in ([values] if isinstance(values, str | int) else values) if str(v)]
            for name, values in self.filters.items()
            if name in FACETS
        }
        self.filters = {name: values for name, values in self.filters.items() if values}

    @property
    def languages(self) -> list[str]:
        """The order documents are searched in: the query's language, then the others (fallback)."""
        return [self.language, *(language for language in LANGUAGES if language != self.language)]

    def concepts(self, language: str | None = None) -> list[Concept]:
        return concepts(self.q, language or self.language)

    @property
    def has_words(self) -> bool:
        """Whether the query says anything beyond stop words (then something must match)."""
        return bool(self.concepts())

    @property
    def only_stop_words(self) -> bool:
        return bool(self.q.strip()) and not self.has_words

    def allows(self, kind: str, guard: int | None) -> bool:
        access = self.access.get(kind)
        return access is not None and access.allows(guard)

    @property
    def offset(self) -> int:
        return (max(self.page, 1) - 1) * self.per_page


@dataclass
class Hit:
    key: str
    kind: str
    object_id: int
    title: str
    title_html: str
    snippet_html: str
    url: str
    language: str
    date: date | None
    year: int | None
    countries: list[str]
    product_lines: list[str]
    stage: str
    subtype: str
    topics: list[str] = field(default_factory=list)


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    engine: str
    # when nothing matched the words typed: the closest words the index knows, searched instead
    corrected: str = ""


class SearchEngine:
    """Index knowledge documents (see `documents.py`) and query them."""

    name = "base"

    def index_object(self, obj) -> None:
        """Index the object's documents and remove any of its keys it no longer has."""
        from .documents import documents_for, keys_for

        documents = documents_for(obj)
        for document in documents:
            self.index_document(document)
        for key in set(keys_for(obj)) - {document["key"] for document in documents}:
            self.remove_key(key)

    def remove_object(self, obj) -> None:
        from .documents import keys_for

        for key in keys_for(obj):
            self.remove_key(key)

    def index_document(self, document: dict) -> None:
        raise NotImplementedError

    def remove_key(self, key: str) -> None:
        raise NotImplementedError

    def rebuild(self, *, progress: bool = False) -> int:
        raise NotImplementedError

    def search(self, query: SearchQuery) -> SearchResponse:
        """Search; when the words match nothing, read them as words of the other languages
        (a Spanish word typed on an English page), then search the closest words the index
        knows."""
        response = self.run(query)
        if response.total or not query.has_words:
            return response
        for language in LANGUAGES:
            if language != query.language:
                other = self.run(replace(query, language=language))
                if other.total:
                    return other
        return self.correct_and_run(query, response)

    def correct_and_run(self, query: SearchQuery, response: SearchResponse) -> SearchResponse:
        corrected = self.correct(query)
        if not corrected or corrected == " ".join(query.q.split()).lower():
            return response
        retry = self.run(replace(query, q=corrected))
        retry.corrected = corrected if retry.total else ""
        return retry if retry.total else response

    def run(self, query: SearchQuery) -> SearchResponse:
        raise NotImplementedError

    def correct(self, query: SearchQuery) -> str:
        """The query with each word the index does not know replaced by the closest word of the
        documents the user may see ("" when there is nothing to correct)."""
        vocabulary = sorted(self.vocabulary(query))
        if not vocabulary:
            return ""
        known = {stem(word, language) for word in vocabulary for language in LANGUAGES}
        out, changed = [], False
        for word in words(query.q):
            if stem(word, query.language) in known or len(word) < 4:
                out.append(word)
                continue
            # a word cut short ("micropens") is completed; a misspelt one corrected
            started = [known_word for known_word in vocabulary if known_word.startswith(word)]
            closest = min(started, key=lambda w: (len(w), w)) if started else self.closest(word, vocabulary)
            changed = changed or bool(closest)
            out.append(closest or word)
        return " ".join(out) if changed else ""

    def vocabulary(self, query: SearchQuery) -> set[str]:
        """The words of the documents the user may see."""
        return set()

    def closest(self, word: str, vocabulary: list[str]) -> str:
        """The most similar word of the vocabulary, if similar enough (`difflib` by default)."""
        found = difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75)
        return found[0] if found else ""

    def suggest(self, query: SearchQuery, *, limit: int = 8) -> list[Hit]:
        """Titles for search-as-you-type: the last word typed is a prefix."""
        raise NotImplementedError


def hit_url(urls: dict, language: str, fallback: str) -> str:
    """A document's address in the reader's language, else in its own."""
    return urls.get(language) or urls.get(fallback) or next(iter(urls.values()), "")


def _matches(word: str, terms: set[str], language: str) -> bool:
    folded = fold(word)
    whole = stem(folded.replace("-", ""), language)
    return whole in terms or any(stem(part, language) in terms for part in folded.split("-"))


WORD_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)


def highlight(text: str, terms, *, length: int = 240, language: str = "es") -> str:
    """HTML-escaped text with the words matching the query terms in <mark>, cut to a
    window around the first match (the database engine's highlighter)."""
    text = " ".join(text.split())
    wanted = set(terms)
    seen: dict[str, bool] = {}  # a word is folded and stemmed once, however often it appears
    spans = []
    if wanted:
        for match in WORD_RE.finditer(text):
            if spans and match.start() > spans[0][0] + length:
                break  # past the window around the first match
            word = match.group(0)
            if word not in seen:
                seen[word] = _matches(word, wanted, language)
            if seen[word]:
                spans.append(match.span())
    start, end = 0, len(text)
    if len(text) > length:
        first = spans[0][0] if spans else 0
        start = max(0, first - length // 3)
        end = min(len(text), start + length)
        if start > 0:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
    out, cursor = [], start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        out.append(html.escape(text[cursor:span_start]))
        out.append(f"<mark>{html.escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    out.append(html.escape(text[cursor:end]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + "".join(out) + suffix


def marked_fragment(fragment: str) -> str:
    """Escape an engine's highlighted fragment, keeping only its <mark> tags."""
    escaped = html.escape(" ".join(fragment.split()))
    return escaped.replace("&lt;mark&gt;", "<mark>").replace("&lt;/mark&gt;", "</mark>")
