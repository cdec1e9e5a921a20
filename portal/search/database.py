"""The database engine: Wagtail's database search backend over the knowledge table.

The full-text match and its ranking are the database's (SQLite FTS5, PostgreSQL
full-text) on columns analysed in each document's language (`text.py`); the query is
the same concepts as Elasticsearch's (`synonyms.py`), as Wagtail `And`/`Or`/`PlainText`
queries. Filters, access and facet counts are then applied to the matched rows. That is
fine for the few thousand documents of an association's portal; larger sites use the
Elasticsearch engine.

Search as you type: each typed word is the start of a word of the title, found in the
`SuggestionWord` rows (`LIKE 'micros%'`, an index range scan on PostgreSQL), with access
checked in the same query, so a keystroke reads only the titles it suggests.

"Did you mean": the closest word the visible documents contain, by trigram similarity
on PostgreSQL (`pg_trgm`, the `similarity()` function) and by `difflib` on SQLite.
"""

from __future__ import annotations

import html
import logging

from django.db import DatabaseError, connection, transaction
from django.db.models import Exists, F, Lookup, OuterRef, Q
from django.db.models.lookups import In
from wagtail.search.backends import get_search_backend
from wagtail.search.query import And, Or, PlainText

from .base import FACET_FIELDS, FACETS, Hit, SearchEngine, SearchQuery, SearchResponse, highlight, hit_url
from .documents import all_documents
from .models import KnowledgeEntry, SuggestionWord
from .registry import Access
from .synonyms import all_terms
from .text import LANGUAGES, normalise, title_words, words

logger = logging.getLogger(__name__)
MAX_MATCHES = 5000
# what filtering, facets and ranking need of every match (not its text)
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
SIMILAR_ENOUGH = 0.4  # trigram similarity (PostgreSQL) / difflib ratio (SQLite) of a correction


def _query(concepts) -> object:
    """Wagtail's query of the concepts: all required, each by any of its alternatives."""

    def alternative(alt):
        return PlainText(" ".join(alt.terms), operator="and")

    parts = [alternative(c[0]) if len(c) == 1 else Or([alternative(alt) for alt in c]) for c in concepts]
    return parts[0] if len(parts) == 1 else And(parts)


