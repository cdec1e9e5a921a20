"""Every way MFIs quote and charge a loan (issue 27), each against a worked example computed by
hand (docs/pricing.md): the schedule to the cent, the client's cash flows written out, NPV = 0 at
the rate found, and the APR and effective rate to 0.01 percentage points. Then the terms that
cannot be a product, each refused next to its own field."""

import math
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pilots.pricing.cost import Terms, cost_of

D = Decimal
MONTH = 365 / 12  # days in a period of a monthly loan (365 / periods a year)


def npv(rate: float, flows: list[float], times: list[float] | None = None) -> float:
    """Net present value of `flows` at `times` (in periods; 0, 1, 2, ... when not given)."""
    times = range(len(flows)) if times is None else times
    return math.fsum(flow / (1 + rate) ** time for flow, time in zip(flows, times, strict=True))


def payments(cost) -> list[float]:
    """What the client pays at each instalment, less the savings returned."""
    return [float(row.net) for row in cost.schedule]


def check_rates(cost, flows, apr, effective, times=None):
    """The rate found balances the hand-written flows; APR and effective rate to 0.01 pp."""
    assert float(cost.received) == flows[0]
    assert payments(cost) == [-flow for flow in flows[1:]]
    assert npv(cost.periodic_rate, flows, times) == pytest.approx(0, abs=1e-6)
    assert cost.apr == pytest.approx(apr, abs=0.005)
    assert cost.effective == pytest.approx(effective, abs=0.005)


# --- How the rate is quoted ------------------------------------------------------------------


def test_a_flat_rate_per_month_paid_weekly():
    """1,000 over 16 weekly instalments at a flat 3 % a month: 3 × 12 / 52 = 0.6923 % a week,
    6.92 of interest a week (contract 1,000 × 0.6923 % × 16 = 110.77, so the last is 6.97),
    62.50 of principal → [+1,000, −69.42 × 15, −69.47]: 1.2635 % a week, APR 65.70 %."""
    cost = cost_of(Terms(amount=D(1000), term=16, frequency="weekly", method="flat", rate=D(3), rate_per="month"))
    assert [row.interest for row in cost.schedule] == [D("6.92")] * 15 + [D("6.97")]
    assert cost.totals["interest"] == D("110.77") and cost.totals["principal"] == D(1000)
    check_rates(cost, [1000.0] + [-69.42] * 15 + [-69.47], apr=65.70, effective=92.11)


def test_a_rate_per_year_paid_quarterly():
    """4,000 over 4 quarterly instalments at 24 % a year on the declining balance: 6 % a quarter;
    annuity 4,000 × 0.06 / (1 − 1.06^−4) = 1,154.37; interest 240.00, 185.14, 126.98, 65.34;
    the last 1,089.01 + 65.34 = 1,154.35 → APR 24.00 %, effective 26.25 %."""
    cost = cost_of(Terms(amount=D(4000), term=4, frequency="quarterly", rate=D(24), rate_per="year"))
    assert [row.interest for row in cost.schedule] == [D("240.00"), D("185.14"), D("126.98"), D("65.34")]
    assert [row.principal for row in cost.schedule] == [D("914.37"), D("969.23"), D("1027.39"), D("1089.01")]
    check_rates(cost, [4000.0, -1154.37, -1154.37, -1154.37, -1154.35], apr=24.00, effective=26.25)


def test_a_flat_rate_for_the_whole_cycle():
    """ "15 % flat for the cycle" of 16 weekly instalments on 1,000: 0.9375 % a week, 9.375 → 9.38
    of interest, the last 150 − 15 × 9.38 = 9.30; principal 62.50 → [+1,000, −71.88 × 15, −71.80]:
    1.6938 % a week, APR 88.08 %, effective 139.50 %."""
    cost = cost_of(Terms(amount=D(1000), term=16, frequency="weekly", method="flat", rate=D(15), rate_per="term"))
    assert [row.interest for row in cost.schedule] == [D("9.38")] * 15 + [D("9.30")]
    assert cost.totals["interest"] == D(150)
    check_rates(cost, [1000.0] + [-71.88] * 15 + [-71.80], apr=88.08, effective=139.50)


