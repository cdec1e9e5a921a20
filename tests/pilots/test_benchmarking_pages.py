"""The benchmarking pages as each role uses them: a member reports its semester the Spanish way
(draft, come back, submit), staff approve it, the member reads where it stands; who may open
which address; the public bulletin names no institution.

Spanish is the portal's default language: Spanish pages have no prefix (/benchmarking/…),
English ones are under /en/.

The peer group of the journey (all in Ecuador, all small, approved for January–June 2011):
PAR30 of the three peers 2 %, 4 % and 5 %, and the member's 136.400 / 2.200.000 = 6.2 %.
Quartiles by the inclusive method of [2, 4, 5, 6.2]: positions 1.75, 2.5, 3.25 →
q1 = 2 + 0.75 × 2 = 3.5, median = 4 + 0.5 × 1 = 4.5, q3 = 5 + 0.25 × 1.2 = 5.3;
6.2 > 5.3, so the member's PAR30 is in the worst quarter.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from pilots.models import FinancialReport, ReportState
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory

JAN_2011 = datetime.date(2011, 1, 1)
FORM_ES = "/benchmarking/report/2011-1/"
FORM_EN = "/en/benchmarking/report/2011-1/"

# A peer's figures (US dollars): gross portfolio 1.8 M → 2.0 M, the rest typical of a small MFI.
PEER_FIGURES = {
    "gross_portfolio_start": Decimal(1_800_000),
    "gross_portfolio_end": Decimal(2_000_000),
    "write_offs": Decimal(20_000),
    "active_borrowers": 8_000,
    "loan_officers": 40,
    "loan_revenue": Decimal(300_000),
    "financial_expense": Decimal(60_000),
    "loan_loss_provision": Decimal(30_000),
    "operating_expense": Decimal(180_000),
    "average_assets": Decimal(2_500_000),
    "average_equity": Decimal(500_000),
    "net_operating_income": Decimal(25_000),
}

# The member's figures as a Spanish reader types them.
TYPED_ES = {
    "gross_portfolio_start": "1.800.000",
    "gross_portfolio_end": "2.200.000",
    "portfolio_at_risk_30": "136.400",
    "write_offs": "8.600,50",
    "active_borrowers": "18.500",
    "loan_officers": "40",
    "loan_revenue": "300.000",
    "financial_expense": "60.000",
    "loan_loss_provision": "30.000",
    "operating_expense": "180.000",
    "average_assets": "2.500.000",
    "average_equity": "500.000",
    "net_operating_income": "-2.500,75",
}

PEER_NAMES = ("Crediamigo Andino", "Fondo Solidario Sur", "Banco Rural Esperanza")


def approved_report(institution, *, par30_percent: int, start=JAN_2011, end=datetime.date(2011, 6, 30)):
    """An approved report made directly (the setup of the peers, not what is tested)."""
    figures = dict(PEER_FIGURES)
    figures["portfolio_at_risk_30"] = figures["gross_portfolio_end"] * par30_percent / 100
    return FinancialReport.objects.create(
        institution=institution,
        period_start=start,
        period_end=end,
        state=ReportState.APPROVED,
        submitted_at=timezone.now(),
        reviewed_at=timezone.now(),
        **figures,
    )


@pytest.fixture
def peers(db):
    """Three other Ecuadorian small NGOs, approved for January–June 2011 with PAR30 2, 4, 5 %."""
    return [
        approved_report(MemberInstitutionFactory(name=name, country="EC"), par30_percent=par30)
        for name, par30 in zip(PEER_NAMES, (2, 4, 5), strict=True)
    ]


def value_of(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


def as_user(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_a_member_reports_the_spanish_way_staff_approve_and_the_member_sees_its_quarter(member_user, staff_user, peers):
    member = as_user(member_user)
    assert member.get(FORM_ES).status_code == 200

    # A draft, partly filled, typed the Spanish way.
    draft = {name: TYPED_ES[name] for name in ("gross_portfolio_start", "gross_portfolio_end", "write_offs")}
    saved = member.post(FORM_ES, {**draft, "comment": "Cifras sin auditar", "action": "save"})
    assert saved.status_code == 302
    report = FinancialReport.objects.get(institution=member_user.institution)
    assert report.state == ReportState.DRAFT
    assert report.gross_portfolio_start == Decimal(1_800_000)
    assert report.write_offs == Decimal("8600.50")
    assert report.active_borrowers is None

    # Back later: the draft is there, written the Spanish way.
    again = member.get(FORM_ES).content.decode()
    assert value_of(again, "gross_portfolio_start") == "1.800.000"
    assert value_of(again, "write_offs") == "8.600,50"
    assert "Cifras sin auditar" in again
    assert value_of(again, "version") == str(report.version)
    home = member.get("/en/benchmarking/").content.decode()
    assert "January–June 2011" in home and "Finish the draft" in home

    # Submitting the whole report.
    submitted = member.post(
        FORM_ES, {**TYPED_ES, "comment": "Cifras sin auditar", "version": report.version, "action": "submit"}
    )
    assert submitted.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert report.active_borrowers == 18_500
    assert report.net_operating_income == Decimal("-2500.75")
    assert report.portfolio_at_risk_30 == Decimal(136_400)

    # Staff: the report is in the queue; returning needs a comment; approve.
    staff = as_user(staff_user)
    overview = staff.get("/en/benchmarking/staff/").content.decode()
    detail = f"/en/benchmarking/reports/{report.pk}/"
    assert detail in overview
    review = staff.get(detail).content.decode()
    assert "6.2 %" in review  # PAR30: 136,400 ÷ 2,200,000
    assert staff.post(detail, {"action": "return", "review_comment": ""}).status_code == 400
    assert staff.post(detail, {"action": "approve"}).status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED

    # The member's quarter, in English and in Spanish numbers.
    english = member.get("/en/benchmarking/").content.decode()
    assert "Your PAR30 (6.2 %) is in the worst quarter of" in english
    standing = english[english.index('id="standing"') :]
    assert "3.5 %" in standing and "4.5 %" in standing and "5.3 %" in standing  # q1, median, q3
    spanish = member.get("/benchmarking/").content.decode()
    assert "6,2 %" in spanish and "5,3 %" in spanish


def test_a_refused_report_keeps_everything_typed(member_user):
    member = as_user(member_user)
    typed = {**TYPED_ES, "gross_portfolio_start": "1.23", "loan_officers": "cuarenta", "comment": "Primera versión"}
    refused = member.post(FORM_ES, {**typed, "action": "save"})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert 'id="id_gross_portfolio_start-error"' in body and 'id="id_loan_officers-error"' in body
    assert "error-summary" in body
    for name in ("gross_portfolio_start", "loan_officers", "write_offs", "net_operating_income"):
        assert value_of(body, name) == typed[name]
    assert "Primera versión" in body
    assert not FinancialReport.objects.exists()


def test_an_incomplete_submission_is_saved_as_a_draft_and_says_what_is_missing(member_user):
    member = as_user(member_user)
    partial = {name: TYPED_ES[name] for name in ("gross_portfolio_start", "gross_portfolio_end")}
    response = member.post(FORM_ES, {**partial, "action": "submit"})
    assert response.status_code == 400
    report = FinancialReport.objects.get()
    assert report.state == ReportState.DRAFT
    body = response.content.decode()
    assert "se guardaron como borrador" in body  # "Your figures were saved as a draft, …" in Spanish
    assert value_of(body, "version") == str(report.version)


@pytest.fixture
def member_report(member_user, peers):
    """The member's own approved report for January–June 2011."""
    return approved_report(member_user.institution, par30_percent=6)


