"""The Elasticsearch engine: a knowledge index of `elasticsearch.dsl` documents.

Every kind shares one index so that one query returns them together with facet counts
(filter + terms aggregations). The text is analysed by the portal, not by the server: each
document's title, summary and body go in as the terms `portal.search.text` makes in the
document's language (folded, stop words left out, stemmed: the very terms the database
engine stores), into whitespace-analysed fields (`title_terms`, `summary_terms`,
`body_terms`; the body field holds all three). So both engines match the same terms: they
do not depend on a server's stemmer (osmem-server's `light_spanish` matches everything; a
Snowball stemmer finds other words than the database). The query is the same concepts
(`synonyms.py`), each scored where it matches best with constant scores (`base`: title 4,
summary 2, elsewhere 1, a `dis_max` of `constant_score` queries) and sorted like the
database (`_score`, `rank`, newest, `key`), so the engines agree on the order too.
Highlighting is the same as the database engine's. When nothing matches, the closest known
words are searched instead ("did you mean", `base`).

Search as you type reads an edge-n-gram field of the titles' words (`title_words`:
"microseguro" is indexed as "m", "mi", … "microseguro"), so each typed word is one term
looked up, under the same access filter as the search. The completion suggester was not
chosen: its contexts can only include categories, not leave out the guard ids an
`Access.excluding` names, so visibility would not be exact.

(Wagtail's own elasticsearch8 backend still serves the admin's
page search: see WAGTAILSEARCH_BACKENDS.)
"""

from __future__ import annotations

from datetime import date

from elastic_transport import Urllib3HttpNode
from elasticsearch import Elasticsearch, helpers
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Object,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
    token_filter,
)

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
from .synonyms import Concept, all_terms
from .text import LANGUAGES, words

LESSON = "lesson"
MAX_VOCABULARY = 20_000
# the longest prefix indexed for search as you type; a longer typed word is looked up by its start
MAX_PREFIX = 30


class PlainJsonNode(Urllib3HttpNode):
    """For OpenSearch-compatible servers (OpenSearch, osmem-server): they refuse the client's
    `application/vnd.elasticsearch+json; compatible-with=8` media type, so send plain JSON.
    Chosen by `ELASTICSEARCH_PLAIN_JSON=true`; a real Elasticsearch 8 or 9 needs nothing."""

    def perform_request(self, method, target, body=None, headers=None, **kwargs):
        headers = headers.copy() if headers is not None else self._headers.copy()
        for name in ("accept", "content-type"):
            if name in headers:
                headers[name] = "application/json"
        if body is not None and "content-type" not in headers:
            headers["content-type"] = "application/json"
        if method == "POST" and target.startswith("/_bulk"):
            headers["content-type"] = "application/x-ndjson"
        return super().perform_request(method, target, body=body, headers=headers, **kwargs)


def _join_hyphens():
    return char_filter("join_hyphens", type="pattern_replace", pattern=r"(\w)-(\w)", replacement="$1$2")


def words_analyzer():
    """Words as typed, folded: for search as you type."""
    return analyzer("words", tokenizer="standard", char_filter=[_join_hyphens()], filter=["lowercase", "asciifolding"])


def prefixes_analyzer():
    """Every start of each word (edge n-grams), folded: what search as you type matches."""
    return analyzer(
        "word_prefixes",
        tokenizer="standard",
        char_filter=[_join_hyphens()],
        filter=[
            "lowercase",
            "asciifolding",
            token_filter("word_starts", type="edge_ngram", min_gram=1, max_gram=MAX_PREFIX),
        ],
    )


def _as_date(value) -> date | None:
    if not value:
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value.date() if hasattr(value, "date") else value


class KnowledgeDocument(Document):
    key = Keyword()
    kind = Keyword()
    object_id = Integer()
    guard = Integer()
    group = Keyword()
    language = Keyword()
    languages = Keyword(multi=True)
    rank = Integer()
    title = Text(index=False)
    body = Text(index=False)  # summary and body, as shown
    # the terms `portal.search.text` made in the document's language, split at spaces only
    title_terms = Text(analyzer="whitespace")
    summary_terms = Text(analyzer="whitespace")
    body_terms = Text(analyzer="whitespace")  # title, summary and body
    # the title's words (`text.title_words`), every start of each indexed: search as you type
    title_words = Text(analyzer="word_prefixes", search_analyzer="words")
    words = Keyword(multi=True)  # distinct folded words: the vocabulary of "did you mean"
    urls = Object(enabled=False)
    date = Date()
    year = Integer()
    countries = Keyword(multi=True)
    product_lines = Keyword(multi=True)
    stage = Keyword()
    subtype = Keyword()
    topics = Keyword(multi=True)  # tag slugs


