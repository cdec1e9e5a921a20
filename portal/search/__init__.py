"""One search over research, innovations and lessons, on the database or Elasticsearch.

`get_engine()` returns the engine chosen by settings.SEARCH_ENGINE; views and
signal handlers never import an engine class directly.
"""

from functools import cache

from django.conf import settings

from .base import SearchEngine, SearchQuery, SearchResponse

__all__ = ["SearchEngine", "SearchQuery", "SearchResponse", "get_engine", "reset_engine"]


@cache
def get_engine() -> SearchEngine:
    if getattr(settings, "SEARCH_ENGINE", "database") == "elasticsearch":
        from .elasticsearch import ElasticsearchEngine

        return ElasticsearchEngine(
            url=settings.ELASTICSEARCH_URL,
            index=getattr(settings, "ELASTICSEARCH_KNOWLEDGE_INDEX", "portal-knowledge"),
        )
    from .database import DatabaseEngine

    return DatabaseEngine()


def reset_engine() -> None:
    """Forget the cached engine (tests switch settings)."""
    get_engine.cache_clear()
