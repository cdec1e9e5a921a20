"""The nine benchmarking ratios, checked against the worked example of docs/benchmarking.md,
computed by hand below, not by the code under test."""

from decimal import Decimal

import pytest

from pilots.benchmarking.ratios import RATIO_BY_KEY, RATIOS, ratios_of
from pilots.models import FIGURE_NAMES

# One institution's semester, as docs/benchmarking.md writes it out
EXAMPLE = {
    "gross_portfolio_start": Decimal("1800000.00"),
    "gross_portfolio_end": Decimal("2200000.00"),
    "portfolio_at_risk_30": Decimal("110000.00"),
    "write_offs": Decimal("20000.00"),
    "active_borrowers": 8000,
    "loan_officers": 40,
    "loan_revenue": Decimal("300000.00"),
    "financial_expense": Decimal("60000.00"),
    "loan_loss_provision": Decimal("30000.00"),
    "operating_expense": Decimal("180000.00"),
    "average_assets": Decimal("2500000.00"),
    "average_equity": Decimal("500000.00"),
    "net_operating_income": Decimal("25000.00"),
}

# By hand: average portfolio = (1,800,000 + 2,200,000) / 2 = 2,000,000
WORKED = {
    "par30": Decimal("5.00"),  # 110,000 / 2,200,000 = 5 %
    "write_off_ratio": Decimal("2.00"),  # 20,000 / 2,000,000 = 1 % a semester, × 2
    "loan_loss_ratio": Decimal("3.00"),  # 30,000 / 2,000,000 = 1.5 % a semester, × 2
    "oss": Decimal("111.11"),  # 300,000 / (60,000 + 30,000 + 180,000) = 300 / 270 = 111.111 %
    "operating_expense_ratio": Decimal("18.00"),  # 180,000 / 2,000,000 = 9 %, × 2
    "cost_per_borrower": Decimal("45.00"),  # 180,000 / 8,000 = 22.50 USD, × 2
    "borrowers_per_officer": Decimal("200.00"),  # 8,000 / 40
    "portfolio_yield": Decimal("30.00"),  # 300,000 / 2,000,000 = 15 %, × 2
    "roa": Decimal("2.00"),  # 25,000 / 2,500,000 = 1 %, × 2
    "roe": Decimal("10.00"),  # 25,000 / 500,000 = 5 %, × 2
}


def test_the_worked_example_to_the_cent():
    assert ratios_of(EXAMPLE) == WORKED


def test_ratios_come_in_display_order_with_their_unit_and_direction():
    assert [r.key for r in RATIOS] == list(WORKED)
    assert list(ratios_of(EXAMPLE)) == list(WORKED)
    assert {r.unit for r in RATIOS} <= {"percent", "money", "count"}
    assert RATIO_BY_KEY["par30"].better == "lower"
    assert RATIO_BY_KEY["oss"].better == "higher"
    assert RATIO_BY_KEY["cost_per_borrower"].unit == "money"
    assert RATIO_BY_KEY["borrowers_per_officer"].unit == "count"
    assert all(r.source and str(r.formula) and str(r.label) for r in RATIOS)


def test_only_flows_over_stocks_are_annualised():
    """Halving every flow halves the annualised ratios; PAR30 (stocks), OSS (flows over
    flows) and borrowers per officer (counts) do not move."""
    flows = ("write_offs", "loan_revenue", "financial_expense", "loan_loss_provision", "operating_expense")
    half = {**EXAMPLE, **{name: EXAMPLE[name] / 2 for name in flows}, "net_operating_income": Decimal("12500")}
    assert ratios_of(half) == {
        "par30": Decimal("5.00"),
        "write_off_ratio": Decimal("1.00"),  # 10,000 / 2,000,000 × 2
        "loan_loss_ratio": Decimal("1.50"),  # 15,000 / 2,000,000 × 2
        "oss": Decimal("111.11"),  # 150,000 / 135,000
        "operating_expense_ratio": Decimal("9.00"),  # 90,000 / 2,000,000 × 2
        "cost_per_borrower": Decimal("22.50"),  # 90,000 / 8,000 × 2
        "borrowers_per_officer": Decimal("200.00"),
        "portfolio_yield": Decimal("15.00"),  # 150,000 / 2,000,000 × 2
        "roa": Decimal("1.00"),  # 12,500 / 2,500,000 × 2
        "roe": Decimal("5.00"),  # 12,500 / 500,000 × 2
    }


