"""Standard 6C on what a loan charges beyond its price: late-payment penalties and prepayment fees
(seed 003: "penalties must not be excessive"; prepayment fees "must be based on the real cost
incurred by the prepayment" and must not include the interest that would accrue to the end of the
term; late interest and penalties "must not accumulate debt — computed only on the principal").

Neither is in the APR (they are charged only if the client pays late or early), so each is
priced on one plain case and compared with the regular instalment (`Cost.instalment`):

- **Late penalty**: one instalment — the regular one, the first after the grace period — paid
  one period late. Fixed; or a % of the overdue instalment (that instalment); of the overdue
  principal (that instalment's principal); of the whole balance owed (the balance before that
  instalment: the amount lent for the first one).
- **Prepayment fee**: the whole loan repaid right after disbursement. Fixed; or a % of the
  principal repaid early (then the amount lent).

Worked example (tests/pilots/test_pricing_signs.py): 1,000 over 12 months at a flat 3 %, instalment
113.33. The late-penalty limit is 10 % of it, 11.33: a penalty of 10 % of the overdue instalment
(11.33) is not a sign, 10.01 % (11.34) is; 2 % of the whole balance (20.00) is above the limit
and charged on the balance, two signs. The prepayment limit is one instalment, 113.33: 11.33 %
of the principal repaid early (113.30) is not a sign, 11.34 % (113.40) is.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .cost import Cost, money
from .signs_text import amount, fact, pct

LATE_FEE_LIMIT = Decimal("0.10")
"""The most a penalty for one instalment one period late may be, as a share of the instalment.

The standard only says penalties must "not be excessive"; this is the association's threshold.
10 % of the instalment for a single month late is already more than usury caps allow as late
interest (a few points a year on the amount overdue), so a penalty above it is no longer the
cost of a late payment but a second price of the loan."""

PREPAYMENT_LIMIT = Decimal(1)
"""The most a prepayment fee may be, in instalments.

Processing a prepayment costs the lender an entry and a receipt, not a month's income: a fee
beyond one instalment is more than that real cost and works as interest for the rest of the
term, which Standard 6C forbids."""

PENALTY_RULES = ("late_fee_excessive", "late_fee_on_balance", "prepayment_fee_excessive")


@dataclass(frozen=True)
class Charge:
    """A charge the APR leaves out, priced on one case, next to the regular instalment."""

    base: Decimal | None  # what its % is taken of; None for a fixed amount
    charge: Decimal
    instalment: Decimal


def late_penalty(cost: Cost) -> Charge:
    """The penalty for the regular instalment paid one period late."""
    terms = cost.terms
    number = _regular(cost)
    overdue = cost.schedule[number]
    owed = money(terms.amount) if number == 0 else cost.schedule[number - 1].balance
    base = {"instalment": cost.instalment, "principal": overdue.principal, "balance": owed}.get(terms.late_fee_kind)
    charge = money(terms.late_fee) if base is None else money(base * terms.late_fee / 100)
    return Charge(base=base, charge=charge, instalment=cost.instalment)


def _regular(cost: Cost) -> int:
    """Where the regular instalment is in the schedule: the first one the client pays after the
    grace period (the one `Cost.instalment` is)."""
    first = min(cost.terms.grace, len(cost.schedule) - 1)
    paid = (number for number in range(first, len(cost.schedule)) if cost.schedule[number].payment)
    return next(paid, first)


def prepayment_charge(cost: Cost) -> Charge:
    """The fee for repaying the whole loan right after disbursement."""
    terms = cost.terms
    base = money(terms.amount) if terms.prepayment_fee_kind == "prepaid" else None
    charge = money(terms.prepayment_fee) if base is None else money(base * terms.prepayment_fee / 100)
    return Charge(base=base, charge=charge, instalment=cost.instalment)


def penalty_facts(subject, cost: Cost, currency: str) -> list[dict]:
    """The facts of a variant's penalty and prepayment signs (see the module's docstring)."""
    terms = cost.terms
    facts = []
    if terms.late_fee > 0:
        late = late_penalty(cost)
        figures = _figures(terms.late_fee_kind, terms.late_fee, late, currency)
        limit = money(late.instalment * LATE_FEE_LIMIT)
        if late.charge > limit:
            facts.append(
                fact("late_fee_excessive", subject, **figures, limit=str(limit), share=str(LATE_FEE_LIMIT * 100))
            )
        if terms.late_fee_kind == "balance":
            facts.append(fact("late_fee_on_balance", subject, **figures))
    if terms.prepayment_fee > 0:
        early = prepayment_charge(cost)
        limit = money(early.instalment * PREPAYMENT_LIMIT)
        if early.charge > limit:
            figures = _figures(terms.prepayment_fee_kind, terms.prepayment_fee, early, currency)
            facts.append(
                fact("prepayment_fee_excessive", subject, **figures, limit=str(limit), multiple=str(PREPAYMENT_LIMIT))
            )
    return facts


def _figures(kind: str, fee: Decimal, charged: Charge, currency: str) -> dict:
    return {
        "kind": kind,
        "fee": str(fee),
        "base": "" if charged.base is None else str(charged.base),
        "charge": str(charged.charge),
        "instalment": str(charged.instalment),
        "currency": currency,
    }


def _basis(v: dict) -> str:
    """How the charge is set: "a fixed amount", "5 % of the overdue instalment", ..."""
    figures = {"fee": pct(v["fee"]), "base": amount(v["base"], v["currency"]) if v["base"] else ""}
    if v["kind"] == "instalment":
        return _("%(fee)s %% of the overdue instalment") % figures
    if v["kind"] == "principal":
        return _("%(fee)s %% of the overdue principal of %(base)s") % figures
    if v["kind"] == "balance":
        return _("%(fee)s %% of the whole balance owed, %(base)s") % figures
    if v["kind"] == "prepaid":
        return _("%(fee)s %% of the principal repaid early, %(base)s") % figures
    return _("a fixed amount")


def penalty_message(rule: str, v: dict) -> str:
    """The message of a penalty or prepayment sign, in the current language."""
    money_of = {name: amount(v[name], v["currency"]) for name in ("charge", "instalment")}
    if rule == "late_fee_excessive":
        return _(
            "Penalty for one instalment paid one period late: %(charge)s (%(basis)s), above the limit of "
            "%(limit)s (%(share)s %% of the instalment of %(instalment)s; Standard 6C: penalties must not be "
            "excessive)."
        ) % {**money_of, "basis": _basis(v), "limit": amount(v["limit"], v["currency"]), "share": pct(v["share"])}
    if rule == "late_fee_on_balance":
        return _(
            "Penalty charged on the whole balance owed: %(fee)s %% of %(base)s, %(charge)s for one instalment "
            "one period late (Standard 6C: penalties are computed only on the principal overdue and must not "
            "accumulate debt)."
        ) % {**money_of, "fee": pct(v["fee"]), "base": amount(v["base"], v["currency"])}
    return _(  # prepayment_fee_excessive
        "Fee for repaying the whole loan right after disbursement: %(charge)s (%(basis)s), above the limit of "
        "%(limit)s (%(multiple)s × the instalment of %(instalment)s; Standard 6C: a prepayment fee covers the "
        "real cost of prepaying, never the interest to the end of the term)."
    ) % {**money_of, "basis": _basis(v), "limit": amount(v["limit"], v["currency"]), "multiple": pct(v["multiple"])}
