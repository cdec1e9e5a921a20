"""Test-only: the suite talks to osmem-server through the production option for
OpenSearch-compatible servers (`portal.search.elasticsearch.PlainJsonNode`)."""

from portal.search.elasticsearch import PlainJsonNode

__all__ = ["PlainJsonNode"]