def _has(field: str, concept: Concept) -> Q:
    """Any alternative of the concept in the field (every term of it)."""
    return Q(
        "bool",
        should=[
            Q("match", **{field: {"query": " ".join(alt.terms), "operator": "and", "analyzer": "whitespace"}})
            for alt in concept
        ],
        minimum_should_match=1,
    )


def _scored(concept: Concept) -> Q:
    """The concept anywhere, scored where it matches best (`base`)."""
    return Q(
        "dis_max",
        tie_breaker=0,
        queries=[
            Q("constant_score", filter=_has("title_terms", concept), boost=TITLE_POINTS),
            Q("constant_score", filter=_has("summary_terms", concept), boost=SUMMARY_POINTS),
            Q("constant_score", filter=_has("body_terms", concept), boost=BODY_POINTS),
        ],
    )


class ElasticsearchEngine(SearchEngine):
    name = "elasticsearch"

    def __init__(self, *, url: str, index: str = "portal-knowledge", client_options: dict | None = None):
        self.index = index
        self.client = Elasticsearch(url, **(client_options or {}))

    def index_definition(self) -> Index:
        index = Index(self.index)
        index.settings(number_of_shards=1)
        index.analyzer(words_analyzer())
        index.analyzer(prefixes_analyzer())
        index.document(KnowledgeDocument)
        return index

    # indexing -------------------------------------------------------------
    def ensure_index(self) -> None:
        if not self.client.indices.exists(index=self.index):
            self.index_definition().create(using=self.client)

    @staticmethod
    def _source(document: dict) -> dict:
        text = analysed(document)
        source = {key: value for key, value in document.items() if key not in ("summary",)}
        source["body"] = text.body
        source["title_terms"] = text.title_terms
        source["summary_terms"] = text.summary_terms
        source["body_terms"] = text.all_terms
        source["title_words"] = " ".join(text.title_words)
        source["words"] = text.words
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
        if self.client.indices.exists(index=self.index):
            self.client.indices.delete(index=self.index)
        self.index_definition().create(using=self.client)
        actions = [
            {"_index": self.index, "_id": document["key"], "_source": self._source(document)}
            for document in all_documents(progress=progress)
        ]
        if actions:
            helpers.bulk(self.client, actions)
        self.client.indices.refresh(index=self.index)
        return len(actions)

    # querying -------------------------------------------------------------
    @staticmethod
    def _access(query: SearchQuery) -> Q:
        """Only the kinds the caller listed, and of each only the guards its access allows."""
        allowed = []
        for kind, access in query.access.items():
            guards = Q("terms", guard=sorted(access.ids))
            allowed.append(
                Q("bool", filter=[Q("term", kind=kind), guards])
                if access.only
                else Q("bool", filter=[Q("term", kind=kind)], must_not=[guards])
            )
        return Q("bool", should=allowed, minimum_should_match=1) if allowed else Q("match_none")

    @staticmethod
    def _named(query: SearchQuery) -> list[Q]:
        """Only the kinds the words name, if they name any."""
        if not query.kind_filter:
            return []
        return [
            Q(
                "bool",
                should=[
                    Q("bool", filter=[Q("term", kind=n.kind), *([Q("term", subtype=n.subtype)] if n.subtype else [])])
                    for n in query.kind_filter
                ],
                minimum_should_match=1,
            )
        ]

    def _text(self, query: SearchQuery) -> Q:
        """The page's language, then the others for groups with no text in the page's language."""
        clauses = []
        for position, language in enumerate(query.languages):
            filters = [Q("term", language=language)]
            must_not = [Q("term", languages=query.language)] if position else []
            must = [_scored(concept) for concept in query.concepts(language)]
            clauses.append(Q("bool", filter=filters, must=must or [Q("match_all")], must_not=must_not))
        return Q("bool", should=clauses, minimum_should_match=1)

    def _search(self, query: SearchQuery) -> Search:
        self.ensure_index()
        matching = Q("bool", must=[self._text(query)], filter=[self._access(query), *self._named(query)])
        return Search(using=self.client, index=self.index).query(matching)

    def _hit(self, item, query: SearchQuery, marked: dict) -> Hit:
        language = item.language
        return Hit(
            key=item.meta.id,
            kind=item.kind,
            object_id=item.object_id,
            title=item.title,
            title_html=highlight(item.title, marked[language], length=300, language=language),
            snippet_html=highlight(item.body or "", marked[language], language=language),
            url=hit_url(item.urls.to_dict() if item.urls else {}, query.reader_language, language),
            language=language,
            date=_as_date(item.date),
            year=item.year,
            countries=list(item.countries or []),
            product_lines=list(item.product_lines or []),
            stage=item.stage or "",
            subtype=item.subtype or "",
            topics=list(item.topics or []),
            guard=item.guard,
        )

    def run(self, query: SearchQuery) -> SearchResponse:
        if query.only_stop_words:
            return SearchResponse(total=0, hits=[], facets={name: {} for name in FACETS}, engine=self.name)
        search = self._search(query)
        # facet choices filter the hits (post_filter); each facet's counts apply the others only;
        # nested kinds the reader did not ask for are not hits, but the kind facet counts them
        chosen = {name: Q("terms", **{FACET_FIELDS[name]: values}) for name, values in query.filters.items()}
        hidden = [Q("terms", kind=sorted(query.hidden_kinds))] if query.hidden_kinds else []
        if chosen or hidden:
            search = search.post_filter(Q("bool", filter=list(chosen.values()), must_not=hidden))
        for name in FACETS if query.with_facets else ():
            others = [q for other, q in chosen.items() if other != name]
            search.aggs.bucket(
                name, "filter", filter=Q("bool", filter=others, must_not=[] if name == "kind" else hidden)
            ).bucket("values", "terms", field=FACET_FIELDS[name], size=200)
        newest = {"date": {"order": "desc", "missing": "_last"}}
        if query.sort == "date" or not query.has_words:
            search = search.sort(newest, "rank", "key")
        else:
            search = search.sort({"_score": {"order": "desc"}}, "rank", newest, "key")
        search = search.extra(track_total_hits=True)[query.offset : query.offset + query.per_page]
        response = search.execute()
        facets = {
            name: {
                str(bucket.key): bucket.doc_count for bucket in getattr(response.aggregations, name)["values"].buckets
            }
            if query.with_facets
            else {}
            for name in FACETS
        }
        marked = {language: all_terms(query.concepts(language)) for language in LANGUAGES}
        hits = [self._hit(item, query, marked) for item in response.hits]
        return SearchResponse(total=response.hits.total.value, hits=hits, facets=facets, engine=self.name)

    # --- did you mean -----------------------------------------------------------------------

    def vocabulary(self, query: SearchQuery) -> set[str]:
        """A terms aggregation over the documents the user may see."""
        self.ensure_index()
        search = Search(using=self.client, index=self.index).filter(self._access(query)).extra(size=0)
        search.aggs.bucket("words", "terms", field="words", size=MAX_VOCABULARY)
        return {bucket.key for bucket in search.execute().aggregations.words.buckets}

    # --- search as you type -----------------------------------------------------------------

    def suggest(self, query: SearchQuery, *, limit: int = 8) -> list[Hit]:
        """Titles with a word starting with each word typed, newest first: the page's language,
        then the others for groups with no text in the page's language (one request each), only
        what the user may find (the search's access filter)."""
        typed = words(query.q)
        if not typed or query.only_stop_words:
            return []
        self.ensure_index()
        starts = [
            Q("match", title_words={"query": word[:MAX_PREFIX], "operator": "and"}) for word in dict.fromkeys(typed)
        ]
        out, seen = [], set()
        marked = {language: set() for language in LANGUAGES}
        for position, language in enumerate(query.languages):
            search = (
                Search(using=self.client, index=self.index)
                .filter(Q("bool", filter=[*starts, Q("term", language=language), self._access(query)]))
                .exclude(Q("term", kind=LESSON))
                .sort({"date": {"order": "desc", "missing": "_last"}}, "group")
            )
            if position:  # the fallback: only what has no text in the reader's language
                search = search.exclude(Q("term", languages=query.language))
            for item in search[: limit - len(out)].execute().hits:
                if item.group not in seen:
                    seen.add(item.group)
                    out.append(self._hit(item, query, marked))
            if len(out) >= limit:
                break
        return out
