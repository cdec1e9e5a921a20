"""What a financial product really costs its client: the repayment schedule and the rate
that makes the client's cash flows balance (the internal-rate-of-return method of
Ledgerwood's handbook, seed 001; Standard 6C, seed 003).

**The schedule.** `term` instalments at `frequency` (weekly, fortnightly, monthly; "at
maturity" is one payment after `term` months). The first `grace` instalments repay no
principal. Interest per instalment:

- *flat*: `rate` % of the amount lent, every instalment, whatever has been repaid;
  principal in equal parts over the instalments after the grace period;
- *declining balance*: `rate` % of the balance still owed; after the grace period,
  equal instalments of principal + interest (an annuity).

Each instalment also carries the tax on its interest (`tax_on_interest` %), the
periodic fee, the compulsory saving and the insurance premium. Up-front fee, saving
and premium are taken from the amount disbursed. Compulsory savings come back with
the last instalment, with simple interest at `savings_rate` % a year if they earn any.
Money is rounded to cents; the last instalment clears what rounding left, of principal
and, for flat interest, of interest: the schedule's interest is the contract's.

**The cost.** The client receives the amount less what is taken up front, pays each
instalment, and gets the savings back at the end. The periodic rate `r` is the IRR of
those cash flows (found by `numpy_financial.irr`, not by hand). Then:

- nominal APR = r × instalments a year (52, 26, 12);
- effective annual rate = (1 + r) ^ instalments a year − 1;
- total cost = everything paid − the amount received (savings returned counted back).

Worked example (tests/pilots/test_pricing.py, docs/pricing.md): 1,000 over 12 monthly
instalments at a flat 3 % a month → instalment 113.33, APR 60.96 %, effective 81.23 %;
the same loan on the declining balance → APR 36.00 %, effective 42.58 %.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
PERIODS_PER_YEAR = {"weekly": 52, "fortnightly": 26, "monthly": 12, "maturity": 12}
FREQUENCIES = tuple(PERIODS_PER_YEAR)
METHODS = ("flat", "declining")
AMOUNT_KINDS = ("fixed", "percent")
# Bounds of what can be a real product (beyond them the input is a typing mistake)
MAX_TERM = {"weekly": 520, "fortnightly": 260, "monthly": 360, "maturity": 120}
MAX_NOMINAL_RATE = Decimal(300)  # % a year: rate per period × periods a year
MAX_AMOUNT = Decimal("1000000000")


def money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Terms:
    amount: Decimal
    term: int
    frequency: str = "monthly"
    method: str = "declining"
    rate: Decimal = Decimal(0)  # % per period
    grace: int = 0
    upfront_fee: Decimal = Decimal(0)
    upfront_fee_kind: str = "percent"
    periodic_fee: Decimal = Decimal(0)
    periodic_fee_kind: str = "fixed"
    upfront_savings: Decimal = Decimal(0)
    upfront_savings_kind: str = "percent"
    periodic_savings: Decimal = Decimal(0)  # fixed, per instalment
    savings_rate: Decimal = Decimal(0)  # % a year paid on compulsory savings
    upfront_insurance: Decimal = Decimal(0)
    upfront_insurance_kind: str = "fixed"
    periodic_insurance: Decimal = Decimal(0)
    periodic_insurance_kind: str = "fixed"
    tax_on_interest: Decimal = Decimal(0)  # % of the interest

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def with_method(self, method: str) -> Terms:
        return replace(self, method=method)

    @property
    def periods_per_year(self) -> int:
        return PERIODS_PER_YEAR[self.frequency]

    @property
    def instalments(self) -> int:
        return 1 if self.frequency == "maturity" else self.term

    def part(self, value: Decimal, kind: str) -> Decimal:
        """A fee, saving or premium in money: fixed, or a % of the amount lent."""
        return money(self.amount * value / 100) if kind == "percent" else money(value)


def validate(terms: Terms) -> None:
    """Refuse terms that cannot be a product, every problem at once, by field."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if terms.frequency not in FREQUENCIES:
        refuse("frequency", _("Choose weekly, fortnightly, monthly or at maturity."))
    if terms.method not in METHODS:
        refuse("method", _("Choose flat or declining balance."))
    for name in ("upfront_fee_kind", "upfront_savings_kind", "upfront_insurance_kind", "periodic_fee_kind"):
        if getattr(terms, name) not in AMOUNT_KINDS:
            refuse(name, _("Choose a fixed amount or a percentage of the amount."))
    if terms.periodic_insurance_kind not in AMOUNT_KINDS:
        refuse("periodic_insurance_kind", _("Choose a fixed amount or a percentage of the amount."))
    if errors:
        raise ValidationError(errors)
    if terms.amount is None or terms.amount <= 0:
        refuse("amount", _("The amount lent must be more than zero."))
    elif terms.amount > MAX_AMOUNT:
        refuse("amount", _("The amount is larger than any loan this portal can price."))
    if terms.term is None or terms.term < 1:
        refuse("term", _("The term must be at least one instalment (one month at maturity)."))
    elif terms.term > MAX_TERM[terms.frequency]:
        refuse(
            "term",
            _("A term of %(term)s is longer than any product (at most %(max)s at this frequency).")
            % {"term": terms.term, "max": MAX_TERM[terms.frequency]},
        )
    if terms.rate < 0:
        refuse("rate", _("The interest rate cannot be negative."))
    elif terms.rate * terms.periods_per_year > MAX_NOMINAL_RATE:
        refuse(
            "rate",
            _(
                "%(rate)s %% per period is %(year)s %% a year, above any plausible rate (at most %(max)s %% a year): "
                "is it a rate per year typed as a rate per period?"
            )
            % {"rate": terms.rate, "year": terms.rate * terms.periods_per_year, "max": MAX_NOMINAL_RATE},
        )
    if terms.grace < 0:
        refuse("grace", _("The grace period cannot be negative."))
    elif terms.term and terms.grace >= terms.instalments and terms.grace > 0:
        refuse("grace", _("The grace period must leave at least one instalment to repay the principal."))
    for name in Terms.names():
        value = getattr(terms, name)
        if isinstance(value, Decimal) and name not in ("amount", "rate") and value < 0:
            refuse(name, _("This cannot be negative."))
    for name in ("tax_on_interest", "savings_rate"):
        if getattr(terms, name) > 100:
            refuse(name, _("At most 100 %."))
    if errors:
        raise ValidationError(errors)
    taken = sum(
        (
            terms.part(terms.upfront_fee, terms.upfront_fee_kind),
            terms.part(terms.upfront_savings, terms.upfront_savings_kind),
            terms.part(terms.upfront_insurance, terms.upfront_insurance_kind),
        ),
        Decimal(0),
    )
    if taken >= terms.amount:
        refuse(
            "upfront_savings",
            _("Up-front fee, savings and premium (%(taken)s) take all of the amount lent (%(amount)s).")
            % {"taken": taken, "amount": money(terms.amount)},
        )
    savings = terms.part(terms.upfront_savings, terms.upfront_savings_kind) + money(
        terms.periodic_savings * terms.instalments
    )
    if savings > terms.amount:
        refuse(
            "periodic_savings",
            _("Compulsory savings (%(savings)s) would be larger than the loan (%(amount)s).")
            % {"savings": savings, "amount": money(terms.amount)},
        )
    if errors:
        raise ValidationError(errors)


