"""The actual: what an indicator has reached, from its measurements — the one place it is worked out.

The rule
--------
Every page, the API, the charts (the tracker's and research pages'), the period reports, the
downloads and the stored progress reach the actual through `series_from` (the actual over time;
its last point is "the actual"), and say which part of the rule made it with `actual_rule`. Both
decide with `rule_kind` and add up with `combined`; nothing else works out an actual.

1. **Network-wide figures win.** A measurement without a participant MFI speaks for the whole
   network; once an indicator has one, the MFIs' figures count nowhere in its actual.
   - *cumulative* (each measurement adds to the total): the sum of the network-wide values —
     1,000 clients in January and 500 in February: 1,500 (`NETWORK_TOTAL`);
   - *latest reading*: the most recent network-wide value — 1,000 then 1,200: 1,200 (`NETWORK`).
2. **Otherwise the MFIs' figures are combined**, date by date, each MFI counting once:
   - *cumulative*: the sum of every MFI's values — A adds 100 and 50, B adds 30: 180 (`MFI_TOTAL`);
   - *counts and money*: the sum of each MFI's latest value — A's 120 (after 100), B's 30:
     150 (`MFI_SUM`);
   - *percentages with their parts* (every latest reading has a numerator and a denominator, as
     MFI reports do): the numerators over the denominators — A 90 of 100 satisfied, B 40 of 50:
     130 ÷ 150 = 86.7 %, not the 85 % of averaging 90 % and 80 % (`MFI_WEIGHTED`,
     `weighted_percent`);
   - *days, and percentages without their parts*: the mean of each MFI's latest value — 10 and
     20 days: 15 days; 90 % and 80 %: 85 % (`MFI_MEAN`).

A percentage typed as its parts gets its value from them once, at entry (`percent_from_parts`:
45 of 60 → 75.00); the actual reads that value or, to weigh several MFIs, the parts again.
Progress and shares are shown to one decimal place (`rounded_percent`).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext

from ..models import Aggregation, Indicator, Measurement, Unit

# A measurement as the rule reads it: date, MFI (None: network-wide), value, and for a
# percentage its numerator and denominator (None when not known).
Row = tuple[datetime.date, int | None, Decimal, Decimal | None, Decimal | None]
# One MFI's figure as `combined` reads it: value, numerator, denominator.
Reading = tuple[Decimal, Decimal | None, Decimal | None]


@dataclass(frozen=True)
class ActualRule:
    """Which part of the rule made an indicator's actual, to say so next to it:
    `kind` is one of the `ActualRule.*` names below, `mfis` how many MFIs' figures it combines."""

    NETWORK = "network"  # the latest network-wide value
    NETWORK_TOTAL = "network_total"  # cumulative: the sum of the network-wide values
    MFI_SUM = "mfi_sum"  # counts and money: the sum of each MFI's latest value
    MFI_WEIGHTED = "mfi_weighted"  # percentages: the MFIs' numerators over their denominators
    MFI_MEAN = "mfi_mean"  # days, percentages without denominators: the mean of the latest values
    MFI_TOTAL = "mfi_total"  # cumulative: the sum of every MFI's values

    kind: str
    mfis: int = 0

    @property
    def label(self) -> str:
        if self.kind == self.NETWORK:
            return gettext("Network-wide figure")
        if self.kind == self.NETWORK_TOTAL:
            return gettext("Sum of the network-wide figures")
        if self.mfis == 1:
            return gettext("Sum of one MFI's figures") if self.kind == self.MFI_TOTAL else gettext("One MFI's figure")
        labels = {
            self.MFI_SUM: gettext("Sum of %(count)s MFIs' latest figures"),
            self.MFI_WEIGHTED: gettext("Weighted percentage of %(count)s MFIs' latest figures"),
            self.MFI_MEAN: gettext("Average of %(count)s MFIs' latest figures"),
            self.MFI_TOTAL: gettext("Sum of %(count)s MFIs' figures"),
        }
        return labels[self.kind] % {"count": self.mfis}


