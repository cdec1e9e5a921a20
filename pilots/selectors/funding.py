"""Who paid for what: an innovation's contributions by stage, and each party's share."""

from collections import defaultdict
from decimal import Decimal

from ..cycle import Stage
from ..models import Innovation
from .actual import rounded_percent


def share_percent(amount: Decimal | None, total: Decimal | None) -> Decimal | None:
    """A party's share of what was disclosed for the same stage and currency, in %."""
    if amount is None or not total:
        return None
    return rounded_percent(amount / total * 100)


def funding_by_stage(innovation: Innovation) -> list[dict]:
    """Contributions grouped by stage, in cycle order, with per-currency totals and each
    contribution's share of its stage's disclosed total in its currency (cost sharing)."""
    rows = []
    for stage in Stage:
        contributions = [c for c in innovation.contributions.all() if c.stage == stage]
        if not contributions:
            continue
        totals: dict[str, Decimal] = defaultdict(Decimal)
        for c in contributions:
            if c.amount is not None:
                totals[c.currency] += c.amount
        parts = [{"contribution": c, "share": share_percent(c.amount, totals.get(c.currency))} for c in contributions]
        rows.append({"stage": stage, "parts": parts, "totals": dict(totals)})
    return rows
