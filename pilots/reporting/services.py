"""Every write of MFI reporting: the plan, drafts, submission, review, and deleting a counted value.

A report goes draft → submitted → approved, or submitted → returned → (corrected)
submitted → approved. Only approval writes measurements, so only approved values count.
Each write checks who acts, refuses bad input by field, and runs in a transaction;
drafts and submissions carry the `version` the person loaded, so two people editing
the same report never overwrite each other silently.
"""

import datetime
import zipfile
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.people import display_person

from ..models import (
    Indicator,
    Measurement,
    MFIReport,
    MFIReportValue,
    Participation,
    ReportingPlan,
    ReportState,
    Unit,
)
from ..models.reporting import EDITABLE_STATES
from ..services import figure_errors
from .periods import Period, find_period, is_period_start

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {".pdf": "PDF", ".xlsx": "XLSX"}


def _today() -> datetime.date:
    return timezone.localdate()


def _require_staff(user) -> None:
    if user is None or not getattr(user, "is_association_staff", False):
        raise PermissionDenied(_("Only association staff can review MFI reports."))


def can_report(user, participation: Participation) -> bool:
    """A member user reports for its own institution only."""
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and user.is_member
        and user.institution_id == participation.institution_id
    )


def _require_reporter(user, participation: Participation) -> None:
    if not can_report(user, participation):
        raise PermissionDenied(_("Only users of this MFI can fill in its reports."))


# --- The plan --------------------------------------------------------------------------------


@transaction.atomic
def reporting_plan_save(
    *,
    innovation,
    user,
    frequency: str,
    first_period: datetime.date,
    last_period: datetime.date | None = None,
    days_to_report: int = 10,
    instance: ReportingPlan | None = None,
) -> ReportingPlan:
    _require_staff(user)
    plan = instance or ReportingPlan(innovation=innovation)
    plan.frequency = frequency
    plan.first_period = first_period
    plan.last_period = last_period
    plan.days_to_report = days_to_report
    errors = {}
    if first_period and not is_period_start(plan, first_period):
        errors["first_period"] = _(
            "A period starts on the first day of a month (of January, April, July or October for quarters)."
        )
    if last_period and not is_period_start(plan, last_period):
        errors["last_period"] = _(
            "A period starts on the first day of a month (of January, April, July or October for quarters)."
        )
    if first_period and last_period and last_period < first_period:
        errors["last_period"] = _("The last period cannot start before the first one.")
    if first_period and innovation and first_period < innovation.started_on.replace(day=1):
        errors["first_period"] = _("Reporting cannot start before the innovation started.")
    if errors:
        raise ValidationError(errors)
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def reported_indicators_set(*, participation: Participation, indicators, user) -> None:
    """Which of the innovation's indicators this MFI reports."""
    _require_staff(user)
    indicators = list(indicators)
    if any(indicator.innovation_id != participation.innovation_id for indicator in indicators):
        raise ValidationError(
            {"reported_indicators": _("An MFI can only report indicators of the innovation it takes part in.")}
        )
    participation.reported_indicators.set(indicators)


# --- Drafts and submission -------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """What was typed for one indicator (None where nothing was)."""

    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def field_names(indicator: Indicator) -> dict[str, str]:
    """The form's names for an indicator's inputs; errors are keyed by them."""
    return {"value": f"value-{indicator.pk}", "numerator": f"num-{indicator.pk}", "denominator": f"den-{indicator.pk}"}


def _check_entry(indicator: Indicator, entry: Entry, errors: dict) -> Entry:
    """Each value on its own: the same rules as staff measurements (`figure_errors`), and counts
    are whole. A percentage given as a numerator and denominator gets its value from them."""
    names = field_names(indicator)
    from_parts = indicator.unit == Unit.PERCENT and entry.numerator is not None and entry.denominator is not None
    found = figure_errors(
        unit=indicator.unit,
        value=None if from_parts else entry.value,
        numerator=entry.numerator,
        denominator=entry.denominator,
    )
    if indicator.unit == Unit.COUNT and entry.value is not None and entry.value != entry.value.to_integral_value():
        found["value"] = _("A count is a whole number.")
    errors.update({names[part]: message for part, message in found.items()})
    if from_parts and not found:
        value = (entry.numerator * 100 / entry.denominator).quantize(Decimal("0.01"))
        return Entry(value=value, numerator=entry.numerator, denominator=entry.denominator)
    return entry


