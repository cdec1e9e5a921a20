"""The narrative report of an innovation for one semester."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.locking import refuse_if_changed

from ..models import Innovation, PeriodReport
from .common import require_staff, today

REPORT_TEXTS = ("progress", "difficulties", "next_steps", "progress_en", "difficulties_en", "next_steps_en")


@transaction.atomic
def period_report_save(
    *, innovation: Innovation, year: int, semester: int, user, expected_updated_at=None, **texts
) -> PeriodReport:
    """Write or revise the narrative of one semester. Refuses a period that has not begun,
    a report without its progress text, and — when `expected_updated_at` says which version
    the writer started from — a save over someone else's newer version (nothing is lost:
    the form shows the writer's text again with the message)."""
    require_staff(user)
    unknown = set(texts) - set(REPORT_TEXTS)
    if unknown:
        raise TypeError(f"Unknown report fields: {sorted(unknown)}")
    if semester not in (1, 2):
        raise ValidationError({"semester": _("The semester is 1 (January–June) or 2 (July–December).")})
    if not 2000 <= year <= today().year:
        raise ValidationError({"year": _("Enter a year between 2000 and this year.")})
    report = PeriodReport.objects.select_for_update().filter(
        innovation=innovation, year=year, semester=semester
    ).first() or PeriodReport(innovation=innovation, year=year, semester=semester)
    if report.starts_on > today():
        raise ValidationError({"semester": _("This semester has not begun: it cannot be reported yet.")})
    refuse_if_changed(
        report,
        expected_updated_at,
        _(
            "Someone else saved this report while you were writing. Your text is below: "
            "compare it with the saved report and save again."
        ),
    )
    for name in REPORT_TEXTS:
        setattr(report, name, (texts.get(name) or "").strip())
    if not report.progress:
        raise ValidationError({"progress": _("Write what progressed in this period.")})
    report.written_by = user
    report.full_clean()
    report._history_user = user  # who, in the change history (pilots.history)
    report.save()
    return report
