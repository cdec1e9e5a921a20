"""The e-mails the portal sends, as the apps register them (the site shell imports no app).

An app registers each e-mail it sends from its `AppConfig.ready()`: its key, what it is for,
the placeholders its text may use (with a sentence each for staff and a sample value for the
preview) and the default file templates it is sent with until staff edit its text. The
default file templates receive the same placeholders, already formatted, as template
variables (`{{ institution }}`), so that the default reads as the text staff start from.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise

Sample = str | Promise | datetime.date | Callable[[], str]


@dataclass(frozen=True)
class Placeholder:
    name: str  # written {name} in the text
    help: str | Promise  # one sentence for staff: what the e-mail puts there
    sample: Sample  # what the preview shows; a date is written in the e-mail's language
    multiline: bool = False  # a block of lines (the answers, a comment): for the body, not the subject


@dataclass(frozen=True)
class EmailKind:
    key: str
    label: str | Promise
    description: str | Promise  # who receives it, and when
    subject_template: str  # the default file templates, e.g. "surveys/email/invitation_subject.txt"
    body_template: str
    placeholders: tuple[Placeholder, ...]
    required: tuple[str, ...] = ()  # what the body must contain (the personal link of an invitation)
    order: int = 100

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(placeholder.name for placeholder in self.placeholders)

    def placeholder(self, name: str) -> Placeholder | None:
        return next((placeholder for placeholder in self.placeholders if placeholder.name == name), None)

    def samples(self) -> dict:
        return {placeholder.name: placeholder.sample for placeholder in self.placeholders}


_kinds: dict[str, EmailKind] = {}


def register(kind: EmailKind) -> None:
    unknown = set(kind.required) - set(kind.names)
    if unknown:
        raise ValueError(f"{kind.key}: required placeholders {sorted(unknown)} are not among its placeholders")
    _kinds[kind.key] = kind


def get(key: str) -> EmailKind:
    """The registered e-mail; a KeyError for a key no app registered (a programming error)."""
    return _kinds[key]


def kinds() -> list[EmailKind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.key))


def choices() -> list[tuple[str, str]]:
    """The model field's choices (a callable, so that a new e-mail needs no migration)."""
    return [(kind.key, kind.label) for kind in kinds()]
