"""The ten performance ratios the portal computes from a member's semiannual figures, one
formula each, with its source.

The definitions are the industry's standard ones: the Microfinance Handbook's chapter 9
("Performance indicators", Ledgerwood, World Bank 1999), the MicroBanking Bulletin's
(MIX) and the SEEP Network's Microfinance Financial Reporting Standards. Where the portal
simplifies (a figure at the semester's end instead of an average), the formula says so.

Rules shared by every ratio:

- Percentages are in percent: 5.00 means 5.00 %. Every ratio is rounded to 2 places,
  halves up (ROUND_HALF_UP), only at the end.
- A semester's flow (write-offs, revenue, expense, income) over a stock is annualised by
  multiplying by 2, so that a semester compares with the published annual ratios:
  write-off ratio, loan-loss expense ratio, operating expense ratio, cost per borrower,
  portfolio yield, ROA, ROE.
  PAR30 (a stock over a stock), OSS (a flow over flows) and borrowers per loan officer
  (a count over a count) are not.
- The average gross loan portfolio is (start + end) / 2.
- A ratio is None (shown as "not available") when one of its figures is missing, or when
  its denominator is zero or negative, where the ratio means nothing (no loan officers,
  no equity). A negative numerator is kept: a loss gives a negative ROA.

Worked example (docs/benchmarking.md; tests/pilots/test_benchmarking_ratios.py repeats it):
gross portfolio 1,800,000 at the start and 2,200,000 at the end (average 2,000,000),
PAR>30 110,000, write-offs 20,000, 8,000 borrowers, 40 officers, loan revenue 300,000,
financial expense 60,000, provision 30,000, operating expense 180,000, average assets
2,500,000, average equity 500,000, net operating income 25,000 → PAR30 5.00 %, write-off
ratio 2.00 %, loan-loss expense ratio 3.00 % (30,000 ÷ 2,000,000 × 2), OSS 111.11 %,
OER 18.00 %, cost per borrower 45.00, borrowers per officer 200.00, portfolio yield
30.00 %, ROA 2.00 %, ROE 10.00 %.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
SEMESTERS_PER_YEAR = Decimal(2)
CENT = Decimal("0.01")

HANDBOOK = "Microfinance Handbook, ch. 9 (Ledgerwood, World Bank 1999)"
SEEP = "SEEP Network, Microfinance Financial Reporting Standards"
MBB = "MicroBanking Bulletin (MIX)"


@dataclass(frozen=True)
class Ratio:
    """One ratio as pages, the bulletin and the peer groups show it.

    `unit`: "percent" (in percent), "money" (US dollars) or "count"; `better`: "higher",
    "lower", or None where neither is better in itself (a portfolio yield high enough to
    cover costs but not so high that clients overpay); `formula`, for readers, with its
    annualisation; `source`, where the definition comes from."""

    key: str
    label: Promise | str
    unit: str
    better: str | None
    formula: Promise | str
    source: str


RATIOS: tuple[Ratio, ...] = (
    Ratio(
        "par30",
        _("Portfolio at risk > 30 days (PAR30)"),
        "percent",
        "lower",
        _("Portfolio at risk > 30 days ÷ gross loan portfolio at the end × 100"),
        f"{HANDBOOK}; {SEEP} (portfolio at risk ratio); {MBB}",
    ),
    Ratio(
        "write_off_ratio",
        _("Write-off ratio"),
        "percent",
        "lower",
        _("Write-offs ÷ average gross loan portfolio × 2 (annualised) × 100"),
        f"{SEEP} (write-off ratio); {MBB}",
    ),
    Ratio(
        "loan_loss_ratio",
        _("Loan-loss expense ratio"),
        "percent",
        "lower",
        _("Loan-loss provision expense ÷ average gross loan portfolio × 2 (annualised) × 100"),
        f"{SEEP} (loan loss provision expense ratio); {MBB}",
    ),
    Ratio(
        "oss",
        _("Operational self-sufficiency (OSS)"),
        "percent",
        "higher",
        _("Financial revenue from loans ÷ (financial expense + loan-loss provision expense + operating expense) × 100"),
        f"{HANDBOOK}; {SEEP} (operational self-sufficiency, with revenue from loans only)",
    ),
    Ratio(
        "operating_expense_ratio",
        _("Operating expense ratio"),
        "percent",
        "lower",
        _("Operating expense ÷ average gross loan portfolio × 2 (annualised) × 100"),
        f"{HANDBOOK}; {SEEP} (operating expense ratio); {MBB}",
    ),
    Ratio(
        "cost_per_borrower",
        _("Cost per borrower"),
        "money",
        "lower",
        _("Operating expense ÷ active borrowers at the end × 2 (annualised), in US dollars"),
        f"{HANDBOOK}; {SEEP} (cost per client, with borrowers at the end instead of the average)",
    ),
    Ratio(
        "borrowers_per_officer",
        _("Borrowers per loan officer"),
        "count",
        "higher",
        _("Active borrowers ÷ loan officers, both at the end"),
        f"{HANDBOOK}; {SEEP} (borrowers per loan officer); {MBB}",
    ),
    Ratio(
        "portfolio_yield",
        _("Portfolio yield"),
        "percent",
        None,
        _("Financial revenue from loans ÷ average gross loan portfolio × 2 (annualised) × 100"),
        f"{HANDBOOK}; {SEEP} (yield on gross portfolio, nominal); {MBB}",
    ),
    Ratio(
        "roa",
        _("Return on assets (ROA)"),
        "percent",
        "higher",
        _("Net operating income ÷ average assets × 2 (annualised) × 100"),
        f"{HANDBOOK}; {SEEP} (return on assets); {MBB}",
    ),
    Ratio(
        "roe",
        _("Return on equity (ROE)"),
        "percent",
        "higher",
        _("Net operating income ÷ average equity × 2 (annualised) × 100"),
        f"{HANDBOOK}; {SEEP} (return on equity); {MBB}",
    ),
)
RATIO_BY_KEY: dict[str, Ratio] = {ratio.key: ratio for ratio in RATIOS}
RATIO_KEYS: tuple[str, ...] = tuple(RATIO_BY_KEY)
ANNUALISED = frozenset(
    {
        "write_off_ratio",
        "loan_loss_ratio",
        "operating_expense_ratio",
        "cost_per_borrower",
        "portfolio_yield",
        "roa",
        "roe",
    }
)


def _quotient(numerator, denominator) -> Decimal | None:
    """numerator ÷ denominator, or None when a figure is missing or the denominator is not positive."""
    if numerator is None or denominator is None:
        return None
    denominator = Decimal(denominator)
    if denominator <= 0:
        return None
    return Decimal(numerator) / denominator


def _sum(*values) -> Decimal | None:
    """The sum of the figures, or None when one is missing."""
    if any(value is None for value in values):
        return None
    return sum((Decimal(value) for value in values), Decimal(0))


def average_portfolio(figures: dict) -> Decimal | None:
    """(gross loan portfolio at the start + at the end) ÷ 2, or None when one is missing."""
    both = _sum(figures.get("gross_portfolio_start"), figures.get("gross_portfolio_end"))
    return None if both is None else both / 2


_FORMULAS: dict[str, Callable[[dict, Decimal | None], Decimal | None]] = {
    # (figures, average gross portfolio) -> the unrounded ratio, before × 100 and × 2
    "par30": lambda f, avg: _quotient(f.get("portfolio_at_risk_30"), f.get("gross_portfolio_end")),
    "write_off_ratio": lambda f, avg: _quotient(f.get("write_offs"), avg),
    "loan_loss_ratio": lambda f, avg: _quotient(f.get("loan_loss_provision"), avg),
    "oss": lambda f, avg: _quotient(
        f.get("loan_revenue"),
        _sum(f.get("financial_expense"), f.get("loan_loss_provision"), f.get("operating_expense")),
    ),
    "operating_expense_ratio": lambda f, avg: _quotient(f.get("operating_expense"), avg),
    "cost_per_borrower": lambda f, avg: _quotient(f.get("operating_expense"), f.get("active_borrowers")),
    "borrowers_per_officer": lambda f, avg: _quotient(f.get("active_borrowers"), f.get("loan_officers")),
    "portfolio_yield": lambda f, avg: _quotient(f.get("loan_revenue"), avg),
    "roa": lambda f, avg: _quotient(f.get("net_operating_income"), f.get("average_assets")),
    "roe": lambda f, avg: _quotient(f.get("net_operating_income"), f.get("average_equity")),
}


def ratio_of(key: str, figures: dict) -> Decimal | None:
    """One ratio of a report's figures (`FinancialReport.figures()`), rounded to 2 places."""
    ratio = RATIO_BY_KEY[key]
    value = _FORMULAS[key](figures, average_portfolio(figures))
    if value is None:
        return None
    if key in ANNUALISED:
        value *= SEMESTERS_PER_YEAR
    if ratio.unit == "percent":
        value *= HUNDRED
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def ratios_of(figures: dict) -> dict[str, Decimal | None]:
    """Every ratio of a report's figures by key, in display order (None where not available)."""
    return {ratio.key: ratio_of(ratio.key, figures) for ratio in RATIOS}