def check_attachment(upload) -> None:
    """PDF or XLSX, up to 10 MB, and really what its name says (read from its first bytes)."""
    name = (upload.name or "").lower()
    kind = next((k for k in ATTACHMENT_TYPES if name.endswith(k)), None)
    if kind is None:
        raise ValidationError({"attachment": _("Attach a PDF or an Excel (XLSX) file.")})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": _("The file is larger than 10 MB. Attach a smaller one.")})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if kind == ".pdf":
        genuine = head.startswith(b"%PDF-")
    else:
        try:
            genuine = head.startswith(b"PK") and "[Content_Types].xml" in zipfile.ZipFile(upload).namelist()
        except zipfile.BadZipFile:
            genuine = False
        upload.seek(0)
    if not genuine:
        raise ValidationError(
            {"attachment": _("This file is not a valid %(kind)s file.") % {"kind": ATTACHMENT_TYPES[kind]}}
        )


def _conflict(report: MFIReport) -> ValidationError:
    current = MFIReport.objects.select_related("updated_by").get(pk=report.pk)
    who = display_person(current.updated_by)
    return ValidationError(
        _(
            "%(who)s saved this report at %(when)s while you were editing it. Your figures are still in the form: "
            "open the report in another tab to see theirs, then save again."
        )
        % {"who": who, "when": date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT")},
        code="conflict",
    )


def _bump(report: MFIReport, version: int | None, *, user, **changes) -> MFIReport:
    """Write the report (locked by the caller) if nobody saved it since `version` was read."""
    if report.pk is not None:
        if version != report.version:
            raise _conflict(report)
        report.version += 1
    for field, value in changes.items():
        setattr(report, field, value)
    report.updated_by = user
    report._history_user = user  # who, in the change history (pilots.history)
    report.full_clean(exclude=["attachment"], validate_unique=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as race:
        # Two people of the MFI started the same period's report at the same moment.
        raise ValidationError(
            _(
                "A colleague started this report at the same moment. Your figures are still in the form: "
                "open the report in another tab to see theirs, then save again."
            ),
            code="conflict",
        ) from race
    return report


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
    _require_reporter(user, participation)
    plan = ReportingPlan.objects.filter(innovation_id=participation.innovation_id).first()
    period = find_period(plan, period_start, today=today or _today()) if plan else None
    if period is None:
        raise ValidationError(_("This period cannot be reported (it has not ended, or is not in the plan)."))
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
    checked = {pk: _check_entry(indicators[pk], entry, errors) for pk, entry in entries.items()}
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
    report = _bump(report, version, user=user, comment=(comment or "").strip(), **files)
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
    _require_reporter(user, report.participation)
    if report.state == ReportState.SUBMITTED:
        return report  # submitted twice (a double click, a retry): once is enough
    if not report.is_editable:
        raise ValidationError(_("This report has already been submitted."), code="not_editable")
    if report.period_end > (today or _today()):
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
    return _bump(
        report,
        version,
        user=user,
        state=ReportState.SUBMITTED,
        submitted_by=user,
        submitted_at=timezone.now(),
    )


# --- Review ----------------------------------------------------------------------------------


def _source(report: MFIReport, period_label: str) -> str:
    with translation.override("es"):
        return _("Report of %(mfi)s for %(period)s") % {
            "mfi": report.participation.institution.name,
            "period": period_label,
        }


def _review(report: MFIReport, version: int | None, *, user, state: str, **changes) -> MFIReport:
    """Record staff's decision on a submitted report (a `version` of None: whatever is current)."""
    return _bump(
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
    from .tasks import send_report_returned_email

    _require_staff(user)
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
    from .periods import period_of

    _require_staff(user)
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
    _require_staff(user)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why this value is deleted; the reason stays in the change history.")})
    measurement = Measurement.objects.select_for_update().get(pk=measurement.pk)
    measurement._history_user = user
    measurement._change_reason = reason.strip()[:100]
    measurement.delete()


def editable(report: MFIReport | None) -> bool:
    return report is None or report.state in EDITABLE_STATES
