"""The database engine: the knowledge table (`models.KnowledgeEntry`) queried in SQL.

Every entry holds its text analysed in its language (`text.py`) as terms separated by spaces.
A query's concepts (`synonyms.py`, the same as Elasticsearch's) must all be in the folded
text: on PostgreSQL through the stored, GIN-indexed `tsvector` (`vector @@ to_tsquery(...)`),
on SQLite by matching the terms in the text (`LIKE '% term %'`). Every match is scored in the
same query by where each concept is found (`base`: title 4, summary 2, elsewhere 1; a
`CASE` on the short title and summary columns, no `ts_rank`), and only the page asked for
is read, in the order `-score, rank, -date, key`. Filters and facet counts read the
`EntryFacet` rows: an `EXISTS` per chosen facet, one `GROUP BY` for the facets not chosen and
one for each chosen facet (whose counts leave its own choice out). So a search is a few
indexed queries whatever the number of matches: the page, the total, the facets.

Search as you type: each typed word is the start of a word of the title, found in the
`SuggestionWord` rows (`LIKE 'micros%'`, an index range scan on PostgreSQL), with access
checked in the same query, so a keystroke reads only the titles it suggests.

"Did you mean": the closest word the visible documents contain (`base.SearchEngine.closest`).
"""

from __future__ import annotations

import html
import logging
from functools import reduce
from operator import add, and_, or_

from django.db import connection, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Value, When

from .base import (
    BODY_POINTS,
    FACET_FIELDS,
    FACETS,
    SUMMARY_POINTS,
    TITLE_POINTS,
    Hit,
    SearchEngine,
    SearchQuery,
    SearchResponse,
    highlight,
    hit_url,
)
from .documents import all_documents, analysed
from .models import EntryFacet, KnowledgeEntry, SuggestionWord
from .registry import Access
from .sql import AnyOf, HasTerms, VectorMatches
from .synonyms import Concept, all_terms
from .text import LANGUAGES, title_words, words

logger = logging.getLogger(__name__)
# what a hit shows of an entry (its text is read for the page only)
LIGHT_FIELDS = (
    "id",
    "key",
    "kind",
    "item_id",
    "guard",
    "group",
    "language",
    "languages",
    "heading",
    "urls",
    "date",
    "year",
    "countries",
    "product_lines",
    "stage",
    "subtype",
    "topics",
)
LESSON = "lesson"


def _holds(column: str, concept: Concept) -> Q:
    """Any alternative of the concept is in the column."""
    return reduce(or_, (Q(HasTerms(column, alt.terms)) for alt in concept))


def _matches(concepts: list[Concept]) -> Q:
    """Every concept is in the document (the stored vector on PostgreSQL)."""
    if connection.vendor == "postgresql":
        return Q(VectorMatches(concepts))
    return reduce(and_, (_holds("body_folded", concept) for concept in concepts))


def _score(concepts: list[Concept]):
    """The sum over the concepts of where each is found best (`base`)."""
    return reduce(
        add,
        (
            Case(
                When(_holds("title", concept), then=Value(TITLE_POINTS)),
                When(_holds("summary_folded", concept), then=Value(SUMMARY_POINTS)),
                default=Value(BODY_POINTS),
                output_field=IntegerField(),
            )
            for concept in concepts
        ),
    )


def _visible(access: dict[str, Access]) -> Q:
    """`SearchQuery.allows` as a condition: of each kind listed, the guards its access allows
    (`excluding` allows an entry without a guard, as `Access.allows(None)` does)."""
    allowed = Q(pk__in=[])  # no kind listed: nothing
    for kind, rule in access.items():
        guards = Q(AnyOf(F("guard"), sorted(rule.ids)))
        allowed |= Q(kind=kind) & (guards if rule.only else Q(guard__isnull=True) | ~guards)
    return allowed


def _chosen(name: str, values: list[str]) -> Q:
    return Q(Exists(EntryFacet.objects.filter(entry=OuterRef("pk"), facet=name, value__in=values)))


def facet_values(document: dict) -> list[tuple[str, str]]:
    """The document's (facet, value) pairs."""
    out = []
    for name in FACETS:
        value = document.get(FACET_FIELDS[name])
        for each in value if isinstance(value, list | tuple) else [value]:
            if each not in (None, ""):
                out.append((name, str(each)[:100]))
    return sorted(set(out))


