"""What the APR is made of: how much of a loan's APR is interest, fees, insurance, tax and
the effect of compulsory savings — what clients and regulators ask when one number is not
enough (issue 27).

**The components, in this order**: interest, fees, insurance, tax, savings (the savings'
effect: money the client pays in but cannot use until the end, less the interest it earns).
A component the terms do not have is left out; interest is always the first line (an
interest-free product shows 0.00).

**Each component's numbers** (APRs by the IRR method of `pilots.pricing.cost.cost_of`):

- `apr_with`: the APR of the loan with this component and the ones before it in the order,
  everything after it taken out (the first line is the loan with interest alone);
- `contribution`: `apr_with` less the `apr_with` of the line before (interest's is its
  `apr_with`). The contributions add up *exactly* to the loan's APR: the sum telescopes,
  and every APR is first rounded to 0.01 percentage points as the page shows it, so the
  column adds up to the last digit shown;
- `apr_without`: the APR of the whole loan with only this component taken out;
  `alone` = APR − `apr_without` is what this component alone adds on top of all the others.
  These do *not* add up to the APR: costs compound (a fee taken up front is charged on
  money that also bears interest), so a component adds more on top of the others than on
  top of interest alone.

Taking a component out means setting its terms to zero: interest → `rate` 0 and no
interest deducted up front; fees → `upfront_fee`, `periodic_fee`; insurance →
`upfront_insurance`, `periodic_insurance`; tax → `tax_on_interest`, `tax_on_fees`,
`tax_on_insurance`; savings → `upfront_savings`, `periodic_savings`, `savings_rate`.
When one of the loans along the way has no rate (its cash flows never balance), the APR
cannot be split and the breakdown gives the reason instead of numbers.

**Worked example** (tests/pilots/test_pricing_breakdown.py, docs/pricing.md): 1,000 over 12
months at 3 % a month on the declining balance, a 2 % fee and 10 % compulsory savings taken
up front, APR 48.10 %:

| component | apr_with | contribution | apr_without | alone |
|---|---|---|---|---|
| interest | 36.00 | 36.00 | 4.60 | 43.50 |
| fees | 40.08 | 4.08 | 43.13 | 4.97 |
| savings | 48.10 | 8.02 | 40.08 | 8.02 |

36.00 + 4.08 + 8.02 = 48.10. By hand: with interest and the fee, the client receives 980 and
pays 100.46 eleven times and 100.51 → 3.340 % a month, APR 40.08 %; the savings take the 980
down to 880 and give 100 back with the last instalment → APR 48.10 %. The fee alone adds 4.97
on top of the savings, but 4.08 on top of interest alone (the 20 are a larger share of the 880
the client can use than of 980): 43.50 + 4.97 + 8.02 = 56.49, not 48.10.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .cost import Cost, Terms, cost_of

HUNDREDTH = Decimal("0.01")  # percentage points, as the page shows an APR
ZERO = Decimal(0)
ORDER = ("interest", "fees", "insurance", "tax", "savings")
# What taking a component out of the terms sets to zero.
STRIPPED = {
    "interest": {"rate": ZERO, "interest_upfront": False},
    "fees": {"upfront_fee": ZERO, "periodic_fee": ZERO},
    "insurance": {"upfront_insurance": ZERO, "periodic_insurance": ZERO},
    "tax": {"tax_on_interest": ZERO, "tax_on_fees": ZERO, "tax_on_insurance": ZERO},
    "savings": {"upfront_savings": ZERO, "periodic_savings": ZERO, "savings_rate": ZERO},
}
# The terms that make a component present (savings earning interest without any savings is no saving).
PRESENT_IF = {
    "fees": ("upfront_fee", "periodic_fee"),
    "insurance": ("upfront_insurance", "periodic_insurance"),
    "tax": ("tax_on_interest", "tax_on_fees", "tax_on_insurance"),
    "savings": ("upfront_savings", "periodic_savings"),
}


def component_labels() -> dict[str, str]:
    return {
        "interest": _("Interest"),
        "fees": _("Fees"),
        "insurance": _("Insurance"),
        "tax": _("Tax"),
        "savings": _("Compulsory savings' effect"),
    }


def rounded(apr: float) -> Decimal:
    """An APR to 0.01 percentage points, half up, as the page writes it (48.095… → 48.10)."""
    value = Decimal(repr(float(apr))).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return value if value else abs(value)  # 0.00, never −0.00


@dataclass(frozen=True)
class Component:
    code: str  # interest, fees, insurance, tax, savings
    apr_with: Decimal  # % a year: with this component and the ones before it
    contribution: Decimal  # percentage points it adds to the line before
    apr_without: Decimal | None  # % a year: the whole loan without this component alone
    alone: Decimal | None  # percentage points: APR − apr_without

    @property
    def label(self) -> str:
        return component_labels()[self.code]

    @property
    def lowers(self) -> bool:
        """Whether it lowers the APR (savings earning more than the loan costs can)."""
        return self.contribution < 0

    @property
    def size(self) -> Decimal:
        """The contribution without its sign, for "36.00 − 1.20" in a sentence."""
        return abs(self.contribution)


@dataclass(frozen=True)
class Breakdown:
    """The components of one loan's APR, or why its APR cannot be split (`reason`)."""

    apr: Decimal | None  # the loan's APR, to 0.01 percentage points
    components: list[Component] | None
    reason: str = ""

    @property
    def total(self) -> Decimal:
        """The contributions added up: the APR, to the last digit."""
        return sum((c.contribution for c in self.components or []), ZERO)


