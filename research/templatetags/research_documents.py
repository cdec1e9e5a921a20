"""{% load research_documents %}: document links that say their type and size (`document_links`).

{{ value|richtext|document_meta_links }}   rich text, "(PDF, 1,2 MB)" after each document link
{{ document|document_meta }}               "PDF, 1,2 MB"
"""

from django import template
from django.utils.safestring import mark_safe

from research import document_links

register = template.Library()


@register.filter
def document_meta_links(html) -> str:
    return mark_safe(document_links.with_document_meta(str(html)))  # noqa: S308 - Wagtail's rendered rich text


@register.filter
def document_meta(document) -> str:
    return document_links.document_meta(document)
