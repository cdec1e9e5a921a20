"""Standard 6C's institution signs from approved financial reports and the peers' quartiles, staff's
ratios as the fallback, the members' own peer APR, and stored signs recomputed on approval
(pilots/pricing/signs_reports.py, signs_peers.py; issue 28). Every expected figure is worked out
by hand in the comments from the reports' figures.

Each report has the figures of the ratios' worked example (gross portfolio 1.8 M → 2.2 M, average
2 M; average assets 2.5 M; equity 0.5 M; financial expense 60,000; operating expense 180,000)
except what a test changes, so:
- ROA = net operating income ÷ 2,500,000 × 2 × 100 = income ÷ 12,500 (in %);
- ROE = income ÷ 500,000 × 2 × 100 = income ÷ 2,500;
- loan-loss expense ratio = provision ÷ 2,000,000 × 2 × 100 = provision ÷ 10,000;
- OSS = loan revenue ÷ (60,000 + provision + 180,000) × 100.
"""

import datetime
from decimal import Decimal as D

import pytest
from django.test import Client
from django.utils import timezone

from pilots import services
from pilots.benchmarking.services import financial_report_approve
from pilots.models import FinancialReport, InnovationProgress, InstitutionRatio
from pilots.pricing.signs import render
from pilots.pricing.signs_reports import signs_by_institution
from pilots.progress import ensure_current
from tests.factories import MemberInstitutionFactory, StaffFactory
from tests.pilots.factories import InnovationFactory

from .test_pricing import priced_innovation  # noqa: F401 (the shared fixture)

pytestmark = pytest.mark.django_db

APPROVED_ON = timezone.make_aware(datetime.datetime(2011, 8, 15, 12, 0))
FIGURES = {
    "gross_portfolio_start": D(1_800_000),
    "gross_portfolio_end": D(2_200_000),
    "portfolio_at_risk_30": D(110_000),
    "write_offs": D(20_000),
    "active_borrowers": 8000,
    "loan_officers": 40,
    "loan_revenue": D(300_000),
    "financial_expense": D(60_000),
    "loan_loss_provision": D(30_000),
    "operating_expense": D(180_000),
    "average_assets": D(2_500_000),
    "average_equity": D(500_000),
    "net_operating_income": D(25_000),
}


def semester_end(start: datetime.date) -> datetime.date:
    return datetime.date(start.year, 6, 30) if start.month == 1 else datetime.date(start.year, 12, 31)


def report(institution, start=datetime.date(2011, 1, 1), state="approved", **figures):
    return FinancialReport.objects.create(
        institution=institution,
        period_start=start,
        period_end=semester_end(start),
        state=state,
        submitted_at=APPROVED_ON - datetime.timedelta(days=30),
        reviewed_at=APPROVED_ON if state == "approved" else None,
        **(FIGURES | figures),
    )


def messages(institution, rule=None) -> list[str]:
    facts = signs_by_institution({institution.pk: institution})[institution.pk]
    return [render(fact).message for fact in facts if rule in (None, fact["rule"])]


CITED = "(Standard 6C; source: approved financial report, January–June 2011, approved on Aug. 15, 2011)"


@pytest.fixture
def four_peers():
    """Four Ecuadorian MFIs, small (2.2 M at the end), approved for January–June 2011:

    | MFI | income | ROA % | ROE % | provision | loan-loss % | OSS % |
    | A | 25,000 | 2 | 10 | 30,000 | 3 | 300 / 270 = 111.11 |
    | B | 37,500 | 3 | 15 | 20,000 | 2 | 300 / 260 = 115.38 |
    | C | 50,000 | 4 | 20 | 40,000 | 4 | 300 / 280 = 107.14 |
    | D | 75,000 | 6 | 30 | 100,000 | 10 | 300 / 340 = 88.24 |

    Quartiles of four sorted values x1..x4 (inclusive method): positions 1.75, 2.5, 3.25.
    ROA 2, 3, 4, 6: q1 = 2 + 0.75 × 1 = 2.75, q3 = 4 + 0.25 × (6 − 4) = 4.5.
    Loan-loss 2, 3, 4, 10: q1 = 2.75, q3 = 4 + 0.25 × (10 − 4) = 5.5.
    Each is in every group of the others (Ecuador and small, Andean and small, Andean, all; four
    each), so the peer group is the first, "Ecuador, small (< USD 4 M)"."""
    rows = {
        "A": (25_000, 30_000),
        "B": (37_500, 20_000),
        "C": (50_000, 40_000),
        "D": (75_000, 100_000),
    }
    mfis = {}
    for name, (income, provision) in rows.items():
        mfis[name] = MemberInstitutionFactory(name=f"IMF {name}", country="EC")
        report(mfis[name], net_operating_income=D(income), loan_loss_provision=D(provision))
    return mfis


