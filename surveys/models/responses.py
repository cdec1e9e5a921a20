"""A member institution's invitation to a round, its answers and its history."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .questionnaire import Question
from .rounds import Round


def new_token() -> str:
    """An unguessable personal link token: 256 bits from the OS random source."""
    return secrets.token_urlsafe(32)


class ResponseStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Invitation(models.Model):
    """A member institution's invitation to a round, and the state of its response."""

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="invitations")
    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.CASCADE,
        related_name="survey_invitations",
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    status = models.CharField(
        _("status"), max_length=12, choices=ResponseStatus.choices, default=ResponseStatus.NOT_STARTED
    )
    version = models.PositiveIntegerField(
        _("version"), default=0, help_text=_("Increases with every save; detects two people editing at once.")
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)
    reminder_count = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    updated_at = models.DateTimeField(_("last saved at"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["round", "institution__name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["round", "institution"], name="invitation_one_per_member_and_round"),
            models.CheckConstraint(
                name="invitation_status_valid", condition=Q(status__in=[v for v, _label in ResponseStatus.choices])
            ),
            models.CheckConstraint(
                name="invitation_submitted_has_date",
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id and self.round.code} · {self.institution}"

    @property
    def is_submitted(self) -> bool:
        return self.status == ResponseStatus.SUBMITTED

    @property
    def is_not_started(self) -> bool:
        return self.status == ResponseStatus.NOT_STARTED

    @property
    def answers_are_final(self) -> bool:
        """Whether its answers can only be read now: submitted, or the round is over."""
        return self.is_submitted or self.round.is_closed()

    @property
    def was_reopened(self) -> bool:
        """A draft again because staff reopened the submitted answers (the page says so)."""
        if self.status != ResponseStatus.DRAFT:
            return False
        last = self.events.last()
        return last is not None and last.kind == EventKind.REOPENED

    @property
    def receipt_number(self) -> str:
        return f"{self.round.code}-{self.pk:05d}-{self.version}"


class Answer(models.Model):
    """One institution's answer to one question.

    `value` is JSON: an option code (single), a list of codes (multiple, and
    ranking in order of preference), a number, or text. Drafts keep what the
    member typed even when invalid; submission stores the cleaned value.
    """

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("value"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["invitation", "question"], name="answer_one_per_question")]

    def __str__(self) -> str:
        return f"{self.invitation_id}/{self.question_id}"


class EventKind(models.TextChoices):
    INVITED = "invited", _("Invited")
    REMINDED = "reminded", _("Reminded")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened")


class InvitationEvent(models.Model):
    """The history of an invitation: sent, reminded, submitted, reopened (with reason)."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=10, choices=EventKind.choices)
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("invitation event")
        verbose_name_plural = _("invitation events")
        constraints = [
            models.CheckConstraint(name="event_reopen_has_reason", condition=~Q(kind="reopened") | ~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"

    @property
    def by_someone(self) -> bool:
        """Whether a person did it. Nobody is recorded for the automatic reminder nor for
        answers sent through the invitation's link without signing in; reopening is always
        done by staff, so there an empty `by` is an account since deleted ("former user")."""
        return self.by_id is not None or self.kind == EventKind.REOPENED
