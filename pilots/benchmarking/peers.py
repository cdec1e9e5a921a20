"""Peer groups and their quartiles, from members' APPROVED financial reports only.

Drafts, submitted and returned reports never count. Each approved report of a semester puts
its institution in one group of every dimension:

- "all": every reporting member;
- "region", from the country: Andean (BO CO EC PE VE), Central America (CR SV GT HN NI PA),
  Mexico and the Caribbean (MX DO CU PR HT), Southern Cone (AR CL PY UY BR), South Asia
  (IN BD NP PK LK), other;
- "country";
- "size", by the gross loan portfolio at the semester's end, in US dollars (the
  MicroBanking Bulletin's bands for Latin America): small < 4 M, medium 4 M – 15 M,
  large > 15 M;
- "age", years from the year founded to the semester's end: new 0–4, young 5–8, mature
  over 8; unknown when the year founded is not known;
- "type": the institution type (bank, NGO, cooperative, …);
- "region_size" and "country_size": both at once ("Andean MFIs of your size").

Quartiles: `statistics.quantiles(values, n=4, method="inclusive")`, spreadsheets'
QUARTILE.INC: sorted values x1 … xm, quartile k at position 1 + k(m − 1)/4, interpolated
between neighbours, then rounded to 2 places (halves up). For 3 values: q1 halfway between
the lowest and the middle one, median the middle one, q3 halfway between the middle and the
highest. Worked example (tests and docs/benchmarking.md): PAR30 1, 2, 4, 7, 10 % → positions
2, 3, 4 → q1 2.00, median 4.00, q3 7.00; 1, 2, 4, 7 → positions 1.75, 2.5, 3.25 →
q1 1.75, median 3.00, q3 4.75.

Suppression (`portal.suppression.hidden_groups`, the survey's rule): a group of fewer than
3 institutions is hidden; and since each dimension's total is shown (the "all" row, and for
"country" each region's row, for the combined dimensions each country's, region's and
size's rows), the smallest shown group is hidden too while the hidden ones together could be
got by subtraction. A shown group's ratio cell is hidden as well when fewer than 3 of its
institutions have that ratio (a ratio that is not available does not count). Quartiles
cannot be subtracted, so a cell needs no complementary suppression.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from portal.accounts.models import InstitutionType
from portal.suppression import MIN_GROUP_SIZE, hidden_groups

from ..models import FIGURE_NAMES, FinancialReport, ReportState
from .ratios import RATIOS, ratios_of
from .standing import Standing, TrendValue, standing_of

CENT = Decimal("0.01")
SMALL_BELOW = Decimal(4_000_000)  # USD, gross loan portfolio at the end
LARGE_ABOVE = Decimal(15_000_000)
REGION_COUNTRIES = {
    "andean": "BO CO EC PE VE",
    "central_america": "CR SV GT HN NI PA",
    "mexico_caribbean": "MX DO CU PR HT",
    "southern_cone": "AR CL PY UY BR",
    "south_asia": "IN BD NP PK LK",
}
REGION_OF = {code: region for region, codes in REGION_COUNTRIES.items() for code in codes.split()}
REGION_LABELS = {
    "andean": gettext_lazy("Andean"),
    "central_america": gettext_lazy("Central America"),
    "mexico_caribbean": gettext_lazy("Mexico and the Caribbean"),
    "southern_cone": gettext_lazy("Southern Cone"),
    "south_asia": gettext_lazy("South Asia"),
    "other": gettext_lazy("Other regions"),
}
REGION_PHRASES = {  # a region's MFIs, inside a sentence
    "andean": gettext_lazy("Andean MFIs"),
    "central_america": gettext_lazy("Central American MFIs"),
    "mexico_caribbean": gettext_lazy("MFIs of Mexico and the Caribbean"),
    "southern_cone": gettext_lazy("Southern Cone MFIs"),
    "south_asia": gettext_lazy("South Asian MFIs"),
    "other": gettext_lazy("MFIs outside these regions"),
}
SIZE_LABELS = {
    "small": gettext_lazy("Small (< USD 4 M)"),
    "medium": gettext_lazy("Medium (USD 4–15 M)"),
    "large": gettext_lazy("Large (> USD 15 M)"),
    "unknown": gettext_lazy("Size unknown"),
}
AGE_LABELS = {
    "new": gettext_lazy("New (0–4 years)"),
    "young": gettext_lazy("Young (5–8 years)"),
    "mature": gettext_lazy("Mature (over 8 years)"),
    "unknown": gettext_lazy("Age unknown"),
}


@dataclass(frozen=True)
class Dimension:
    """A way of grouping members. `margins`: the dimensions whose shown groups total this
    one's groups (a reader could subtract within them), for complementary suppression."""

    key: str
    label: object
    margins: tuple[str, ...] = ()


