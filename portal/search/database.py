"""The database engine: Wagtail's database search backend over the knowledge table.

The full-text match and its ranking are the database's (SQLite FTS5,
PostgreSQL full-text) on accent-folded, stemmed columns; filters, visibility
and facet counts are then applied to the matched rows. That is fine for the
few thousand documents of an association's portal; larger sites use the
Elasticsearch engine.
"""

from __future__ import annotations

from django.db import transaction
from wagtail.search.backends import get_search_backend

from .base import FACET_FIELDS, FACETS, Hit, SearchEngine, SearchQuery, SearchResponse, highlight
from .documents import LESSON, RESEARCH
from .text import normalise

MAX_MATCHES = 5000


class DatabaseEngine(SearchEngine):
    name = "database"

    def __init__(self, backend_alias: str = "default"):
        self.backend_alias = backend_alias

    def _entry_fields(self, document: dict) -> dict:
        fields = {key: value for key, value in document.items() if key not in ("key", "title", "object_id")}
        fields["item_id"] = document["object_id"]
        fields["heading"] = document["title"]
        # matched as the title; a lesson shows its innovation's title but should not rank as the innovation
        fields["title"] = "" if document["kind"] == LESSON else normalise(document["title"])
        # the title again, so that "all words must match" works across title and text
        fields["body_folded"] = normalise(f"{document['title']}\n{document['body']}")
        return fields

    def index_document(self, document: dict) -> None:
        from research.models import KnowledgeEntry

        KnowledgeEntry.objects.update_or_create(key=document["key"], defaults=self._entry_fields(document))

    def remove_key(self, key: str) -> None:
        from research.models import KnowledgeEntry

        for entry in KnowledgeEntry.objects.filter(key=key):
            entry.delete()

    @transaction.atomic
    def rebuild(self, *, progress: bool = False) -> int:
        from research.models import KnowledgeEntry

        from .documents import all_objects, count_objects, documents_for

        KnowledgeEntry.objects.all().delete()
        objects = all_objects()
        if progress:
            from tqdm import tqdm

            objects = tqdm(objects, total=count_objects(), desc="knowledge index", unit="doc")
        entries = []
        for obj in objects:
            for document in documents_for(obj):
                entries.append(KnowledgeEntry(key=document["key"], **self._entry_fields(document)))
        KnowledgeEntry.objects.bulk_create(entries)
        get_search_backend(self.backend_alias).add_bulk(KnowledgeEntry, list(KnowledgeEntry.objects.all()))
        return len(entries)

    def _candidates(self, query: SearchQuery):
        from research.models import KnowledgeEntry

        terms = query.terms
        if not terms:
            return list(KnowledgeEntry.objects.order_by("-date", "key")), False
        backend = get_search_backend(self.backend_alias)
        results = backend.search(" ".join(terms), KnowledgeEntry.objects.all(), operator="and")
        return list(results[:MAX_MATCHES]), True

    @staticmethod
    def _values(entry, facet: str) -> list[str]:
        value = getattr(entry, FACET_FIELDS[facet])
        if isinstance(value, list):
            return [str(v) for v in value]
        return [str(value)] if value not in (None, "") else []

    def search(self, query: SearchQuery) -> SearchResponse:
        entries, ranked = self._candidates(query)
        allowed = [
            entry
            for entry in entries
            if entry.language in ("", query.language)
            and (
                entry.item_id not in query.hidden_research_ids
                if entry.kind == RESEARCH
                else entry.innovation_id in query.visible_innovation_ids
            )
        ]
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
        if query.sort == "date" or not ranked:
            matched.sort(key=lambda e: (e.date is not None, e.date), reverse=True)
        terms = query.terms
        page = matched[query.offset : query.offset + query.per_page]
        hits = [
            Hit(
                key=e.key,
                kind=e.kind,
                object_id=e.item_id,
                title=e.heading,
                title_html=highlight(e.heading, terms, length=300),
                snippet_html=highlight(e.body, terms),
                url=e.url,
                innovation_slug=e.innovation_slug,
                date=e.date,
                year=e.year,
                countries=list(e.countries),
                product_lines=list(e.product_lines),
                stage=e.stage,
                subtype=e.subtype,
            )
            for e in page
        ]
        return SearchResponse(total=len(matched), hits=hits, facets=facets, engine=self.name)
