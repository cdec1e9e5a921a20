"""What other apps show on an innovation's page, without the tracker importing them.

The tracker must not import `research` (or any other app): an app that has something to
say about innovations registers a provider in its `AppConfig.ready`:

    from pilots.related import register
    register(research_for_innovations)

A provider is called as `provider(*, innovations, language_code)` and returns, for each
innovation's id, a list (the studies about it, in that language) — for many innovations at
once, so that a portfolio's IATI file reads them in a fixed number of queries. The page shows
what they all return, in the order they were registered, and nothing when none is registered.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[..., dict]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add `provider` to what the innovation page asks (once, however often it is registered)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def related_research_of(*, innovations, language_code: str) -> dict[int, list]:
    """Everything the registered providers return for each of `innovations`, by innovation id."""
    found: dict[int, list] = {innovation.pk: [] for innovation in innovations}
    for provider in _providers:
        for pk, items in provider(innovations=innovations, language_code=language_code).items():
            found[pk].extend(items)
    return found


def related_research(*, innovation, language_code: str) -> list:
    """Everything the registered providers return for `innovation`, concatenated."""
    return related_research_of(innovations=[innovation], language_code=language_code)[innovation.pk]
