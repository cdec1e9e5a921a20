"""Placeholders in staff's e-mail texts, and the one function the e-mail tasks call.

The syntax is deliberately small: `{institution}` is replaced by the value the e-mail
offers under that name, `{{` and `}}` write a literal brace, and nothing else is allowed.
The text is parsed by `string.Formatter.parse` but never formatted by Python: a name with
an attribute, an index, a conversion or a format (`{institution.__class__}`, `{link[0]}`,
`{link!r}`, `{closes_on:%Y}`) is not a known placeholder and is refused, so a text cannot
reach any object. The values are strings already written in the e-mail's language (dates
by the language's date format), and a value is never read as a template itself.

`render_email(key=…, language=…, values=…)` gives the subject and body: the text staff
saved for that language, else the default file template, so that an e-mail reads as it
always did until someone edits it.
"""

import datetime
import re
import string
from collections.abc import Mapping

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from .registry import EmailKind


class PlaceholderError(ValueError):
    """A text that cannot be rendered, with a message staff understand."""


_FORMATTER = string.Formatter()


def parse(text: str) -> list[tuple[str, str | None]]:
    """The text as (literal, placeholder name or None) pieces; a PlaceholderError for braces
    that are not closed or not opened, and for an empty pair of braces."""
    try:
        pieces = list(_FORMATTER.parse(text))
    except ValueError as error:
        raise PlaceholderError(
            _(
                "A brace is not closed or not opened. Write a placeholder as {institution}; "
                "to write a brace itself, double it: {{ or }}."
            )
        ) from error
    parsed = []
    for literal, name, format_spec, conversion in pieces:
        if name is None:
            parsed.append((literal, None))
            continue
        written = name + (f"!{conversion}" if conversion else "") + (f":{format_spec}" if format_spec else "")
        if not written:
            raise PlaceholderError(_("A pair of braces {} is empty: write the placeholder's name inside."))
        parsed.append((literal, written))
    return parsed


def placeholders_in(text: str) -> list[str]:
    return [name for _literal, name in parse(text) if name is not None]


def fill(text: str, values: Mapping[str, str]) -> str:
    """The text with each placeholder replaced by its value; a PlaceholderError naming the
    first placeholder that is not among `values`."""
    out = []
    for literal, name in parse(text):
        out.append(literal)
        if name is None:
            continue
        if name not in values:
            raise PlaceholderError(_("Unknown placeholder {%(name)s}.") % {"name": name})
        out.append(values[name])
    return "".join(out)


def format_value(value) -> str:
    """A value as the e-mail writes it, in the active language: a date or time by its format."""
    if callable(value):
        value = value()
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "DATE_FORMAT")
    return str(value)


def _one_line(subject: str) -> str:
    return " ".join(subject.split())  # a header has no line breaks


def render_texts(*, kind: EmailKind, language: str, subject: str, body: str, values: Mapping) -> tuple[str, str]:
    """Subject and body of one e-mail in one language: from the given texts, or from the
    default file templates when both are blank."""
    missing = set(kind.names) - set(values)
    if missing:
        raise ValueError(f"{kind.key}: no value for {sorted(missing)}")  # a programming error
    with translation.override(language):
        strings = {name: format_value(values[name]) for name in kind.names}
        if not subject.strip() and not body.strip():
            return (
                _one_line(render_to_string(kind.subject_template, strings)),
                render_to_string(kind.body_template, strings),
            )
        return _one_line(fill(subject, strings)), fill(body, strings)


_MARKER = re.compile("\x00([a-z_]+)\x00")


def default_texts(*, kind: EmailKind, language: str) -> tuple[str, str]:
    """The default file templates as staff would write them, with their placeholders
    (`{institution}`) in place of the values: the text the edit form starts from."""

    def with_placeholders(text: str) -> str:
        escaped = text.replace("{", "{{").replace("}", "}}")
        return _MARKER.sub(lambda match: "{" + match.group(1) + "}", escaped)

    markers = {name: f"\x00{name}\x00" for name in kind.names}
    with translation.override(language):
        subject = _one_line(render_to_string(kind.subject_template, markers))
        body = render_to_string(kind.body_template, markers).strip() + "\n"
    return with_placeholders(subject), with_placeholders(body)
