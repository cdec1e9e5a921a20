"""What is waiting on a semiannual financial report: the members' reminders for a semester
not reported, and staff's "today" line of reports to review.

**Reminders.** A semester's report is due `days_to_report` days after the semester ends
(the setting BENCHMARKING_DAYS_TO_REPORT, 30 by default). From the day after, an institution
that has not submitted it (no report, a draft or a returned one) gets one reminder by e-mail,
once per institution and semester however often this runs (hourly, from the scheduler:
`manage.py send_benchmarking_reminders`). Only the **last closed semester** is ever reminded
of, never a backlog, and only to institutions that report: those whose first report is for
that semester or an earlier one, or every member institution once the semester is on or after
BENCHMARKING_FIRST_SEMESTER ("2026-1"; unset by default). Worked example, 30 days: the
July–December 2025 report is due on 30 January 2026; a run on 30 January reminds no one, a
run from 31 January to 30 June 2026 reminds of July–December 2025; on 1 July 2026
January–June 2026 has closed but is not due until 30 July, so no one is reminded until then.
The demo's institutions, whose reports stop in June 2011, are reminded on a 2026 date only
of the one semester that closed last.

"Once" is the e-mail ledger's (`portal.background`, key `benchmarking-reminder:<institution>:
<semester start>`): a reminder sent is never queued again, nor one still waiting in the task
queue. An institution with no address (no active user with an e-mail, no contact e-mail) is
not queued: there is no one to write to.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, Min, OuterRef, Q
from django.tasks import TaskResultStatus
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks_db.models import DBTaskResult

from portal.accounts.models import MemberInstitution
from portal.background.models import SentEmail
from portal.today import ITEMS_SHOWN, Item, Line

from ..models import FinancialReport, ReportState
from .emails import reminder_key, send_financial_report_reminder_email
from .views_common import Semester

DAYS_TO_REPORT = 30  # unless settings.BENCHMARKING_DAYS_TO_REPORT says otherwise


def days_to_report() -> int:
    return getattr(settings, "BENCHMARKING_DAYS_TO_REPORT", DAYS_TO_REPORT)


def first_semester() -> Semester | None:
    """The configured semester from which every member is reminded ("2026-1"), if any."""
    key = getattr(settings, "BENCHMARKING_FIRST_SEMESTER", "") or ""
    if not key:
        return None
    year, half = (int(part) for part in key.split("-"))
    return Semester.from_key(year, half)


def semester_due(today: datetime.date) -> Semester | None:
    """The semester to remind of today: the last closed one, once its due day has passed."""
    closed = Semester.of(today).previous
    due_on = closed.end + datetime.timedelta(days=days_to_report())
    return closed if due_on < today else None


def institutions_to_remind(semester: Semester) -> list[MemberInstitution]:
    """The institutions that report and have not submitted the semester's report, and have
    somewhere to send the reminder."""
    reports = FinancialReport.objects.filter(institution=OuterRef("pk"))
    reachable = Q(Exists(get_user_model().objects.filter(institution=OuterRef("pk"), is_active=True).exclude(email="")))
    reachable |= ~Q(contact_email="")
    institutions = MemberInstitution.objects.filter(reachable).exclude(
        Exists(reports.filter(period_start=semester.start, state__in=[ReportState.SUBMITTED, ReportState.APPROVED]))
    )
    first = first_semester()
    if first is None or first.start > semester.start:
        institutions = institutions.annotate(first_report=Min("financial_reports__period_start")).filter(
            first_report__lte=semester.start
        )
    return list(institutions.order_by("name"))


def _already_reminded(institutions: list[MemberInstitution], semester: Semester) -> set[int]:
    """The institutions whose reminder went out, or waits in the task queue."""
    keys = {reminder_key(institution.pk, semester.start): institution.pk for institution in institutions}
    done = {keys[key] for key in SentEmail.objects.filter(key__in=keys).values_list("key", flat=True)}
    waiting = DBTaskResult.objects.filter(
        task_path=send_financial_report_reminder_email.module_path,
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).values_list("args_kwargs", flat=True)
    for args_kwargs in waiting:
        kwargs = args_kwargs.get("kwargs", {})
        if kwargs.get("period_start") == semester.start.isoformat():
            done.add(kwargs.get("institution_id"))
    return done


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """Queue the reminders due today; returns how many were queued."""
    semester = semester_due(today or timezone.localdate())
    if semester is None:
        return 0
    institutions = institutions_to_remind(semester)
    reminded = _already_reminded(institutions, semester)
    count = 0
    for institution in institutions:
        if institution.pk in reminded:
            continue
        send_financial_report_reminder_email.enqueue(
            institution_id=institution.pk, period_start=semester.start.isoformat()
        )
        count += 1
    return count


def today_lines(user, today: datetime.date) -> list[Line]:
    """Staff's line of "Para hoy": the financial reports submitted and waiting for review,
    the oldest first, each linking to its review."""
    waiting = (
        FinancialReport.objects.filter(state=ReportState.SUBMITTED)
        .select_related("institution")
        .order_by("submitted_at", "pk")
    )
    count = waiting.count()
    return [
        Line(
            key="financial-reports-to-review",
            label=ngettext("Financial report awaiting review", "Financial reports awaiting review", count),
            count=count,
            url=reverse("benchmarking:staff") + "#queue-h",
            items=[
                Item(
                    f"{report.institution.name} · {Semester(report.period_start).label}",
                    reverse("benchmarking:report_detail", args=[report.pk]),
                    _("submitted %(date)s")
                    % {"date": formats.date_format(timezone.localdate(report.submitted_at), "SHORT_DATE_FORMAT")}
                    if report.submitted_at
                    else "",
                )
                for report in waiting[:ITEMS_SHOWN]
            ],
            order=15,
        )
    ]
