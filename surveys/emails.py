"""The survey's e-mails, registered for staff to edit (`portal.emails`): the invitation, the
reminder and the receipt of a submission. `tasks` sends them with these placeholders."""

import datetime

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.emails.registry import EmailKind, Placeholder, register
from portal.emails.rendering import format_value
from portal.i18n import in_reader_language
from portal.links import absolute_url
from portal.numbers import format_number

INVITATION = "survey-invitation"
REMINDER = "survey-reminder"
RECEIPT = "survey-receipt"


def _sample_link() -> str:  # in the preview's language, as a real invitation links to its pages
    return absolute_url(reverse("surveys:respond", kwargs={"token": "Y9UcFQRjG0aNe3BC41o9M7xHsY5DpKH3"}))


def _sample_submitted() -> str:
    return f"{format_value(datetime.datetime(2026, 4, 12, 10, 30))} · Ana Ruiz"


def _sample_answers() -> str:
    """Two answers as the receipt lists them; question labels are content, written by staff in
    both languages (`Question.label_es`, `label_en`), hence not translated messages here."""
    answers = [
        {
            "label": in_reader_language("¿Cuántos clientes activos atiende?", "How many active clients do you serve?"),
            "display": f"{format_number(48825)} {in_reader_language('clientes', 'clients')}",
        },
        {
            "label": in_reader_language(
                "¿Qué porcentaje de sus clientes son mujeres?", "What percentage of your clients are women?"
            ),
            "display": f"{format_number(68)} %",
        },
    ]
    return answers_text(answers)


def answers_text(answers: list[dict]) -> str:
    """The receipt's `{answers}`: each label (a "label" and "display" per answer) on its own
    line with the answer indented under it."""
    return render_to_string("surveys/email/receipt_answers.txt", {"answers": answers}).rstrip("\n")


INSTITUTION = Placeholder("institution", _("The institution's name."), "Cooperativa San José")
ROUND = Placeholder("round", _("The survey round, e.g. 2026-S1."), "2026-S1")
OPENS_ON = Placeholder("opens_on", _("The day the survey opens."), datetime.date(2026, 4, 1))
CLOSES_ON = Placeholder("closes_on", _("The day the survey closes."), datetime.date(2026, 4, 30))
LINK = Placeholder("link", _("The institution's personal link to its questionnaire (no sign-in needed)."), _sample_link)


def register_emails() -> None:
    register(
        EmailKind(
            key=INVITATION,
            label=_("Survey invitation"),
            description=_("To each invited institution's contact, when the round opens (or when invited later)."),
            subject_template="surveys/email/invitation_subject.txt",
            body_template="surveys/email/invitation.txt",
            placeholders=(INSTITUTION, ROUND, OPENS_ON, CLOSES_ON, LINK),
            required=("link",),
            order=10,
        )
    )
    register(
        EmailKind(
            key=REMINDER,
            label=_("Survey reminder"),
            description=_("To the contact of an institution that has not submitted yet, automatic or sent by staff."),
            subject_template="surveys/email/reminder_subject.txt",
            body_template="surveys/email/reminder.txt",
            placeholders=(INSTITUTION, ROUND, CLOSES_ON, LINK),
            required=("link",),
            order=20,
        )
    )
    register(
        EmailKind(
            key=RECEIPT,
            label=_("Survey receipt"),
            description=_(
                "To the institution's contact and the person who submitted, with every answer, each in their language."
            ),
            subject_template="surveys/email/receipt_subject.txt",
            body_template="surveys/email/receipt.txt",
            placeholders=(
                INSTITUTION,
                ROUND,
                Placeholder("receipt_number", _("The receipt's number, e.g. 2026-S1-00012-1."), "2026-S1-00012-1"),
                Placeholder("submitted", _("When the answers were submitted, and by whom."), _sample_submitted),
                Placeholder(
                    "answers",
                    _("Every answer under its question, in the e-mail's language (several lines)."),
                    _sample_answers,
                    multiline=True,
                ),
                LINK,
            ),
            required=("answers",),
            order=30,
        )
    )
