"""What other apps show on an innovation's page, without the tracker importing them.

The tracker must not import `research` (or any other app): an app that has something to
say about an innovation registers a provider in its `AppConfig.ready`:

    from pilots.related import register
    register(research_for_innovation)

A provider is called as `provider(*, innovation, language_code)` and returns a list (the
studies about the innovation, in the reader's language); the page shows what they all
return, in the order they were registered, and nothing when none is registered.
"""

from __future__ import annotations

from collections.abc import Callable

Provider = Callable[..., list]

_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add `provider` to what the innovation page asks (once, however often it is registered)."""
    if provider not in _providers:
        _providers.append(provider)
    return provider


def related_research(*, innovation, language_code: str) -> list:
    """Everything the registered providers return for `innovation`, concatenated."""
    return [item for provider in _providers for item in provider(innovation=innovation, language_code=language_code)]
