"""Peer groups, quartiles, suppression and where a member stands (pilots.benchmarking.peers),
checked against examples worked out by hand.

Every report below has the figures of the ratios' worked example (gross portfolio 1.8 M → 2.2 M,
so an average of 2 M; 8,000 borrowers; OSS 111.11 %; …) except the ones a test changes. With
the portfolio at the end fixed, PAR30 in percent is PAR>30 ÷ gross portfolio at the end × 100.
"""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from pilots.benchmarking.peers import peer_rows, peer_trend, where_you_stand
from pilots.benchmarking.standing import position
from pilots.models import FinancialReport
from tests.factories import MemberInstitutionFactory

pytestmark = pytest.mark.django_db

H1_2024 = datetime.date(2024, 1, 1)
H2_2024 = datetime.date(2024, 7, 1)
END = {H1_2024: datetime.date(2024, 6, 30), H2_2024: datetime.date(2024, 12, 31)}
WORKED = {
    "gross_portfolio_start": Decimal("1800000"),
    "gross_portfolio_end": Decimal("2200000"),
    "portfolio_at_risk_30": Decimal("110000"),
    "write_offs": Decimal("20000"),
    "active_borrowers": 8000,
    "loan_officers": 40,
    "loan_revenue": Decimal("300000"),
    "financial_expense": Decimal("60000"),
    "loan_loss_provision": Decimal("30000"),
    "operating_expense": Decimal("180000"),
    "average_assets": Decimal("2500000"),
    "average_equity": Decimal("500000"),
    "net_operating_income": Decimal("25000"),
}


def report(institution, par30, *, period=H1_2024, state="approved", portfolio_end=Decimal("2200000"), **figures):
    """An approved report whose PAR30 is `par30` percent of the portfolio at the end."""
    values = WORKED | {"gross_portfolio_end": portfolio_end} | figures
    values["portfolio_at_risk_30"] = portfolio_end * Decimal(str(par30)) / 100
    return FinancialReport.objects.create(
        institution=institution,
        period_start=period,
        period_end=END[period],
        state=state,
        submitted_at=None if state == "draft" else timezone.now(),
        **values,
    )


def mfi(country="EC", institution_type="ngo", founded=2010):
    return MemberInstitutionFactory(country=country, institution_type=institution_type, founded=founded)


def row(rows, dimension, group):
    (found,) = [r for r in rows if (r.dimension, r.group) == (dimension, group)]
    return found


def par30(row_):
    cell = row_.cells["par30"]
    return None if cell.suppressed else (cell.q1, cell.median, cell.q3)


class TestQuartiles:
    """QUARTILE.INC: quartile k of m sorted values at position 1 + k(m − 1)/4, interpolated."""

    def test_five_values(self):
        for value in [10, 1, 7, 2, 4]:
            report(mfi(), value)
        # 1, 2, 4, 7, 10: positions 2, 3, 4 → 2, 4, 7
        assert par30(row(peer_rows(H1_2024), "all", "all")) == (Decimal("2.00"), Decimal("4.00"), Decimal("7.00"))

    def test_four_values(self):
        for value in [7, 1, 4, 2]:
            report(mfi(), value)
        # positions 1.75, 2.5, 3.25: 1 + 0.75 × 1 = 1.75; (2 + 4) / 2 = 3; 4 + 0.25 × 3 = 4.75
        assert par30(row(peer_rows(H1_2024), "all", "all")) == (Decimal("1.75"), Decimal("3.00"), Decimal("4.75"))

    def test_three_values_halfway_between_neighbours(self):
        for value in ["1.01", "2.02", "4.00"]:
            report(mfi(), value)
        # q1 halfway between 1.01 and 2.02 = 1.515 → 1.52 (halves up); median 2.02; q3 (2.02 + 4) / 2 = 3.01
        cells = row(peer_rows(H1_2024), "all", "all").cells
        assert (cells["par30"].n, *par30(row(peer_rows(H1_2024), "all", "all"))) == (
            3,
            Decimal("1.52"),
            Decimal("2.02"),
            Decimal("3.01"),
        )
        # every report has OSS 300,000 / 270,000 = 111.11 %
        assert (cells["oss"].q1, cells["oss"].median, cells["oss"].q3) == (Decimal("111.11"),) * 3


