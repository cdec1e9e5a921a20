"""The demo's loaders: each app registers the module that loads its demo data from its
`AppConfig.ready` (by dotted path, so that no web process imports demo code), and
`load_demo` calls each module's `load(stdout=...)` in the order registered — the apps'
order in INSTALLED_APPS: the network's members and logins, then the pilots, the research
that cites them, the survey that links opportunities to innovations.

A loader must be idempotent: `load_demo` runs again and again on the same database.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

_modules: list[str] = []


def register(module: str) -> None:
    """`module` (e.g. "pilots.demo") has a function `load(stdout)` that loads the app's demo."""
    if module not in _modules:
        _modules.append(module)


def registered() -> list[Callable]:
    return [importlib.import_module(module).load for module in _modules]
