"""Responsible pricing: the client's cost by the IRR method, terms that cannot be a product,
Standard 6C's warning signs, the public calculator, the innovation page, dashboard and API."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import translation

from pilots import services
from pilots.models import InstitutionRatio, PeerAverage, Visibility
from pilots.pricing.cost import Terms, cost_of
from pilots.pricing.signs import institution_signs
from tests.factories import MemberInstitutionFactory, StaffFactory

from .factories import InnovationFactory, ParticipationFactory

D = Decimal
WORKED = {"amount": D(1000), "term": 12, "frequency": "monthly", "rate": D(3)}


def npv(rate: float, flows: list[float]) -> float:
    return sum(flow / (1 + rate) ** period for period, flow in enumerate(flows))


# --- The cost -------------------------------------------------------------------------------


def test_worked_example_flat_three_percent_a_month():
    cost = cost_of(Terms(**WORKED, method="flat"))
    assert cost.instalment == D("113.33")
    assert cost.apr == pytest.approx(60.96, abs=0.005)
    assert cost.effective == pytest.approx(81.23, abs=0.005)
    assert cost.total_cost == D("360.00")
    assert [row.interest for row in cost.schedule] == [D("30.00")] * 12  # on the amount lent, every month
    assert sum(row.principal for row in cost.schedule) == D(1000) and cost.schedule[-1].balance == 0


def test_flat_interest_that_does_not_fall_on_cents_adds_up_to_the_contracts():
    """1,250 over 12 weekly instalments at a flat 0.85 % a week: the contract's interest is
    127.50; rounding each instalment's 10.625 up would charge 127.56. The last instalment
    absorbs the difference, and the APR is that of the cash flows the client really pays."""
    cost = cost_of(Terms(amount=D(1250), term=12, frequency="weekly", method="flat", rate=D("0.85")))
    interest = [row.interest for row in cost.schedule]
    assert interest == [D("10.63")] * 11 + [D("10.57")]
    assert sum(interest) == D("127.50") and sum(row.principal for row in cost.schedule) == D(1250)
    assert cost.total_cost == D("127.50")
    flows = [-1250.0] + [float(row.net) for row in cost.schedule]
    assert npv(cost.periodic_rate, flows) == pytest.approx(0, abs=1e-6)
    assert cost.apr == pytest.approx(cost.periodic_rate * 52 * 100, abs=1e-9)


def test_worked_example_declining_balance_costs_what_it_says():
    cost = cost_of(Terms(**WORKED, method="declining"))
    assert cost.instalment == D("100.46")
    assert cost.apr == pytest.approx(36.00, abs=0.005)
    assert cost.effective == pytest.approx(42.58, abs=0.005)
    assert cost.schedule[0].interest == D("30.00") and cost.schedule[-1].interest == D("2.93")


def test_an_up_front_fee_and_compulsory_savings_raise_the_apr_as_a_hand_computation_says():
    """1,000 at 3 % a month on the declining balance, 12 months, with a 2 % fee and 10 % compulsory
    savings taken up front and returned at the end. By hand: the client receives 1,000 − 20 − 100 =
    880; pays 100.46 eleven times; the last instalment (97.58 + 2.93 = 100.51) less the 100 returned
    is 0.51. The rate r that makes 880 − Σ 100.46/(1+r)^k − 0.51/(1+r)^12 zero is 4.008 % a month:
    APR 48.10 %, well above the 36 % of the same loan without them."""
    plain = cost_of(Terms(**WORKED, method="declining"))
    loaded = cost_of(
        Terms(**WORKED, method="declining", upfront_fee=D(2), upfront_savings=D(10), upfront_savings_kind="percent")
    )
    assert loaded.received == D(880)
    assert loaded.schedule[-1].returned == D(100)
    flows = [880.0] + [-100.46] * 11 + [-0.51]
    assert [float(-row.net) for row in loaded.schedule] == flows[1:]
    assert npv(loaded.periodic_rate, flows) == pytest.approx(0, abs=1e-6)
    assert loaded.periodic_rate == pytest.approx(0.04008, abs=0.00001)
    assert loaded.apr == pytest.approx(48.10, abs=0.01)
    assert loaded.apr > plain.apr
    assert loaded.total_cost == plain.total_cost + D(20)  # the fee; the savings come back


def test_insurance_tax_and_periodic_fees_are_in_the_cost():
    base = Terms(amount=D(500), term=12, rate=D(2))
    plain = cost_of(base)
    loaded = cost_of(
        Terms(amount=D(500), term=12, rate=D(2), periodic_insurance=D("1.50"), periodic_fee=D(1), tax_on_interest=D(12))
    )
    assert loaded.schedule[0].payment == plain.schedule[0].payment + D("1.50") + D(1) + D("1.20")
    assert loaded.apr > plain.apr
    assert loaded.breakdown["insurance"] == D(18) and loaded.breakdown["fees"] == D(12)


def test_weekly_and_single_payment_products():
    group = cost_of(Terms(amount=D(15_000), term=50, frequency="weekly", rate=D("0.4135")))
    assert group.apr == pytest.approx(21.5, abs=0.01)  # KGFS's joint-liability loan
    bullet = cost_of(Terms(amount=D(2000), term=6, frequency="maturity", rate=D(2)))
    assert len(bullet.schedule) == 1 and bullet.schedule[0].payment == D(2240)
    # 240 of interest after six months: r such that 2000 = 2240 / (1+r)^6
    assert bullet.periodic_rate == pytest.approx((2240 / 2000) ** (1 / 6) - 1, abs=1e-9)


def test_savings_that_earn_more_than_the_loan_costs_are_flagged_as_having_several_rates():
    cost = cost_of(
        Terms(
            amount=D(100),
            term=12,
            rate=D(0),
            upfront_savings=D(90),
            upfront_savings_kind="percent",
            savings_rate=D(100),
        )
    )
    assert any("more than one rate" in note for note in cost.notes)


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"amount": D(-5)}, "amount", "The amount lent must be more than zero."),
        ({"term": 0}, "term", "The term must be at least one instalment"),
        ({"rate": D(90)}, "rate", "above any plausible rate"),
        ({"rate": D(-1)}, "rate", "cannot be negative"),
        ({"periodic_savings": D(90)}, "periodic_savings", "would be larger than the loan"),
        ({"upfront_savings": D(100), "upfront_savings_kind": "percent"}, "upfront_savings", "take all of the amount"),
        ({"grace": 12}, "grace", "at least one instalment to repay"),
        ({"frequency": "hourly"}, "frequency", "Choose weekly"),
    ],
)
def test_terms_that_cannot_be_a_product_are_refused_with_a_clear_message(values, field, message):
    with pytest.raises(ValidationError) as refused:
        cost_of(Terms(**{**WORKED, "method": "flat", **values}))
    assert message in " ".join(refused.value.message_dict[field])


# --- Warning signs --------------------------------------------------------------------------


def ratios(*rows, source="MIX Market"):
    return [
        SimpleNamespace(
            year=year,
            oss=values.get("oss"),
            loan_loss_expense=values.get("lle"),
            return_on_assets=values.get("roa"),
            return_on_equity=values.get("roe"),
            operating_expense_ratio=values.get("oer"),
            operating_expense_ceiling=values.get("oer_ceiling"),
            claims_ratio=values.get("claims"),
            source=source,
        )
        for year, values in rows
    ]


def rules(signs) -> list[str]:
    return [sign.rule for sign in signs]


def test_institution_signs_follow_standard_6c():
    mfi = SimpleNamespace(name="IMF")
    rising = ratios((2009, {"oss": D(80)}), (2010, {"oss": D(90)}), (2011, {"oss": D(95)}))
    assert institution_signs(mfi, rising) == []  # below 100 % but rising for three years
    falling = ratios((2009, {"oss": D(98)}), (2010, {"oss": D(96)}), (2011, {"oss": D(95)}))
    [sign] = institution_signs(mfi, falling)
    assert sign.rule == "oss" and "95 %" in sign.message and "2009: 98 %" in sign.message
    assert sign.message.endswith("(2009: 98 %, 2010: 96 %, 2011: 95 %; Standard 6C; source: MIX Market, 2011).")
    assert rules(institution_signs(mfi, ratios((2011, {"oss": D(90)})))) == ["oss"]  # no three years: no trend
    assert rules(institution_signs(mfi, ratios((2011, {"oss": D(120), "lle": D(0)})))) == ["loan_loss"]
    assert rules(institution_signs(mfi, ratios((2011, {"lle": D("5.5"), "roa": D(8)})))) == ["loan_loss", "roa"]
    quiet = {"lle": D(5), "roa": D("7.5"), "roe": D(30), "oer": D(24), "oer_ceiling": D(24), "claims": D(30)}
    assert institution_signs(mfi, ratios((2011, quiet))) == []  # every figure at its limit: no sign
    loud = {"roa": D("7.6"), "roe": D("30.1"), "oer": D("24.1"), "oer_ceiling": D(24)}
    assert rules(institution_signs(mfi, ratios((2011, loud)))) == ["roa", "roe", "oer"]
    [claims] = institution_signs(mfi, ratios((2010, {"claims": D(24)}), source="Informe anual"))
    assert claims.message == (
        "Insurance claims ratio 24 % in 2010: below 30 %, little value for clients "
        "(Standard 6C; source: Informe anual, 2010)."
    )
    # only the latest year counts
    assert institution_signs(mfi, ratios((2010, {"roa": D(9)}), (2011, {"roa": D(3)}))) == []


@pytest.fixture
def priced_innovation(db):
    """An innovation quoting the worked example flat, with 2 % fee and 10 % savings (APR 77.38 %),
    against a peer average of 45 % (limit 51.75 %), and a participating MFI with a low claims ratio."""
    innovation = InnovationFactory(title="Banca comunal", slug="banca-comunal", countries=["PE"])
    staff = StaffFactory()
    services.product_terms_save(
        innovation=innovation,
        user=staff,
        name="Crédito de banca comunal",
        name_en="Communal bank loan",
        country="PE",
        currency="PEN",
        **WORKED,
        method="flat",
        upfront_fee=D(2),
        upfront_savings=D(10),
    )
    PeerAverage.objects.create(
        country="PE",
        product_line=innovation.product_line,
        size_band="small",
        apr=D(45),
        source="MFTransparency",
        as_of=datetime.date(2011, 12, 31),
    )
    mfi = MemberInstitutionFactory(name="Cooperativa Sur")
    ParticipationFactory(innovation=innovation, institution=mfi)
    InstitutionRatio.objects.create(institution=mfi, year=2011, claims_ratio=D(24), source="Informe anual")
    return innovation


def test_the_innovation_page_shows_the_schedule_the_rates_and_each_sign(priced_innovation):
    page = Client().get("/en/pilots/banca-comunal/").content.decode()
    assert "Communal bank loan" in page and "77.38 %" in page and "111.67 %" in page
    assert "APR 77.38 % is more than 15 % above the peer average of 45 % (limit 51.75 %" in page
    assert "Quoted at a flat 3 % per period on the amount lent: the real APR is 77.38 %" in page
    assert "<strong>Cooperativa Sur</strong>: Insurance claims ratio 24 %" in page
    assert "Repayment schedule" in page and "916.67" in page  # the balance after the first instalment
    assert "/en/pricing/?currency=PEN&amp;amount=1000&amp;term=12" in page
    spanish = Client().get("/pilots/banca-comunal/").content.decode()
    assert "Crédito de banca comunal" in spanish and "77,38 %" in spanish and "TAE" not in spanish


def test_the_dashboard_lists_innovations_with_warning_signs_the_viewer_may_see(priced_innovation, donor_client):
    hidden = InnovationFactory(title="Reservada", slug="reservada", visibility=Visibility.STAFF)
    services.product_terms_save(
        innovation=hidden, user=StaffFactory(), name="Plano", country="EC", **WORKED, method="flat"
    )
    public = Client().get("/en/pilots/dashboard/").content.decode()
    assert "Pricing warning signs" in public and "Banca comunal" in public
    assert "Quoted at a flat 3 %" in public and "Reservada" not in public
    staff = Client()
    staff.force_login(StaffFactory())
    assert "Reservada" in staff.get("/en/pilots/dashboard/").content.decode()


def test_the_api_gives_terms_schedule_rates_and_signs(priced_innovation):
    data = Client().get("/api/v1/innovations/banca-comunal/", HTTP_ACCEPT_LANGUAGE="en").json()
    [variant] = data["pricing"]
    assert variant["name"] == "Communal bank loan" and variant["currency"] == "PEN"
    assert variant["apr"] == pytest.approx(77.38, abs=0.005)
    assert variant["terms"]["method"] == "flat" and variant["terms"]["rate"] == "3"
    assert len(variant["schedule"]) == 12 and float(variant["schedule"][-1]["returned"]) == 100
    assert {sign["rule"] for sign in data["warning_signs"]} == {"apr_above_peers", "flat_rate", "claims"}


def test_only_staff_save_terms_and_impossible_ones_change_nothing(priced_innovation, member_user):
    variant = priced_innovation.product_terms.get()
    with pytest.raises(PermissionDenied):
        services.product_terms_save(innovation=priced_innovation, user=member_user, instance=variant, rate=D(1))
    with pytest.raises(ValidationError) as refused:
        services.product_terms_save(
            innovation=priced_innovation, user=StaffFactory(), instance=variant, amount=D(100), periodic_savings=D(50)
        )
    assert "larger than the loan" in " ".join(refused.value.message_dict["periodic_savings"])
    variant.refresh_from_db()
    assert variant.amount == D(1000) and variant.periodic_savings == 0


def test_the_admin_refuses_impossible_terms_and_keeps_what_was_typed(priced_innovation, staff_client):
    variant = priced_innovation.product_terms.get()
    url = f"/admin/product-terms/edit/{variant.pk}/"
    form = staff_client.get(url).context["form"]
    with translation.override("es"):  # what the Spanish admin's boxes show: "0,5", not "0.5000"
        data = {name: form[name].value() for name in form.fields}
        data = {
            name: ""
            if value is None
            else form[name].field.widget.format_value(value)
            if isinstance(value, D)
            else value
            for name, value in data.items()
        }
    data.update({"amount": "1000", "term": "12", "rate": "45", "frequency": "monthly"})
    response = staff_client.post(url, {k: v for k, v in data.items() if not isinstance(v, list)})
    assert response.status_code == 200
    page = response.content.decode()
    assert "más que cualquier tasa plausible" in page and 'value="45"' in page  # the admin speaks Spanish
    variant.refresh_from_db()
    assert variant.rate == D(3)


# --- The calculator -------------------------------------------------------------------------


def test_the_calculator_reproduces_the_worked_example_from_a_shareable_address(db):
    response = Client().get("/en/pricing/?amount=1000&term=12&frequency=monthly&method=flat&rate=3")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<dd class="apr">60.96 %</dd>' in page and '<dd class="effective">81.23 %</dd>' in page
    assert '<dd class="instalment">USD 113.33</dd>' in page
    assert "36.00 %" in page  # the same loan on the declining balance, side by side
    assert 'id="figure-money"' in page
    spanish = Client().get("/pricing/?amount=1000&term=12&frequency=monthly&method=flat&rate=3").content.decode()
    assert '<dd class="apr">60,96 %</dd>' in spanish and '<dd class="effective">81,23 %</dd>' in spanish


def test_the_calculator_with_fees_and_savings(db):
    query = "amount=1000&term=12&frequency=monthly&method=declining&rate=3&upfront_fee=2&upfront_savings=10"
    page = Client().get(f"/en/pricing/?{query}").content.decode()
    assert '<dd class="apr">48.10 %</dd>' in page and "880.00" in page


@pytest.mark.parametrize(
    "query",
    [
        "amount=-5&term=0&frequency=monthly&method=flat&rate=90",
        "amount=abc&term=1e9&frequency=daily&method=x&rate=NaN",
        "amount=1000&term=12&frequency=monthly&method=flat&rate=3&periodic_savings=200",
        "amount=99999999999999999999&term=99999&rate=1",
    ],
)
def test_the_calculator_refuses_impossible_terms_and_keeps_them(db, query):
    response = Client().get(f"/en/pricing/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Everything you typed is still here." in page and 'class="apr"' not in page
    first = query.split("&")[0].split("=")[1]
    assert f'value="{first}"' in page


def test_the_calculator_without_terms_explains_itself_and_offers_the_example(db):
    page = Client().get("/en/pricing/").content.decode()
    assert "What does a loan really cost?" in page and "internal-rate-of-return" in page
    assert "Try the worked example" in page and 'class="apr"' not in page


def test_staff_are_shown_where_to_record_terms_the_public_sees_nothing_without_them(db, staff_client):
    InnovationFactory(title="Sin condiciones", slug="sin-condiciones")
    assert 'id="pricing"' not in Client().get("/en/pilots/sin-condiciones/").content.decode()
    page = staff_client.get("/en/pilots/sin-condiciones/").content.decode()
    assert "No product terms recorded." in page and 'href="/admin/product-terms/"' in page
