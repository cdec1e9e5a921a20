"""The semiannual member demand survey: rounds, questionnaires, invitations, answers.

A *round* is one semester's edition (2026-S1). Its questionnaire is a list of
questions with stable codes, so that answers compare across rounds. Each member
institution gets one *invitation* per round: it carries the unguessable personal
link, the state of the institution's response (not started, draft, submitted)
and a version number that detects two people editing at once. Answers hang off
the invitation, one per question.

Writes with rules go through `surveys.services`; aggregating reads through
`surveys.selectors`. The database repeats the simplest invariants.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.i18n import in_reader_language
from portal.numbers import YearField


def new_token() -> str:
    """An unguessable personal link token: 256 bits from the OS random source."""
    return secrets.token_urlsafe(32)


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


class QuestionType(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    RANKING = "ranking", _("Ranking")
    NUMBER = "number", _("Number")
    PERCENTAGE = "percentage", _("Percentage")
    SCALE = "scale", _("Scale 1–5")
    TEXT = "text", _("Free text")


CHOICE_TYPES = {QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.RANKING}
NUMERIC_TYPES = {QuestionType.NUMBER, QuestionType.PERCENTAGE, QuestionType.SCALE}


class Measures(models.TextChoices):
    """What a product-line question measures, for the demand-against-supply gap."""

    NOTHING = "", _("Nothing in particular")
    DEMAND = "demand", _("What clients demand")
    SUPPLY = "supply", _("What the institution offers")


class Question(ClusterableModel):
    """One question of a round's questionnaire.

    `code` is stable across rounds (the copy of the previous questionnaire keeps
    it), so results and trends compare like with like.
    """

    round = models.ForeignKey(Round, verbose_name=_("round"), on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(_("code"), max_length=50, help_text=_("Stable across rounds, e.g. demand-ranking."))
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("type"), max_length=12, choices=QuestionType.choices)
    label_es = models.CharField(_("question (Spanish)"), max_length=300)
    label_en = models.CharField(_("question (English)"), max_length=300, blank=True)
    help_es = models.TextField(_("help text (Spanish)"), blank=True)
    help_en = models.TextField(_("help text (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    min_value = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Number questions only.")
    )
    max_value = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Number questions only.")
    )
    unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("Number questions only, e.g. USD."))
    decimals = models.PositiveSmallIntegerField(
        _("decimals"),
        default=0,
        help_text=_(
            "Number questions only: how many decimals an answer may have. 0 for a count (clients, loans), "
            "so that “18,500” is never read as eighteen and a half."
        ),
    )
    max_choices = models.PositiveSmallIntegerField(
        _("how many to choose or rank"),
        null=True,
        blank=True,
        help_text=_("Multiple choice: most options a member may tick. Ranking: how many positions to fill."),
    )
    measures = models.CharField(
        _("measures"),
        max_length=10,
        choices=Measures.choices,
        blank=True,
        default="",
        help_text=_("Product-line questions: mark one demand and one supply question to see the gap."),
    )
    show_if_question = models.ForeignKey(
        "self",
        verbose_name=_("show only if question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependants",
        help_text=_("Conditional display: a single or multiple choice question earlier in the same round."),
    )
    show_if_option = models.CharField(
        _("has the answer"), max_length=50, blank=True, help_text=_("The option code that makes this question appear.")
    )

    class Meta:
        ordering = ["round", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "code"],
                name="question_code_unique_in_round",
                violation_error_message=_("This round already has a question with this code."),
            ),
            models.CheckConstraint(
                name="question_kind_valid", condition=Q(kind__in=[value for value, _label in QuestionType.choices])
            ),
            models.CheckConstraint(
                name="question_min_not_above_max",
                condition=Q(min_value__isnull=True) | Q(max_value__isnull=True) | Q(min_value__lte=F("max_value")),
                violation_error_message=_("The minimum cannot be above the maximum."),
            ),
            models.CheckConstraint(
                name="question_decimals_at_most_4",
                condition=Q(decimals__lte=4),
                violation_error_message=_("A number answer may have at most 4 decimals."),
            ),
            models.CheckConstraint(
                name="question_condition_complete",
                condition=Q(show_if_question__isnull=True) | ~Q(show_if_option=""),
                violation_error_message=_("Say which answer makes this question appear."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id and self.round.code} · {self.code}"

    @property
    def label(self) -> str:
        return in_reader_language(self.label_es, self.label_en)

    @property
    def help_text(self) -> str:
        return in_reader_language(self.help_es, self.help_en)

    @property
    def field_name(self) -> str:
        return f"q-{self.pk}"

    @property
    def is_choice(self) -> bool:
        return self.kind in CHOICE_TYPES

    @property
    def positions(self) -> int:
        """How many positions a ranking asks for (all options unless limited)."""
        count = len(self.options.all())
        return min(self.max_choices, count) if self.max_choices else count


class Option(models.Model):
    """An answer option of a choice or ranking question, often a product line."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="options")
    code = models.SlugField(_("code"), max_length=50, help_text=_("Stable across rounds."))
    label_es = models.CharField(_("label (Spanish)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    product_line = models.ForeignKey(
        "accounts.ProductLine",
        verbose_name=_("product line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_options",
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["question", "code"], name="option_code_unique_in_question")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return in_reader_language(self.label_es, self.label_en)


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


class Opportunity(models.Model):
    """An innovation whose opportunity a round's question revealed (stage 1 of the cycle)."""

    innovation = models.ForeignKey(
        "pilots.Innovation",
        verbose_name=_("innovation"),
        on_delete=models.CASCADE,
        related_name="survey_opportunities",
    )
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="opportunities"
    )
    note = models.TextField(_("note"), blank=True, help_text=_("What the answers showed."))
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-linked_at"]
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "question"], name="opportunity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} ← {self.question}"