class TestSuppression:
    def test_a_group_of_two_is_hidden_and_so_is_its_complement(self):
        # The docs' example (A–E): 3 NGOs and 2 banks. The banks are hidden (2 < 3); the NGOs too,
        # since 5 reporting members − 3 NGOs would give the 2 banks.
        members = [(1, "EC", "ngo"), (2, "EC", "bank"), (4, "PE", "ngo"), (7, "PE", "ngo"), (10, "PE", "bank")]
        for value, country, kind in members:
            report(mfi(country=country, institution_type=kind), value)
        rows = peer_rows(H1_2024)
        # By country likewise: Ecuador (2) is hidden, and Peru (3) with it.
        assert {r.group: r.suppressed for r in rows if r.dimension == "country"} == {"EC": True, "PE": True}
        assert par30(row(rows, "region", "andean")) == (Decimal("2.00"), Decimal("4.00"), Decimal("7.00"))
        for group in ("bank", "ngo"):
            hidden = row(rows, "type", group)
            assert hidden.suppressed and hidden.n is None
            assert all(cell.suppressed and cell.median is None for cell in hidden.cells.values())
        everyone = row(rows, "all", "all")
        assert (everyone.n, everyone.suppressed) == (5, False)

    def test_the_smallest_shown_group_goes_when_a_small_one_could_be_subtracted(self):
        kinds = ["ngo"] * 4 + ["cooperative"] * 3 + ["bank"] * 2
        for index, kind in enumerate(kinds):
            report(mfi(institution_type=kind), index + 1)
        rows = peer_rows(H1_2024)
        assert {r.group: r.suppressed for r in rows if r.dimension == "type"} == {
            "bank": True,
            "cooperative": True,  # 9 − 4 NGOs = 5, never the 2 banks alone
            "ngo": False,
        }
        assert row(rows, "type", "ngo").n == 4

    def test_a_country_is_protected_inside_its_region_too(self):
        # Andean: Ecuador 3, Peru 3, Bolivia 2; Central America: Guatemala 3, El Salvador 1.
        # Bolivia and El Salvador are hidden; against the total of 12 they are 3 together, but
        # the Andean row (8) − 3 − 3 would give Bolivia's 2, so Ecuador (first of the equal
        # smallest) is hidden too, and Central America's 4 − 3 would give El Salvador's 1.
        for country, count in [("EC", 3), ("PE", 3), ("BO", 2), ("GT", 3), ("SV", 1)]:
            for _ in range(count):
                report(mfi(country=country), 3)
        rows = peer_rows(H1_2024)
        assert {r.group for r in rows if r.dimension == "region" and r.suppressed} == set()
        hidden = {r.group for r in rows if r.dimension == "country" and r.suppressed}
        assert hidden == {"BO", "EC", "GT", "SV"}

    def test_a_cell_needs_three_institutions_with_the_ratio(self):
        report(mfi(), 1)
        report(mfi(), 2)
        report(mfi(), 4, average_equity=None)  # no ROE
        cells = row(peer_rows(H1_2024), "all", "all").cells
        assert not cells["par30"].suppressed and cells["par30"].n == 3
        assert cells["roe"].suppressed and cells["roe"].median is None and cells["roe"].n is None

    def test_only_approved_reports_count(self):
        for value in [1, 2, 4]:
            report(mfi(), value)
        report(mfi(), 50, state="draft")
        report(mfi(), 60, state="submitted")
        report(mfi(), 70, state="returned")
        everyone = row(peer_rows(H1_2024), "all", "all")
        assert everyone.n == 3
        assert par30(everyone) == (Decimal("1.50"), Decimal("2.00"), Decimal("3.00"))


class TestPosition:
    @pytest.mark.parametrize(
        ("value", "quarter"), [("1.5", 1), ("2", 1), ("3", 2), ("4", 2), ("5", 3), ("7", 3), ("8", 4)]
    )
    def test_lower_is_better(self, value, quarter):
        assert position(Decimal(value), Decimal(2), Decimal(4), Decimal(7), "lower") == quarter

    @pytest.mark.parametrize(
        ("value", "quarter"), [("125", 1), ("120", 1), ("115", 2), ("110", 2), ("100", 3), ("95", 3), ("90", 4)]
    )
    def test_higher_is_better(self, value, quarter):
        assert position(Decimal(value), Decimal(95), Decimal(110), Decimal(120), "higher") == quarter

    def test_no_better_direction_counts_from_the_lowest(self):
        assert position(Decimal(1), Decimal(2), Decimal(4), Decimal(7), None) == 1
        assert position(Decimal(9), Decimal(2), Decimal(4), Decimal(7), None) == 4


