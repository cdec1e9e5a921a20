"""The search contract runs on every engine: the database always, Elasticsearch
against osmem-server (an in-memory OpenSearch-compatible server started once per
session by its pytest plugin; each test gets its own clone)."""

import pytest

from portal.search import set_engine
from tests.research.fixtures import english_index, home, locales, research_index  # noqa: F401


@pytest.fixture(params=["database", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def engine(request, db):
    if request.param == "database":
        from portal.search.database import DatabaseEngine

        chosen = DatabaseEngine()
    else:
        from portal.search.elasticsearch import ElasticsearchEngine
        from tests.search.osmem import PlainJsonNode

        clone = request.getfixturevalue("osmem_clone")
        chosen = ElasticsearchEngine(
            url=clone.url,
            index="test-knowledge",
            client_options={"node_class": PlainJsonNode},
        )
        chosen.rebuild()
    set_engine(chosen)
    yield chosen
    set_engine(None)
