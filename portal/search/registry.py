"""The kinds of documents the site search knows, registered by the apps that own them.

`portal.search` knows no app: each app declares in its own `documents.py` what it
indexes (`documents`: plain dicts, one per language it has), who may see a hit
(`access`), every object to index on a rebuild (`objects`) and the signals that keep
its documents current (`connect`), and registers it from its `AppConfig.ready()`:

    registry.register(Kind(name="lesson", label=..., model=Lesson, documents=..., ...))

Access is checked inside every query: a kind's documents carry a `guard` id, and the
kind says, for a user, either which guards may be shown (`Access.only`) or which never
may (`Access.excluding`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Access:
    """Which guard ids of a kind a user may find: `only` these, or every one `excluding` these."""

    ids: frozenset[int]
    only: bool

    @classmethod
    def only_ids(cls, ids: Iterable[int]) -> Access:
        return cls(frozenset(ids), True)

    @classmethod
    def excluding(cls, ids: Iterable[int]) -> Access:
        return cls(frozenset(ids), False)

    def allows(self, guard: int | None) -> bool:
        return (guard in self.ids) if self.only else (guard not in self.ids)


@dataclass(frozen=True)
class Kind:
    name: str  # the `kind` of its documents and the value of the content-type facet
    label: Callable[[], str]  # translated label, e.g. "Lesson learned"
    model: type  # what its objects are (a subclass counts too)
    documents: Callable[[object], list[dict]]  # the object's documents; [] when it must not be findable
    keys: Callable[[object], list[str]]  # every key its documents may have, indexed or not
    objects: Callable[[], Iterable]  # everything to index on a rebuild
    count: Callable[[], int]  # how many objects (the rebuild's progress bar)
    access: Callable[[object], Access]  # for a user
    connect: Callable[[], None] = lambda: None  # the signals that keep its documents current
    order: int = 0  # rebuild order and facet order
    rank: int = 5  # among results that score alike, lower first (`base`: an innovation before a study)
    nested_in: str = ""  # the kind it is shown under (its `guard` is the parent's id), e.g. "innovation"
    subtype_labels: Callable[[], dict[str, str]] | None = None  # its documents' `subtype` values, labelled


@dataclass
class Registry:
    kinds: dict[str, Kind] = field(default_factory=dict)
    # facet name -> labeller(value) -> label, for facets whose values an app defines (e.g. stage)
    facet_labels: dict[str, Callable[[str], str]] = field(default_factory=dict)
    # facet name -> labeller(values) -> {value: label}, for facets whose labels an app reads
    # from its tables (research's topic tags: slug -> name), once per search rather than per value
    facet_value_labels: dict[str, Callable[[list[str]], dict[str, str]]] = field(default_factory=dict)

    def register(self, kind: Kind) -> None:
        if kind.name in self.kinds:
            return  # ready() may run twice in tests
        self.kinds[kind.name] = kind
        kind.connect()

    def label_facet(self, facet: str, labeller: Callable[[str], str]) -> None:
        self.facet_labels[facet] = labeller

    def label_facet_values(self, facet: str, labeller: Callable[[list[str]], dict[str, str]]) -> None:
        self.facet_value_labels[facet] = labeller

    def ordered(self) -> list[Kind]:
        return sorted(self.kinds.values(), key=lambda kind: (kind.order, kind.name))

    def rank_of(self, name: str) -> int:
        kind = self.kinds.get(name)
        return kind.rank if kind else 5

    def nested(self) -> dict[str, str]:
        """Kind -> the kind it is shown under."""
        return {kind.name: kind.nested_in for kind in self.ordered() if kind.nested_in}

    def kind_of(self, obj) -> Kind | None:
        return next((kind for kind in self.ordered() if isinstance(obj, kind.model)), None)


registry = Registry()