@dataclass
class Instalment:
    number: int
    principal: Decimal
    interest: Decimal
    tax: Decimal
    fee: Decimal
    savings: Decimal
    insurance: Decimal
    balance: Decimal
    returned: Decimal = Decimal(0)  # compulsory savings given back (last instalment)

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest + self.tax + self.fee + self.savings + self.insurance

    @property
    def net(self) -> Decimal:
        """What the client pays this time, less what comes back to it."""
        return self.payment - self.returned


@dataclass
class Cost:
    terms: Terms
    received: Decimal  # disbursed less what is taken up front
    upfront: dict[str, Decimal]
    schedule: list[Instalment]
    periodic_rate: float | None  # fraction per period
    apr: float | None  # % a year, nominal
    effective: float | None  # % a year, compounded
    total_cost: Decimal  # paid − received, savings returned counted back
    breakdown: dict[str, Decimal]  # where the client's money goes (principal, interest, tax, fees, ...)
    notes: list[str] = field(default_factory=list)

    @property
    def instalment(self) -> Decimal:
        """The usual instalment (the first after the grace period)."""
        regular = self.schedule[min(self.terms.grace, len(self.schedule) - 1)]
        return regular.payment


def _principal_and_interest(terms: Terms) -> list[tuple[Decimal, Decimal]]:
    amount = money(terms.amount)
    rate = terms.rate / 100
    if terms.frequency == "maturity":
        return [(amount, money(amount * rate * terms.term))]
    n, grace = terms.instalments, terms.grace
    repaying = n - grace
    rows: list[tuple[Decimal, Decimal]] = []
    balance = amount
    if terms.method == "flat":
        # The contract's interest is rate × amount × instalments; each instalment charges its
        # share rounded to the cent and the last one what is left, so that the schedule adds
        # up to the contract (1,250 at 0.85 % a week for 12 weeks: 11 × 10.63 + 10.57 = 127.50).
        contract = money(amount * rate * n)
        interest = money(amount * rate)
        share = money(amount / repaying)
        for number in range(1, n + 1):
            principal = Decimal(0) if number <= grace else (balance if number == n else share)
            rows.append((principal, contract - interest * (n - 1) if number == n else interest))
            balance -= principal
        return rows
    annuity = amount / repaying if rate == 0 else amount * rate / (1 - (1 + rate) ** -repaying)
    for number in range(1, n + 1):
        interest = money(balance * rate)
        if number <= grace:
            principal = Decimal(0)
        elif number == n:
            principal = balance
        else:
            principal = min(balance, money(annuity) - interest)
        rows.append((principal, interest))
        balance -= principal
    return rows


