"""Links to documents that say what the reader will get: "Informe final (PDF, 1,2 MB)".

The type is the file's extension and the size the one Wagtail stored on upload, so no file is
opened to write a link. Rich text links are written by `SizedDocumentLinkHandler` (with a
`data-document-meta` attribute) and completed by the `document_meta` filter that the study's
text blocks apply; attached documents use `document_meta` directly.

A study page loads every document it links in one query (`preloaded`), however many text
blocks link them, so a page's query count does not grow with its links.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.documents.rich_text import DocumentLinkHandler

from portal.numbers import format_number

_preloaded: ContextVar[dict[str, object] | None] = ContextVar("research_preloaded_documents", default=None)
DOCUMENT_LINK_IDS = re.compile(r'<a\b[^>]*\blinktype="document"[^>]*>')
_ID = re.compile(r'\bid="(\d+)"')


def size_label(size: int | None) -> str:
    """A file size as readers read it, in the page's language: "830 kB", "1,2 MB" / "1.2 MB"."""
    if not size:
        return ""
    if size < 1024 * 1024:
        return _("%(size)s kB") % {"size": format_number(max(1, round(size / 1024)))}
    return _("%(size)s MB") % {"size": format_number(size / (1024 * 1024), places=1)}


def document_meta(document) -> str:
    """ "PDF, 1,2 MB": the document's type and size (the type alone when its size is unknown)."""
    kind = (document.file_extension or "").upper()
    size = size_label(document.file_size)
    if kind and size:
        return _("%(type)s, %(size)s") % {"type": kind, "size": size}
    return kind or size


def linked_document_ids(html_sources: Iterable[str]) -> set[int]:
    """Ids of the documents that stored rich text links (`<a linktype="document" id="…">`)."""
    ids = set()
    for source in html_sources:
        for tag in DOCUMENT_LINK_IDS.findall(source or ""):
            found = _ID.search(tag)
            if found:
                ids.add(int(found.group(1)))
    return ids


@contextmanager
def preloaded(ids: Iterable[int]) -> Iterator[None]:
    """Within the block, rich text links to these documents are written without a query."""
    ids = set(ids)
    documents = get_document_model().objects.in_bulk(ids) if ids else {}
    token = _preloaded.set({str(pk): document for pk, document in documents.items()})
    try:
        yield
    finally:
        _preloaded.reset(token)


class SizedDocumentLinkHandler(DocumentLinkHandler):
    """Wagtail's document link, carrying the document's type and size for `document_meta`."""

    @classmethod
    def get_many(cls, attrs_list: list[dict]) -> list:
        cache = _preloaded.get()
        if cache is not None and all(str(attrs.get("id")) in cache for attrs in attrs_list):
            return [cache[str(attrs.get("id"))] for attrs in attrs_list]
        return super().get_many(attrs_list)

    @classmethod
    def expand_db_attributes_many(cls, attrs_list: list[dict]) -> list[str]:
        return [
            f'<a href="{escape(document.url)}" data-document-meta="{escape(document_meta(document))}">'
            if document
            else "<a>"
            for document in cls.get_many(attrs_list)
        ]


_META_LINK = re.compile(r'(<a\b[^>]*\bdata-document-meta="([^"]*)"[^>]*>.*?</a>)', re.S)


def with_document_meta(html: str) -> str:
    """Rendered rich text with "(PDF, 1,2 MB)" after each document link."""
    return _META_LINK.sub(
        lambda match: (
            f'{match.group(1)} <span class="document-meta">({match.group(2)})</span>'
            if match.group(2)
            else match.group(1)
        ),
        html,
    )