# --- New frequencies --------------------------------------------------------------------------


def test_every_four_weeks():
    """600 over 6 four-weekly instalments at a flat 2.5 % per period: 15 of interest and 100 of
    principal → [+600, −115 × 6]: 4.1455 % per four weeks × 13 = APR 53.89 %."""
    cost = cost_of(Terms(amount=D(600), term=6, frequency="four_weekly", method="flat", rate=D("2.5")))
    check_rates(cost, [600.0] + [-115.0] * 6, apr=53.89, effective=69.56)


def test_daily_instalments():
    """300 over 30 daily instalments at a flat 0.2 % a day: 0.60 of interest and 10 of principal
    → [+300, −10.60 × 30]: 0.3801 % a day × 365 = APR 138.75 %, effective 299.42 %."""
    cost = cost_of(Terms(amount=D(300), term=30, frequency="daily", method="flat", rate=D("0.2")))
    check_rates(cost, [300.0] + [-10.60] * 30, apr=138.75, effective=299.42)


# --- Interest up front, grace, first instalment, balloon --------------------------------------


def test_interest_deducted_up_front():
    """1,200 over 6 months at a flat 2 % a month, the interest (1,200 × 2 % × 6 = 144) taken from
    the amount disbursed: the client receives 1,056 and repays 200 a month → 3.7794 % a month,
    APR 45.35 % (40.05 % had the interest been paid with the instalments, 224 a month)."""
    cost = cost_of(Terms(amount=D(1200), term=6, method="flat", rate=D(2), interest_upfront=True))
    assert cost.upfront["interest"] == D(144) and cost.received == D(1056)
    assert [row.interest for row in cost.schedule] == [0] * 6
    assert cost.breakdown["interest"] == D(144) and cost.total_cost == D(144)
    check_rates(cost, [1056.0] + [-200.0] * 6, apr=45.35, effective=56.07)
    paid_monthly = cost_of(Terms(amount=D(1200), term=6, method="flat", rate=D(2)))
    check_rates(paid_monthly, [1200.0] + [-224.0] * 6, apr=40.05, effective=48.28)


def test_a_capitalised_grace_on_the_declining_balance():
    """1,000 at 3 % a month, 6 months, 2 of grace with the interest capitalised: 30.00 then 30.90
    are added (balance 1,060.90), then 4 equal instalments of 1,060.90 × 0.03 / (1 − 1.03^−4) =
    285.41 → [+1,000, 0, 0, −285.41 × 4]: APR 36.00 %, the contract's rate (effective 42.58 %)."""
    cost = cost_of(Terms(amount=D(1000), term=6, rate=D(3), grace=2, grace_kind="capitalised"))
    assert [row.principal for row in cost.schedule[:2]] == [D("-30.00"), D("-30.90")]
    assert [row.balance for row in cost.schedule[:2]] == [D("1030.00"), D("1060.90")]
    assert [row.interest for row in cost.schedule[2:]] == [D("31.83"), D("24.22"), D("16.38"), D("8.31")]
    assert cost.totals["principal"] == D(1000) and cost.instalment == D("285.41")
    check_rates(cost, [1000.0, 0.0, 0.0] + [-285.41] * 4, apr=36.00, effective=42.58)


def test_a_capitalised_grace_with_flat_interest():
    """1,000 at a flat 3 % a month, 6 months, 2 of grace capitalised: 2 × 30 added to what is owed,
    1,060 repaid in 4 parts of 265 with 30 of interest → [+1,000, 0, 0, −295 × 4]: APR 45.20 %."""
    cost = cost_of(Terms(amount=D(1000), term=6, method="flat", rate=D(3), grace=2, grace_kind="capitalised"))
    assert [row.principal for row in cost.schedule] == [D(-30), D(-30)] + [D(265)] * 4
    assert cost.totals["interest"] == D(180)
    check_rates(cost, [1000.0, 0.0, 0.0] + [-295.0] * 4, apr=45.20, effective=55.84)


