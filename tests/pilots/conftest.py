import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are asserted in English; pages choose their language by URL."""
    with translation.override("en"):
        yield


# The IATI tests' association settings and product line (tests/pilots/iati_fixtures.py).
from .iati_fixtures import association, line  # noqa: E402, F401
