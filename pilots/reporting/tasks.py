"""E-mails of MFI reporting, sent by the task worker: a report returned with a comment, and the
reminder for a period that closed without a report. They go to the MFI's member users and its
contact address, in the institution's language (set by staff per institution).

A task can run twice (its worker died and it was queued again: `portal.background`), so
each e-mail goes through `email_send_once`: a second run sends nothing.

Their texts are staff's (`portal.emails`) or the default file templates under
templates/pilots/reporting/email/; `emails` lists the placeholders each one offers."""

import datetime
import io
from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.tasks import task
from django.utils import translation

from portal.background.services import email_send_once, task_key
from portal.emails.selectors import render_email
from portal.links import absolute_url

from ..models import MFIReport, Participation
from .emails import REMINDER, RETURNED
from .periods import period_of
from .selectors import report_url


def institution_recipients(institution) -> list[str]:
    """Where an e-mail to a member institution goes: its active users and its contact address."""
    users = get_user_model().objects.filter(institution_id=institution.pk, is_active=True)
    emails = set(users.exclude(email="").values_list("email", flat=True))
    if institution.contact_email:
        emails.add(institution.contact_email)
    return sorted(emails)


def email_institution(institution, email: str, *, values: Callable[[], dict], key: str) -> int:
    """Send the e-mail `email` (a key of `portal.emails`) once under `key` to the institution,
    in its language; `values()` gives the placeholders' values, called in that language."""
    recipients = institution_recipients(institution)
    if not recipients:
        return 0
    language = institution.email_language
    with translation.override(language):
        filled = values()
    subject, body = render_email(key=email, language=language, values=filled)
    return email_send_once(key=key, subject=subject, body=body, recipients=recipients)


def _send(
    participation: Participation, email: str, *, period_start: datetime.date, key: str, extra: dict | None = None
) -> int:
    """Send the e-mail `email` (a key of `emails`) about one period to the MFI, in its language;
    `extra`: the values of the placeholders only this e-mail offers."""

    def values() -> dict:
        plan = participation.innovation.reporting_plan
        return {
            "institution": participation.institution.name,
            "innovation": participation.innovation.display_title,
            "period": period_of(plan, period_start).label,
            "link": absolute_url(report_url(participation.innovation, period_start)),
        } | (extra or {})

    return email_institution(participation.institution, email, values=values, key=key)


@task(takes_context=True)
def send_report_returned_email(context, report_id: int) -> int:
    """Once per return (a report can be returned again after a resubmission): the task's key."""
    report = MFIReport.objects.select_related(
        "participation__institution", "participation__innovation__reporting_plan"
    ).get(pk=report_id)
    return _send(
        report.participation,
        RETURNED,
        period_start=report.period_start,
        extra={"comment": report.review_comment},
        key=task_key(context),
    )


@task
def send_report_reminder_email(participation_id: int, period_start: str) -> int:
    participation = Participation.objects.select_related("institution", "innovation__reporting_plan").get(
        pk=participation_id
    )
    # one reminder per MFI and period, as `reminders_send_due` records it
    key = f"report-reminder:{participation_id}:{period_start}"
    return _send(participation, REMINDER, period_start=datetime.date.fromisoformat(period_start), key=key)


@task
def send_due_report_reminders() -> int:
    """The daily reminder run, for a scheduler to enqueue: it runs the scheduler's own command
    (`send_report_reminders`). `reminders` queues this module's e-mails, so this module does not
    import it (the two would import each other); its path stays
    `pilots.reporting.tasks.send_due_report_reminders` for the tasks already queued under it."""
    out = io.StringIO()
    call_command("send_report_reminders", stdout=out)
    return int(out.getvalue().split()[0])
