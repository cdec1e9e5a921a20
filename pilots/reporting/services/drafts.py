"""An MFI's report: saving drafts and submitting it for review."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ...models import MFIReport, MFIReportValue, Participation, ReportingPlan, ReportState, Unit
from ...models.reporting import EDITABLE_STATES
from ..periods import Period
from .common import local_today, require_reporter
from .entries import Entry, check_attachment, check_entry, field_names
from .locking import bump
from .plan import reporting_period


def _report_for(participation: Participation, period: Period) -> MFIReport:
    return MFIReport.objects.filter(participation=participation, period_start=period.start).first() or MFIReport(
        participation=participation, period_start=period.start, period_end=period.end
    )


@transaction.atomic
def report_save_draft(
    *,
    participation: Participation,
    period_start: datetime.date,
    entries: dict[int, Entry],
    comment: str,
    version: int | None,
    user,
    attachment=None,
    today: datetime.date | None = None,
) -> MFIReport:
    """Save what the MFI has typed so far: empty values are allowed, wrong ones are not
    (a negative count, a percentage above 100). Returns the saved report."""
    require_reporter(user, participation)
    plan = ReportingPlan.objects.filter(innovation_id=participation.innovation_id).first()
    period = reporting_period(
        participation=participation, plan=plan, period_start=period_start, today=today or local_today()
    )
    report = _report_for(participation, period)
    if report.pk:
        report = MFIReport.objects.select_for_update().get(pk=report.pk)
    if report.pk and not report.is_editable:
        raise ValidationError(
            _("This report was submitted on %(date)s and can no longer be changed.")
            % {"date": date_format(timezone.localtime(report.submitted_at), "DATE_FORMAT")},
            code="not_editable",
        )
    indicators = {indicator.pk: indicator for indicator in participation.reported_indicators.all()}
    if not set(entries) <= set(indicators):
        raise ValidationError(_("The form has a figure for an indicator this MFI does not report. Reload the page."))
    errors: dict = {}
    checked = {pk: check_entry(indicators[pk], entry, errors) for pk, entry in entries.items()}
    if attachment is not None:
        try:
            check_attachment(attachment)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    existing = {value.indicator_id: value for value in report.values.all()} if report.pk else {}
    if report.pk and version != report.version and attachment is None and _same(report, existing, checked, comment):
        return report  # the same save again (a double click, a retry): nothing to do, nothing to refuse
    files = {"attachment": attachment, "attachment_name": attachment.name[-200:]} if attachment is not None else {}
    report = bump(report, version, user=user, comment=(comment or "").strip(), **files)
    for pk, entry in checked.items():
        row = existing.get(pk) or MFIReportValue(report=report, indicator_id=pk)
        typed = (entry.value, entry.numerator, entry.denominator)
        if row.pk and (row.value, row.numerator, row.denominator) == typed:
            continue  # unchanged: no new version in the history
        row.value, row.numerator, row.denominator = typed
        row._history_user = user
        row.save()
    return report


def _same(report: MFIReport, existing: dict, checked: dict[int, Entry], comment: str) -> bool:
    """Whether a save would store exactly what is stored already."""
    if report.comment != (comment or "").strip():
        return False
    stored = {pk: (v.value, v.numerator, v.denominator) for pk, v in existing.items()}
    return all(
        stored.get(pk, (None, None, None)) == (entry.value, entry.numerator, entry.denominator)
        for pk, entry in checked.items()
    )


@transaction.atomic
def report_submit(*, report: MFIReport, version: int, user, today: datetime.date | None = None) -> MFIReport:
    """Submit the saved draft for review: every indicator needs its value (a percentage its
    numerator and denominator). Submitting twice is harmless: the second does nothing."""
    report = MFIReport.objects.select_for_update().select_related("participation").get(pk=report.pk)
    require_reporter(user, report.participation)
    if report.state == ReportState.SUBMITTED:
        return report  # submitted twice (a double click, a retry): once is enough
    if not report.is_editable:
        raise ValidationError(_("This report has already been submitted."), code="not_editable")
    if report.period_end > (today or local_today()):
        raise ValidationError(_("A period can be reported once it has ended."))
    values = {v.indicator_id: v for v in report.values.all()}
    errors = {}
    for indicator in report.participation.reported_indicators.all():
        names = field_names(indicator)
        value = values.get(indicator.pk)
        if indicator.unit == Unit.PERCENT:
            if value is None or value.numerator is None:
                errors[names["numerator"]] = _("Enter how many (the numerator), e.g. satisfied clients.")
            if value is None or value.denominator is None:
                errors[names["denominator"]] = _("Enter out of how many (the denominator), e.g. clients surveyed.")
        elif value is None or value.value is None:
            errors[names["value"]] = _("Enter a value.")
    if errors:
        raise ValidationError(errors)
    return bump(
        report,
        version,
        user=user,
        state=ReportState.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


def editable(report: MFIReport | None) -> bool:
    return report is None or report.state in EDITABLE_STATES
