"""One search over research, innovations and lessons, on the database or Elasticsearch.

`get_engine()` returns the engine chosen by settings.SEARCH_ENGINE; views and
signal handlers never import an engine class directly.
"""

from django.conf import settings

from .base import SearchEngine, SearchQuery, SearchResponse

__all__ = ["SearchEngine", "SearchQuery", "SearchResponse", "get_engine", "set_engine"]

_engine: SearchEngine | None = None


def build_engine() -> SearchEngine:
    if getattr(settings, "SEARCH_ENGINE", "database") == "elasticsearch":
        from .elasticsearch import ElasticsearchEngine, PlainJsonNode

        plain = getattr(settings, "ELASTICSEARCH_PLAIN_JSON", False)
        return ElasticsearchEngine(
            url=settings.ELASTICSEARCH_URL,
            index=getattr(settings, "ELASTICSEARCH_KNOWLEDGE_INDEX", "portal-knowledge"),
            client_options={"node_class": PlainJsonNode} if plain else None,
        )
    from .database import DatabaseEngine

    return DatabaseEngine()


def get_engine() -> SearchEngine:
    """The engine chosen by settings.SEARCH_ENGINE, built once per process."""
    global _engine
    if _engine is None:
        _engine = build_engine()
    return _engine


def set_engine(engine: SearchEngine | None) -> None:
    """Use this engine (tests run the contract on each engine); None goes back to settings."""
    global _engine
    _engine = engine
