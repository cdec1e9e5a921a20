"""The semiannual financial report's e-mails: the reminder for a semester that closed without
a submitted report, and a report returned by staff with what to correct.

They are MFI reporting's e-mails (`pilots.reporting.emails` and `.tasks`) for another kind of
report, and go the same way: registered for staff to edit (`portal.emails`; the default texts
are the file templates under templates/pilots/benchmarking/email/), sent by the task worker
to the institution's users and contact address in the institution's language
(`email_institution`), each once under its key (`email_send_once`), so that a task run twice
after its worker died sends nothing the second time.
"""

import datetime

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import MemberInstitution
from portal.background.services import task_key
from portal.emails.registry import EmailKind, Placeholder, register
from portal.i18n import in_reader_language
from portal.links import absolute_url

from ..models import FinancialReport
from ..reporting.emails import INSTITUTION
from ..reporting.tasks import email_institution
from .views_common import Semester

REMINDER = "benchmarking-reminder"
RETURNED = "benchmarking-returned"


def reminder_key(institution_id: int, period_start: datetime.date) -> str:
    """The reminder's idempotency key: one per institution and semester, however often it is queued."""
    return f"benchmarking-reminder:{institution_id}:{period_start.isoformat()}"


def report_link(semester: Semester) -> str:
    """The member's report form for the semester (the address names no institution: a
    member's user only ever reaches its own)."""
    return absolute_url(reverse("benchmarking:report", kwargs={"year": semester.start.year, "half": semester.half}))


def _sample_semester() -> str:
    return Semester(datetime.date(2026, 1, 1)).label


def _sample_link() -> str:  # in the preview's language, as a real e-mail links to its pages
    return report_link(Semester(datetime.date(2026, 1, 1)))


def _sample_comment() -> str:
    return in_reader_language(
        "La cartera en riesgo a 30 días no coincide con el informe de cartera enviado a la superintendencia.",
        "The portfolio at risk over 30 days does not match the portfolio report sent to the supervisor.",
    )


SEMESTER = Placeholder("semester", _("The semester, e.g. January–June 2026."), _sample_semester)
LINK = Placeholder("link", _("The link to the institution's report for that semester (sign-in needed)."), _sample_link)
COMMENT = Placeholder(
    "comment", _("The reviewer's comment: what to correct (can be several lines)."), _sample_comment, multiline=True
)


def register_emails() -> None:
    register(
        EmailKind(
            key=REMINDER,
            label=_("Financial report reminder"),
            description=_(
                "To the member institution's users and contact, once per semester, when the semiannual "
                "financial report has not been submitted by its due day."
            ),
            subject_template="pilots/benchmarking/email/reminder_subject.txt",
            body_template="pilots/benchmarking/email/reminder.txt",
            placeholders=(INSTITUTION, SEMESTER, LINK),
            required=("link",),
            order=60,
        )
    )
    register(
        EmailKind(
            key=RETURNED,
            label=_("Financial report returned"),
            description=_(
                "To the member institution's users and contact, when staff return its financial report for correction."
            ),
            subject_template="pilots/benchmarking/email/returned_subject.txt",
            body_template="pilots/benchmarking/email/returned.txt",
            placeholders=(INSTITUTION, SEMESTER, COMMENT, LINK),
            required=("comment", "link"),
            order=70,
        )
    )


def _values(institution: MemberInstitution, semester: Semester, **extra) -> dict:
    return {"institution": institution.name, "semester": semester.label, "link": report_link(semester)} | extra


@task
def send_financial_report_reminder_email(institution_id: int, period_start: str) -> int:
    """The reminder of one semester to one institution (`reminders.reminders_send_due` queues it)."""
    institution = MemberInstitution.objects.get(pk=institution_id)
    start = datetime.date.fromisoformat(period_start)
    semester = Semester(start)
    return email_institution(
        institution, REMINDER, values=lambda: _values(institution, semester), key=reminder_key(institution_id, start)
    )


@task(takes_context=True)
def send_financial_report_returned_email(context, report_id: int) -> int:
    """Once per return (a report can be returned again after a resubmission): the task's key."""
    report = FinancialReport.objects.select_related("institution").get(pk=report_id)
    semester = Semester(report.period_start)
    return email_institution(
        report.institution,
        RETURNED,
        values=lambda: _values(report.institution, semester, comment=report.review_comment),
        key=task_key(context),
    )
