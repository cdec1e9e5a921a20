"""Standard 6C's additions: late-payment penalties and prepayment fees measured against the
instalment, the operating expense ratio and return on equity next to return on assets, and every
institution sign naming its rule, source and year (pilots/pricing/signs*.py)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from pilots import services
from pilots.models import InnovationProgress, InstitutionRatio, ProductTerms
from pilots.pricing.signs import institution_signs, price, render, variant_signs
from pilots.progress import ensure_current
from tests.factories import MemberInstitutionFactory, StaffFactory

from .test_pricing import priced_innovation, ratios  # noqa: F401 (a fixture this file shares)

D = Decimal
# 1,000 over 12 months at 3 % a month on the declining balance (tests/pilots/test_pricing.py):
# instalment 100.46, the first one's interest 1,000 × 3 % = 30.00 and principal 100.46 − 30.00 = 70.46.
# Late-penalty limit: 10 % of 100.46 = 10.046 → 10.05. Prepayment limit: one instalment, 100.46.
DECLINING = {"amount": D(1000), "term": 12, "frequency": "monthly", "method": "declining", "rate": D(3)}


def signs_of(**charges):
    variant = ProductTerms(name="Crédito", name_en="Loan", country="PE", currency="PEN", **DECLINING, **charges)
    return variant_signs(price(variant))


def rules(signs) -> list[str]:
    return [sign.rule for sign in signs]


@pytest.mark.parametrize(
    "late_fee, kind, penalty, fires",
    [
        (D("10.05"), "fixed", "10.05", False),
        (D("10.06"), "fixed", "10.06", True),
        (D(10), "instalment", "10.05", False),  # 10 % of 100.46 = 10.046
        (D("10.01"), "instalment", "10.06", True),  # 10.01 % of 100.46 = 10.056
        (D("14.27"), "principal", "10.05", False),  # 14.27 % of 70.46 = 10.0546
        (D("14.28"), "principal", "10.06", True),  # 14.28 % of 70.46 = 10.0617
    ],
)
def test_a_penalty_above_a_tenth_of_the_instalment_for_one_period_late_is_a_sign(late_fee, kind, penalty, fires):
    signs = signs_of(late_fee=late_fee, late_fee_kind=kind)
    assert rules(signs) == (["late_fee_excessive"] if fires else [])
    if fires:
        assert f"Penalty for one instalment paid one period late: PEN {penalty} (" in signs[0].message
        assert "above the limit of PEN 10.05 (10 % of the instalment of PEN 100.46; Standard 6C" in signs[0].message


def test_the_penalty_message_says_how_it_is_charged_in_the_readers_language():
    [sign] = signs_of(late_fee=D("14.28"), late_fee_kind="principal")
    assert sign.subject == "Loan"
    assert sign.message == (
        "Penalty for one instalment paid one period late: PEN 10.06 (14.28 % of the overdue principal of "
        "PEN 70.46), above the limit of PEN 10.05 (10 % of the instalment of PEN 100.46; Standard 6C: "
        "penalties must not be excessive)."
    )
    with translation.override("es"):
        [spanish] = signs_of(late_fee=D("14.28"), late_fee_kind="principal")
    assert spanish.subject == "Crédito" and "PEN 10,06" in spanish.message and "14,28" in spanish.message


def test_a_penalty_on_the_whole_balance_is_a_sign_however_small():
    """1 % of the balance owed before the first instalment, 1,000: 10.00, under the 10.05 limit but
    charged on what is not overdue; 1.01 % (10.10) is also above the limit."""
    [on_balance] = signs_of(late_fee=D(1), late_fee_kind="balance")
    assert on_balance.rule == "late_fee_on_balance"
    assert on_balance.message == (
        "Penalty charged on the whole balance owed: 1 % of PEN 1,000.00, PEN 10.00 for one instalment one "
        "period late (Standard 6C: penalties are computed only on the principal overdue and must not "
        "accumulate debt)."
    )
    assert rules(signs_of(late_fee=D("1.01"), late_fee_kind="balance")) == ["late_fee_excessive", "late_fee_on_balance"]
    assert signs_of(late_fee=D(0), late_fee_kind="balance") == []  # no penalty, nothing to say


@pytest.mark.parametrize(
    "fee, kind, fires",
    [
        (D("100.46"), "fixed", False),
        (D("100.47"), "fixed", True),
        (D("10.04"), "prepaid", False),  # 10.04 % of the 1,000 repaid early = 100.40
        (D("10.05"), "prepaid", True),  # 100.50
    ],
)
def test_a_prepayment_fee_above_one_instalment_is_a_sign(fee, kind, fires):
    signs = signs_of(prepayment_fee=fee, prepayment_fee_kind=kind)
    assert rules(signs) == (["prepayment_fee_excessive"] if fires else [])


def test_the_prepayment_message_names_the_rule_and_the_figures():
    [sign] = signs_of(prepayment_fee=D("10.05"), prepayment_fee_kind="prepaid")
    assert sign.message == (
        "Fee for repaying the whole loan right after disbursement: PEN 100.50 (10.05 % of the principal repaid "
        "early, PEN 1,000.00), above the limit of PEN 100.46 (1 × the instalment of PEN 100.46; Standard 6C: a "
        "prepayment fee covers the real cost of prepaying, never the interest to the end of the term)."
    )


def test_oer_is_judged_only_against_a_recorded_ceiling_and_roe_against_thirty_percent():
    mfi = SimpleNamespace(name="IMF")
    assert institution_signs(mfi, ratios((2011, {"oer": D(40)}))) == []  # no ceiling: cannot be judged
    assert institution_signs(mfi, ratios((2011, {"oer": D(24), "oer_ceiling": D(24)}))) == []
    [oer] = institution_signs(mfi, ratios((2011, {"oer": D("24.5"), "oer_ceiling": D(24)})))
    assert oer.message == (
        "Operating expense ratio 24.5 % in 2011: above 24 %, the maximum expected for this institution "
        "(Standard 6C; source: MIX Market, 2011)."
    )
    assert institution_signs(mfi, ratios((2011, {"roe": D(30)}))) == []
    [roe] = institution_signs(mfi, ratios((2011, {"roe": D("30.1")})))
    assert roe.message == (
        "Return on equity 30.1 % in 2011: above 30 %, the 7.5 % return on assets of equity a quarter of assets "
        "(Standard 6C; source: MIX Market, 2011)."
    )
    [roa] = institution_signs(mfi, ratios((2010, {"roa": D("8.2")})))
    assert roa.message == "Return on assets 8.2 % in 2010: above 7.5 % (Standard 6C; source: MIX Market, 2010)."


def test_a_sign_stored_before_sources_were_kept_still_reads():
    """Progress rows written before this change hold facts without "source"."""
    old = [
        {"rule": "roa", "subject": "IMF", "values": {"value": "8.2", "year": 2010}},
        {"rule": "loan_loss", "subject": "IMF", "values": {"value": "0", "year": 2010}},
        {"rule": "oss", "subject": "IMF", "values": {"oss": "95", "year": 2011, "series": [[2011, "95"]]}},
    ]
    roa, loss, oss = (render(fact).message for fact in old)
    assert roa == "Return on assets 8.2 % in 2010: above 7.5 % (Standard 6C, 2010)."
    assert loss == "Loan-loss expense ratio exactly 0 % in 2010: are losses recognised? (Standard 6C, 2010)"
    assert oss.endswith("(2011: 95 %; Standard 6C, 2011).")


@pytest.fixture
def penalised(priced_innovation):  # noqa: F811 (the shared fixture)
    """The flat communal-bank loan (instalment 113.33, limit 11.33) with a penalty of 2 % of the
    whole balance (1,000 → 20.00), and its MFI's 2012 ratios: OER 27.5 % over a ceiling of 24 %,
    ROE 31 %."""
    variant = priced_innovation.product_terms.get()
    services.product_terms_save(
        innovation=priced_innovation, user=StaffFactory(), instance=variant, late_fee=D(2), late_fee_kind="balance"
    )
    mfi = priced_innovation.participations.get().institution
    InstitutionRatio.objects.create(
        institution=mfi,
        year=2012,
        operating_expense_ratio=D("27.5"),
        operating_expense_ceiling=D(24),
        return_on_equity=D(31),
        source="MIX Market",
    )
    return priced_innovation


NEW_SIGNS = [
    "Penalty for one instalment paid one period late: PEN 20.00 (2 % of the whole balance owed, PEN 1,000.00), "
    "above the limit of PEN 11.33 (10 % of the instalment of PEN 113.33;",
    "Penalty charged on the whole balance owed: 2 % of PEN 1,000.00, PEN 20.00 for one instalment",
    "Operating expense ratio 27.5 % in 2012: above 24 %, the maximum expected for this institution "
    "(Standard 6C; source: MIX Market, 2012).",
    "Return on equity 31 % in 2012: above 30 %",
]


def test_the_innovation_page_and_the_dashboard_show_the_new_signs(penalised):
    page = Client().get("/en/pilots/banca-comunal/").content.decode()
    for message in NEW_SIGNS:
        assert message in page
    assert "<strong>Cooperativa Sur</strong>: Operating expense ratio 27.5 %" in page
    assert "Insurance claims ratio" not in page  # 2012 is the latest year now: its claims ratio is not recorded
    dashboard = Client().get("/en/pilots/dashboard/").content.decode()
    for message in NEW_SIGNS:
        assert message in dashboard
    spanish = Client().get("/pilots/banca-comunal/").content.decode()
    assert "PEN 1.000,00" in spanish and "27,5 %" in spanish


def test_the_admin_records_oer_its_ceiling_and_roe(staff_client):
    mfi = MemberInstitutionFactory(name="Cooperativa Norte")
    form = staff_client.get("/admin/institution-ratios/new/").content.decode()
    for name in ("return_on_equity", "operating_expense_ratio", "operating_expense_ceiling"):
        assert f'name="{name}"' in form
    response = staff_client.post(
        "/admin/institution-ratios/new/",
        {
            "institution": mfi.pk,
            "year": "2012",
            "return_on_equity": "12,5",  # the admin speaks Spanish: decimal comma
            "operating_expense_ratio": "21,3",
            "operating_expense_ceiling": "24",
            "source": "MIX Market",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    saved = InstitutionRatio.objects.get(institution=mfi, year=2012)
    assert (saved.return_on_equity, saved.operating_expense_ratio, saved.operating_expense_ceiling) == (
        D("12.5"),
        D("21.3"),
        D(24),
    )
    assert saved.oss is None and saved.return_on_assets is None
    listing = staff_client.get("/admin/institution-ratios/").content.decode()
    assert "21,3" in listing and "12,5" in listing


def test_stored_signs_are_plain_json_with_their_source(penalised):
    ensure_current()
    stored = InnovationProgress.objects.get(innovation=penalised).warning_signs
    oer = next(fact for fact in stored if fact["rule"] == "oer")
    assert oer["values"] == {"value": "27.50", "ceiling": "24.00", "year": 2012, "source": "MIX Market"}
    late = next(fact for fact in stored if fact["rule"] == "late_fee_on_balance")
    assert late["values"]["base"] == "1000.00" and late["values"]["charge"] == "20.00"


def test_after_a_grace_period_the_overdue_instalment_is_the_first_that_repays_principal():
    """Two months of interest only (30.00 each), then 10 equal instalments:
    1,000 × 3 % / (1 − 1.03^−10) = 117.23, of which principal 117.23 − 30.00 = 87.23, on a balance
    still 1,000. Limit 10 % × 117.23 = 11.72: 13.44 % of 87.23 = 11.72 is not a sign, 13.45 % = 11.73 is."""
    grace = {"grace": 2, "late_fee_kind": "principal"}
    assert signs_of(**grace, late_fee=D("13.44")) == []
    [sign] = signs_of(**grace, late_fee=D("13.45"))
    assert "PEN 11.73 (13.45 % of the overdue principal of PEN 87.23), above the limit of PEN 11.72" in sign.message
    assert "of the instalment of PEN 117.23;" in sign.message
