"""A member's semiannual financial report: drafts, submission, staff's review, and every refusal."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pilots.benchmarking.services import (
    financial_report_approve,
    financial_report_return,
    financial_report_save,
    financial_report_submit,
)
from pilots.models import FIGURE_NAMES, FinancialReport, ReportState
from tests.factories import MemberInstitutionFactory, MemberUserFactory, StaffFactory

pytestmark = pytest.mark.django_db

SEMESTER = datetime.date(2025, 7, 1)  # July–December 2025
AFTER = datetime.date(2026, 1, 20)  # the semester has ended
DURING = datetime.date(2025, 10, 15)  # it has started, not ended

FULL = {
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


def save(user, values, *, version=None, institution=None, period_start=SEMESTER, comment="", today=AFTER):
    return financial_report_save(
        institution=institution or user.institution,
        period_start=period_start,
        values=values,
        comment=comment,
        version=version,
        user=user,
        today=today,
    )


def submitted(member_user):
    report = save(member_user, FULL)
    return financial_report_submit(report=report, version=report.version, user=member_user, today=AFTER)


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


# --- drafts -------------------------------------------------------------------------------


def test_a_member_saves_a_partial_draft_and_comes_back_to_it(member_user):
    report = save(member_user, {"gross_portfolio_start": Decimal("1800000.00"), "active_borrowers": 8000}, today=DURING)
    assert report.state == ReportState.DRAFT
    assert report.period_end == datetime.date(2025, 12, 31)
    assert report.version == 1
    assert report.updated_by == member_user

    # Later: the form shows what was saved, and carries the version it loaded
    again = FinancialReport.objects.get(institution=member_user.institution, period_start=SEMESTER)
    assert again.gross_portfolio_start == Decimal("1800000.00")
    assert again.active_borrowers == 8000
    assert again.gross_portfolio_end is None
    report = save(
        member_user,
        {"gross_portfolio_end": Decimal("2200000.00"), "active_borrowers": 8100},
        version=again.version,
        comment="  Cifras auditadas.  ",
        today=DURING,
    )
    report.refresh_from_db()
    assert report.version == 2
    assert report.gross_portfolio_start == Decimal("1800000.00")  # kept from the first save
    assert report.gross_portfolio_end == Decimal("2200000.00")
    assert report.active_borrowers == 8100
    assert report.comment == "Cifras auditadas."
    assert [record.history_user for record in report.history.all()] == [member_user, member_user]


def test_an_empty_field_empties_the_figure(member_user):
    report = save(member_user, {"write_offs": Decimal("20000")})
    report = save(member_user, {"write_offs": None}, version=report.version)
    report.refresh_from_db()
    assert report.write_offs is None


def test_the_same_save_twice_is_harmless(member_user):
    report = save(member_user, {"write_offs": Decimal("20000")})
    stale = report.version
    report = save(member_user, {"write_offs": Decimal("20000")}, version=stale)
    again = save(member_user, {"write_offs": Decimal("20000")}, version=stale)  # a double click
    assert again.version == report.version == 2


def test_staff_can_save_for_an_institution(staff_user):
    institution = MemberInstitutionFactory()
    report = save(staff_user, {"loan_officers": 40}, institution=institution)
    assert report.institution == institution
    assert report.updated_by == staff_user


def test_wrong_figures_are_refused_by_field_and_nothing_is_saved(member_user):
    with pytest.raises(ValidationError) as error:
        save(
            member_user,
            {
                "write_offs": Decimal("-5"),
                "active_borrowers": Decimal("10.5"),
                "loan_officers": -1,
                "operating_expense": Decimal("1.005"),
                "gross_portfolio_end": Decimal("2200000"),
            },
        )
    assert messages(error) == {
        "write_offs": ["Enter an amount of 0 or more."],
        "active_borrowers": ["Enter a whole number."],
        "loan_officers": ["Enter a number of 0 or more."],
        "operating_expense": ["Enter an amount with at most 2 decimals."],
    }
    assert not FinancialReport.objects.exists()


def test_a_loss_is_a_negative_net_operating_income(member_user):
    report = save(member_user, {"net_operating_income": Decimal("-12000.50")})
    report.refresh_from_db()
    assert report.net_operating_income == Decimal("-12000.50")


def test_another_institutions_member_is_refused(member_user):
    other = MemberUserFactory(username="other-mfi")
    with pytest.raises(PermissionDenied):
        save(other, {"write_offs": Decimal("1")}, institution=member_user.institution)
    report = save(member_user, {"write_offs": Decimal("1")})
    with pytest.raises(PermissionDenied):
        save(other, {"write_offs": Decimal("2")}, institution=member_user.institution, version=report.version)
    with pytest.raises(PermissionDenied):
        financial_report_submit(report=report, version=report.version, user=other, today=AFTER)
    report.refresh_from_db()
    assert report.write_offs == Decimal("1")


def test_a_donor_is_refused(member_user, donor_user):
    with pytest.raises(PermissionDenied):
        save(donor_user, {"write_offs": Decimal("1")}, institution=member_user.institution)
    report = save(member_user, FULL)
    with pytest.raises(PermissionDenied):
        financial_report_submit(report=report, version=report.version, user=donor_user, today=AFTER)
    with pytest.raises(PermissionDenied):
        financial_report_approve(report=report, user=donor_user)


def test_a_future_semester_is_refused(member_user):
    with pytest.raises(ValidationError) as error:
        save(member_user, {"write_offs": Decimal("1")}, period_start=datetime.date(2026, 7, 1), today=AFTER)
    assert error.value.messages == ["This semester has not started yet."]
    assert not FinancialReport.objects.exists()


@pytest.mark.parametrize("start", [datetime.date(2025, 4, 1), datetime.date(2025, 7, 2), datetime.date(2025, 12, 1)])
def test_a_start_that_is_not_a_semesters_is_refused(member_user, start):
    with pytest.raises(ValidationError) as error:
        save(member_user, {"write_offs": Decimal("1")}, period_start=start)
    assert error.value.messages == ["A semester starts on 1 January or 1 July."]


def test_the_first_semester_ends_on_30_june(member_user):
    report = save(member_user, {}, period_start=datetime.date(2025, 1, 1))
    assert report.period_end == datetime.date(2025, 6, 30)


# --- two people at once -------------------------------------------------------------------


def test_a_save_over_a_newer_one_is_refused_and_nothing_is_lost(member_user):
    colleague = MemberUserFactory(username="colleague", first_name="Ana", last_name="Ruiz")
    colleague.institution = member_user.institution
    colleague.save()
    report = save(member_user, {"write_offs": Decimal("100")})
    loaded = report.version  # both open the form

    save(colleague, {"loan_officers": 40}, version=loaded)
    with pytest.raises(ValidationError) as error:
        save(member_user, {"write_offs": Decimal("999")}, version=loaded)
    assert error.value.code == "conflict"
    assert "Ana Ruiz saved this report" in error.value.messages[0]
    report.refresh_from_db()
    assert report.loan_officers == 40  # the colleague's save is kept
    assert report.write_offs == Decimal("100")  # and not overwritten
    assert report.version == loaded + 1


def test_starting_a_report_that_a_colleague_started_meanwhile_is_refused(member_user):
    save(member_user, {"write_offs": Decimal("100")})
    with pytest.raises(ValidationError) as error:
        save(member_user, {"write_offs": Decimal("7")}, version=None)  # a form loaded before it existed
    assert error.value.code == "conflict"
    assert FinancialReport.objects.get().write_offs == Decimal("100")


# --- submission ---------------------------------------------------------------------------


def test_submit_refuses_missing_figures_by_field_and_keeps_the_draft(member_user):
    partial = {name: FULL[name] for name in ("gross_portfolio_start", "gross_portfolio_end", "active_borrowers")}
    report = save(member_user, partial)
    with pytest.raises(ValidationError) as error:
        financial_report_submit(report=report, version=report.version, user=member_user, today=AFTER)
    missing = set(FIGURE_NAMES) - set(partial)
    assert set(messages(error)) == missing
    assert messages(error)["write_offs"] == ["Enter this figure (0 if there was none)."]
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert report.version == 1
    assert report.gross_portfolio_start == Decimal("1800000.00")


def test_submit_refuses_inconsistent_figures_by_field(member_user):
    report = save(
        member_user,
        {
            **FULL,
            "portfolio_at_risk_30": Decimal("2200000.01"),  # more than the portfolio at the end
            "loan_officers": 8001,  # more than the borrowers
            "average_equity": Decimal("2600000"),  # more than the assets
        },
    )
    with pytest.raises(ValidationError) as error:
        financial_report_submit(report=report, version=report.version, user=member_user, today=AFTER)
    assert messages(error) == {
        "portfolio_at_risk_30": ["Portfolio at risk cannot be larger than the gross loan portfolio at the end."],
        "loan_officers": ["There cannot be more loan officers than active borrowers."],
        "average_equity": ["Average equity cannot be larger than average assets."],
    }
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_figures_at_their_limits_are_consistent(member_user):
    limits = {**FULL, "portfolio_at_risk_30": FULL["gross_portfolio_end"], "loan_officers": 8000}
    report = save(member_user, {**limits, "average_equity": FULL["average_assets"], "write_offs": Decimal("0")})
    report = financial_report_submit(report=report, version=report.version, user=member_user, today=AFTER)
    assert report.state == ReportState.SUBMITTED


def test_a_semester_is_submitted_once_it_has_ended(member_user):
    report = save(member_user, FULL, today=DURING)
    with pytest.raises(ValidationError) as error:
        financial_report_submit(report=report, version=report.version, user=member_user, today=DURING)
    assert error.value.messages == ["A semester can be submitted once it has ended."]
    report = financial_report_submit(
        report=report, version=report.version, user=member_user, today=datetime.date(2025, 12, 31)
    )
    assert report.state == ReportState.SUBMITTED


def test_submitting_records_who_and_when_and_a_double_click_is_harmless(member_user):
    report = submitted(member_user)
    assert report.state == ReportState.SUBMITTED
    assert report.submitted_by == member_user
    assert report.submitted_at is not None
    again = financial_report_submit(report=report, version=report.version - 1, user=member_user, today=AFTER)
    assert again.version == report.version


def test_a_submitted_report_cannot_be_changed(member_user):
    report = submitted(member_user)
    with pytest.raises(ValidationError) as error:
        save(member_user, {"write_offs": Decimal("1")}, version=report.version)
    assert error.value.code == "not_editable"
    assert "was submitted on" in error.value.messages[0]


# --- review -------------------------------------------------------------------------------


def test_staff_approve_and_the_report_can_no_longer_be_edited(member_user, staff_user):
    report = financial_report_approve(report=submitted(member_user), user=staff_user)
    assert report.state == ReportState.APPROVED
    assert report.reviewed_by == staff_user
    assert report.reviewed_at is not None
    assert report.history.first().history_user == staff_user
    with pytest.raises(ValidationError) as error:
        save(member_user, {"write_offs": Decimal("1")}, version=report.version)
    assert error.value.messages == ["This report has been approved and can no longer be changed."]
    with pytest.raises(ValidationError):
        financial_report_submit(report=report, version=report.version, user=member_user, today=AFTER)
    with pytest.raises(ValidationError):
        financial_report_return(report=report, comment="Revisar.", user=staff_user)
    assert financial_report_approve(report=report, user=staff_user).version == report.version  # twice: nothing more
    report.refresh_from_db()
    assert report.write_offs == FULL["write_offs"]


def test_a_member_cannot_approve_or_return(member_user):
    report = submitted(member_user)
    with pytest.raises(PermissionDenied):
        financial_report_approve(report=report, user=member_user)
    with pytest.raises(PermissionDenied):
        financial_report_return(report=report, comment="Fine.", user=member_user)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_only_a_submitted_report_is_reviewed(member_user, staff_user):
    draft = save(member_user, FULL)
    with pytest.raises(ValidationError) as error:
        financial_report_approve(report=draft, user=staff_user)
    assert error.value.messages == ["Only a submitted report can be approved; this one is “Draft”."]
    with pytest.raises(ValidationError) as error:
        financial_report_return(report=draft, comment="Revisar.", user=staff_user)
    assert error.value.messages == ["Only a submitted report can be returned; this one is “Draft”."]


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_needs_a_comment(member_user, staff_user, comment):
    report = submitted(member_user)
    with pytest.raises(ValidationError) as error:
        financial_report_return(report=report, comment=comment, user=staff_user)
    assert messages(error) == {"review_comment": ["Say what the institution should correct."]}
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_returned_report_is_corrected_and_submitted_again(member_user, staff_user):
    report = financial_report_return(
        report=submitted(member_user), comment="  The write-offs look too low.  ", user=StaffFactory()
    )
    assert report.state == ReportState.RETURNED
    assert report.was_returned
    assert report.review_comment == "The write-offs look too low."

    report = save(member_user, {"write_offs": Decimal("45000.00")}, version=report.version)
    assert report.state == ReportState.RETURNED  # corrected, not yet submitted
    report = financial_report_submit(report=report, version=report.version, user=member_user, today=AFTER)
    assert report.state == ReportState.SUBMITTED
    report = financial_report_approve(report=report, user=staff_user)
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED
    assert report.write_offs == Decimal("45000.00")
