"""What the APR is made of (`pilots.pricing.breakdown`): the components add up exactly to the
APR, each step is the APR of cash flows written out by hand, and the breakdown is shown on the
calculator, on the innovation page and in the API; the schedule's totals row."""

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.test import Client

from pilots import services
from pilots.pricing import breakdown as breakdown_module
from pilots.pricing.breakdown import apr_breakdown, breakdown
from pilots.pricing.cost import Terms, cost_of
from tests.factories import StaffFactory

from .factories import InnovationFactory

D = Decimal
WORKED = {"amount": D(1000), "term": 12, "frequency": "monthly", "rate": D(3)}
LOADED = {**WORKED, "method": "declining", "upfront_fee": D(2), "upfront_savings": D(10)}


def npv(rate: float, flows: list[float]) -> float:
    return sum(flow / (1 + rate) ** period for period, flow in enumerate(flows))


def irr(flows: list[float], low: float = 0.0, high: float = 0.5) -> float:
    """The rate per period that makes the flows' NPV zero, by bisection (independent of the code)."""
    assert npv(low, flows) * npv(high, flows) < 0
    for _ in range(200):
        middle = (low + high) / 2
        if (npv(low, flows) > 0) == (npv(middle, flows) > 0):
            low = middle
        else:
            high = middle
    rate = (low + high) / 2
    assert npv(rate, flows) == pytest.approx(0, abs=1e-9)
    return rate


def monthly_apr(flows: list[float]) -> Decimal:
    """The APR of monthly flows, in % a year, to 0.01 percentage points."""
    return D(str(round(irr(flows) * 12 * 100, 2))).quantize(D("0.01"))


def by_code(components) -> dict:
    return {c.code: c for c in components}


# --- The rule -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "terms",
    [
        Terms(**LOADED),
        Terms(**WORKED, method="flat", upfront_fee=D(2), upfront_savings=D(10)),
        Terms(
            amount=D(500), term=12, rate=D(2), periodic_insurance=D("1.50"), periodic_fee=D(1), tax_on_interest=D(12)
        ),
        Terms(amount=D(15_000), term=50, frequency="weekly", rate=D("0.4135"), upfront_insurance=D(150)),
        Terms(amount=D(1250), term=12, frequency="weekly", method="flat", rate=D("0.85"), periodic_savings=D(5)),
    ],
)
def test_the_contributions_add_up_exactly_to_the_apr_shown(terms):
    split = apr_breakdown(terms)
    shown = D(repr(float(cost_of(terms).apr))).quantize(
        D("0.01"), rounding=ROUND_HALF_UP
    )  # the APR as the page writes it
    assert split.apr == shown
    assert sum(c.contribution for c in split.components) == shown  # exactly, not approximately
    assert split.components[-1].apr_with == shown
    assert split.components[0].contribution == split.components[0].apr_with  # interest: its APR alone
    for before, after in zip(split.components, split.components[1:], strict=False):
        assert after.contribution == after.apr_with - before.apr_with


def test_the_worked_example_step_by_step_by_hand():
    """1,000 over 12 months at 3 % a month on the declining balance, 2 % fee and 10 % savings up
    front. Instalment 100.46, the last 100.51 (97.58 + 2.93).

    - interest alone: receive 1,000, pay 100.46 × 11 and 100.51 → 3 % a month, APR 36.00 %;
    - + the fee: receive 980 (1,000 − 20), the same instalments → APR 40.08 %: +4.08;
    - + the savings: receive 880, the last instalment less the 100 returned is 0.51 → APR
      48.10 %: +8.02. 36.00 + 4.08 + 8.02 = 48.10."""
    interest_alone = [1000.0] + [-100.46] * 11 + [-100.51]
    with_fee = [980.0] + [-100.46] * 11 + [-100.51]
    everything = [880.0] + [-100.46] * 11 + [-0.51]
    steps = by_code(breakdown(Terms(**LOADED)))
    assert list(steps) == ["interest", "fees", "savings"]  # no insurance, no tax: left out
    assert steps["interest"].apr_with == monthly_apr(interest_alone) == D("36.00")
    assert steps["fees"].apr_with == monthly_apr(with_fee) == D("40.08")
    assert steps["savings"].apr_with == monthly_apr(everything) == D("48.10")
    assert [c.contribution for c in steps.values()] == [D("36.00"), D("4.08"), D("8.02")]


