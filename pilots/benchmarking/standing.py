"""Where a member stands on one ratio: its quarter among its peers and the plain sentence
that says so, in the reader's language.

Pure functions, no query: `pilots.benchmarking.peers.where_you_stand` gathers the member's
values and its peer group's quartiles and builds a `Standing` per ratio with them.

The quarter (`position`): 1 is the best quarter and 4 the worst, by the ratio's `better`
(PAR30: lower is better; OSS: higher is better). A value on a quartile counts in the better
of the two quarters it touches (the rule favours the member, symmetrically for "higher" and
"lower"). A ratio where neither direction is better (portfolio yield) gets quarters counted
from the lowest values up and a sentence that says only "above / below the median".

Worked example: peers' PAR30 quartiles q1 2.00 %, median 4.00 %, q3 6.00 % (lower is better).
5.00 % is in the third quarter; 6.20 % in the worst ("Your PAR30 (6.2 %) is in the worst
quarter of Andean MFIs of your size."); 2.00 % exactly in the best. For OSS (higher is
better) with quartiles 95, 110, 120: 125 is in the best quarter, 100 in the third.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.numbers import format_number

from .ratios import Ratio

if TYPE_CHECKING:
    from .peers import PeerRow

# How a ratio is named inside a sentence ("Your PAR30 (6.2 %) is …"): shorter than its label.
SHORT_NAMES = {
    "par30": gettext_lazy("PAR30"),
    "write_off_ratio": gettext_lazy("write-off ratio"),
    "loan_loss_ratio": gettext_lazy("loan-loss expense ratio"),
    "oss": gettext_lazy("operational self-sufficiency"),
    "operating_expense_ratio": gettext_lazy("operating expense ratio"),
    "cost_per_borrower": gettext_lazy("cost per borrower"),
    "borrowers_per_officer": gettext_lazy("borrowers per loan officer"),
    "portfolio_yield": gettext_lazy("portfolio yield"),
    "roa": gettext_lazy("ROA"),
    "roe": gettext_lazy("ROE"),
}


@dataclass(frozen=True)
class TrendValue:
    """The member's own value of a ratio in one of its approved semesters (None: not available)."""

    period_start: date
    value: Decimal | None


@dataclass(frozen=True)
class Standing:
    """One ratio of a member's semester against its peer group, ready for a table row.

    - `ratio`: the `ratios.Ratio` (label, unit, better, formula, source);
    - `value`: the member's own value (None when its figures do not give it), and
      `value_text` as the page's language writes it ("6,2 %", "USD 45", "200"; "" for None);
    - `peer_dimension`, `peer_group`: the chosen peer group's keys (as in `peers.PeerRow`,
      e.g. "region_size", "andean:small"; None when no group can be shown), `peer_label`
      its name for a table ("Andean, small (< USD 4 M)"), `peer_phrase` its name in a
      sentence ("Andean MFIs of your size") and `peer_n` how many institutions it counts;
    - `q1`, `median`, `q3`: the group's quartiles of this ratio (None when none is shown);
    - `quarter`: 1 (best) … 4 (worst), see `position`; None when it cannot be placed;
      `quarter_label`: "best quarter", "above the median", … ("" when None);
    - `trend`: the member's own values over its approved semesters, oldest first;
    - `sentence`: the plain sentence for the reader, e.g. "Your PAR30 (6.2 %) is in the
      worst quarter of Andean MFIs of your size."
    """

    ratio: Ratio
    value: Decimal | None
    value_text: str
    peer_dimension: str | None
    peer_group: str | None
    peer_label: str
    peer_phrase: str
    peer_n: int | None
    q1: Decimal | None
    median: Decimal | None
    q3: Decimal | None
    quarter: int | None
    quarter_label: str
    sentence: str
    trend: list[TrendValue] = field(default_factory=list)


