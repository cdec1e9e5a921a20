"""What a financial product really costs its client: the repayment schedule and the rate
that makes the client's cash flows balance (the internal-rate-of-return method of
Ledgerwood's handbook, seed 001; Standard 6C, seed 003).

**The quote.** `rate` is a % per instalment period, per month, per year or for the whole
term (`rate_per`); the schedule uses the rate per period r: 3 % a month paid weekly is
3 × 12 / 52 % a week, 15 % for a cycle of 16 weeks is 0.9375 % a week (`Terms.rate_per_period`).

**The schedule** (`pilots.pricing.schedule`). `term` instalments at `frequency` (daily,
weekly, fortnightly, every four weeks, monthly, quarterly; "at maturity" is one payment
after `term` months). Interest per instalment:

- *flat*: r of the amount lent, every instalment, whatever has been repaid; principal in
  equal parts over the instalments after the grace period. A discounted loan
  (`interest_upfront`) has all of it, with its tax, taken from the amount disbursed;
- *declining balance*: r of the balance still owed; after the grace period, equal
  instalments of principal + interest (an annuity).

The first `grace` instalments repay no principal: their interest is paid (`grace_kind`
"interest"), or nothing is paid and the interest with its tax is added to the balance
("capitalised": a negative principal), or nothing is paid and nothing charged ("none").
A first instalment `first_payment_days` after disbursement carries, on the declining
balance, simple interest for that broken period (the later instalments stay equal). A
`balloon` % of the amount lent is left to the last instalment.

Each paid instalment also carries the periodic fee and insurance premium (fixed, % of the
amount lent or % of the balance owed before it), the compulsory saving (fixed or % of its
principal + interest) and the tax on its interest, fee and premium. Up-front fee, saving
and premium (and tax on them) are taken from the amount disbursed. Compulsory savings come
back with the last instalment, with simple interest at `savings_rate` % a year if they earn
any. Money is rounded to cents; the last instalment clears what rounding left, of principal
and, for flat interest, of interest: the schedule's totals are the contract's.

**The cost.** The client receives the amount less what is taken up front, pays each
instalment, and gets the savings back at the end. The periodic rate `r` is the IRR of
those cash flows (`pilots.pricing.rates`: `numpy_financial.irr`, or `scipy.optimize.brentq`
when the first instalment is offset and the flows are unequally spaced). Then:

- nominal APR = r × instalments a year (365, 52, 26, 13, 12, 4);
- effective annual rate = (1 + r) ^ instalments a year − 1;
- total cost = everything paid − the amount received (savings returned counted back).

Late and prepayment fees are contingent: they are not in the APR (Standard 6C's signs
judge them, `pilots.pricing.signs`).

Worked example (tests/pilots/test_pricing.py, docs/pricing.md): 1,000 over 12 monthly
instalments at a flat 3 % a month → instalment 113.33, APR 60.96 %, effective 81.23 %;
the same loan on the declining balance → APR 36.00 %, effective 42.58 %. Every other quote
has its own in docs/pricing.md and tests/pilots/test_pricing_quotes.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from .rates import internal_rate, sign_changes
from .schedule import Instalment, schedule_of
from .terms import (
    AMOUNT_KINDS,
    CENT,
    FREQUENCIES,
    GRACE_KINDS,
    LATE_FEE_KINDS,
    MAX_AMOUNT,
    MAX_FIRST_PAYMENT_DAYS,
    MAX_NOMINAL_RATE,
    MAX_TERM,
    METHODS,
    PERIODIC_KINDS,
    PERIODS_PER_YEAR,
    PREPAYMENT_KINDS,
    RATE_PER,
    SAVINGS_KINDS,
    Terms,
    money,
)
from .validation import validate

__all__ = [
    "AMOUNT_KINDS",
    "CENT",
    "FREQUENCIES",
    "GRACE_KINDS",
    "LATE_FEE_KINDS",
    "MAX_AMOUNT",
    "MAX_FIRST_PAYMENT_DAYS",
    "MAX_NOMINAL_RATE",
    "MAX_TERM",
    "METHODS",
    "PERIODIC_KINDS",
    "PERIODS_PER_YEAR",
    "PREPAYMENT_KINDS",
    "RATE_PER",
    "SAVINGS_KINDS",
    "TOTALS",
    "Cost",
    "Instalment",
    "Terms",
    "cost_of",
    "money",
    "schedule_of",
    "validate",
]

TOTALS = ("principal", "interest", "tax", "fee", "savings", "insurance", "payment", "returned")


@dataclass
class Cost:
    terms: Terms
    received: Decimal  # disbursed less what is taken up front
    upfront: dict[str, Decimal]  # fee, savings, insurance, interest (a discounted loan's), tax on them
    schedule: list[Instalment]
    periodic_rate: float | None  # fraction per period
    apr: float | None  # % a year, nominal
    effective: float | None  # % a year, compounded
    total_cost: Decimal  # paid − received, savings returned counted back
    breakdown: dict[str, Decimal]  # where the client's money goes (principal, interest, tax, fees, ...)
    notes: list[str] = field(default_factory=list)
    flows: list[tuple[float, float]] = field(default_factory=list)  # (time in periods, the client's flow)

    @property
    def instalment(self) -> Decimal:
        """The usual instalment: the first one the client pays after the grace period."""
        after_grace = self.schedule[min(self.terms.grace, len(self.schedule) - 1) :]
        paid = next((row for row in after_grace if row.payment), after_grace[0])
        return paid.payment

    @property
    def totals(self) -> dict[str, Decimal]:
        """The schedule's column totals (principal, interest, tax, fee, savings, insurance,
        payment, returned): the principal is the amount lent, the interest the contract's
        (less what a discounted loan took up front)."""
        return {name: sum((getattr(row, name) for row in self.schedule), Decimal("0.00")) for name in TOTALS}


def cash_flows(terms: Terms, received: Decimal, rows: list[Instalment]) -> list[tuple[float, float]]:
    """The client's flows as (time in periods, amount): + received at 0, − each instalment's net.
    At maturity the periods are months; with a first instalment offset, t1 = days / (365 /
    periods a year) and the later ones follow one period apart."""
    if terms.frequency == "maturity":
        months = [(float(month), 0.0) for month in range(1, terms.term)]
        return [(0.0, float(received)), *months, (float(terms.term), -float(rows[0].net))]
    first = float(terms.first_period)
    return [(0.0, float(received))] + [(first + index, -float(row.net)) for index, row in enumerate(rows)]


def _rate(flows: list[tuple[float, float]]) -> tuple[float | None, list[str]]:
    times = [time for time, _flow in flows]
    amounts = [amount for _time, amount in flows]
    if times == [float(index) for index in range(len(times))]:
        times = None  # equally spaced
    notes = []
    changes = sign_changes(amounts)
    rate = internal_rate(amounts, times)
    if rate is None:
        notes.append(
            _("No rate balances these cash flows: the client never pays back more than it receives, or never pays.")
        )
    elif changes > 1:
        notes.append(
            _(
                "The cash flows change sign %(changes)s times (savings returned at the end), so more than one "
                "rate can balance them; the one shown is the one closest to zero."
            )
            % {"changes": changes}
        )
    return rate, notes


def cost_of(terms: Terms) -> Cost:
    """Validate the terms, build the schedule and find the client's rate (see the module's docstring)."""
    validate(terms)
    received, upfront, rows = schedule_of(terms)
    flows = cash_flows(terms, received, rows)
    rate, notes = _rate(flows)
    per_year = terms.periods_per_year
    paid = sum((row.net for row in rows), Decimal(0))
    savings_paid = upfront["savings"] + sum((row.savings for row in rows), Decimal(0))
    breakdown = {
        "principal": money(terms.amount),
        "interest": upfront["interest"] + sum((row.interest for row in rows), Decimal(0)),
        "tax": upfront["tax"] + sum((row.tax for row in rows), Decimal(0)),
        "fees": upfront["fee"] + sum((row.fee for row in rows), Decimal(0)),
        "insurance": upfront["insurance"] + sum((row.insurance for row in rows), Decimal(0)),
        "savings_interest": -(rows[-1].returned - savings_paid),  # earned by the client: negative cost
    }
    return Cost(
        terms=terms,
        received=received,
        upfront=upfront,
        schedule=rows,
        periodic_rate=rate,
        apr=None if rate is None else rate * per_year * 100,
        effective=None if rate is None else ((1 + rate) ** per_year - 1) * 100,
        total_cost=paid - received,
        breakdown=breakdown,
        notes=notes,
        flows=flows,
    )