def test_each_component_taken_out_alone_and_why_those_do_not_add_up():
    """The whole loan without one component (the others kept):

    - without interest: receive 880, repay 83.33 × 11, and at the end 83.37 − 100 = +16.63 back
      → APR 4.60 %, so interest alone adds 48.10 − 4.60 = 43.50;
    - without the fee: receive 900, pay 100.46 × 11 and 0.51 → APR 43.13 %: the fee adds 4.97;
    - without the savings: the loan with interest and fee, APR 40.08 %: the savings add 8.02.

    43.50 + 4.97 + 8.02 = 56.49, not 48.10: the fee adds 4.97 on top of the savings but 4.08 on
    top of interest alone (20 is a larger share of the 880 in hand than of 980)."""
    steps = by_code(breakdown(Terms(**LOADED)))
    assert steps["interest"].apr_without == monthly_apr([880.0] + [-83.33] * 11 + [16.63]) == D("4.60")
    assert steps["fees"].apr_without == monthly_apr([900.0] + [-100.46] * 11 + [-0.51]) == D("43.13")
    assert steps["savings"].apr_without == D("40.08")
    assert [c.alone for c in steps.values()] == [D("43.50"), D("4.97"), D("8.02")]
    assert sum(c.alone for c in steps.values()) == D("56.49") != D("48.10")


def test_a_flat_loan_by_hand():
    """The same loan charged flat (instalment 113.33, the last 113.37): 60.96 % with interest
    alone, 65.29 % with the fee (+4.33), 77.38 % with the savings (+12.09)."""
    steps = by_code(breakdown(Terms(**WORKED, method="flat", upfront_fee=D(2), upfront_savings=D(10))))
    assert steps["interest"].apr_with == monthly_apr([1000.0] + [-113.33] * 11 + [-113.37]) == D("60.96")
    assert steps["fees"].apr_with == monthly_apr([980.0] + [-113.33] * 11 + [-113.37]) == D("65.29")
    assert steps["savings"].apr_with == monthly_apr([880.0] + [-113.33] * 11 + [-13.37]) == D("77.38")
    assert [c.contribution for c in steps.values()] == [D("60.96"), D("4.33"), D("12.09")]


def test_insurance_and_tax_come_in_their_order():
    """500 over 12 months at 2 % a month declining, a fee of 1 and a premium of 1.50 every month,
    12 % tax on interest: interest alone is the annuity's own rate, 2 % a month = 24.00 %."""
    terms = Terms(
        amount=D(500), term=12, rate=D(2), periodic_insurance=D("1.50"), periodic_fee=D(1), tax_on_interest=D(12)
    )
    components = breakdown(terms)
    assert [c.code for c in components] == ["interest", "fees", "insurance", "tax"]
    assert components[0].apr_with == D("24.00")
    assert all(c.contribution > 0 for c in components)
    assert [c.label for c in components] == ["Interest", "Fees", "Insurance", "Tax"]


def test_an_interest_free_loan_still_starts_from_interest():
    """No interest, a 2 % fee: receive 980, repay 83.33 × 11 and 83.37."""
    steps = by_code(breakdown(Terms(amount=D(1000), term=12, rate=D(0), upfront_fee=D(2))))
    assert steps["interest"].apr_with == D("0.00") and steps["interest"].contribution == D("0.00")
    assert steps["fees"].apr_with == monthly_apr([980.0] + [-83.33] * 11 + [-83.37])


def test_when_a_step_has_no_rate_the_apr_is_not_split(monkeypatch):
    real = breakdown_module.cost_of

    def without_rate_when_interest_alone(terms):
        cost = real(terms)
        if terms.upfront_fee == 0 and terms.upfront_savings == 0:  # the loan with interest alone
            cost.apr = None
        return cost

    monkeypatch.setattr(breakdown_module, "cost_of", without_rate_when_interest_alone)
    split = apr_breakdown(Terms(**LOADED))
    assert split.components is None and breakdown(Terms(**LOADED)) is None
    assert "cannot be split" in split.reason


# --- Where it is shown ----------------------------------------------------------------------

LOADED_QUERY = "amount=1000&term=12&frequency=monthly&method=declining&rate=3&upfront_fee=2&upfront_savings=10"