def _weighable(readings: list[Reading]) -> bool:
    """Whether every reading says what it is a percentage of (a numerator and a denominator)."""
    return bool(readings) and all(den for _, _, den in readings) and all(num is not None for _, num, _ in readings)


def rule_kind(indicator: Indicator, *, network: bool, readings: list[Reading] = ()) -> str:
    """Which part of the rule (an `ActualRule` kind) makes the actual: from network-wide figures
    when there are any, else from the MFIs' `readings` (each MFI's latest, for a percentage)."""
    cumulative = indicator.aggregation == Aggregation.CUMULATIVE
    if network:
        return ActualRule.NETWORK_TOTAL if cumulative else ActualRule.NETWORK
    if cumulative:
        return ActualRule.MFI_TOTAL
    if indicator.unit in (Unit.COUNT, Unit.MONEY):
        return ActualRule.MFI_SUM
    if indicator.unit == Unit.PERCENT and _weighable(readings):
        return ActualRule.MFI_WEIGHTED
    return ActualRule.MFI_MEAN


def combined(kind: str, readings: list[Reading]) -> Decimal:
    """The MFIs' figures as one actual, by the part of the rule `kind` names (each MFI's total
    for `MFI_TOTAL`, else its latest reading): 120 and 30 clients → 150; 90/100 and 40/50 → 86.7 %;
    10 and 20 days → 15."""
    if kind in (ActualRule.MFI_TOTAL, ActualRule.MFI_SUM):
        return sum((value for value, _, _ in readings), Decimal(0))
    if kind == ActualRule.MFI_WEIGHTED:
        numerators = sum((num for _, num, _ in readings), Decimal(0))
        denominators = sum((den for _, _, den in readings), Decimal(0))
        return numerators * 100 / denominators
    return mean([value for value, _, _ in readings])


def mean(values: list[Decimal]) -> Decimal:
    """The plain mean, kept in `Decimal` (10 and 20 days → 15)."""
    return sum(values, Decimal(0)) / len(values)


def weighted_percent(readings: list[Reading]) -> Decimal:
    """Several MFIs' percentages as one: the sum of their numerators over the sum of their
    denominators when each reading has them (90/100 and 40/50 → 86.7 %), else their mean."""
    return combined(ActualRule.MFI_WEIGHTED if _weighable(readings) else ActualRule.MFI_MEAN, readings)


def percent_from_parts(numerator: Decimal, denominator: Decimal) -> Decimal:
    """A percentage from what it is a percentage of, as it is stored: 45 of 60 → 75.00."""
    return (numerator * 100 / denominator).quantize(Decimal("0.01"))


def rounded_percent(value: Decimal) -> Decimal:
    """A percentage as pages show it: one decimal place, halves rounded up (86.666… → 86.7)."""
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def series_from(indicator: Indicator, rows: list[Row]) -> list[tuple[datetime.date, Decimal]]:
    """The indicator's actual over time — one point per measurement date, the last one the
    actual — from its measurements in the order they were taken (date, then when logged)."""
    network = [(on, value) for on, mfi, value, *_ in rows if mfi is None]
    if network:
        if indicator.aggregation == Aggregation.CUMULATIVE:
            total, points = Decimal(0), {}
            for on, value in network:
                total += value
                points[on] = total
            return list(points.items())
        return list(dict(network).items())  # the latest value of each date

    # Only per-MFI values: each MFI's latest reading (or its total), combined date by date.
    cumulative = indicator.aggregation == Aggregation.CUMULATIVE
    by_mfi: dict[int, Reading] = {}
    points = {}
    for on, mfi, value, numerator, denominator in rows:
        if cumulative and mfi in by_mfi:
            value = by_mfi[mfi][0] + value
        by_mfi[mfi] = (value, numerator, denominator)
        readings = list(by_mfi.values())
        points[on] = combined(rule_kind(indicator, network=False, readings=readings), readings)
    return list(points.items())


