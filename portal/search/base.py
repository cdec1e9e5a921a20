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
by any of its synonyms); words naming a kind of document ("lecciones aprendidas",
`kinds.txt`) show only that kind. When nothing matches, engines look for the closest words
the index knows ("did you mean") and search those instead, saying so.

Ranking, the same on every engine (so they agree on the order, not only on the set): each
concept scores where it matches best — the title 4, the summary 2, anywhere else 1 (a
study's body, authors and topics; an innovation's lessons and product terms) — and a
document's score is the sum over the concepts. Ties go to the kind's `rank` (an innovation
before a study before a lesson), then the newest, then the key. No term frequencies, no
lengths: a title match outranks a body match however often the body repeats the word.

One result per thing: kinds registered as nested (a lesson under its innovation) are not
results of their own unless the reader chose or named their kind; they are shown under
their parent (`Hit.children`), and the kind facet still counts them.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass, field, replace
from datetime import date

from django.db import connection

from .registry import Access
from .synonyms import Concept, NamedKind, parse
from .text import LANGUAGES, fold, stem, words

# points of a concept by where it matches best (see the module's docstring)
TITLE_POINTS, SUMMARY_POINTS, BODY_POINTS = 4, 2, 1
SIMILAR_ENOUGH = 0.4  # trigram similarity of a "did you mean" correction (PostgreSQL)
CHILDREN_SHOWN = 3  # a parent's matching children shown under it; "N more" for the rest
MAX_CHILDREN = 200

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
    # kind -> the kind it is shown under (a lesson under its innovation: `guard` = the parent's id)
    nested: dict[str, str] = field(default_factory=dict)
    read_kinds: bool = True  # whether words naming a kind ("lecciones") show only that kind
    with_facets: bool = True  # False: hits and total only (the nested documents under a page's hits)
    only_named: bool = True  # whether the kinds the words name are the only kinds found

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
        return parse(self.q, language or self.language, read_kinds=self.read_kinds)[0]

    @property
    def named_kinds(self) -> list[NamedKind]:
        """The kinds the words name ("lecciones aprendidas"): only these are found."""
        return parse(self.q, self.language, read_kinds=self.read_kinds)[1]

    @property
    def kind_filter(self) -> list[NamedKind]:
        """The named kinds the engines keep to (none for the lessons under a page's innovations,
        found by the same words)."""
        return self.named_kinds if self.only_named else []

    @property
    def hidden_kinds(self) -> set[str]:
        """Nested kinds shown only under their parent: those the reader neither chose nor named."""
        chosen = set(self.filters.get("kind", [])) | {named.kind for named in self.named_kinds}
        return {kind for kind in self.nested if kind not in chosen}

    @property
    def has_words(self) -> bool:
        """Whether the query says anything beyond stop words and kinds (then something must match)."""
        return bool(self.concepts())

    @property
    def only_stop_words(self) -> bool:
        return bool(self.q.strip()) and not self.has_words and not self.named_kinds

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
    guard: int | None = None
    # nested kinds' matching documents under this one (a lesson under its innovation)
    children: list[Hit] = field(default_factory=list)
    more_children: int = 0


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    engine: str
    # when nothing matched the words typed: the closest words the index knows, searched instead
    corrected: str = ""
    named_kinds: list[NamedKind] = field(default_factory=list)  # the kinds the words named, shown only


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
        """Search (see `find`); when words naming a kind find nothing of it, they are searched as
        words; then each parent on the page gets its nested kinds' matches (`Hit.children`)."""
        response = self.find(query)
        if query.named_kinds:
            if response.total:
                response.named_kinds = query.named_kinds
            else:
                query = replace(query, read_kinds=False)
                response = self.find(query)
        self.add_children(query, response)
        return response

    def add_children(self, query: SearchQuery, response: SearchResponse) -> None:
        """Each parent hit's matching documents of the kinds nested under it, best first: a few
        under it, the rest counted. One search for the page's parents."""
        for child, parent in query.nested.items():
            if child not in query.hidden_kinds or not query.has_words:
                continue
            ids = sorted({hit.object_id for hit in response.hits if hit.kind == parent})
            ids = [pk for pk in ids if query.allows(child, pk)]
            if not ids:
                continue
            found = self.run(
                replace(
                    query,
                    q=response.corrected or query.q,  # the words the page's results were found by
                    access={child: Access.only_ids(ids)},
                    filters={},
                    nested={},
                    only_named=False,
                    sort="relevance",
                    page=1,
                    per_page=MAX_CHILDREN,
                    with_facets=False,
                )
            )
            under: dict[int | None, list[Hit]] = {}
            for hit in found.hits:
                under.setdefault(hit.guard, []).append(hit)
            for hit in response.hits:
                if hit.kind == parent:
                    children = under.get(hit.object_id, [])
                    hit.children = children[:CHILDREN_SHOWN]
                    hit.more_children = len(children) - len(hit.children)

    def find(self, query: SearchQuery) -> SearchResponse:
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
        """The most similar word of the vocabulary, if similar enough: by trigram similarity
        when the portal runs on PostgreSQL (`pg_trgm`'s `similarity()`), by `difflib` on SQLite.
        The database decides whatever the search engine, so that the engines of one portal
        correct a typo alike."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT w FROM unnest(%s::text[]) AS w WHERE similarity(w, %s) >= %s "
                    "ORDER BY similarity(w, %s) DESC, w LIMIT 1",
                    [vocabulary, word, SIMILAR_ENOUGH, word],
                )
                row = cursor.fetchone()
            return row[0] if row else ""
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
