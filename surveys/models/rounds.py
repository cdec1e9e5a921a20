"""A round of the survey and its life: the semester's edition, its states and its history.

A round's state changes only through the services (`surveys.services.lifecycle`).
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.i18n import in_reader_language
from portal.numbers import YearField


class Semester(models.IntegerChoices):
    FIRST = 1, _("First semester")
    SECOND = 2, _("Second semester")


class RoundState(models.TextChoices):
    """Where a round is in its life. Each change is a service (`surveys.services.round_*`):

    draft → scheduled → open → closed → results published; a scheduled round can go back
    to draft. Only an open round takes answers and sends e-mails; members see the
    network's results only once they are published.
    """

    DRAFT = "draft", pgettext_lazy("round state", "Draft")
    SCHEDULED = "scheduled", pgettext_lazy("round state", "Scheduled")
    OPEN = "open", pgettext_lazy("round state", "Open")
    CLOSED = "closed", pgettext_lazy("round state", "Closed")
    RESULTS_PUBLISHED = "published", pgettext_lazy("round state", "Results published")


OPENED_STATES = (RoundState.OPEN, RoundState.CLOSED, RoundState.RESULTS_PUBLISHED)


class Round(models.Model):
    """One semester's edition of the demand survey.

    Its dates say when it is planned to open and close; its `state` says what has happened.
    The scheduler (`open_and_close_rounds`) opens a scheduled round on `opens_on` and closes
    an open one after `closes_on`; staff may do either earlier, with a confirmation.
    """

    year = YearField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=Semester.choices)
    opens_on = models.DateField(_("opens on"), help_text=_("From this day members can answer."))
    closes_on = models.DateField(_("closes on"), help_text=_("Last day on which members can answer."))
    reminder_days = models.PositiveSmallIntegerField(
        _("reminder days before closing"),
        default=7,
        help_text=_("Members who have not submitted get an automatic reminder this many days before closing."),
    )
    intro_es = models.TextField(_("introduction (Spanish)"), blank=True)
    intro_en = models.TextField(_("introduction (English)"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.DRAFT, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-semester"]
        verbose_name = _("survey round")
        verbose_name_plural = _("survey rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "semester"],
                name="round_year_semester_unique",
                violation_error_message=_("There is already a round for this year and semester."),
            ),
            models.CheckConstraint(name="round_semester_valid", condition=Q(semester__in=[1, 2])),
            models.CheckConstraint(
                name="round_state_valid", condition=Q(state__in=[value for value, _label in RoundState.choices])
            ),
            models.CheckConstraint(
                name="round_closes_after_opening",
                condition=Q(closes_on__gte=F("opens_on")),
                violation_error_message=_("The round must close on or after the day it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.year}-S{self.semester}"

    @property
    def intro(self) -> str:
        return in_reader_language(self.intro_es, self.intro_en)

    def has_opened(self, today=None) -> bool:
        """Whether it was opened (its questionnaire is then fixed). A round opens by a change of
        state, never by a date passing; `today` only asks whether it had opened by that day."""
        return self.state in OPENED_STATES and (today is None or today >= self.opens_on)

    def is_closed(self, today=None) -> bool:
        """Whether answers are over: closed, or still open but past its last day (answers
        stop after `closes_on` even before the scheduler marks the round closed)."""
        if self.state in (RoundState.CLOSED, RoundState.RESULTS_PUBLISHED):
            return True
        return self.state == RoundState.OPEN and (today or timezone.localdate()) > self.closes_on

    def is_open(self, today=None) -> bool:
        """Whether members may answer now: open, from `opens_on` up to and including `closes_on`."""
        today = today or timezone.localdate()
        return self.state == RoundState.OPEN and self.opens_on <= today <= self.closes_on

    @property
    def results_published(self) -> bool:
        return self.state == RoundState.RESULTS_PUBLISHED


class RoundEventKind(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("round event", "Scheduled")
    UNSCHEDULED = "unscheduled", pgettext_lazy("round event", "Back to draft")
    OPENED = "opened", pgettext_lazy("round event", "Opened")
    CLOSED = "closed", pgettext_lazy("round event", "Closed")
    RESULTS_PUBLISHED = "published", pgettext_lazy("round event", "Results published")
    WITHDRAWN = "withdrawn", pgettext_lazy("round event", "Invitation withdrawn")


class RoundEvent(models.Model):
    """The history of a round: each change of state, and each invitation withdrawn.

    A withdrawn invitation is deleted (see `services.invitation_withdraw`), so its trace
    lives here, with the institution it was for: who withdrew it, when and why.
    `by_scheduler` marks what the scheduler did (opening, closing on the dates); an empty
    `by` otherwise is an account since deleted.
    """

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=RoundEventKind.choices)
    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    by_scheduler = models.BooleanField(_("by the scheduler"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("round event")
        verbose_name_plural = _("round events")
        constraints = [
            models.CheckConstraint(
                name="round_event_kind_valid",
                condition=Q(kind__in=[value for value, _label in RoundEventKind.choices]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
