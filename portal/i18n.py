"""Content in the reader's language: the portal's texts are written in Spanish, with an
optional English version beside them (fields ending in `_en`)."""

from django.utils.translation import get_language


def in_reader_language(spanish: str, english: str) -> str:
    """The English version on English pages when there is one; otherwise the Spanish text."""
    return english if english and (get_language() or "es").startswith("en") else spanish