DIMENSIONS: tuple[Dimension, ...] = (
    Dimension("all", gettext_lazy("All reporting members")),
    Dimension("region", gettext_lazy("Region"), ("all",)),
    Dimension("country", gettext_lazy("Country"), ("all", "region")),
    Dimension("size", gettext_lazy("Size"), ("all",)),
    Dimension("age", gettext_lazy("Age"), ("all",)),
    Dimension("type", gettext_lazy("Institution type"), ("all",)),
    Dimension("region_size", gettext_lazy("Region and size"), ("all", "region", "size")),
    Dimension("country_size", gettext_lazy("Country and size"), ("all", "country", "size", "region_size")),
)
DIMENSION_BY_KEY = {dimension.key: dimension for dimension in DIMENSIONS}
# Where a member's own peer group is looked for, in this order; the smallest shown one wins.
PEER_GROUP_DIMENSIONS = ("country_size", "region_size", "region", "all")


@dataclass(frozen=True)
class Cell:
    """One ratio's quartiles in one group. `n`: the group's institutions that have the ratio.
    When `suppressed`, n, q1, median and q3 are None (the page says "fewer than 3")."""

    ratio_key: str
    n: int | None
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    suppressed: bool


@dataclass(frozen=True)
class PeerRow:
    """One peer group of one semester, for the bulletin and for a member's comparison.

    `dimension` / `dimension_label`: "region" / "Region"; `group` / `group_label`: the
    group's key and name ("andean" / "Andean"; combined groups "andean:small" / "Andean,
    small (< USD 4 M)"); `phrase`: its members inside a sentence ("Andean MFIs", or
    "Andean MFIs of your size" for a member's own size group); `n`: its institutions
    (None when `suppressed`: then every cell is suppressed too); `cells`: ratio key →
    `Cell`, in the order of `ratios.RATIOS`.
    """

    period_start: date
    dimension: str
    dimension_label: str
    group: str
    group_label: str
    phrase: str
    n: int | None
    suppressed: bool
    cells: dict[str, Cell]


class TrendPoint(NamedTuple):
    """A group's quartiles of one ratio in one semester (all None when not shown)."""

    period_start: date
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None


@dataclass(frozen=True)
class _Member:
    """One approved report, reduced to what grouping needs: its group in each dimension."""

    institution_id: int
    period_start: date
    groups: dict[str, str]
    ratios: dict[str, Decimal | None]


_FIELDS = ("institution_id", "period_start", "period_end", "institution__country", "institution__institution_type")


def _approved(condition: Q) -> list[dict]:
    """The approved reports matching `condition`, as plain rows, in one query."""
    return list(
        FinancialReport.objects.filter(condition, state=ReportState.APPROVED)
        .order_by("period_start", "institution_id")
        .values(*_FIELDS, "institution__founded", *FIGURE_NAMES)
    )


def size_band(gross_portfolio_end) -> str:
    if gross_portfolio_end is None:
        return "unknown"
    if gross_portfolio_end < SMALL_BELOW:
        return "small"
    return "large" if gross_portfolio_end > LARGE_ABOVE else "medium"


def age_band(founded: int | None, period_end: date) -> str:
    if founded is None or founded > period_end.year:
        return "unknown"
    years = period_end.year - founded
    return "new" if years <= 4 else "young" if years <= 8 else "mature"


