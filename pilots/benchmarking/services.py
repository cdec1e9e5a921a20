"""Every write of a member's semiannual financial report: saving a draft, submitting it,
staff approving it or returning it with a comment.

The flow is an MFI's pilot report's (`pilots.reporting.services`), and so are its pieces:
who may report for an institution (`require_reporter`), who reviews (`require_staff`),
today in the portal's time zone (`local_today`), and the write under the optimistic lock
(`bump`: the report's `version` as the person loaded it, a save over a newer one refused,
the version counted up, who saved it recorded for the change history).

    draft ──submit──▶ submitted ──approve──▶ approved (final: only approved reports count)
      ▲                   │
      └──── returned ◀────┘ return, with what to correct

Rules, each refused with a message on the form's field where there is one:

- Who: a user of the institution (a member) or association staff writes a report; only
  staff approve or return one. Donors and everyone else are refused.
- When: a report is for a semester (January–June, July–December), starting on 1 January or
  1 July; a draft can be saved once the semester has started, submitted once it has ended
  (from its last day, like an MFI's period report).
- What: a draft may be partial; each figure typed must be right on its own (amounts of 0 or
  more, with at most 2 decimals, except net operating income, which is negative for a loss;
  counts whole). Submission needs every figure and figures consistent with each other
  (PAR30 ≤ gross portfolio at the end, loan officers ≤ active borrowers, average equity ≤
  average assets). A refused submission leaves the draft as it was saved.
- A report can be changed while a draft or returned, never once submitted or approved.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.permissions import is_staff

from ..models import FIGURE_NAMES, FIGURES, FinancialReport, ReportState
from ..reporting.services.common import local_today, require_reporter, require_staff
from ..reporting.services.locking import bump
from .emails import send_financial_report_returned_email

IS_COUNT = dict(FIGURES)
MAY_BE_NEGATIVE = frozenset({"net_operating_income"})
MAX_AMOUNT = Decimal("9999999999999999.99")  # the most a Decimal(18, 2) column holds
MAX_COUNT = 2_147_483_647  # the most a PositiveIntegerField holds

# (field, the figure it must not exceed, the message on the field) — checked on submission
CONSISTENCY = (
    (
        "portfolio_at_risk_30",
        "gross_portfolio_end",
        gettext_lazy("Portfolio at risk cannot be larger than the gross loan portfolio at the end."),
    ),
    ("loan_officers", "active_borrowers", gettext_lazy("There cannot be more loan officers than active borrowers.")),
    ("average_equity", "average_assets", gettext_lazy("Average equity cannot be larger than average assets.")),
)


# --- semesters ----------------------------------------------------------------------------


def is_semester_start(day: datetime.date) -> bool:
    """Whether `day` starts a semester: 1 January or 1 July."""
    return day.day == 1 and day.month in (1, 7)


def semester_start(year: int, half: int) -> datetime.date:
    """The first day of a year's first (1) or second (2) semester, as addresses write it (2026-2)."""
    return datetime.date(year, 1 if half == 1 else 7, 1)


def semester_end(start: datetime.date) -> datetime.date:
    """The last day of the semester starting on `start`: 30 June or 31 December."""
    return datetime.date(start.year, 6, 30) if start.month == 1 else datetime.date(start.year, 12, 31)


# --- who ----------------------------------------------------------------------------------


def can_write(user, institution) -> bool:
    """A user of the institution, or association staff."""
    if is_staff(user):
        return True
    try:
        _require_reporter(user, institution)
    except PermissionDenied:
        return False
    return True


def _require_reporter(user, institution) -> None:
    """Staff, or a member user of this very institution (the MFI reports' rule, which reads
    only the `institution_id` of what it is given)."""
    if not is_staff(user):
        require_reporter(user, FinancialReport(institution=institution))


# --- the figures --------------------------------------------------------------------------