@pytest.fixture
def andean_small():
    """Five small Andean MFIs (Ecuador 2, Peru 2, Bolivia 1) and three large Ecuadorian ones.
    The member (Ecuador, PAR30 6.2 %) has no shown country-and-size group (Ecuador-small is 2),
    so its peers are the five small Andean MFIs: PAR30 1, 2, 3, 4, 6.2 → q1 2, median 3, q3 4."""
    member = mfi("EC")
    report(member, "6.2")
    for country, value in [("EC", 1), ("PE", 2), ("PE", 3), ("BO", 4)]:
        report(mfi(country), value)
    for value in [5, 6, 7]:
        report(mfi("EC"), value, portfolio_end=Decimal("20000000"))
    return member


class TestWhereYouStand:
    def test_the_sentence_names_the_quarter_and_the_peer_group(self, andean_small):
        standing = {s.ratio.key: s for s in where_you_stand(andean_small, H1_2024)}["par30"]
        assert (standing.peer_dimension, standing.peer_group, standing.peer_n) == ("region_size", "andean:small", 5)
        assert (standing.q1, standing.median, standing.q3) == (Decimal("2.00"), Decimal("3.00"), Decimal("4.00"))
        assert standing.quarter == 4 and standing.quarter_label == "worst quarter"
        assert standing.sentence == "Your PAR30 (6.2 %) is in the worst quarter of Andean MFIs of your size."

    def test_higher_is_better_and_no_direction(self, andean_small):
        standings = {s.ratio.key: s for s in where_you_stand(andean_small, H1_2024)}
        # Everyone's OSS is 111.11 %: on every quartile, so in the best quarter.
        assert standings["oss"].quarter == 1
        assert standings["oss"].sentence == (
            "Your operational self-sufficiency (111.1 %) is in the best quarter of Andean MFIs of your size."
        )
        # Portfolio yield (neither direction better): 300,000 / 2,000,000 × 2 = 30 % for everyone.
        assert standings["portfolio_yield"].sentence == (
            "Your portfolio yield (30 %) is at the median of Andean MFIs of your size."
        )
        # Cost per borrower: 180,000 / 8,000 × 2 = 45 US dollars.
        assert standings["cost_per_borrower"].value_text == "USD 45"

    def test_numbers_in_spanish(self, andean_small):
        with translation.override("es"):
            standing = where_you_stand(andean_small, H1_2024)[0]
        assert standing.value_text == "6,2 %"
        assert "(6,2 %)" in standing.sentence

    def test_the_smallest_shown_group_is_the_peer_group(self, andean_small):
        report(mfi("EC"), 9)  # Ecuador-small now counts 3: shown, and smaller than the 6 small Andeans
        standing = where_you_stand(andean_small, H1_2024)[0]
        assert (standing.peer_dimension, standing.peer_group, standing.peer_n) == ("country_size", "EC:small", 3)
        # 1, 6.2, 9 → q1 3.60, median 6.20, q3 7.60: 6.2 on the median is in the second quarter
        assert (standing.q1, standing.median, standing.q3) == (Decimal("3.60"), Decimal("6.20"), Decimal("7.60"))
        assert standing.sentence == "Your PAR30 (6.2 %) is in the second quarter of MFIs in Ecuador of your size."

    def test_the_trend_is_the_members_own_approved_semesters(self, andean_small):
        report(andean_small, "8.4", period=H2_2024)
        later = mfi("EC")
        report(later, "1", period=H2_2024, state="draft")
        trend = where_you_stand(andean_small, H1_2024)[0].trend
        assert [(point.period_start, point.value) for point in trend] == [
            (H1_2024, Decimal("6.20")),
            (H2_2024, Decimal("8.40")),
        ]

    def test_no_approved_report_this_semester(self, andean_small):
        newcomer = mfi("PE")
        report(newcomer, 1, state="submitted")
        standing = where_you_stand(newcomer, H1_2024)[0]
        assert standing.value is None and standing.quarter is None
        assert standing.peer_group == "andean"  # its size is not known: its region
        assert standing.sentence == "Your PAR30 is not available for this semester."


def test_peer_trend_over_semesters():
    for value in [1, 2, 4]:
        report(mfi(), value)
    for value in [2, 4]:
        report(mfi(), value, period=H2_2024)
    assert peer_trend("all", "all", "par30") == [
        (H1_2024, Decimal("1.50"), Decimal("2.00"), Decimal("3.00")),
        (H2_2024, None, None, None),  # two reports: hidden
    ]


@pytest.mark.parametrize("members", [3, 12])
def test_queries_do_not_grow_with_the_membership(members, django_assert_max_num_queries):
    member = mfi("PE")
    report(member, 5)
    for index in range(members):
        report(mfi(["EC", "PE", "MX"][index % 3], founded=2000 + index), index + 1)
    with django_assert_max_num_queries(1):
        peer_rows(H1_2024)
    with django_assert_max_num_queries(1):
        where_you_stand(member, H1_2024)