def test_roa_above_the_peers_top_quartile_and_loan_loss_above_the_standards_ceiling(four_peers):
    d = four_peers["D"]
    # ROA 6 %: below the fixed 7.5 % but above the peers' q3 of 4.5 %
    assert messages(d, "roa") == [
        f"Return on assets 6 % in January–June 2011: above 4.5 %, the top quartile of its peers "
        f"(Ecuador, small (< USD 4 M)) {CITED}."
    ]
    assert messages(d, "loan_loss") == [  # above the standard's 5 %
        f"Loan-loss expense ratio 10 % in January–June 2011: above 5 % {CITED}."
    ]
    # 2 % is below the peers' q1 of 2.75 %, but not far: the lower fence is 2.75 − 1.5 × 2.75 < 0
    assert messages(four_peers["B"], "loan_loss") == []
    assert messages(four_peers["A"]) == [] and messages(four_peers["C"]) == []
    assert messages(d, "roe") == []  # exactly 30 % is not above 30 %
    # OSS 88.24 % and no report of January–June 2009 or 2010: no trend
    assert messages(d, "oss") == [
        "Operational self-sufficiency 88.2 % in January–June 2011: below 100 % without an upward trend over "
        f"three years (January–June 2011: 88.2 %; {CITED[1:-1]})."
    ]


def test_loan_loss_far_outside_the_peers_middle_half_under_the_standards_ceiling():
    """Loan-loss 2, 2.2, 2.4 and 4.9 % (provisions 20,000 … 49,000 on an average portfolio of
    2,000,000, × 2): q1 = 2 + 0.75 × 0.2 = 2.15, q3 = 2.4 + 0.25 × 2.5 = 3.025; the spread 0.875
    puts the upper fence at 3.025 + 1.3125 = 4.3375: 4.9 % is far above, under 5 % all the same."""
    mfis = {}
    for name, provision in (("A", 20_000), ("B", 22_000), ("C", 24_000), ("D", 49_000)):
        mfis[name] = MemberInstitutionFactory(name=f"IMF {name}", country="EC")
        report(mfis[name], loan_loss_provision=D(provision))
    assert messages(mfis["D"], "loan_loss") == [
        "Loan-loss expense ratio 4.9 % in January–June 2011: far outside its peers (Ecuador, small "
        f"(< USD 4 M)), whose middle half is 2.15 % to 3.03 % {CITED}."
    ]
    assert all(messages(mfis[name], "loan_loss") == [] for name in "ABC")


def test_reports_not_approved_count_nowhere(four_peers):
    """A submitted report of a fifth MFI with ROA 40 % changes neither the quartiles nor its signs."""
    e = MemberInstitutionFactory(country="EC")
    report(e, state="submitted", net_operating_income=D(500_000))
    assert messages(e) == []  # no approved report and no staff ratios: nothing to judge
    assert "above 4.5 %" in messages(four_peers["D"], "roa")[0]


def test_oss_trend_compares_the_same_half_of_three_years():
    """OSS = revenue ÷ 270,000: 243,000 → 90 %, 256,500 → 95 %, 264,600 → 98 %, 216,000 → 80 %.
    Alone, the MFI has no peer group shown: the fixed rules apply to loan-loss and ROA."""
    mfi = MemberInstitutionFactory(country="PE")
    report(mfi, datetime.date(2009, 1, 1), loan_revenue=D(243_000))
    report(mfi, datetime.date(2010, 1, 1), loan_revenue=D(256_500))
    report(mfi, datetime.date(2010, 7, 1), loan_revenue=D(216_000))  # the other half: not compared
    latest = report(mfi, datetime.date(2011, 1, 1), loan_revenue=D(264_600))
    assert messages(mfi) == []  # 90 < 95 < 98: below 100 % but rising
    latest.loan_revenue = D(251_100)  # 93 %: below 2010's 95 %
    latest.save()
    assert messages(mfi, "oss") == [
        "Operational self-sufficiency 93 % in January–June 2011: below 100 % without an upward trend over "
        "three years (January–June 2009: 90 %, January–June 2010: 95 %, January–June 2011: 93 %; "
        f"{CITED[1:-1]})."
    ]


def test_without_peers_the_fixed_ceilings_apply():
    """Income 100,000: ROA 8 % (above 7.5 %), ROE 40 % (above 30 %); provision 0: loan-loss 0 %."""
    mfi = MemberInstitutionFactory(country="PE")
    report(mfi, net_operating_income=D(100_000), loan_loss_provision=D(0))
    assert messages(mfi) == [
        f"Loan-loss expense ratio exactly 0 % in January–June 2011: are losses recognised? {CITED}",
        f"Return on assets 8 % in January–June 2011: above 7.5 % {CITED}.",
        "Return on equity 40 % in January–June 2011: above 30 %, the 7.5 % return on assets of equity a quarter "
        f"of assets {CITED}.",
    ]