def test_a_grace_with_no_payment_and_no_interest():
    """1,000 at 3 % a month, 6 months, 2 without payment or interest. Declining: 4 instalments of
    1,000 × 0.03 / (1 − 1.03^−4) = 269.03 (the last 269.02) → APR 19.77 %. Flat: 30 of interest on
    the 4 paid instalments only, 250 of principal → [+1,000, 0, 0, −280 × 4]: APR 30.71 %."""
    declining = cost_of(Terms(amount=D(1000), term=6, rate=D(3), grace=2, grace_kind="none"))
    assert declining.schedule[0].payment == 0 and declining.schedule[1].balance == D(1000)
    check_rates(declining, [1000.0, 0.0, 0.0, -269.03, -269.03, -269.03, -269.02], apr=19.77, effective=21.66)
    flat = cost_of(Terms(amount=D(1000), term=6, method="flat", rate=D(3), grace=2, grace_kind="none"))
    assert flat.totals["interest"] == D(120)
    check_rates(flat, [1000.0, 0.0, 0.0] + [-280.0] * 4, apr=30.71, effective=35.43)


def test_a_first_instalment_45_days_after_disbursement():
    """1,000 at 3 % a month, 4 monthly instalments, the first 45 days after disbursement:
    t1 = 45 / (365 / 12) = 1.4795 periods. Declining: first interest 1,000 × 3 % × 1.4795 = 44.38,
    equal instalments 1,044.38 / (1 + (1 − 1.03^−3) / 0.03) = 272.78 (last 272.80) at t = 1.48,
    2.48, 3.48, 4.48 → 2.9895 % a month, APR 35.87 %. Flat: 280 four times at those times →
    APR 46.91 % (56.31 % with the first a month after: the same interest for a longer loan)."""
    times = [0, 45 / MONTH, 45 / MONTH + 1, 45 / MONTH + 2, 45 / MONTH + 3]
    declining = cost_of(Terms(amount=D(1000), term=4, rate=D(3), first_payment_days=45))
    assert [row.interest for row in declining.schedule] == [D("44.38"), D("23.15"), D("15.66"), D("7.95")]
    flows = [1000.0, -272.78, -272.78, -272.78, -272.80]
    check_rates(declining, flows, apr=35.87, effective=42.40, times=times)
    assert [time for time, _flow in declining.flows] == pytest.approx(times)
    flat = cost_of(Terms(amount=D(1000), term=4, method="flat", rate=D(3), first_payment_days=45))
    check_rates(flat, [1000.0] + [-280.0] * 4, apr=46.91, effective=58.43, times=times)
    regular = cost_of(Terms(amount=D(1000), term=4, method="flat", rate=D(3)))
    check_rates(regular, [1000.0] + [-280.0] * 4, apr=56.31, effective=73.37)


def test_a_balloon_payment():
    """Declining: 1,000 at 3 % a month, 6 months, 50 % balloon: (1,000 − 500 × 1.03^−6) × 0.03 /
    (1 − 1.03^−6) = 107.30, the last 589.60 + 17.69 = 607.29 → APR 36.00 %. Flat: 1,200 at 2 % a
    month, 6 months, 50 %: 100 of principal and 24 of interest, the last with the 600 balloon →
    [+1,200, −124 × 5, −724]: APR 30.09 %."""
    declining = cost_of(Terms(amount=D(1000), term=6, rate=D(3), balloon=D(50)))
    assert declining.schedule[-1].principal == D("589.60") and declining.schedule[-1].interest == D("17.69")
    check_rates(declining, [1000.0] + [-107.30] * 5 + [-607.29], apr=36.00, effective=42.58)
    flat = cost_of(Terms(amount=D(1200), term=6, method="flat", rate=D(2), balloon=D(50)))
    check_rates(flat, [1200.0] + [-124.0] * 5 + [-724.0], apr=30.09, effective=34.60)


# --- Fees, savings, insurance and tax -----------------------------------------------------------