def _figure_error(name: str, value) -> str | None:
    """What is wrong with one figure on its own, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return _("Enter a number.")
    value = Decimal(value)
    if not value.is_finite():
        return _("Enter a number.")
    if IS_COUNT[name]:
        if value != value.to_integral_value():
            return _("Enter a whole number.")
        if value < 0:
            return _("Enter a number of 0 or more.")
        if value > MAX_COUNT:
            return _("This number is too large.")
        return None
    if value < 0 and name not in MAY_BE_NEGATIVE:
        return _("Enter an amount of 0 or more.")
    if value.as_tuple().exponent < -2 and value != value.quantize(Decimal("0.01")):
        return _("Enter an amount with at most 2 decimals.")
    if abs(value) > MAX_AMOUNT:
        return _("This amount is too large.")
    return None


def _checked(values: dict) -> dict:
    """The figures typed, each checked on its own; refused together, by field."""
    unknown = set(values) - set(FIGURE_NAMES)
    if unknown:
        raise ValidationError(_("The form has a figure this report does not have. Reload the page."))
    errors = {name: error for name, value in values.items() if (error := _figure_error(name, value))}
    if errors:
        raise ValidationError(errors)
    return {
        name: None if value is None else int(value) if IS_COUNT[name] else Decimal(value)
        for name, value in values.items()
    }


def submission_errors(figures: dict) -> dict[str, str]:
    """Why these figures cannot be submitted, by field: a figure missing or wrong, or two
    figures that contradict each other. Empty when they can."""
    errors = {}
    for name in FIGURE_NAMES:
        value = figures.get(name)
        if value is None:
            errors[name] = _("Enter this figure (0 if there was none).")
        elif error := _figure_error(name, value):
            errors[name] = error
    for name, limit, message in CONSISTENCY:
        if name in errors or limit in errors:
            continue
        if figures[name] > figures[limit]:
            errors[name] = str(message)
    return errors


# --- writing ------------------------------------------------------------------------------


def _not_editable(report: FinancialReport) -> ValidationError:
    if report.is_approved:
        return ValidationError(_("This report has been approved and can no longer be changed."), code="not_editable")
    return ValidationError(
        _("This report was submitted on %(date)s and can no longer be changed.")
        % {"date": date_format(timezone.localtime(report.submitted_at), "DATE_FORMAT")},
        code="not_editable",
    )


@transaction.atomic
def financial_report_save(
    *,
    institution,
    period_start: datetime.date,
    values: dict,
    comment: str,
    version: int | None,
    user,
    today: datetime.date | None = None,
) -> FinancialReport:
    """Save the institution's draft for the semester starting on `period_start` with what has
    been typed so far (`values`: figure name → Decimal, int or None for an empty field;
    figures not in `values` keep what was saved). Creates the report on its first save;
    `version` is None then, and the report's `version` as the form loaded it afterwards."""
    _require_reporter(user, institution)
    if not is_semester_start(period_start):
        raise ValidationError(_("A semester starts on 1 January or 1 July."), code="not_semester")
    if period_start > (today or local_today()):
        raise ValidationError(_("This semester has not started yet."), code="not_started")
    figures = _checked(values)
    report = (
        FinancialReport.objects.select_for_update().filter(institution=institution, period_start=period_start).first()
    ) or FinancialReport(institution=institution, period_start=period_start, period_end=semester_end(period_start))
    if report.pk and not report.is_editable:
        raise _not_editable(report)
    comment = (comment or "").strip()
    unchanged = comment == report.comment and all(getattr(report, n) == v for n, v in figures.items())
    if report.pk and version != report.version and unchanged:
        return report  # the same save again (a double click, a retry): nothing to do, nothing to refuse
    return bump(report, version, user=user, comment=comment, **figures)


@transaction.atomic
def financial_report_submit(
    *, report: FinancialReport, version: int | None, user, today: datetime.date | None = None
) -> FinancialReport:
    """Submit the saved draft for staff's review. Submitting twice is harmless: the second
    does nothing."""
    report = FinancialReport.objects.select_for_update().select_related("institution").get(pk=report.pk)
    _require_reporter(user, report.institution)
    if report.awaits_review:
        return report  # submitted twice (a double click, a retry): once is enough
    if not report.is_editable:
        raise _not_editable(report)
    if report.period_end > (today or local_today()):
        raise ValidationError(_("A semester can be submitted once it has ended."), code="not_ended")
    errors = submission_errors(report.figures())
    if errors:
        raise ValidationError(errors)
    return bump(report, version, user=user, state=ReportState.SUBMITTED, submitted_by=user, submitted_at=timezone.now())


def _only_submitted(report: FinancialReport, message: str) -> None:
    if not report.awaits_review:
        raise ValidationError(message % {"state": report.get_state_display()}, code="not_submitted")


@transaction.atomic
def financial_report_approve(*, report: FinancialReport, user) -> FinancialReport:
    """Approve a submitted report: from now on its ratios count in the peer groups and the
    bulletin. Approving twice does nothing more."""
    require_staff(user)
    report = FinancialReport.objects.select_for_update().get(pk=report.pk)
    if report.is_approved:
        return report
    _only_submitted(report, _("Only a submitted report can be approved; this one is “%(state)s”."))
    return bump(
        report,
        report.version,
        user=user,
        state=ReportState.APPROVED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
    )


@transaction.atomic
def financial_report_return(*, report: FinancialReport, comment: str, user) -> FinancialReport:
    """Send a submitted report back to the institution with what to correct; it can change
    the figures and submit again."""
    require_staff(user)
    report = FinancialReport.objects.select_for_update().get(pk=report.pk)
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say what the institution should correct.")})
    _only_submitted(report, _("Only a submitted report can be returned; this one is “%(state)s”."))
    report = bump(
        report,
        report.version,
        user=user,
        state=ReportState.RETURNED,
        review_comment=comment.strip(),
        reviewed_by=user,
        reviewed_at=timezone.now(),
    )
    transaction.on_commit(lambda: send_financial_report_returned_email.enqueue(report_id=report.pk))
    return report