def _groups(country: str, institution_type: str, founded: int | None, period_end: date, portfolio) -> dict:
    region, size = REGION_OF.get(country, "other"), size_band(portfolio)
    return {
        "all": "all",
        "region": region,
        "country": country,
        "size": size,
        "age": age_band(founded, period_end),
        "type": institution_type,
        "region_size": f"{region}:{size}",
        "country_size": f"{country}:{size}",
    }


def _member(row: dict) -> _Member:
    figures = {name: row[name] for name in FIGURE_NAMES}
    groups = _groups(
        row["institution__country"],
        row["institution__institution_type"],
        row["institution__founded"],
        row["period_end"],
        row["gross_portfolio_end"],
    )
    return _Member(row["institution_id"], row["period_start"], groups, ratios_of(figures))


def quartiles(values: list[Decimal]) -> tuple[Decimal, Decimal, Decimal]:
    """q1, median, q3 by the inclusive method (see the module), rounded to 2 places."""
    q1, median, q3 = statistics.quantiles(sorted(values), n=4, method="inclusive")
    return tuple(Decimal(q).quantize(CENT, rounding=ROUND_HALF_UP) for q in (q1, median, q3))


def _suppressed(dimension: Dimension, members: list[_Member], hidden: dict[str, set[str]]) -> set[str]:
    """The dimension's hidden groups: primary suppression, then complementary within every
    shown group of each margin, repeated until nothing more needs hiding."""
    counts = defaultdict(int)
    for member in members:
        counts[member.groups[dimension.key]] += 1
    if not dimension.margins:
        return hidden_groups(counts, total_shown=False)
    parent = {margin: {m.groups[dimension.key]: m.groups[margin] for m in members} for margin in dimension.margins}
    result: set[str] = set()
    while True:
        before = set(result)
        for margin in dimension.margins:
            siblings = defaultdict(dict)
            for group, count in counts.items():
                siblings[parent[margin][group]][group] = count
            for total, sibling_counts in siblings.items():
                shown = total not in hidden[margin]
                result |= hidden_groups(sibling_counts, total_shown=shown, already_hidden=result)
        if result == before:
            return result


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def group_label(dimension: str, group: str) -> str:
    """A group's name for a table: "Andean", "Peru", "Andean, small (< USD 4 M)"."""
    if dimension in ("region_size", "country_size"):
        outer, size = group.split(":")
        return _("%(group)s, %(size)s") % {
            "group": group_label(dimension.removesuffix("_size"), outer),
            "size": _lower_first(str(SIZE_LABELS[size])),
        }
    labels = {
        "all": lambda key: _("All reporting members"),
        "region": lambda key: REGION_LABELS.get(key, key),
        "country": lambda key: countries.name(key) or key,
        "size": lambda key: SIZE_LABELS.get(key, key),
        "age": lambda key: AGE_LABELS.get(key, key),
        "type": lambda key: dict(InstitutionType.choices).get(key, key),
    }
    return str(labels[dimension](group))


def group_phrase(dimension: str, group: str) -> str:
    """A group's members inside a sentence, for one of them: "Andean MFIs of your size"."""
    outer = group.split(":")[0]
    if dimension == "all":
        return _("all reporting MFIs")
    if dimension in ("region", "region_size"):
        phrase = str(REGION_PHRASES.get(outer, outer))
    elif dimension in ("country", "country_size"):
        phrase = _("MFIs in %(country)s") % {"country": countries.name(outer) or outer}
    else:
        phrase = _("MFIs in the group “%(group)s”") % {"group": group_label(dimension, group)}
    return _("%(peers)s of your size") % {"peers": phrase} if dimension.endswith("_size") else phrase