class DatabaseEngine(SearchEngine):
    name = "database"

    def _entry_fields(self, document: dict) -> dict:
        text = analysed(document)
        fields = {
            key: value
            for key, value in document.items()
            if key not in ("key", "title", "object_id", "summary", "body")
            and key in {f.name for f in KnowledgeEntry._meta.concrete_fields if not f.generated}
        }
        fields["item_id"] = document["object_id"]
        fields["heading"] = document["title"]
        fields["body"] = text.body
        fields["title"] = text.title_terms
        fields["summary_folded"] = text.summary_terms
        fields["body_folded"] = text.all_terms
        fields["words"] = " ".join(text.words)
        fields["languages"] = f" {' '.join(document['languages'])} "
        return fields

    @staticmethod
    def _suggestion_words(entry: KnowledgeEntry) -> list[SuggestionWord]:
        """Its title's words for search as you type (none for a lesson: it shows its
        innovation's title, and the innovation is the suggestion)."""
        if entry.kind == LESSON:
            return []
        return [SuggestionWord(entry=entry, word=word) for word in title_words(entry.heading)]

    def index_document(self, document: dict) -> None:
        entry, _created = KnowledgeEntry.objects.update_or_create(
            key=document["key"], defaults=self._entry_fields(document)
        )
        entry.title_words.all().delete()
        SuggestionWord.objects.bulk_create(self._suggestion_words(entry))
        entry.facet_values.all().delete()
        EntryFacet.objects.bulk_create(
            [
                EntryFacet(entry=entry, facet=name, value=value, kind=entry.kind)
                for name, value in facet_values(document)
            ]
        )

    def remove_key(self, key: str) -> None:
        for entry in KnowledgeEntry.objects.filter(key=key):
            entry.delete()

    @transaction.atomic
    def rebuild(self, *, progress: bool = False) -> int:
        EntryFacet.objects.all().delete()
        SuggestionWord.objects.all().delete()
        KnowledgeEntry.objects.all().delete()
        documents = list(all_documents(progress=progress))
        entries = [KnowledgeEntry(key=document["key"], **self._entry_fields(document)) for document in documents]
        KnowledgeEntry.objects.bulk_create(entries, batch_size=500)
        SuggestionWord.objects.bulk_create(
            [word for entry in entries for word in self._suggestion_words(entry)], batch_size=2000
        )
        EntryFacet.objects.bulk_create(
            [
                EntryFacet(entry=entry, facet=name, value=value, kind=entry.kind)
                for entry, document in zip(entries, documents, strict=True)
                for name, value in facet_values(document)
            ],
            batch_size=2000,
        )
        if connection.vendor == "postgresql":  # the planner's statistics of the new rows
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE search_knowledgeentry, search_entryfacet, search_suggestionword")
        return len(entries)

    # --- querying ---------------------------------------------------------------------------

    @staticmethod
    def _matching(query: SearchQuery):
        """The entries the words match that the user may see, with their `score`: the page's
        language, then the others' for groups with no text in the page's language; only the
        kinds the words name, if they name any."""
        rows = KnowledgeEntry.objects.filter(_visible(query.access))
        if query.kind_filter:
            rows = rows.filter(
                reduce(
                    or_, (Q(kind=n.kind, **({"subtype": n.subtype} if n.subtype else {})) for n in query.kind_filter)
                )
            )
        found, scores = [], []
        for position, language in enumerate(query.languages):
            here = Q(language=language)
            if position:  # the fallback: only what has no text in the reader's language
                here &= ~Q(languages__contains=f" {query.language} ")
            concepts = query.concepts(language)
            if concepts:
                found.append(here & _matches(concepts))
                scores.append(When(language=language, then=_score(concepts)))
            else:
                found.append(here)
        rows = rows.filter(reduce(or_, found))
        score = Case(*scores, default=Value(0), output_field=IntegerField()) if scores else Value(0)
        return rows.annotate(score=score)

    def run(self, query: SearchQuery) -> SearchResponse:
        if query.only_stop_words:
            return SearchResponse(total=0, hits=[], facets={name: {} for name in FACETS}, engine=self.name)
        matching = self._matching(query)
        chosen = {name: _chosen(name, values) for name, values in query.filters.items()}
        hidden = query.hidden_kinds
        shown = matching.filter(*chosen.values()).exclude(kind__in=hidden)
        if query.sort == "date" or not query.has_words:
            order = [F("date").desc(nulls_last=True), "rank", "key"]
        else:
            order = ["-score", "rank", F("date").desc(nulls_last=True), "key"]
        page = list(shown.order_by(*order).only(*LIGHT_FIELDS, "body")[query.offset : query.offset + query.per_page])
        if query.with_facets:
            facets = self._facets(matching, chosen, hidden)
            # every entry has one kind: the total is the kind facet's counts of the kinds shown
            kinds = query.filters.get("kind") or [kind for kind in facets["kind"] if kind not in hidden]
            total = sum(facets["kind"].get(kind, 0) for kind in kinds)
        else:
            facets = {name: {} for name in FACETS}
            full = len(page) == query.per_page or query.offset
            total = shown.count() if full else len(page)
        marked = {language: all_terms(query.concepts(language)) for language in LANGUAGES}
        hits = [self._hit(entry, query, marked) for entry in page]
        return SearchResponse(total=total, hits=hits, facets=facets, engine=self.name)

    @staticmethod
    def _facets(matching, chosen: dict[str, Q], hidden: set[str]) -> dict[str, dict[str, int]]:
        """Counts per facet value of what is shown (the kind facet also counts the nested kinds,
        what choosing them would show); a chosen facet's counts leave its own choice out."""
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}

        def count(rows, names) -> None:
            values = EntryFacet.objects.filter(entry__in=rows.values("pk"), facet__in=names)
            if hidden:
                values = values.filter(Q(facet="kind") | ~Q(kind__in=hidden))
            for name, value, n in values.values_list("facet", "value").annotate(n=Count("pk")).order_by():
                facets[name][value] = n

        free = [name for name in FACETS if name not in chosen]
        if free:
            count(matching.filter(*chosen.values()), free)
        for name in chosen:
            count(matching.filter(*(q for other, q in chosen.items() if other != name)), [name])
        return facets

    @staticmethod
    def _hit(entry: KnowledgeEntry, query: SearchQuery, marked: dict) -> Hit:
        """A hit, its title and text marked where they match (`marked`: terms by language)."""
        terms = marked.get(entry.language, set())
        return Hit(
            key=entry.key,
            kind=entry.kind,
            object_id=entry.item_id,
            title=entry.heading,
            title_html=highlight(entry.heading, terms, length=300, language=entry.language),
            snippet_html=highlight(entry.body, terms, language=entry.language),
            url=hit_url(entry.urls, query.reader_language, entry.language),
            language=entry.language,
            date=entry.date,
            year=entry.year,
            countries=list(entry.countries),
            product_lines=list(entry.product_lines),
            stage=entry.stage,
            subtype=entry.subtype,
            topics=list(entry.topics),
            guard=entry.guard,
        )

    # --- did you mean -----------------------------------------------------------------------

    def vocabulary(self, query: SearchQuery) -> set[str]:
        rows = KnowledgeEntry.objects.filter(language__in=query.languages).values_list("kind", "guard", "words")
        return {word for kind, guard, text in rows if query.allows(kind, guard) for word in text.split()}

    # --- search as you type -----------------------------------------------------------------

    def suggest(self, query: SearchQuery, *, limit: int = 8) -> list[Hit]:
        """Titles with a word starting with each word typed, newest first: the page's language,
        then the others for groups with no text in the page's language. At most one query per
        language, served by the prefix index whatever the number of entries."""
        typed = words(query.q)
        if not typed or query.only_stop_words:
            return []
        # a lesson shows its innovation's title: it is never suggested, the innovation is
        rows = KnowledgeEntry.objects.filter(_visible({k: a for k, a in query.access.items() if k != LESSON}))
        for word in dict.fromkeys(typed):
            rows = rows.filter(Exists(SuggestionWord.objects.filter(entry=OuterRef("pk"), word__startswith=word)))
        rows = rows.only("key", "kind", "item_id", "group", "language", "heading", "urls", "date")
        out, seen = [], set()
        for position, language in enumerate(query.languages):
            found = rows.filter(language=language)
            if position:  # the fallback: only what has no text in the reader's language
                found = found.exclude(languages__contains=f" {query.language} ")
            for entry in found.order_by("-date", "key")[: limit - len(out)]:
                if entry.group not in seen:
                    seen.add(entry.group)
                    out.append(self._suggestion(entry, query))
            if len(out) >= limit:
                break
        return out

    @staticmethod
    def _suggestion(entry: KnowledgeEntry, query: SearchQuery) -> Hit:
        return Hit(
            key=entry.key,
            kind=entry.kind,
            object_id=entry.item_id,
            title=entry.heading,
            title_html=html.escape(entry.heading),
            snippet_html="",
            url=hit_url(entry.urls, query.reader_language, entry.language),
            language=entry.language,
            date=entry.date,
            year=None,
            countries=[],
            product_lines=[],
            stage="",
            subtype="",
        )
