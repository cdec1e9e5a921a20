"""The Elasticsearch engine: a knowledge index of `elasticsearch.dsl` documents.

Research pages, innovations and lessons share one index so that one query
returns them together with facet counts (terms aggregations) and highlights.
Spanish text is analysed with lowercase + asciifolding + the light Spanish
stemmer; hyphens inside words are dropped first so "micro-finanzas" and
"microfinanzas" meet. (Wagtail's own elasticsearch8 backend still serves the
admin's page search: see WAGTAILSEARCH_BACKENDS.)
"""

from __future__ import annotations

from datetime import date

from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

from .base import FACET_FIELDS, FACETS, Hit, SearchEngine, SearchQuery, SearchResponse, highlight, marked_fragment
from .documents import LESSON, RESEARCH

ANALYZER = "spanish_folded"
DEFAULT_STEMMER = "light_spanish"


def spanish_folded(stemmer: str = DEFAULT_STEMMER):
    """lowercase + asciifolding + a Spanish stemmer, after joining hyphenated words."""
    return analyzer(
        ANALYZER,
        tokenizer="standard",
        char_filter=[char_filter("join_hyphens", type="pattern_replace", pattern=r"(\w)-(\w)", replacement="$1$2")],
        filter=["lowercase", "asciifolding", token_filter("spanish_stemmer", type="stemmer", language=stemmer)],
    )


ANY_LANGUAGE = "any"


def _as_date(value) -> date | None:
    if not value:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value


class KnowledgeDocument(Document):
    kind = Keyword()
    object_id = Integer()
    language = Keyword()
    title = Text(analyzer=ANALYZER)
    body = Text(analyzer=ANALYZER)
    url = Keyword(index=False)
    innovation_slug = Keyword()
    innovation_id = Integer()
    date = Date()
    year = Integer()
    countries = Keyword(multi=True)
    product_lines = Keyword(multi=True)
    stage = Keyword()
    subtype = Keyword()


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(
        self,
        *,
        url: str,
        index: str = "portal-knowledge",
        stemmer: str = DEFAULT_STEMMER,
        client_options: dict | None = None,
    ):
        self.index = index
        self.stemmer = stemmer
        self.client = Elasticsearch(url, **(client_options or {}))

    def index_definition(self) -> Index:
        index = Index(self.index)
        index.settings(number_of_shards=1)
        index.analyzer(spanish_folded(self.stemmer))
        index.document(KnowledgeDocument)
        return index

    # indexing -------------------------------------------------------------
    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=self.index):
            self.index_definition().create(using=self.client)

    @staticmethod
    def _source(document: dict) -> dict:
        source = {key: value for key, value in document.items() if key != "key"}
        source["language"] = document["language"] or ANY_LANGUAGE
        if source.get("date"):
            source["date"] = source["date"].isoformat()
        return source

    def index_document(self, document: dict) -> None:
        self.ensure_index()
        self.client.index(index=self.index, id=document["key"], document=self._source(document), refresh=True)

    def remove_key(self, key: str) -> None:
        if self.client.indices.exists(index=self.index):
            self.client.options(ignore_status=404).delete(index=self.index, id=key, refresh=True)

    def rebuild(self, *, progress: bool = False) -> int:
        from .documents import all_objects, count_objects, documents_for

        if self.client.indices.exists(index=self.index):
            self.client.indices.delete(index=self.index)
        self.index_definition().create(using=self.client)
        objects = all_objects()
        if progress:
            from tqdm import tqdm

            objects = tqdm(objects, total=count_objects(), desc="knowledge index", unit="doc")
        actions = []
        for obj in objects:
            for document in documents_for(obj):
                actions.append({"_index": self.index, "_id": document["key"], "_source": self._source(document)})
        if actions:
            helpers.bulk(self.client, actions)
        self.client.indices.refresh(index=self.index)
        return len(actions)

    # querying -------------------------------------------------------------
    def search(self, query: SearchQuery) -> SearchResponse:
        self.ensure_index()
        base_filters = [
            Q("terms", language=[query.language, ANY_LANGUAGE]),
            Q(
                "bool",
                should=[Q("term", kind=RESEARCH), Q("terms", innovation_id=sorted(query.visible_innovation_ids))],
                minimum_should_match=1,
            ),
        ]
        if query.hidden_research_ids:
            hidden = Q(
                "bool", filter=[Q("term", kind=RESEARCH), Q("terms", object_id=sorted(query.hidden_research_ids))]
            )
            base_filters.append(Q("bool", must_not=[hidden]))
        # facet choices filter the hits (post_filter); each facet's counts apply the others only
        chosen = {name: Q("terms", **{FACET_FIELDS[name]: values}) for name, values in query.filters.items()}
        # every word must match, in the title or in the text
        words = query.q.split()[:20] if query.terms else []
        must = [Q("multi_match", query=word, fields=["title^3", "body"]) for word in words] or [Q("match_all")]
        matching = Q("bool", must=must, filter=base_filters)
        # a lesson shows its innovation's title but should not rank as the innovation itself
        ranked = Q("boosting", positive=matching, negative=Q("term", kind=LESSON), negative_boost=0.3)
        search = Search(using=self.client, index=self.index).query(ranked)
        if chosen:
            search = search.post_filter(Q("bool", filter=list(chosen.values())))
        for name in FACETS:
            others = [q for other, q in chosen.items() if other != name]
            search.aggs.bucket(name, "filter", filter=Q("bool", filter=others)).bucket(
                "values", "terms", field=FACET_FIELDS[name], size=200
            )
        search = search.highlight("title", "body", fragment_size=240, number_of_fragments=1)
        search = search.highlight_options(pre_tags=["<mark>"], post_tags=["</mark>"])
        if query.sort == "date" or not query.terms:
            search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
        search = search.extra(track_total_hits=True)[query.offset : query.offset + query.per_page]
        response = search.execute()
        facets = {
            name: {
                str(bucket.key): bucket.doc_count for bucket in getattr(response.aggregations, name)["values"].buckets
            }
            for name in FACETS
        }
        hits = []
        for item in response.hits:
            found = getattr(item.meta, "highlight", None)
            title_fragments = list(getattr(found, "title", []) or []) if found else []
            body_fragments = list(getattr(found, "body", []) or []) if found else []
            hits.append(
                Hit(
                    key=item.meta.id,
                    kind=item.kind,
                    object_id=item.object_id,
                    title=item.title,
                    title_html=marked_fragment(title_fragments[0]) if title_fragments else highlight(item.title, []),
                    snippet_html=marked_fragment(body_fragments[0])
                    if body_fragments
                    else highlight(item.body or "", []),
                    url=item.url or "",
                    innovation_slug=item.innovation_slug or "",
                    date=_as_date(item.date),
                    year=item.year,
                    countries=list(item.countries or []),
                    product_lines=list(item.product_lines or []),
                    stage=item.stage or "",
                    subtype=item.subtype or "",
                )
            )
        return SearchResponse(total=response.hits.total.value, hits=hits, facets=facets, engine=self.name)