def position(value, q1, median, q3, better: str | None) -> int:
    """The quarter `value` falls in among peers with quartiles q1 ≤ median ≤ q3: 1 … 4.

    better "lower": 1 for value ≤ q1, 2 for ≤ median, 3 for ≤ q3, 4 above q3.
    better "higher": the mirror, 1 for value ≥ q3, 2 for ≥ median, 3 for ≥ q1, 4 below q1.
    better None: counted like "lower", so 1 is the lowest quarter (not the best).
    A value on a quartile goes to the better of the two quarters it touches.
    """
    if better == "higher":
        value, q1, median, q3 = -value, -q3, -median, -q1
    if value <= q1:
        return 1
    if value <= median:
        return 2
    if value <= q3:
        return 3
    return 4


def format_ratio(value: Decimal | None, unit: str) -> str:
    """A ratio as the page's language writes it: "6.2 %" / "6,2 %", "USD 45", "200"."""
    if value is None:
        return ""
    if unit == "percent":
        return _("%(number)s %%") % {"number": format_number(value, places=1)}
    if unit == "money":
        return _("USD %(number)s") % {"number": format_number(value, places=0)}
    return format_number(value, places=0)


def quarter_label(quarter: int | None, better: str | None, value=None, median=None) -> str:
    """ "best quarter" … "worst quarter"; for a ratio with no better direction, where the value
    stands against the median ("above the median", "below the median", "at the median")."""
    if quarter is None:
        return ""
    if better is None:
        if value > median:
            return _("above the median")
        return _("below the median") if value < median else _("at the median")
    return {1: _("best quarter"), 2: _("second quarter"), 3: _("third quarter"), 4: _("worst quarter")}[quarter]


def sentence(ratio: Ratio, value: Decimal | None, peer_phrase: str, quarter: int | None, median: Decimal | None) -> str:
    """The plain sentence of a standing, in the active language (see the module's example)."""
    name = SHORT_NAMES.get(ratio.key, ratio.label)
    if value is None:
        return _("Your %(ratio)s is not available for this semester.") % {"ratio": name}
    values = {"ratio": name, "value": format_ratio(value, ratio.unit), "peers": peer_phrase}
    if quarter is None:
        return (
            _("Your %(ratio)s (%(value)s) cannot be compared: too few peers reported it to publish their quartiles.")
            % values
        )
    if ratio.better is None:
        if value > median:
            return _("Your %(ratio)s (%(value)s) is above the median of %(peers)s.") % values
        if value < median:
            return _("Your %(ratio)s (%(value)s) is below the median of %(peers)s.") % values
        return _("Your %(ratio)s (%(value)s) is at the median of %(peers)s.") % values
    messages = {
        1: _("Your %(ratio)s (%(value)s) is in the best quarter of %(peers)s."),
        2: _("Your %(ratio)s (%(value)s) is in the second quarter of %(peers)s."),
        3: _("Your %(ratio)s (%(value)s) is in the third quarter of %(peers)s."),
        4: _("Your %(ratio)s (%(value)s) is in the worst quarter of %(peers)s."),
    }
    return messages[quarter] % values


def standing_of(ratio: Ratio, value: Decimal | None, peers: PeerRow | None, trend: list[TrendValue]) -> Standing:
    """A member's `Standing` on `ratio`, against the peer group `peers` (None: none shown)."""
    cell = peers.cells[ratio.key] if peers else None
    quarter = position(value, cell.q1, cell.median, cell.q3, ratio.better) if cell and value is not None else None
    median = cell.median if cell else None
    return Standing(
        ratio=ratio,
        value=value,
        value_text=format_ratio(value, ratio.unit),
        peer_dimension=peers.dimension if peers else None,
        peer_group=peers.group if peers else None,
        peer_label=peers.group_label if peers else "",
        peer_phrase=peers.phrase if peers else "",
        peer_n=peers.n if peers else None,
        q1=cell.q1 if cell else None,
        median=median,
        q3=cell.q3 if cell else None,
        quarter=quarter,
        quarter_label=quarter_label(quarter, ratio.better, value, median),
        sentence=sentence(ratio, value, peers.phrase if peers else "", quarter, median),
        trend=trend,
    )