def urls(report) -> dict[str, str]:
    return {
        "home": "/en/benchmarking/",
        "form": FORM_EN,
        "report": f"/en/benchmarking/reports/{report.pk}/",
        "staff": "/en/benchmarking/staff/",
        "institution": f"/en/benchmarking/staff/institutions/{report.institution_id}/",
        "bulletin": "/en/benchmarking/bulletin/",
    }


# What each role gets at each address: a status, or "login" (sent to sign in).
EXPECTED = {
    "anonymous": {
        "home": "login",
        "form": "login",
        "report": "login",
        "staff": "login",
        "institution": "login",
        "bulletin": 200,
    },
    "donor": {"home": 403, "form": 403, "report": 403, "staff": 403, "institution": 403, "bulletin": 200},
    "other member": {"home": 200, "form": 200, "report": 404, "staff": 403, "institution": 403, "bulletin": 200},
    "staff": {"home": 302, "form": 302, "report": 200, "staff": 200, "institution": 200, "bulletin": 200},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_who_may_open_which_address(role, member_report):
    user = {
        "anonymous": lambda: None,
        "donor": lambda: DonorFactory(username="a-donor"),
        "other member": lambda: MemberUserFactory(
            username="other", institution=MemberInstitutionFactory(name="Otra IMF")
        ),
        "staff": lambda: StaffFactory(username="a-staff"),
    }[role]()
    client = as_user(user)
    owner = member_report.institution.name
    for name, url in urls(member_report).items():
        response = client.get(url)
        expected = EXPECTED[role][name]
        if expected == "login":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (role, name)
            continue
        assert response.status_code == expected, (role, name, response.status_code)
        if role in ("donor", "other member", "anonymous") and response.status_code == 200:
            assert owner not in response.content.decode(), f"{role} sees the institution's name at {name}"
    if role == "other member":  # its own pages hold nothing of the member's report
        page = client.get(urls(member_report)["form"]).content.decode()
        assert "2.000.000" not in page and "2,000,000" not in page


def test_a_member_opening_its_own_report_address_goes_to_its_form(member_user, member_report):
    response = as_user(member_user).get(f"/en/benchmarking/reports/{member_report.pk}/")
    assert response.status_code == 302 and response["Location"].endswith("/benchmarking/report/2011-1/")


def test_the_bulletin_names_no_institution(member_report, peers):
    approved_report(MemberInstitutionFactory(name="Cooperativa Lejana", country="PE"), par30_percent=3)
    names = [*PEER_NAMES, member_report.institution.name, "Cooperativa Lejana"]
    for client in (Client(), as_user(DonorFactory(username="d"))):
        for url in (
            "/en/benchmarking/bulletin/",
            "/benchmarking/bulletin/",
            "/en/benchmarking/bulletin/?semester=2011-1",
        ):
            page = client.get(url).content.decode()
            assert "January–June 2011" in page or "2011" in page
            for name in names:
                assert name not in page, (url, name)
    english = Client().get("/en/benchmarking/bulletin/").content.decode()
    assert "All reporting members" in english
    # Five institutions: four in Ecuador (shown), one in Peru (hidden, with its complement).
    assert "not published" in english


def test_the_member_page_and_the_bulletin_take_a_bounded_number_of_queries(
    member_user, member_report, django_assert_max_num_queries
):
    for index in range(6):  # more institutions and semesters must not mean more queries
        institution = MemberInstitutionFactory(country="PE" if index % 2 else "EC")
        approved_report(institution, par30_percent=index + 1)
        approved_report(
            institution, par30_percent=index + 2, start=datetime.date(2010, 7, 1), end=datetime.date(2010, 12, 31)
        )
    member = as_user(member_user)
    with django_assert_max_num_queries(8):
        assert member.get("/en/benchmarking/").status_code == 200
    with django_assert_max_num_queries(6):
        assert Client().get("/en/benchmarking/bulletin/").status_code == 200
    staff = as_user(StaffFactory(username="q-staff"))
    with django_assert_max_num_queries(8):
        assert staff.get("/en/benchmarking/staff/").status_code == 200


def test_a_returned_report_says_what_to_correct_and_opens_again(member_user, staff_user):
    member = as_user(member_user)
    assert member.post(FORM_ES, {**TYPED_ES, "action": "submit"}).status_code == 302
    report = FinancialReport.objects.get()
    detail = f"/en/benchmarking/reports/{report.pk}/"
    returned = as_user(staff_user).post(detail, {"action": "return", "review_comment": "Revisen la mora > 30 días"})
    assert returned.status_code == 302
    home = member.get("/en/benchmarking/").content.decode()
    assert "Corrections asked: Revisen la mora &gt; 30 días" in home
    form = member.get(FORM_ES).content.decode()
    assert "Revisen la mora &gt; 30 días" in form
    assert value_of(form, "portfolio_at_risk_30") == "136.400", "the figures sent come back to be corrected"


def test_the_earlier_semester_chooser_opens_that_semesters_form(member_user):
    member = as_user(member_user)
    response = member.get("/en/benchmarking/", {"report": "2010-2"})
    assert response.status_code == 302 and response["Location"] == "/en/benchmarking/report/2010-2/"
    assert member.get("/en/benchmarking/report/2010-3/").status_code == 404
    assert member.get("/en/benchmarking/report/2099-1/").status_code == 404  # not started yet


def test_the_bulletin_shows_all_members_over_time(peers):
    """The same three peers reported July–December 2010 too, with PAR30 1, 2, 3 %: quartiles
    1.5 / 2 / 2.5 then (inclusive: positions 1.5, 2, 2.5), 3 / 4 / 4.5 in January–June 2011."""
    for report, par30 in zip(peers, (1, 2, 3), strict=True):
        approved_report(
            report.institution,
            par30_percent=par30,
            start=datetime.date(2010, 7, 1),
            end=datetime.date(2010, 12, 31),
        )
    page = Client().get("/en/benchmarking/bulletin/").content.decode()
    trend = page[page.index('id="trend"') :]
    row = trend[trend.index("(PAR30)") : trend.index("</tr>", trend.index("(PAR30)"))]
    assert trend.index("July–December 2010") < trend.index("January–June 2011")  # oldest first
    cells = re.findall(r"<strong>([^<]+)</strong><br><span class=\"meta\">([^<]+)</span>", row)
    assert cells == [("2 %", "1.5 % – 2.5 %"), ("4 %", "3 % – 4.5 %")]


def test_the_semester_after_the_latest_report_is_offered_when_it_went_unreported(member_user):
    """The demo's case: a member whose reports stop in July–December 2010 is shown
    January–June 2011 to report, besides the semester under way and the last one ended."""
    approved_report(
        member_user.institution, par30_percent=3, start=datetime.date(2010, 7, 1), end=datetime.date(2010, 12, 31)
    )
    page = as_user(member_user).get("/en/benchmarking/").content.decode()
    assert 'href="/en/benchmarking/report/2011-1/"' in page
    assert "January–June 2011" in page
