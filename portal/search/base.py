"""The one search interface both engines implement.

Views and selectors build a `SearchQuery`, ask the configured engine, and get a
`SearchResponse` of plain data: hits with highlighted snippets, facet counts
and the total. Engines never decide who may see what: the caller passes the
ids of the innovations the user may see and of the research pages nobody may
find (not live or view-restricted, see `research.selectors.hidden_report_ids`).
Engines apply both inside the query, so totals, facets and pages stay right.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import date

from .text import fold, query_terms, stem

FACETS = ("kind", "country", "product_line", "stage", "year")
# facet name -> field name of the knowledge documents
FACET_FIELDS = {
    "kind": "kind",
    "country": "countries",
    "product_line": "product_lines",
    "stage": "stage",
    "year": "year",
}


@dataclass
class SearchQuery:
    q: str = ""
    language: str = "es"
    visible_innovation_ids: frozenset[int] = frozenset()
    # research pages never returned, even when the index still holds them
    hidden_research_ids: frozenset[int] = frozenset()
    # facet name -> the values chosen: several values of one facet widen (OR), facets narrow (AND)
    filters: dict[str, list[str]] = field(default_factory=dict)
    sort: str = "relevance"  # or "date"
    page: int = 1
    per_page: int = 20

    def __post_init__(self):
        self.filters = {
            name: [str(v) for v in ([values] if isinstance(values, str | int) else values) if str(v)]
            for name, values in self.filters.items()
            if name in FACETS
        }
        self.filters = {name: values for name, values in self.filters.items() if values}

    @property
    def terms(self) -> list[str]:
        return query_terms(self.q)

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
    innovation_slug: str
    date: date | None
    year: int | None
    countries: list[str]
    product_lines: list[str]
    stage: str
    subtype: str


@dataclass
class SearchResponse:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]
    engine: str


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
        raise NotImplementedError


def _matches(word: str, terms: set[str]) -> bool:
    folded = fold(word)
    return stem(folded.replace("-", "")) in terms or any(stem(part) in terms for part in folded.split("-"))


WORD_RE = re.compile(r"\w+(?:-\w+)*", re.UNICODE)


def highlight(text: str, terms: list[str], *, length: int = 240) -> str:
    """HTML-escaped text with the words matching the query terms in <mark>, cut to a
    window around the first match (the database engine's highlighter)."""
    text = " ".join(text.split())
    wanted = set(terms)
    spans = [m.span() for m in WORD_RE.finditer(text) if wanted and _matches(m.group(0), wanted)]
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