def row(page: str, code: str) -> list[str]:
    """The cells of a component's line in the breakdown table."""
    line = re.search(rf'<tr class="component-{code}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", line, re.S)]


def test_the_calculator_shows_what_the_apr_is_made_of(db):
    page = Client().get(f"/en/pricing/?{LOADED_QUERY}").content.decode()
    assert "What the APR is made of" in page
    assert row(page, "interest") == ["Interest", "36.00", "36.00 %", "4.60 %", "43.50"]
    assert row(page, "fees") == ["Fees", "4.08", "40.08 %", "43.13 %", "4.97"]
    assert row(page, "savings")[1:] == ["8.02", "48.10 %", "40.08 %", "8.02"]
    assert "36.00 + 4.08 + 8.02 = 48.10 %" in page
    assert 'data-figure="figure-breakdown-calculator"' in page and '"type":"waterfall"' in page
    spanish = Client().get(f"/pricing/?{LOADED_QUERY}").content.decode()
    assert row(spanish, "interest")[1:] == ["36,00", "36,00 %", "4,60 %", "43,50"]
    assert "36,00 + 4,08 + 8,02 = 48,10 %" in spanish


def test_the_schedule_adds_up_to_the_contract(db):
    """1,250 over 12 weeks at a flat 0.85 % a week: 127.50 of interest, 1,250.00 of principal."""
    page = Client().get("/en/pricing/?amount=1250&term=12&frequency=weekly&method=flat&rate=0.85").content.decode()
    totals = re.search(r'<tr class="totals">(.*?)</tr>', page, re.S).group(1)
    assert '<td class="num principal">1,250.00</td>' in totals
    assert '<td class="num interest">127.50</td>' in totals
    assert '<td class="num payment">1,377.50</td>' in totals


@pytest.fixture
def two_variants(db):
    """An innovation pricing the worked example flat with 2 % fee and 10 % savings (77.38 %)."""
    innovation = InnovationFactory(title="Banca comunal", slug="banca-comunal", countries=["PE"])
    save_variant(innovation, "Communal bank loan", method="flat", upfront_fee=D(2), upfront_savings=D(10))
    return innovation


def save_variant(innovation, name: str, **terms):
    services.product_terms_save(
        innovation=innovation,
        user=StaffFactory(),
        name=name,
        name_en=name,
        country="PE",
        currency="PEN",
        **WORKED,
        **terms,
    )


def test_the_innovation_page_shows_each_variants_breakdown(two_variants):
    save_variant(two_variants, "Declining loan", method="declining", upfront_fee=D(2), upfront_savings=D(10))
    page = Client().get("/en/pilots/banca-comunal/").content.decode()
    assert page.count("What the APR is made of</h4>") == 2
    assert row(page, "interest")[:3] == ["Interest", "60.96", "60.96 %"]  # the first variant: flat
    assert "60.96 + 4.33 + 12.09 = 77.38 %" in page and "36.00 + 4.08 + 8.02 = 48.10 %" in page
    assert page.count('"type":"waterfall"') == 2
    spanish = Client().get("/pilots/banca-comunal/").content.decode()
    assert "60,96 + 4,33 + 12,09 = 77,38 %" in spanish


def test_the_innovation_page_takes_no_more_queries_per_variant(two_variants, django_assert_max_num_queries):
    with django_assert_max_num_queries(60) as one:
        Client().get("/en/pilots/banca-comunal/")
    for number in range(3):
        save_variant(two_variants, f"Variant {number}", method="declining", upfront_fee=D(number))
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = Client().get("/en/pilots/banca-comunal/").content.decode()
    assert page.count("What the APR is made of</h4>") == 4


def test_the_api_gives_each_variants_breakdown(two_variants):
    data = Client().get("/api/v1/innovations/banca-comunal/", HTTP_ACCEPT_LANGUAGE="en").json()
    [variant] = data["pricing"]
    split = variant["breakdown"]
    assert split["apr"] == pytest.approx(77.38) and split["reason"] == ""
    assert [(c["code"], c["contribution"]) for c in split["components"]] == [
        ("interest", pytest.approx(60.96)),
        ("fees", pytest.approx(4.33)),
        ("savings", pytest.approx(12.09)),
    ]
    assert split["components"][0]["apr_without"] is not None and split["components"][-1]["label"]
