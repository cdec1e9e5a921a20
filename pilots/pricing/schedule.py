"""The repayment schedule of a loan: what is taken up front, and every instalment.

The rules are stated in `pilots.pricing.cost`'s docstring and docs/pricing.md; each
function here names the part of them it carries out. Every amount is rounded to the cent
(halves up); the last instalment clears what rounding left, of principal and of flat
interest, so that the schedule's totals are the contract's.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .terms import Terms, money

ZERO = Decimal(0)


@dataclass
class Instalment:
    number: int
    principal: Decimal  # negative when unpaid interest (and its tax) is added to the balance
    interest: Decimal
    tax: Decimal  # the whole tax of the instalment: on its interest, fee and premium
    fee: Decimal
    savings: Decimal
    insurance: Decimal
    balance: Decimal
    returned: Decimal = ZERO  # compulsory savings given back (last instalment)

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest + self.tax + self.fee + self.savings + self.insurance

    @property
    def net(self) -> Decimal:
        """What the client pays this time, less what comes back to it."""
        return self.payment - self.returned


# One instalment of the loan itself: (principal, interest, whether the client pays anything)
LoanRow = tuple[Decimal, Decimal, bool]


def _grace_row(terms: Terms, interest: Decimal) -> LoanRow:
    """An instalment of the grace period: interest paid; or nothing paid and the interest with
    its tax added to the balance (a negative principal); or nothing at all."""
    if terms.grace_kind == "none":
        return ZERO, ZERO, False
    if terms.grace_kind == "capitalised":
        return -(interest + money(interest * terms.tax_on_interest / 100)), interest, False
    return ZERO, interest, True


def _annuity(balance: Decimal, rate: Decimal, repaying: int, first: Decimal, residual: Decimal) -> Decimal:
    """The equal instalment of principal + interest that repays `balance` down to `residual`
    (the balloon) over `repaying` instalments, the first of which comes after `first` periods
    with simple interest for that broken period:
    A = (balance × (1 + r × first) − residual × v^(n−1)) / (1 + a(n−1)), a(k) = (1 − v^k) / r;
    for a regular first period, the textbook (balance − residual × v^n) × r / (1 − v^n)."""
    if rate == 0:
        return (balance - residual) / repaying
    if first == 1:
        return (balance - residual * (1 + rate) ** -repaying) * rate / (1 - (1 + rate) ** -repaying)
    later = (1 - (1 + rate) ** -(repaying - 1)) / rate
    return (balance * (1 + rate * first) - residual * (1 + rate) ** -(repaying - 1)) / (1 + later)


def split(total: Decimal, count: int, each: Decimal) -> list[Decimal]:
    """`total` in `count` instalments of `each` (already rounded to the cent), the last one
    taking what is left: 127.50 of interest in 12 of 10.63 is 11 × 10.63 + 10.57. When the
    rounding would leave the last one less than nothing (a tiny amount over hundreds of daily
    instalments), the cents are spread instead: the k-th carries round(k × total / count) −
    round((k − 1) × total / count), so that no instalment is negative and the total holds."""
    last = total - each * (count - 1)
    if last >= 0:
        return [each] * (count - 1) + [last]
    marks = [money(total * k / count) for k in range(count + 1)]
    return [high - low for low, high in zip(marks, marks[1:], strict=False)]


def _flat_rows(terms: Terms, amount: Decimal, rate: Decimal, balloon: Decimal) -> tuple[Decimal, list[LoanRow]]:
    """Flat interest: `rate` of the amount lent on every instalment that bears interest (all but
    the grace instalments of a grace with no interest), rounded to the cent, the last one taking
    what is left of the contract's interest. Principal in equal parts over the instalments after
    the grace period, with the capitalised interest, less the balloon (added to the last)."""
    n, grace = terms.instalments, terms.grace
    charged = n - (grace if terms.grace_kind == "none" else 0)
    contract = money(amount * rate * charged)
    if terms.interest_upfront:  # all of it taken from the amount disbursed
        interests = [ZERO] * n
    else:
        interests = split(contract, charged, money(amount * rate))
        if terms.grace_kind == "none":
            interests = [ZERO] * grace + interests
    rows: list[LoanRow] = [_grace_row(terms, interests[number]) for number in range(grace)]
    owed = amount - sum((row[0] for row in rows), ZERO)  # with what was capitalised
    repaying = n - grace
    principals = split(owed - balloon, repaying, money((owed - balloon) / repaying))
    principals[-1] += balloon
    rows += [(principal, interest, True) for principal, interest in zip(principals, interests[grace:], strict=True)]
    return contract if terms.interest_upfront else ZERO, rows


def _declining_rows(terms: Terms, amount: Decimal, rate: Decimal, balloon: Decimal) -> list[LoanRow]:
    """Interest on the balance owed (the first instalment's for its broken period, simple
    interest); after the grace period, equal instalments that leave the balloon to the last (an
    instalment pays at least its interest: only a capitalised grace adds to the balance)."""
    n, grace = terms.instalments, terms.grace
    first = terms.first_period
    rows: list[LoanRow] = []
    balance = amount
    for number in range(1, grace + 1):
        row = _grace_row(terms, money(balance * rate * (first if number == 1 else 1)))
        rows.append(row)
        balance -= row[0]
    annuity = money(_annuity(balance, rate, n - grace, first if grace == 0 else Decimal(1), balloon))
    for number in range(grace + 1, n + 1):
        interest = money(balance * rate * (first if number == 1 else 1))
        principal = balance if number == n else min(balance, max(ZERO, annuity - interest))
        rows.append((principal, interest, True))
        balance -= principal
    return rows


def loan_rows(terms: Terms) -> tuple[Decimal, list[LoanRow]]:
    """The interest deducted up front (0 unless a discounted loan) and the loan's own instalments."""
    amount = money(terms.amount)
    rate = terms.rate_per_period / 100
    balloon = money(amount * terms.balloon / 100)
    if terms.frequency == "maturity":  # one payment after `term` months, simple interest
        interest = money(amount * rate * terms.term)
        if terms.interest_upfront:
            return interest, [(amount, ZERO, True)]
        return ZERO, [(amount, interest, True)]
    if terms.method == "flat":
        return _flat_rows(terms, amount, rate, balloon)
    return ZERO, _declining_rows(terms, amount, rate, balloon)


