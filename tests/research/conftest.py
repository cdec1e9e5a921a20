from tests.research.fixtures import english_index, home, locales, research_index  # noqa: F401