def stripped(terms: Terms, *codes: str) -> Terms:
    """The terms with the components `codes` taken out."""
    changes = {}
    for code in codes:
        changes.update(STRIPPED[code])
    return replace(terms, **changes)


def present(terms: Terms) -> list[str]:
    """The components the terms have, in the order; interest always."""
    return [code for code in ORDER if code == "interest" or any(getattr(terms, name) for name in PRESENT_IF[code])]


class _NoRate(Exception):
    pass


def apr_breakdown(terms: Terms, *, cost: Cost | None = None) -> Breakdown:
    """The APR of `terms` split into its components (see the module's docstring). `cost`, when
    given, is `cost_of(terms)` already computed."""
    aprs: dict[Terms, float | None] = {}

    def apr_of(these: Terms, *, required: bool) -> float | None:
        if these not in aprs:
            try:
                aprs[these] = (cost if these == terms and cost is not None else cost_of(these)).apr
            except ValidationError as error:
                aprs[these] = None
                if required:
                    raise _NoRate(" ".join(error.messages)) from error
        if aprs[these] is None and required:
            raise _NoRate(_("their cash flows never balance"))
        return aprs[these]

    codes = present(terms)
    try:
        apr = rounded(apr_of(terms, required=True))
        components, before = [], ZERO
        for number, code in enumerate(codes):
            # everything after this line taken out: the last line is the loan itself
            apr_with = rounded(apr_of(stripped(terms, *codes[number + 1 :]), required=True))
            without = apr_of(stripped(terms, code), required=False)
            apr_without = None if without is None else rounded(without)
            components.append(
                Component(
                    code=code,
                    apr_with=apr_with,
                    contribution=apr_with - before,
                    apr_without=apr_without,
                    alone=None if apr_without is None else apr - apr_without,
                )
            )
            before = apr_with
    except _NoRate as why:
        return Breakdown(
            apr=None,
            components=None,
            reason=_("The APR cannot be split into its components: a loan along the way has no rate (%(why)s).")
            % {"why": why},
        )
    return Breakdown(apr=apr, components=components)


def breakdown(terms: Terms) -> list[Component] | None:
    """The components of the APR of `terms`, in the order; None when it cannot be split
    (`apr_breakdown(terms).reason` says why)."""
    return apr_breakdown(terms).components


def breakdown_of(priced) -> Breakdown | None:
    """The breakdown of a priced product variant (`pilots.pricing.signs.PricedVariant`); None
    when the variant could not be priced."""
    if priced.cost is None:
        return None
    return apr_breakdown(priced.cost.terms, cost=priced.cost)