def actual_rule(indicator: Indicator, rows: list[Row], *, on: datetime.date) -> ActualRule:
    """Which part of the rule `series_from` applies to make the actual of `on` (a date of
    its series), from the same rows: network-wide values when there are any, else the MFIs'."""
    if any(mfi is None for _on, mfi, *_rest in rows):
        return ActualRule(rule_kind(indicator, network=True))
    latest = {mfi: (value, numerator, denominator) for day, mfi, value, numerator, denominator in rows if day <= on}
    return ActualRule(rule_kind(indicator, network=False, readings=list(latest.values())), len(latest))


def in_order(measurements) -> list[Measurement]:
    """Measurements in the order they were taken: date, then when they were logged."""
    return sorted(measurements, key=lambda m: (m.measured_on, m.created_at or 0, m.pk))


def indicator_rows(indicator: Indicator) -> list[Row]:
    """The indicator's (prefetched) measurements as the rule reads them, in the order taken."""
    return [
        (m.measured_on, m.participation_id, m.value, m.numerator, m.denominator)
        for m in in_order(indicator.measurements.all())
    ]


def indicator_rule(indicator: Indicator) -> ActualRule | None:
    """Which part of the rule makes the indicator's actual, from its prefetched measurements."""
    rows = indicator_rows(indicator)
    return actual_rule(indicator, rows, on=max(row[0] for row in rows)) if rows else None


def actual_series(indicator: Indicator) -> list[tuple[datetime.date, Decimal]]:
    """The indicator's actual value over time, from its (prefetched) measurements."""
    return series_from(indicator, indicator_rows(indicator))


def latest_by_participant(indicator: Indicator) -> list[tuple[str, datetime.date, Decimal]]:
    """Each participant MFI's latest value (or its total, for cumulative indicators)."""
    taken = [(m, (m.measured_on, m.participation_id, m.value)) for m in in_order(indicator.measurements.all())]
    return sorted((m.participation.institution.name, on, value) for m, on, value in each_mfi(indicator, taken))


def each_mfi(indicator: Indicator, taken: list[tuple]) -> list[tuple]:
    """Each participant MFI's latest value (or its total, for cumulative indicators), from
    (item, row) pairs in the order taken: (the item of its latest measurement, date, value)."""
    latest: dict[int, tuple] = {}
    for item, (on, mfi, value, *_rest) in taken:
        if mfi is None:
            continue
        if indicator.aggregation == Aggregation.CUMULATIVE and mfi in latest:
            value = latest[mfi][2] + value
        latest[mfi] = (item, on, value)
    return list(latest.values())


def contributing(indicator: Indicator, measurements: list[Measurement]) -> list[Measurement]:
    """The measurements behind an indicator's current actual, as the rule reads them: the
    network-wide ones if there are any, else the MFIs' — the latest one (of each MFI), or
    all of them for a cumulative indicator. The trust signals show these."""
    behind = behind_actual(indicator, [(m, m.participation_id) for m in in_order(measurements)])
    if indicator.aggregation != Aggregation.CUMULATIVE and behind and behind[0].participation_id is not None:
        return sorted(behind, key=lambda m: m.participation.institution.name)  # each MFI's latest
    return behind


def behind_actual(indicator: Indicator, taken: list[tuple]) -> list:
    """`contributing`'s choice, from (item, participation id) pairs in the order taken."""
    network = [item for item, mfi in taken if mfi is None]
    kind = rule_kind(indicator, network=bool(network))
    if kind == ActualRule.NETWORK_TOTAL:
        return network
    if kind == ActualRule.NETWORK:
        return network[-1:]
    if kind == ActualRule.MFI_TOTAL:
        return [item for item, _mfi in taken]
    latest = {}
    for item, mfi in taken:
        latest[mfi] = item
    return list(latest.values())
