"""The e-mails as they go out: staff's edited text where there is one, else the default."""

from __future__ import annotations

from collections.abc import Mapping

from . import registry
from .models import EmailTemplate
from .rendering import render_texts


def render_email(*, key: str, language: str, values: Mapping) -> tuple[str, str]:
    """The e-mail `key` in `language` ("es" or "en"): staff's text when they edited that
    language, otherwise the default file template. `values` has a value for each of the
    e-mail's placeholders (strings, lazy strings or dates)."""
    kind = registry.get(key)
    stored = EmailTemplate.objects.filter(key=key).first()
    subject, body = stored.texts(language) if stored else ("", "")
    return render_texts(kind=kind, language=language, subject=subject, body=body, values=values)
