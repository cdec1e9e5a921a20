"""Background work of the survey: invitation, reminder and receipt e-mails.

They run through Django's tasks framework: immediately in development and
tests, through the database-backed worker in production. Arguments are ids, so
that a task queued in a transaction reads the committed rows.

A task can run twice (its worker died and it was queued again: `portal.background`), so
each e-mail goes through `email_send_once` under a key that names what it announces: a
second run sends nothing.

Their texts are staff's (`portal.emails`, edited in the admin) or the default file templates
under templates/surveys/email/: `surveys.emails` lists the placeholders each one offers.
"""

import io

from django.core.management import call_command
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from portal.accounts.people import display_person
from portal.background.services import email_send_once, task_key
from portal.emails.rendering import format_value
from portal.emails.selectors import render_email
from portal.links import absolute_url

from . import emails
from .models import Invitation
from .selectors import answers_for_display


def _values(invitation: Invitation) -> dict:
    """The placeholders the survey's e-mails offer (`surveys.emails`); dates are written in
    the e-mail's language by `render_email`."""
    survey_round = invitation.round
    return {
        "institution": invitation.institution.name,
        "round": survey_round.code,
        "opens_on": survey_round.opens_on,
        "closes_on": survey_round.closes_on,
        "link": absolute_url(reverse("surveys:respond", kwargs={"token": invitation.token})),
    }


@task(takes_context=True)
def send_invitation_email(context, invitation_id: int, reminder: bool = False, reminder_number: int = 0) -> int:
    """E-mail the personal link to the institution's contact (an invitation or a reminder).

    Once per invitation, and once per reminder: `reminder_number` is the invitation's
    `reminder_count` when the reminder was queued (a reminder queued without it, by an
    older release, is sent once per task)."""
    invitation = Invitation.objects.select_related("round", "institution").get(pk=invitation_id)
    if not invitation.institution.contact_email:
        return 0
    if not reminder:
        key = f"invitation:{invitation_id}:invitation"
    else:
        key = f"invitation:{invitation_id}:reminder:{reminder_number}" if reminder_number else task_key(context)
    language = invitation.institution.email_language
    with translation.override(language):  # the link to its pages in that language too
        values = _values(invitation)
    subject, body = render_email(
        key=emails.REMINDER if reminder else emails.INVITATION, language=language, values=values
    )
    return email_send_once(key=key, subject=subject, body=body, recipients=[invitation.institution.contact_email])


def _answers_block(invitation: Invitation) -> str:
    """Every answer under its question's label (in the active language), as lines of text."""
    answers = [
        {"label": item["question"].label, "display": item["display"]}
        for item in answers_for_display(invitation=invitation)
    ]
    return emails.answers_text(answers)


def _receipt_values(invitation: Invitation, language: str) -> dict:
    with translation.override(language):
        submitted = format_value(invitation.submitted_at)
        if invitation.submitted_by:
            submitted += f" · {display_person(invitation.submitted_by)}"
        return _values(invitation) | {
            "receipt_number": invitation.receipt_number,
            "submitted": submitted,
            "answers": _answers_block(invitation),
        }


def _receipt(invitation: Invitation, language: str, recipients: list[str], *, key: str) -> int:
    values = _receipt_values(invitation, language)
    subject, body = render_email(key=emails.RECEIPT, language=language, values=values)
    return email_send_once(key=key, subject=subject, body=body, recipients=sorted(recipients))


@task(takes_context=True)
def send_receipt_email(context, invitation_id: int, user_email: str = "", user_language: str = "") -> int:
    """E-mail the receipt of a submission, with every answer, to the contact and the submitter:
    the contact in the institution's language, the person who submitted in the language they
    answered in (one e-mail to both when it is the same language). Once per submission: the
    key is the task's, since a reopened and resubmitted response gets a receipt again."""
    key = task_key(context)
    invitation = Invitation.objects.select_related("round", "institution", "submitted_by").get(pk=invitation_id)
    contact = invitation.institution.contact_email
    institution_language = invitation.institution.email_language
    user_language = user_language or institution_language
    if user_email and user_email != contact and user_language != institution_language:
        sent = _receipt(invitation, user_language, [user_email], key=f"{key}:submitter")
        return sent + (_receipt(invitation, institution_language, [contact], key=f"{key}:contact") if contact else 0)
    recipients = [email for email in {contact, user_email} if email]
    return _receipt(invitation, institution_language, recipients, key=key) if recipients else 0


@task
def send_due_reminders() -> int:
    """The daily automatic reminder, for a scheduler to enqueue: it runs the scheduler's own
    command (`send_survey_reminders`). The services queue this module's e-mails, so this
    module calls no service itself (that would make the two import each other); its path
    stays `surveys.tasks.send_due_reminders` for the tasks already queued under it."""
    out = io.StringIO()
    call_command("send_survey_reminders", stdout=out)
    return int(out.getvalue().split()[0])
