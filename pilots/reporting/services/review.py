"""Staff's side of MFI reporting: returning or approving a submitted report (approval writes
its measurements), and deleting a value that counts."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ...models import Measurement, MFIReport, ReportingPlan, ReportState
from ..periods import period_of
from ..tasks import send_report_returned_email
from .common import require_staff
from .locking import bump


def _source(report: MFIReport, period_label: str) -> str:
    with translation.override("es"):
        return _("Report of %(mfi)s for %(period)s") % {
            "mfi": report.participation.institution.name,
            "period": period_label,
        }


def _review(report: MFIReport, version: int | None, *, user, state: str, **changes) -> MFIReport:
    """Record staff's decision on a submitted report (a `version` of None: whatever is current)."""
    return bump(
        report,
        report.version if version is None else version,
        user=user,
        state=state,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        **changes,
    )


@transaction.atomic
def report_return(*, report: MFIReport, user, comment: str, version: int | None = None) -> MFIReport:
    """Send a submitted report back to the MFI with what to correct; it can change and resubmit it."""
    require_staff(user)
    report = MFIReport.objects.select_for_update().get(pk=report.pk)
    if not (comment or "").strip():
        raise ValidationError({"review_comment": _("Say what the MFI should correct.")})
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be returned; this one is “%(state)s”.")
            % {"state": report.get_state_display()}
        )
    report = _review(report, version, user=user, state=ReportState.RETURNED, review_comment=comment.strip())
    transaction.on_commit(lambda: send_report_returned_email.enqueue(report_id=report.pk))
    return report


@transaction.atomic
def report_approve(*, report: MFIReport, user, version: int | None = None) -> MFIReport:
    """Approve a submitted report: its values become measurements, dated on the period's last
    day, for the MFI, and count from now on. Approving twice records nothing twice."""
    require_staff(user)
    report = MFIReport.objects.select_for_update().select_related("participation__institution").get(pk=report.pk)
    if report.state == ReportState.APPROVED:
        return report
    if report.state != ReportState.SUBMITTED:
        raise ValidationError(
            _("Only a submitted report can be approved; this one is “%(state)s”.")
            % {"state": report.get_state_display()}
        )
    report = _review(report, version, user=user, state=ReportState.APPROVED)
    plan = ReportingPlan.objects.get(innovation_id=report.participation.innovation_id)
    with translation.override("es"):
        label = period_of(plan, report.period_start).label
    now = timezone.now()
    for value in report.values.select_related("indicator"):
        if value.value is None:
            continue
        measurement = Measurement(
            indicator=value.indicator,
            measured_on=report.period_end,
            value=value.value,
            numerator=value.numerator,
            denominator=value.denominator,
            source=_source(report, label),
            participation=report.participation,
            logged_by=report.submitted_by,
            report=report,
            approved_by=user,
            approved_at=now,
        )
        measurement.full_clean()
        measurement._history_user = user
        measurement.save()
    return report


@transaction.atomic
def measurement_delete(*, measurement: Measurement, user, reason: str) -> None:
    """Delete a value that counts (a staff measurement or an approved MFI figure): staff only,
    with a reason, which stays in the change history with the value deleted."""
    require_staff(user)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this value is deleted; the reason stays in the change history.")})
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    measurement._history_user = user
    measurement._change_reason = reason.strip()[:100]
    measurement.delete()
