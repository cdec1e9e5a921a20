"""The terms of a loan product as its lender quotes them, and the closed lists they choose from.

`Terms` is what a product variant (`pilots.models.ProductTerms.terms`) and the calculator's
query string both become; `pilots.pricing.cost` prices it. The conversions every other
module needs live here too: the quoted rate as a rate per instalment period, the length of
a period in days and of the first, possibly broken, period in periods.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")  # every currency the portal knows (USD, EUR, PEN, INR, RUB) has cents
PERIODS_PER_YEAR = {
    "daily": 365,
    "weekly": 52,
    "fortnightly": 26,
    "four_weekly": 13,
    "monthly": 12,
    "quarterly": 4,
    "maturity": 12,
}
FREQUENCIES = tuple(PERIODS_PER_YEAR)
METHODS = ("flat", "declining")
RATE_PER = ("period", "month", "year", "term")  # what the quoted rate is a rate per
GRACE_KINDS = ("interest", "capitalised", "none")  # during grace: interest paid / added to the balance / none
AMOUNT_KINDS = ("fixed", "percent")  # up-front fee, savings, premium: fixed or % of the amount lent
PERIODIC_KINDS = ("fixed", "percent", "balance")  # per instalment: fixed, % of the amount lent, % of the balance owed
SAVINGS_KINDS = ("fixed", "instalment")  # compulsory savings per instalment: fixed or % of principal + interest
LATE_FEE_KINDS = ("fixed", "instalment", "principal", "balance")  # % of the overdue instalment/principal, whole balance
PREPAYMENT_KINDS = ("fixed", "prepaid")  # fixed or % of the principal repaid early
# Bounds of what can be a real product (beyond them the input is a typing mistake)
MAX_TERM = {
    "daily": 730,
    "weekly": 520,
    "fortnightly": 260,
    "four_weekly": 130,
    "monthly": 360,
    "quarterly": 120,
    "maturity": 120,
}
MAX_NOMINAL_RATE = Decimal(300)  # % a year: rate per period × periods a year
MAX_AMOUNT = Decimal("1000000000")
MAX_FIRST_PAYMENT_DAYS = 366


def money(value) -> Decimal:
    """An amount rounded to the cent, halves up (10.625 → 10.63)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Terms:
    amount: Decimal
    term: int
    frequency: str = "monthly"
    method: str = "declining"
    rate: Decimal = Decimal(0)  # % per `rate_per`
    rate_per: str = "period"  # the quote: % per instalment period, per month, per year, for the whole term
    interest_upfront: bool = False  # flat interest deducted from the amount disbursed (a discounted loan)
    grace: int = 0
    grace_kind: str = "interest"  # during the grace instalments: interest paid, capitalised, or none at all
    first_payment_days: int = 0  # days from disbursement to the first instalment; 0: one regular period
    balloon: Decimal = Decimal(0)  # % of the amount lent repaid with the last instalment
    upfront_fee: Decimal = Decimal(0)
    upfront_fee_kind: str = "percent"
    periodic_fee: Decimal = Decimal(0)
    periodic_fee_kind: str = "fixed"
    upfront_savings: Decimal = Decimal(0)
    upfront_savings_kind: str = "percent"
    periodic_savings: Decimal = Decimal(0)  # per instalment
    periodic_savings_kind: str = "fixed"  # fixed or % of the instalment (principal + interest)
    savings_rate: Decimal = Decimal(0)  # % a year paid on compulsory savings
    upfront_insurance: Decimal = Decimal(0)
    upfront_insurance_kind: str = "fixed"
    periodic_insurance: Decimal = Decimal(0)
    periodic_insurance_kind: str = "fixed"
    tax_on_interest: Decimal = Decimal(0)  # % of the interest
    tax_on_fees: Decimal = Decimal(0)  # % of every fee (IVA)
    tax_on_insurance: Decimal = Decimal(0)  # % of every premium
    late_fee: Decimal = Decimal(0)  # charged for each period an instalment is late (not in the APR: 6C signs)
    late_fee_kind: str = "fixed"  # fixed, % of the overdue instalment, of the overdue principal, of the whole balance
    prepayment_fee: Decimal = Decimal(0)  # charged when the loan is repaid early (not in the APR: 6C signs)
    prepayment_fee_kind: str = "fixed"  # fixed or % of the principal repaid early

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

    @property
    def rate_per_period(self) -> Decimal:
        """The quoted rate as % per instalment period (per month at maturity).

        3 % a month paid weekly is 3 × 12 / 52 = 0.6923 % a week; 24 % a year paid
        quarterly is 6 % a quarter; "15 % for the cycle" of 16 weekly instalments is
        0.9375 % a week (at maturity, the cycle is `term` months)."""
        rate = self.rate or Decimal(0)
        if self.rate_per == "month":
            return rate * 12 / self.periods_per_year
        if self.rate_per == "year":
            return rate / self.periods_per_year
        if self.rate_per == "term" and self.term:
            return rate / self.term
        return rate

    @property
    def period_days(self) -> Decimal:
        """The length of an instalment period in days: 365 / periods a year."""
        return Decimal(365) / self.periods_per_year

    @property
    def first_period(self) -> Decimal:
        """From disbursement to the first instalment, in periods (1 unless offset):
        45 days before a first monthly instalment is 45 / (365 / 12) = 1.4795 periods."""
        if not self.first_payment_days or self.frequency == "maturity":
            return Decimal(1)
        return Decimal(self.first_payment_days) / self.period_days

    def part(self, value: Decimal, kind: str) -> Decimal:
        """A fee, saving or premium in money: fixed, or a % of the amount lent."""
        return money(self.amount * value / 100) if kind == "percent" else money(value)
