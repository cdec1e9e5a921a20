"""E-mails of MFI reporting, sent by the task worker: a report returned with a comment, and the
reminder for a period that closed without a report. They go to the MFI's member users and its
contact address, in the institution's language (set by staff per institution).

A task can run twice (its worker died and it was queued again: `portal.background`), so
each e-mail goes through `email_send_once`: a second run sends nothing."""

import datetime

from django.contrib.auth import get_user_model
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import translation

from portal.background.services import email_send_once, task_key
from portal.links import absolute_url

from ..models import MFIReport, Participation
from .periods import period_of
from .selectors import report_url


def _recipients(participation: Participation) -> list[str]:
    users = get_user_model().objects.filter(institution_id=participation.institution_id, is_active=True)
    emails = set(users.exclude(email="").values_list("email", flat=True))
    if participation.institution.contact_email:
        emails.add(participation.institution.contact_email)
    return sorted(emails)


def _send(participation: Participation, template: str, context: dict, *, key: str) -> int:
    recipients = _recipients(participation)
    if not recipients:
        return 0
    with translation.override(participation.institution.email_language):
        context = {**context, "institution": participation.institution, "innovation": participation.innovation}
        plan = participation.innovation.reporting_plan
        context["period"] = period_of(plan, context["period_start"])
        context["link"] = absolute_url(report_url(participation.innovation, context["period_start"]))
        subject = render_to_string(f"pilots/reporting/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"pilots/reporting/email/{template}.txt", context)
    return email_send_once(key=key, subject=subject, body=body, recipients=recipients)


@task(takes_context=True)
def send_report_returned_email(context, report_id: int) -> int:
    """Once per return (a report can be returned again after a resubmission): the task's key."""
    report = MFIReport.objects.select_related(
        "participation__institution", "participation__innovation__reporting_plan"
    ).get(pk=report_id)
    values = {"report": report, "period_start": report.period_start}
    return _send(report.participation, "returned", values, key=task_key(context))


@task
def send_report_reminder_email(participation_id: int, period_start: str) -> int:
    participation = Participation.objects.select_related("institution", "innovation__reporting_plan").get(
        pk=participation_id
    )
    values = {"period_start": datetime.date.fromisoformat(period_start)}
    # one reminder per MFI and period, as `reminders_send_due` records it
    return _send(participation, "reminder", values, key=f"report-reminder:{participation_id}:{period_start}")


@task
def send_due_report_reminders() -> int:
    """The daily reminder run, for a scheduler to enqueue (see `send_report_reminders`)."""
    from .reminders import reminders_send_due

    return reminders_send_due()