def schedule_of(terms: Terms) -> tuple[Decimal, dict[str, Decimal], list[Instalment]]:
    """The amount the client receives, what is taken up front, and every instalment."""
    upfront = {
        "fee": terms.part(terms.upfront_fee, terms.upfront_fee_kind),
        "savings": terms.part(terms.upfront_savings, terms.upfront_savings_kind),
        "insurance": terms.part(terms.upfront_insurance, terms.upfront_insurance_kind),
    }
    received = money(terms.amount) - sum(upfront.values(), Decimal(0))
    fee = terms.part(terms.periodic_fee, terms.periodic_fee_kind)
    insurance = terms.part(terms.periodic_insurance, terms.periodic_insurance_kind)
    saving = money(terms.periodic_savings)
    savings_rate = terms.savings_rate / 100 / terms.periods_per_year
    months = terms.term if terms.frequency == "maturity" else 1  # periods of a payment at maturity
    saved = upfront["savings"]
    earned = Decimal(0)
    balance = money(terms.amount)
    rows = []
    parts = _principal_and_interest(terms)
    for number, (principal, interest) in enumerate(parts, start=1):
        earned += saved * savings_rate * months
        saved += saving
        balance -= principal
        rows.append(
            Instalment(
                number=number,
                principal=principal,
                interest=interest,
                tax=money(interest * terms.tax_on_interest / 100),
                fee=fee,
                savings=saving,
                insurance=insurance,
                balance=balance,
            )
        )
    rows[-1].returned = money(saved + earned)
    return received, upfront, rows


def _sign_changes(flows: list[float]) -> int:
    signs = [flow > 0 for flow in flows if flow != 0]
    return sum(1 for a, b in zip(signs, signs[1:], strict=False) if a != b)


def cost_of(terms: Terms) -> Cost:
    """Validate the terms, build the schedule and find the client's rate (see the module's docstring)."""
    validate(terms)
    received, upfront, rows = schedule_of(terms)
    if terms.frequency == "maturity":
        # one payment after `term` months: monthly periods, nothing paid before the end
        flows = [float(received)] + [0.0] * (terms.term - 1) + [-float(rows[0].net)]
    else:
        flows = [float(received)] + [-float(row.net) for row in rows]
    notes = []
    changes = _sign_changes(flows)
    rate = float(numpy_financial.irr(flows)) if changes else float("nan")
    if changes == 0 or rate != rate:  # nan
        rate = None
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
    per_year = terms.periods_per_year
    paid = sum((row.net for row in rows), Decimal(0))
    savings_paid = upfront["savings"] + sum((row.savings for row in rows), Decimal(0))
    breakdown = {
        "principal": money(terms.amount),
        "interest": sum((row.interest for row in rows), Decimal(0)),
        "tax": sum((row.tax for row in rows), Decimal(0)),
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
    )