def test_rounding_is_half_up_at_the_end():
    # 1 / 3 borrowers per officer = 0.333… → 0.33; OSS 2 / 3 = 66.666… % → 66.67 %
    figures = {**EXAMPLE, "active_borrowers": 1, "loan_officers": 3}
    figures.update(loan_revenue=Decimal("2"), financial_expense=Decimal("1"), loan_loss_provision=Decimal("1"))
    figures["operating_expense"] = Decimal("1")
    ratios = ratios_of(figures)
    assert ratios["borrowers_per_officer"] == Decimal("0.33")
    assert ratios["oss"] == Decimal("66.67")
    # cost per borrower 1 / 1 × 2 = 2.00; a PAR of 1 / 8 = 12.5 % stays 12.50
    assert ratios["cost_per_borrower"] == Decimal("2.00")
    assert ratios_of({**EXAMPLE, "portfolio_at_risk_30": Decimal("275000")})["par30"] == Decimal("12.50")
    # 0.125 % rounds up to 0.13: PAR 2,750 of 2,200,000
    assert ratios_of({**EXAMPLE, "portfolio_at_risk_30": Decimal("2750")})["par30"] == Decimal("0.13")


def test_a_loss_gives_negative_returns():
    ratios = ratios_of({**EXAMPLE, "net_operating_income": Decimal("-25000")})
    assert ratios["roa"] == Decimal("-2.00")
    assert ratios["roe"] == Decimal("-10.00")


@pytest.mark.parametrize("name", FIGURE_NAMES)
def test_a_missing_figure_leaves_only_its_ratios_unavailable(name):
    uses = {
        "gross_portfolio_start": {"write_off_ratio", "loan_loss_ratio", "operating_expense_ratio", "portfolio_yield"},
        "gross_portfolio_end": {
            "par30",
            "write_off_ratio",
            "loan_loss_ratio",
            "operating_expense_ratio",
            "portfolio_yield",
        },
        "portfolio_at_risk_30": {"par30"},
        "write_offs": {"write_off_ratio"},
        "active_borrowers": {"cost_per_borrower", "borrowers_per_officer"},
        "loan_officers": {"borrowers_per_officer"},
        "loan_revenue": {"oss", "portfolio_yield"},
        "financial_expense": {"oss"},
        "loan_loss_provision": {"oss", "loan_loss_ratio"},
        "operating_expense": {"oss", "operating_expense_ratio", "cost_per_borrower"},
        "average_assets": {"roa"},
        "average_equity": {"roe"},
        "net_operating_income": {"roa", "roe"},
    }
    ratios = ratios_of({**EXAMPLE, name: None})
    assert {key for key, value in ratios.items() if value is None} == uses[name]
    assert all(ratios[key] == WORKED[key] for key in WORKED if key not in uses[name])


@pytest.mark.parametrize(
    ("changes", "unavailable"),
    [
        ({"gross_portfolio_end": Decimal("0")}, {"par30"}),
        (
            {"gross_portfolio_start": Decimal("0"), "gross_portfolio_end": Decimal("0")},
            {"par30", "write_off_ratio", "loan_loss_ratio", "operating_expense_ratio", "portfolio_yield"},
        ),
        ({"active_borrowers": 0}, {"cost_per_borrower"}),
        ({"loan_officers": 0}, {"borrowers_per_officer"}),
        (
            {"financial_expense": Decimal("0"), "loan_loss_provision": Decimal("0"), "operating_expense": Decimal("0")},
            {"oss"},
        ),
        ({"average_assets": Decimal("0")}, {"roa"}),
        ({"average_equity": Decimal("0")}, {"roe"}),
        ({"average_equity": Decimal("-100000")}, {"roe"}),  # negative equity: ROE means nothing
    ],
)
def test_a_zero_or_negative_denominator_makes_the_ratio_unavailable(changes, unavailable):
    ratios = ratios_of({**EXAMPLE, **changes})
    assert {key for key, value in ratios.items() if value is None} >= unavailable
    assert all(ratios[key] is None for key in unavailable)


def test_no_borrowers_means_zero_per_officer_not_unavailable():
    assert ratios_of({**EXAMPLE, "active_borrowers": 0})["borrowers_per_officer"] == Decimal("0.00")


def test_an_empty_draft_has_no_ratio():
    assert ratios_of({}) == dict.fromkeys(WORKED)
