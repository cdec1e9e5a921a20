"""What the progress rule returns: an indicator's `Progress`, an innovation's `Health`, how old
their latest figure is (`Freshness`) and what is `Overdue`. The rule itself is
in `status` (see its docstring); the actual in `actual`."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.timesince import timesince

from ..models import Indicator, Status, Target
from .actual import ActualRule
from .projection import Projection
from .recent import recent_since


class Freshness:
    """How old a status's latest figure is, to say so next to it (`Progress`, `Health`)."""

    actual_date: datetime.date | None  # the "as of" date of the actual: its latest figure
    as_of: datetime.date | None  # the day the status is judged on: today, or a period's end

    @property
    def stale(self) -> bool:
        """The latest figure is older than the limit (`recent_since`) on the day judged."""
        return bool(self.actual_date and self.as_of and self.actual_date < recent_since(self.as_of))

    @property
    def age(self) -> str:
        """How old the latest figure is, in the reader's language ("15 years", "15 años")."""
        if not (self.actual_date and self.as_of):
            return ""
        return timesince(self.actual_date, self.as_of, depth=1)


@dataclass(frozen=True)
class Overdue:
    """A figure that should have come by the day judged and has not (see *Overdue* in `status`).

    `kind` REPORT: MFIs the reporting plan names have no submitted or approved report for a
    period whose report fell due; `since` is the earliest such due date, `institutions` those
    MFIs' names. `kind` TARGET: the current target fell due (`since`) and the indicator has no
    figure at all; no MFI is named."""

    REPORT = "report"
    TARGET = "target"

    kind: str
    since: datetime.date
    institutions: tuple[str, ...] = ()


@dataclass
class Progress(Freshness):
    """One indicator against its current target, as the progress rule judges it on `as_of`.
    `actual_date` is the actual's "as of" date; `overdue` says which expected figure has not
    come (None: nothing is overdue); `stale` and `age` (from `Freshness`) how old the actual is."""

    indicator: Indicator
    target: Target | None
    actual: Decimal | None
    actual_date: datetime.date | None
    percent: Decimal | None
    status: str
    series: list[tuple[datetime.date, Decimal]] = field(default_factory=list)
    projection: Projection | None = None
    rule: ActualRule | None = None  # which part of the rule made the actual (None without one)
    as_of: datetime.date | None = None
    overdue: Overdue | None = None

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]


@dataclass
class Health(Freshness):
    """An innovation's health with its freshness: its worst status (`overall_status`), the date
    of its latest figure, and what is overdue across its indicators (`innovation_health`)."""

    status: str
    actual_date: datetime.date | None
    as_of: datetime.date | None
    overdue: Overdue | None = None

    @property
    def status_label(self) -> str:
        return Status.LABELS[self.status]
