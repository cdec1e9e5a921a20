"""The Elasticsearch engine: a knowledge index of `elasticsearch.dsl` documents.

Every kind shares one index so that one query returns them together with facet counts
(filter + terms aggregations). Each document's text goes into the fields of its language
(`title_es`/`body_es`, `title_en`/`body_en`), analysed as `portal.search.text` does for the
database engine: hyphens inside words dropped, lowercase, accent folding, the language's
stop words (the same lists) and its light stemmer (`light_spanish`, `minimal_english`).
The query is the same concepts (`synonyms.py`), one `match` per alternative; highlighting
is the same as the database engine's, so both show the same snippets. When nothing
matches, the query runs again with `fuzziness: AUTO`, and the closest known words are
named ("did you mean").

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

from .base import FACET_FIELDS, FACETS, Hit, SearchEngine, SearchQuery, SearchResponse, highlight, hit_url
from .documents import all_documents
from .synonyms import all_terms
from .text import ELASTICSEARCH_STEMMERS, LANGUAGES, STOP_WORDS, title_words, words

DEFAULT_STEMMER = ELASTICSEARCH_STEMMERS["es"]
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


def text_analyzer(language: str, stemmer: str):
    """lowercase + asciifolding + the language's stop words and stemmer, after joining hyphenated words."""
    return analyzer(
        f"text_{language}",
        tokenizer="standard",
        char_filter=[_join_hyphens()],
        filter=[
            "lowercase",
            "asciifolding",
            token_filter(f"portal_stop_{language}", type="stop", stopwords=sorted(STOP_WORDS[language])),
            token_filter(f"portal_stemmer_{language}", type="stemmer", language=stemmer),
        ],
    )


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
    kind = Keyword()
    object_id = Integer()
    guard = Integer()
    group = Keyword()
    language = Keyword()
    languages = Keyword(multi=True)
    title = Text(index=False)
    body = Text(index=False)
    title_es = Text(analyzer="text_es")
    body_es = Text(analyzer="text_es")
    title_en = Text(analyzer="text_en")
    body_en = Text(analyzer="text_en")
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
        self.stemmers = {**ELASTICSEARCH_STEMMERS, "es": stemmer}
        self.client = Elasticsearch(url, **(client_options or {}))

    def index_definition(self) -> Index:
        index = Index(self.index)
        index.settings(number_of_shards=1)
        for language in LANGUAGES:
            index.analyzer(text_analyzer(language, self.stemmers[language]))
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
        language = document["language"]
        source = {key: value for key, value in document.items() if key != "key"}
        source[f"title_{language}"] = document["title"]
        # the title again, so that "all words must match" works across title and text
        source[f"body_{language}"] = f"{document['title']}\n{document['body']}"
        source["title_words"] = " ".join(title_words(document["title"]))
        source["words"] = sorted(set(words(f"{document['title']} {document['body']}")))
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

    def _text(self, query: SearchQuery, *, fuzzy: bool = False) -> Q:
        """The page's language, then the others for groups with no text in the page's language."""
        clauses = []
        for position, language in enumerate(query.languages):
            filters = [Q("term", language=language)]
            must_not = [Q("term", languages=query.language)] if position else []
            must = []
            for concept in query.concepts(language):
                options = {"operator": "and", **({"fuzziness": "AUTO", "prefix_length": 1} if fuzzy else {})}
                alternatives = [Q("match", **{f"body_{language}": {"query": alt.text, **options}}) for alt in concept]
                must.append(Q("bool", should=alternatives, minimum_should_match=1))
            should = [Q("match", **{f"title_{language}": {"query": query.q, "boost": 3}})] if must else []
            clauses.append(Q("bool", filter=filters, must=must or [Q("match_all")], must_not=must_not, should=should))
        return Q("bool", should=clauses, minimum_should_match=1)

    def _search(self, query: SearchQuery, *, fuzzy: bool = False) -> Search:
        self.ensure_index()
        matching = Q("bool", must=[self._text(query, fuzzy=fuzzy)], filter=[self._access(query)])
        # a lesson shows its innovation's title but should not rank as the innovation itself
        ranked = Q("boosting", positive=matching, negative=Q("term", kind=LESSON), negative_boost=0.3)
        return Search(using=self.client, index=self.index).query(ranked)

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
        )

    def run(self, query: SearchQuery, *, fuzzy: bool = False) -> SearchResponse:
        if query.only_stop_words:
            return SearchResponse(total=0, hits=[], facets={name: {} for name in FACETS}, engine=self.name)
        search = self._search(query, fuzzy=fuzzy)
        # facet choices filter the hits (post_filter); each facet's counts apply the others only
        chosen = {name: Q("terms", **{FACET_FIELDS[name]: values}) for name, values in query.filters.items()}
        if chosen:
            search = search.post_filter(Q("bool", filter=list(chosen.values())))
        for name in FACETS:
            others = [q for other, q in chosen.items() if other != name]
            search.aggs.bucket(name, "filter", filter=Q("bool", filter=others)).bucket(
                "values", "terms", field=FACET_FIELDS[name], size=200
            )
        if query.sort == "date" or not query.has_words:
            search = search.sort({"date": {"order": "desc", "missing": "_last"}}, "_score")
        search = search.extra(track_total_hits=True)[query.offset : query.offset + query.per_page]
        response = search.execute()
        facets = {
            name: {
                str(bucket.key): bucket.doc_count for bucket in getattr(response.aggregations, name)["values"].buckets
            }
            for name in FACETS
        }
        marked = {language: all_terms(query.concepts(language)) for language in LANGUAGES}
        hits = [self._hit(item, query, marked) for item in response.hits]
        return SearchResponse(total=response.hits.total.value, hits=hits, facets=facets, engine=self.name)

    def correct_and_run(self, query: SearchQuery, response: SearchResponse) -> SearchResponse:
        """Elasticsearch's own typo tolerance first: the same query with `fuzziness: AUTO`,
        naming the closest known words; then, as every engine, completed or corrected words."""
        fuzzy = self.run(query, fuzzy=True)
        if not fuzzy.total:
            return super().correct_and_run(query, response)
        fuzzy.corrected = self.correct(query)
        return fuzzy

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