def test_a_fee_on_the_balance_owed():
    """1,000 at a flat 2 % a month over 4 months, a fee of 1 % of the balance owed before each
    instalment: 10, 7.50, 5, 2.50 → [+1,000, −280, −277.50, −275, −272.50]: APR 49.64 %."""
    cost = cost_of(
        Terms(amount=D(1000), term=4, method="flat", rate=D(2), periodic_fee=D(1), periodic_fee_kind="balance")
    )
    assert [row.fee for row in cost.schedule] == [D(10), D("7.50"), D(5), D("2.50")]
    check_rates(cost, [1000.0, -280.0, -277.50, -275.0, -272.50], apr=49.64, effective=62.64)


def test_savings_as_a_percentage_of_the_instalment():
    """1,000 at a flat 3 % a month over 4 months, savings of 10 % of each instalment's 250 + 30:
    28 a month, the 112 saved returned with the last → [+1,000, −308 × 3, −196]: APR 60.01 %."""
    cost = cost_of(
        Terms(
            amount=D(1000),
            term=4,
            method="flat",
            rate=D(3),
            periodic_savings=D(10),
            periodic_savings_kind="instalment",
        )
    )
    assert [row.savings for row in cost.schedule] == [D(28)] * 4 and cost.schedule[-1].returned == D(112)
    check_rates(cost, [1000.0, -308.0, -308.0, -308.0, -196.0], apr=60.01, effective=79.60)


def test_tax_on_fees_and_on_insurance_up_front_and_per_instalment():
    """1,000 at a flat 2 % a month over 4 months; a 3 % fee up front (30) with 16 % IVA (4.80): the
    client receives 965.20; a premium of 0.5 % of the balance owed (5, 3.75, 2.50, 1.25) with 16 %
    IVA (0.80, 0.60, 0.40, 0.20) → [+965.20, −275.80, −274.35, −272.90, −271.45]: APR 62.88 %."""
    cost = cost_of(
        Terms(
            amount=D(1000),
            term=4,
            method="flat",
            rate=D(2),
            upfront_fee=D(3),
            tax_on_fees=D(16),
            periodic_insurance=D("0.5"),
            periodic_insurance_kind="balance",
            tax_on_insurance=D(16),
        )
    )
    assert cost.upfront["tax"] == D("4.80")
    assert [row.insurance for row in cost.schedule] == [D(5), D("3.75"), D("2.50"), D("1.25")]
    assert [row.tax for row in cost.schedule] == [D("0.80"), D("0.60"), D("0.40"), D("0.20")]
    assert cost.breakdown["tax"] == D("6.80")
    check_rates(cost, [965.20, -275.80, -274.35, -272.90, -271.45], apr=62.88, effective=84.58)


# --- Totals and notes ------------------------------------------------------------------------


def test_the_schedules_totals_are_the_contracts():
    """1,250 over 12 weeks at a flat 0.85 % a week: 1,250 of principal, 127.50 of interest, 1,377.50 paid."""
    cost = cost_of(Terms(amount=D(1250), term=12, frequency="weekly", method="flat", rate=D("0.85")))
    totals = cost.totals
    assert totals["principal"] == D(1250) and totals["interest"] == D("127.50")
    assert totals["payment"] == D("1377.50") and totals["tax"] == totals["fee"] == totals["returned"] == 0


def test_unequally_spaced_flows_keep_the_note_on_several_rates():
    """Savings earning more than the loan costs change the flows' sign twice; offset or not, the note stays."""
    values = {"amount": D(100), "term": 12, "upfront_savings": D(90), "savings_rate": D(100)}
    cost = cost_of(Terms(**values, first_payment_days=45))
    assert any("more than one rate" in note for note in cost.notes)
    times = [time for time, _flow in cost.flows]
    assert npv(cost.periodic_rate, [flow for _time, flow in cost.flows], times) == pytest.approx(0, abs=1e-6)


# --- Terms refused, each next to its field -------------------------------------------------------