def test_staff_ratios_are_the_fallback_and_still_give_the_ceiling_and_the_claims_ratio():
    mfi = MemberInstitutionFactory(name="Cooperativa Norte", country="PE")
    InstitutionRatio.objects.create(
        institution=mfi, year=2011, operating_expense_ceiling=D(15), claims_ratio=D(24), source="Informe anual"
    )
    report(mfi)  # OER = 180,000 ÷ 2,000,000 × 2 × 100 = 18 %
    assert messages(mfi) == [
        "Operating expense ratio 18 % in January–June 2011: above 15 %, the maximum expected for this institution "
        f"entered by staff for 2011 {CITED}.",
        "Insurance claims ratio 24 % in 2011: below 30 %, little value for clients (Standard 6C; source: "
        "Informe anual, 2011).",
    ]
    # staff's ratios of a later year than the latest approved report win, with their own source
    InstitutionRatio.objects.create(institution=mfi, year=2012, return_on_assets=D(9), source="MIX Market")
    assert messages(mfi) == ["Return on assets 9 % in 2012: above 7.5 % (Standard 6C; source: MIX Market, 2012)."]


def test_approving_a_report_recomputes_the_stored_signs(priced_innovation):  # noqa: F811
    mfi = priced_innovation.participations.get().institution
    ensure_current()
    submitted = report(mfi, state="submitted", net_operating_income=D(100_000))  # ROE 40 %
    ensure_current()
    stored = InnovationProgress.objects.get(innovation=priced_innovation).warning_signs
    assert [fact["rule"] for fact in stored if fact["subject"] == mfi.name] == ["claims"]
    financial_report_approve(report=submitted, user=StaffFactory())
    assert not InnovationProgress.objects.filter(innovation=priced_innovation).exists()  # out of date
    ensure_current()
    stored = InnovationProgress.objects.get(innovation=priced_innovation).warning_signs
    roe = next(fact for fact in stored if fact["rule"] == "roe")
    assert roe["values"]["value"] == "40.00" and roe["values"]["period"] == "2011-01-01"
    dashboard = Client().get("/en/pilots/dashboard/").content.decode()
    assert "Return on equity 40 % in January–June 2011: above 30 %" in dashboard
    assert "approved financial report, January–June 2011, approved on" in dashboard
    spanish = Client().get("/pilots/dashboard/").content.decode()
    assert "40 %" in spanish and "2011" in spanish


def npv(rate: D, flows: list[D]) -> D:
    return sum((flow / (1 + rate) ** period for period, flow in enumerate(flows)), D(0))


def peer_loan(line, annual_rate: int, **extra):
    """Another innovation's loan in Peru, small, 1,000 over 12 months on the declining balance at
    `annual_rate` % a year: no fee, so its APR is the quoted rate (40, 50, 60 %)."""
    innovation = InnovationFactory(product_line=line, countries=["PE"])
    return services.product_terms_save(
        innovation=innovation,
        user=StaffFactory(),
        name="Préstamo",
        country="PE",
        amount=D(1000),
        term=12,
        rate=D(annual_rate),
        rate_per="year",
        method="declining",
        **extra,
    )


def test_the_declining_loans_cost_their_quoted_rate():
    """Independent check of the peers' APRs: at 40 % a year, 3.3333 % a month, the instalment of
    1,000 over 12 months is 1,000 × i ÷ (1 − (1 + i)^−12) = 33.333 ÷ (1 − 1 ÷ 1.48213) = 102.47, and the NPV of the flows at
    that monthly rate is 0 (to the cent): the IRR is the quoted rate, the APR 12 × i = 40 %."""
    i = D(40) / 100 / 12
    instalment = (D(1000) * i / (1 - (1 + i) ** -12)).quantize(D("0.01"))
    assert instalment == D("102.47")
    assert abs(npv(i, [D(-1000)] + [instalment] * 12)) < D("0.05")


def apr_sign(innovation) -> str:
    page = Client().get(f"/en/pilots/{innovation.slug}/").content.decode()
    start = page.index("APR 77.38 % is more than 15 %")
    return page[start : page.index(")", start + 80) + 2]


def test_the_peer_apr_is_the_members_own_average_where_three_exist(priced_innovation):  # noqa: F811
    """The communal-bank loan (APR 77.38 %) against 40, 50, 60 %: average 50 %, limit 57.5 %.
    With two only, the peer average staff recorded (45 %, MFTransparency) is used."""
    line = priced_innovation.product_line
    peer_loan(line, 40)
    peer_loan(line, 50)
    peer_loan(line, 70, illustrative=True)  # made up: never a real product's peer
    peer_loan(line, 50, size_band="medium")  # another band
    ensure_current()
    assert "peer average of 45 % (limit 51.75 %; MFTransparency" in apr_sign(priced_innovation)
    peer_loan(line, 60)  # the third: the stored signs of the line's innovations are out of date
    assert not InnovationProgress.objects.filter(innovation=priced_innovation).exists()
    sign = apr_sign(priced_innovation)
    assert "peer average of 50 % (limit 57.5 %; average of 3 similar products of other members in the portal" in sign
    ensure_current()
    stored = InnovationProgress.objects.get(innovation=priced_innovation).warning_signs
    apr = next(fact for fact in stored if fact["rule"] == "apr_above_peers")
    assert (apr["values"]["peer"], apr["values"]["peers"]) == ("50.00", 3)
    page = Client().get(f"/en/pilots/{priced_innovation.slug}/").content.decode()
    assert "Peer average APR for this country, product line and loan size: 50.00 % (average of 3 similar" in page