def _periodic(terms: Terms, value: Decimal, kind: str, balance: Decimal) -> Decimal:
    """A fee or premium per instalment: fixed, % of the amount lent, or % of the balance owed
    before the instalment."""
    if kind == "percent":
        return money(terms.amount * value / 100)
    if kind == "balance":
        return money(balance * value / 100)
    return money(value)


def schedule_of(terms: Terms) -> tuple[Decimal, dict[str, Decimal], list[Instalment]]:
    """The amount the client receives, what is taken up front (fee, savings, insurance, interest
    of a discounted loan, tax on them), and every instalment."""
    upfront_interest, parts = loan_rows(terms)
    upfront = {
        "fee": terms.part(terms.upfront_fee, terms.upfront_fee_kind),
        "savings": terms.part(terms.upfront_savings, terms.upfront_savings_kind),
        "insurance": terms.part(terms.upfront_insurance, terms.upfront_insurance_kind),
        "interest": upfront_interest,
    }
    upfront["tax"] = (
        money(upfront["fee"] * terms.tax_on_fees / 100)
        + money(upfront["insurance"] * terms.tax_on_insurance / 100)
        + money(upfront_interest * terms.tax_on_interest / 100)
    )
    received = money(terms.amount) - sum(upfront.values(), ZERO)
    savings_rate = terms.savings_rate / 100 / terms.periods_per_year
    months = terms.term if terms.frequency == "maturity" else 1  # periods of a payment at maturity
    saved, earned = upfront["savings"], ZERO
    balance = money(terms.amount)
    rows = []
    for number, (principal, interest, paid) in enumerate(parts, start=1):
        fee = _periodic(terms, terms.periodic_fee, terms.periodic_fee_kind, balance) if paid else ZERO
        insurance = _periodic(terms, terms.periodic_insurance, terms.periodic_insurance_kind, balance) if paid else ZERO
        if not paid:
            saving = ZERO
        elif terms.periodic_savings_kind == "instalment":
            saving = money((principal + interest) * terms.periodic_savings / 100)
        else:
            saving = money(terms.periodic_savings)
        earned += saved * savings_rate * months * (terms.first_period if number == 1 else 1)
        saved += saving
        balance -= principal
        tax = (
            money(interest * terms.tax_on_interest / 100)
            + money(fee * terms.tax_on_fees / 100)
            + money(insurance * terms.tax_on_insurance / 100)
        )
        rows.append(
            Instalment(
                number=number,
                principal=principal,
                interest=interest,
                tax=tax,
                fee=fee,
                savings=saving,
                insurance=insurance,
                balance=balance,
            )
        )
    rows[-1].returned = money(saved + earned)
    return received, upfront, rows