BASE = {"amount": D(1000), "term": 12, "frequency": "monthly", "method": "flat", "rate": D(3)}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"frequency": "hourly"}, "frequency", "Choose weekly"),
        ({"rate_per": "week"}, "rate_per", "per month, per year or for the whole term"),
        ({"rate": D(30), "rate_per": "month", "frequency": "weekly"}, "rate", "30 % a month is 360 % a year"),
        ({"grace": 2, "grace_kind": "later"}, "grace_kind", "Choose interest paid"),
        ({"periodic_fee_kind": "instalment"}, "periodic_fee_kind", "percentage of the balance owed"),
        ({"periodic_insurance_kind": "weekly"}, "periodic_insurance_kind", "percentage of the balance owed"),
        ({"upfront_fee_kind": "balance"}, "upfront_fee_kind", "Choose a fixed amount or a percentage of the amount."),
        ({"upfront_insurance_kind": "balance"}, "upfront_insurance_kind", "percentage of the amount."),
        ({"upfront_savings_kind": "balance"}, "upfront_savings_kind", "percentage of the amount."),
        ({"periodic_savings_kind": "percent"}, "periodic_savings_kind", "percentage of the instalment"),
        ({"late_fee_kind": "percent"}, "late_fee_kind", "overdue instalment"),
        ({"prepayment_fee_kind": "balance"}, "prepayment_fee_kind", "principal repaid early"),
        ({"method": "declining", "interest_upfront": True}, "interest_upfront", "choose the flat method"),
        ({"interest_upfront": True, "grace": 2, "grace_kind": "capitalised"}, "grace_kind", "cannot also be added"),
        ({"interest_upfront": True, "rate": D(10)}, "interest_upfront", "take all of the amount lent"),
        ({"first_payment_days": 400}, "first_payment_days", "At most 366 days"),
        ({"first_payment_days": -1}, "first_payment_days", "cannot be negative"),
        ({"frequency": "maturity", "term": 6, "first_payment_days": 45}, "first_payment_days", "leave the days"),
        ({"balloon": D(100)}, "balloon", "less than 100 % of the amount lent"),
        ({"balloon": D(-5)}, "balloon", "cannot be negative"),
        ({"frequency": "maturity", "term": 6, "balloon": D(20)}, "balloon", "leave the balloon at 0"),
        ({"tax_on_fees": D(101)}, "tax_on_fees", "At most 100 %."),
        ({"tax_on_insurance": D(150)}, "tax_on_insurance", "At most 100 %."),
        ({"tax_on_insurance": D(-1)}, "tax_on_insurance", "cannot be negative"),
        ({"periodic_fee": D(120), "periodic_fee_kind": "balance"}, "periodic_fee", "At most 100 %."),
        ({"periodic_insurance": D(101), "periodic_insurance_kind": "percent"}, "periodic_insurance", "At most 100 %."),
        ({"periodic_savings": D(101), "periodic_savings_kind": "instalment"}, "periodic_savings", "At most 100 %."),
        ({"late_fee": D(-1)}, "late_fee", "cannot be negative"),
        ({"late_fee": D(120), "late_fee_kind": "balance"}, "late_fee", "At most 100 %."),
        ({"prepayment_fee": D(-1)}, "prepayment_fee", "cannot be negative"),
        ({"prepayment_fee": D(101), "prepayment_fee_kind": "prepaid"}, "prepayment_fee", "At most 100 %."),
        ({"upfront_fee": D(60), "tax_on_fees": D(70)}, "upfront_savings", "take all of the amount lent"),
    ],
)
def test_each_new_field_is_refused_with_a_message_next_to_it(values, field, message):
    with pytest.raises(ValidationError) as refused:
        cost_of(Terms(**{**BASE, **values}))
    assert message in " ".join(refused.value.message_dict[field])


def test_what_is_allowed_is_not_refused():
    """A % of the balance only per instalment, a fixed late fee above 100, daily at its longest."""
    cost_of(Terms(**BASE, late_fee=D(150), prepayment_fee=D(500), periodic_fee=D(1), periodic_fee_kind="balance"))
    cost_of(Terms(amount=D(1000), term=730, frequency="daily", rate=D("0.05"), first_payment_days=366))
