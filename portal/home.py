"""What the apps show on the home page: each registers a function that adds to its context.

The site shell knows no app (the apps import it, never the other way round): the tracker
adds where the innovations the reader may see stand in the cycle, research its latest
studies in the reader's language, from their `AppConfig.ready()`.
"""

from collections.abc import Callable

Section = Callable[[object, object], dict]  # (request, home page) -> context

_sections: list[Section] = []


def register(section: Section) -> None:
    if section not in _sections:
        _sections.append(section)


def context(request, page) -> dict:
    out: dict = {}
    for section in _sections:
        out.update(section(request, page))
    return out
