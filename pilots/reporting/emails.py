"""MFI reporting's e-mails, registered for staff to edit (`portal.emails`): the reminder for a
period due without a report, and a report returned for correction. `tasks` sends them."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.emails.registry import EmailKind, Placeholder, register
from portal.i18n import in_reader_language
from portal.links import absolute_url

from ..models.reporting import period_label

REMINDER = "report-reminder"
RETURNED = "report-returned"


def _sample_link() -> str:  # in the preview's language, as a real e-mail links to its pages
    return absolute_url(reverse("pilots:mfi_report", kwargs={"slug": "microseguro-simplificado", "period": "2026-01"}))


INSTITUTION = Placeholder("institution", _("The institution's name."), "Cooperativa San José")


def _sample_period() -> str:
    return period_label(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))


def _sample_innovation() -> str:  # an innovation's title is content, in both languages
    return in_reader_language("Microseguro simplificado", "Simplified micro-insurance")


def _sample_comment() -> str:
    return in_reader_language(
        "El número de clientes asegurados de marzo no coincide con la lista de la aseguradora.",
        "The number of insured clients in March does not match the insurer's list.",
    )


PERIOD = Placeholder("period", _("The reporting period, e.g. January 2026 or Q1 2026."), _sample_period)
INNOVATION = Placeholder("innovation", _("The innovation the figures are for."), _sample_innovation)
LINK = Placeholder("link", _("The link to the institution's report for that period (sign-in needed)."), _sample_link)


def register_emails() -> None:
    register(
        EmailKind(
            key=REMINDER,
            label=_("MFI report reminder"),
            description=_(
                "To the MFI's users and contact, once, when a reporting period has closed without its report."
            ),
            subject_template="pilots/reporting/email/reminder_subject.txt",
            body_template="pilots/reporting/email/reminder.txt",
            placeholders=(INSTITUTION, PERIOD, INNOVATION, LINK),
            required=("link",),
            order=40,
        )
    )
    register(
        EmailKind(
            key=RETURNED,
            label=_("MFI report returned"),
            description=_("To the MFI's users and contact, when staff return its report for correction."),
            subject_template="pilots/reporting/email/returned_subject.txt",
            body_template="pilots/reporting/email/returned.txt",
            placeholders=(
                INSTITUTION,
                PERIOD,
                INNOVATION,
                Placeholder(
                    "comment",
                    _("The reviewer's comment: what to correct (can be several lines)."),
                    _sample_comment,
                    multiline=True,
                ),
                LINK,
            ),
            required=("comment", "link"),
            order=50,
        )
    )