class AnyOf(Lookup):
    """`guard = ANY(%s)`: the ids as one array parameter on PostgreSQL, where an `IN` of a
    thousand placeholders (staff may see every innovation) cost more to send and plan than
    the search itself; `IN (...)` elsewhere."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


class DatabaseEngine(SearchEngine):
    name = "database"

    def __init__(self, backend_alias: str = "default"):
        self.backend_alias = backend_alias

    def _entry_fields(self, document: dict) -> dict:
        language = document["language"]
        fields = {
            key: value
            for key, value in document.items()
            if key not in ("key", "title", "object_id") and key in {f.name for f in KnowledgeEntry._meta.fields}
        }
        fields["item_id"] = document["object_id"]
        fields["heading"] = document["title"]
        # matched as the title; a lesson shows its innovation's title but should not rank as the innovation
        fields["title"] = "" if document["kind"] == LESSON else normalise(document["title"], language)
        # the title again, so that "all words must match" works across title and text
        fields["body_folded"] = normalise(f"{document['title']}\n{document['body']}", language)
        fields["words"] = " ".join(sorted(set(words(f"{document['title']} {document['body']}"))))
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

    def remove_key(self, key: str) -> None:
        for entry in KnowledgeEntry.objects.filter(key=key):
            entry.delete()

    @transaction.atomic
    def rebuild(self, *, progress: bool = False) -> int:
        SuggestionWord.objects.all().delete()
        KnowledgeEntry.objects.all().delete()
        entries = [
            KnowledgeEntry(key=document["key"], **self._entry_fields(document))
            for document in all_documents(progress=progress)
        ]
        KnowledgeEntry.objects.bulk_create(entries)
        SuggestionWord.objects.bulk_create(
            [word for entry in entries for word in self._suggestion_words(entry)], batch_size=2000
        )
        get_search_backend(self.backend_alias).add_bulk(KnowledgeEntry, list(KnowledgeEntry.objects.all()))
        return len(entries)

    # --- querying ---------------------------------------------------------------------------

    def _entries(self, query: SearchQuery) -> list[KnowledgeEntry]:
        """Matching entries the user may see: the page's language first, then the others'
        for groups with no text in the page's language."""
        out = []
        for position, language in enumerate(query.languages):
            # the text columns are read later, for the one page of hits shown
            rows = KnowledgeEntry.objects.filter(language=language).only(*LIGHT_FIELDS)
            if position:  # the fallback: only what has no text in the reader's language
                rows = rows.exclude(languages__contains=f" {query.language} ")
            if query.has_words:
                found = self._match(_query(query.concepts(language)), rows)
            else:
                found = list(rows.order_by("-date", "key"))
            out += found
        return [entry for entry in out if query.allows(entry.kind, entry.guard)]

    def _match(self, wagtail_query, rows) -> list[KnowledgeEntry]:
        backend = get_search_backend(self.backend_alias)
        try:
            with transaction.atomic():  # a savepoint: PostgreSQL refuses later queries after an error
                return list(backend.search(wagtail_query, rows)[:MAX_MATCHES])
        except (TypeError, ValueError, DatabaseError):
            # words the full-text syntax cannot take (SQLite's AND, OR, NOT alone): nothing matches
            logger.info("Query not searchable by the database backend: %r", wagtail_query)
            return []

    @staticmethod
    def _values(entry, facet: str) -> list[str]:
        value = getattr(entry, FACET_FIELDS[facet])
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)] if value not in (None, "") else []

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
        )

    def run(self, query: SearchQuery) -> SearchResponse:
        if query.only_stop_words:
            return SearchResponse(total=0, hits=[], facets={name: {} for name in FACETS}, engine=self.name)
        allowed = self._entries(query)
        selected = {name: set(values) for name, values in query.filters.items()}

        def chosen(entry, *, skip: str = "") -> bool:
            return all(set(self._values(entry, name)) & values for name, values in selected.items() if name != skip)

        matched = [e for e in allowed if chosen(e)]
        # A facet's counts ignore its own choice: what each value would give, the others kept
        facets: dict[str, dict[str, int]] = {name: {} for name in FACETS}
        for name in FACETS:
            for entry in allowed if name in selected else matched:
                if name in selected and not chosen(entry, skip=name):
                    continue
                for value in set(self._values(entry, name)):
                    facets[name][value] = facets[name].get(value, 0) + 1
        if query.sort == "date" or not query.has_words:
            matched.sort(key=lambda e: (e.date is not None, e.date), reverse=True)
        page = matched[query.offset : query.offset + query.per_page]
        texts = dict(KnowledgeEntry.objects.filter(pk__in=[e.pk for e in page]).values_list("pk", "body"))
        for entry in page:
            entry.body = texts.get(entry.pk, "")
        marked = {language: all_terms(query.concepts(language)) for language in LANGUAGES}
        hits = [self._hit(entry, query, marked) for entry in page]
        return SearchResponse(total=len(matched), hits=hits, facets=facets, engine=self.name)

    # --- did you mean -----------------------------------------------------------------------

    def vocabulary(self, query: SearchQuery) -> set[str]:
        rows = KnowledgeEntry.objects.filter(language__in=query.languages).values_list("kind", "guard", "words")
        return {word for kind, guard, text in rows if query.allows(kind, guard) for word in text.split()}

    def closest(self, word: str, vocabulary: list[str]) -> str:
        """Trigram similarity (`pg_trgm`) on PostgreSQL; SQLite does with `difflib`."""
        if connection.vendor != "postgresql":
            return super().closest(word, vocabulary)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT w FROM unnest(%s::text[]) AS w WHERE similarity(w, %s) >= %s "
                "ORDER BY similarity(w, %s) DESC, w LIMIT 1",
                [vocabulary, word, SIMILAR_ENOUGH, word],
            )
            row = cursor.fetchone()
        return row[0] if row else ""

    # --- search as you type -----------------------------------------------------------------

    @staticmethod
    def _visible(access: dict[str, Access]) -> Q:
        """`SearchQuery.allows` as a condition: of each kind listed, the guards its access allows
        (`excluding` allows an entry without a guard, as `Access.allows(None)` does)."""
        allowed = Q(pk__in=[])  # no kind listed: nothing
        for kind, rule in access.items():
            guards = Q(AnyOf(F("guard"), sorted(rule.ids)))
            allowed |= Q(kind=kind) & (guards if rule.only else Q(guard__isnull=True) | ~guards)
        return allowed

    def suggest(self, query: SearchQuery, *, limit: int = 8) -> list[Hit]:
        """Titles with a word starting with each word typed, newest first: the page's language,
        then the others for groups with no text in the page's language. At most one query per
        language, served by the prefix index whatever the number of entries."""
        typed = words(query.q)
        if not typed or query.only_stop_words:
            return []
        # a lesson shows its innovation's title: it is never suggested, the innovation is
        rows = KnowledgeEntry.objects.filter(self._visible({k: a for k, a in query.access.items() if k != LESSON}))
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