def _rows(period_start: date, members: list[_Member]) -> list[PeerRow]:
    """Every group of every dimension of one semester, with its cells, hidden where needed."""
    hidden: dict[str, set[str]] = {}
    rows = []
    for dimension in DIMENSIONS:
        hidden[dimension.key] = _suppressed(dimension, members, hidden)
        grouped: dict[str, list[_Member]] = defaultdict(list)
        for member in members:
            grouped[member.groups[dimension.key]].append(member)
        for group in sorted(grouped, key=lambda key: group_label(dimension.key, key)):
            suppressed = group in hidden[dimension.key]
            cells = {}
            for ratio in RATIOS:
                values = [m.ratios[ratio.key] for m in grouped[group] if m.ratios[ratio.key] is not None]
                if suppressed or len(values) < MIN_GROUP_SIZE:
                    cells[ratio.key] = Cell(ratio.key, None, None, None, None, True)
                else:
                    cells[ratio.key] = Cell(ratio.key, len(values), *quartiles(values), False)
            rows.append(
                PeerRow(
                    period_start,
                    dimension.key,
                    str(dimension.label),
                    group,
                    group_label(dimension.key, group),
                    group_phrase(dimension.key, group),
                    None if suppressed else len(grouped[group]),
                    suppressed,
                    cells,
                )
            )
    return rows


def peer_rows(period_start: date) -> list[PeerRow]:
    """Every peer group of the semester starting on `period_start`, dimension by dimension
    (in the order of `DIMENSIONS`), groups by name; one query whatever the membership."""
    members = [_member(row) for row in _approved(Q(period_start=period_start))]
    return _rows(period_start, members)


def peer_trends(dimension: str, group: str) -> dict[str, list[TrendPoint]]:
    """One group's quartiles of every ratio in every semester with approved reports, oldest
    first; q1, median and q3 are None in a semester where the cell is not shown (hidden, or
    no member in that group). One query whatever the number of semesters and members."""
    by_period: dict[date, list[_Member]] = defaultdict(list)
    for row in _approved(Q()):
        by_period[row["period_start"]].append(_member(row))
    trends: dict[str, list[TrendPoint]] = {ratio.key: [] for ratio in RATIOS}
    for period_start, members in sorted(by_period.items()):
        row = next((r for r in _rows(period_start, members) if (r.dimension, r.group) == (dimension, group)), None)
        for key, points in trends.items():
            cell = row.cells[key] if row else None
            shown = cell is not None and not cell.suppressed
            points.append(TrendPoint(period_start, *((cell.q1, cell.median, cell.q3) if shown else (None,) * 3)))
    return trends


def peer_trend(dimension: str, group: str, ratio_key: str) -> list[TrendPoint]:
    """`peer_trends` of one ratio."""
    return peer_trends(dimension, group)[ratio_key]


def where_you_stand(institution, period_start: date) -> list[Standing]:
    """For each ratio (in the order of `RATIOS`), where `institution` stands in the semester
    starting on `period_start`: its value, its peer group — the smallest group shown with
    that ratio among its country and size, its region and size, its region, all members —
    the group's quartiles, its quarter, its own trend and the sentence (see `Standing`).
    Two queries whatever the membership: the semester's approved reports and the member's own.
    """
    rows = _approved(Q(period_start=period_start) | Q(institution_id=institution.pk))
    own = [_member(row) for row in rows if row["institution_id"] == institution.pk]
    members = [_member(row) for row in rows if row["period_start"] == period_start]
    current = next((m for m in own if m.period_start == period_start), None)
    if current:
        groups = current.groups
    else:  # no approved report this semester: its size is unknown, so only region and all
        groups = _groups(institution.country.code, institution.institution_type, None, period_start, None)
    by_key = {(row.dimension, row.group): row for row in _rows(period_start, members)}
    candidates = [by_key.get((dim, groups[dim])) for dim in PEER_GROUP_DIMENSIONS]
    if not current:
        candidates = [row for row in candidates if row and row.dimension in ("region", "all")]
    standings = []
    for ratio in RATIOS:
        shown = [row for row in candidates if row and not row.cells[ratio.key].suppressed]
        peers = min(shown, key=lambda row: row.n, default=None)  # min keeps the first of equals
        trend = [TrendValue(member.period_start, member.ratios[ratio.key]) for member in own]
        standings.append(standing_of(ratio, current.ratios[ratio.key] if current else None, peers, trend))
    return standings
