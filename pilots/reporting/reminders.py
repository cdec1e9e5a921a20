"""Reminders for periods that closed without a report.

A period's report is due `days_to_report` days after it ends. Once that day has
passed and the MFI has not submitted (no report, a draft or a returned one), its
users get one reminder by e-mail — once per MFI and period, however often this
runs. Periods that closed more than `RECENT_DAYS` ago are not reminded of: the
reminder is about the period that just closed, not a backlog.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import MFIReport, Participation, ReportReminder, ReportState
from .periods import ended_periods
from .tasks import send_report_reminder_email

RECENT_DAYS = 45


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Queue the reminders due today; returns how many were queued."""
    today = today or timezone.localdate()
    participations = (
        Participation.objects.filter(innovation__reporting_plan__isnull=False, reported_indicators__isnull=False)
        .distinct()
        .select_related("innovation__reporting_plan")
    )
    count = 0
    for participation in participations:
        plan = participation.innovation.reporting_plan
        due = [
            period
            for period in ended_periods(plan, today=today, since=participation.since)
            if period.due_on(plan) < today <= period.due_on(plan) + datetime.timedelta(days=RECENT_DAYS)
        ]
        if not due:
            continue
        done = set(
            MFIReport.objects.filter(
                participation=participation,
                period_start__in=[p.start for p in due],
                state__in=[ReportState.SUBMITTED, ReportState.APPROVED],
            ).values_list("period_start", flat=True)
        )
        reminded = set(
            ReportReminder.objects.filter(
                participation=participation, period_start__in=[p.start for p in due]
            ).values_list("period_start", flat=True)
        )
        for period in due:
            if period.start in done or period.start in reminded:
                continue
            try:
                with transaction.atomic():
                    ReportReminder.objects.create(participation=participation, period_start=period.start)
                    transaction.on_commit(
                        lambda pk=participation.pk, start=period.start: send_report_reminder_email.enqueue(
                            participation_id=pk, period_start=start.isoformat()
                        )
                    )
            except IntegrityError:
                continue  # another run reminded it at the same moment
            count += 1
    return count
