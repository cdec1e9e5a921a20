"""The innovation tracker: innovations moving through the five-stage cycle.

Writes with rules go through `pilots.services`; reads that aggregate (progress
against target) through `pilots.selectors`. The constraints below repeat the
simplest rules in the database so that no other path can break them.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.search import index

from .cycle import ACTION_CHOICES, EvaluationQuestion, Stage

STAGE_VALUES = [stage.value for stage in Stage]


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    DONORS = "donors", _("Funders and participants")
    STAFF = "staff", _("Staff only")


class InnovationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    COMPLETED = "completed", _("Completed")
    DISCONTINUED = "discontinued", _("Discontinued")


class InnovationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a user may see: the public sees public innovations; a donor also
        sees the restricted ones its funder pays for; a member those its MFI
        takes part in; staff see everything."""
        public = Q(visibility=Visibility.PUBLIC)
        if not user or not user.is_authenticated or not user.is_active:
            return self.filter(public)
        if user.is_association_staff:
            return self.all()
        if user.is_donor:
            funded = Q(visibility=Visibility.DONORS, contributions__funder_id=user.funder_id)
            return self.filter(public | funded).distinct()
        if user.is_member:
            taking_part = Q(visibility=Visibility.DONORS, participations__institution_id=user.institution_id)
            return self.filter(public | taking_part).distinct()
        return self.filter(public)


class Innovation(index.Indexed, models.Model):
    """A new product, service or channel the association helps bring to market."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in the page address."))
    summary = models.TextField(
        _("summary"), help_text=_("What the innovation is and for whom, in two or three sentences.")
    )
    product_line = models.ForeignKey(
        "accounts.ProductLine", verbose_name=_("product line"), on_delete=models.PROTECT, related_name="innovations"
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lead staff member"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_innovations",
    )
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.STAFF)
    stage = models.CharField(_("current stage"), max_length=10, choices=Stage.choices, default=Stage.IDENTIFY)
    status = models.CharField(
        _("status"), max_length=15, choices=InnovationStatus.choices, default=InnovationStatus.ACTIVE
    )
    started_on = models.DateField(_("started on"), help_text=_("When the association began work on it."))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InnovationQuerySet.as_manager()

    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("summary"),
        index.AutocompleteField("title"),
        index.FilterField("stage"),
        index.FilterField("visibility"),
        index.FilterField("product_line"),
        index.FilterField("status"),
    ]

    class Meta:
        ordering = ["title"]
        verbose_name = _("innovation")
        verbose_name_plural = _("innovations")
        constraints = [
            models.CheckConstraint(name="innovation_stage_valid", condition=Q(stage__in=STAGE_VALUES)),
            models.CheckConstraint(name="innovation_visibility_valid", condition=Q(visibility__in=Visibility.values)),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("pilots:detail", kwargs={"slug": self.slug})


class StageChange(models.Model):
    """A decision to move an innovation from one stage to another; never edited."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from stage"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=10, choices=Stage.choices)
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True
    )
    rationale = models.TextField(_("rationale"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_on", "created_at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            models.CheckConstraint(name="stage_change_moves", condition=~Q(from_stage=F("to_stage"))),
        ]

    def __str__(self) -> str:
        return f"{self.innovation}: {self.from_stage or '—'} → {self.to_stage}"


class ChecklistItem(models.Model):
    """One of the association's Table 1 actions, ticked for an innovation."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="checklist")
    action = models.CharField(_("action"), max_length=40, choices=ACTION_CHOICES)
    done_on = models.DateField(_("done on"))
    evidence_url = models.URLField(_("evidence link"), blank=True)
    ticked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)

    class Meta:
        ordering = ["done_on"]
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        constraints = [models.UniqueConstraint(fields=["innovation", "action"], name="checklist_once_per_action")]

    def __str__(self) -> str:
        return f"{self.get_action_display()} ({self.done_on})"


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Milestone(models.Model):
    """A dated, planned event: a study delivered, a pilot launched, a report."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_date = models.DateField(_("planned date"), help_text=_("When it should be done."))
    actual_date = models.DateField(_("actual date"), null=True, blank=True, help_text=_("When it was done."))
    status = models.CharField(
        _("status"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        ordering = ["planned_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.CheckConstraint(
                name="milestone_done_has_date",
                condition=~Q(status="done") | Q(actual_date__isnull=False),
            ),
            models.CheckConstraint(
                name="milestone_start_before_due",
                condition=Q(planned_start__isnull=True) | Q(planned_start__lte=F("planned_date")),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_late(self, today) -> bool:
        """Late: still open after its planned date, or done after it."""
        if self.status == MilestoneStatus.CANCELLED:
            return False
        if self.status == MilestoneStatus.DONE:
            return self.actual_date is not None and self.actual_date > self.planned_date
        return self.planned_date < today


class SelectionCriterion(models.Model):
    """A reason a member MFI was chosen for a pilot (legal framework, solidity...)."""

    code = models.SlugField(max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")

    def __str__(self) -> str:
        from django.utils.translation import get_language

        return self.name_en if (get_language() or "es").startswith("en") else self.name_es


class Participation(models.Model):
    """A member MFI taking part in an innovation, since a date, in a stage."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="participations")
    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    since = models.DateField(_("since"))
    stage = models.CharField(_("joined in stage"), max_length=10, choices=Stage.choices)
    criteria = models.ManyToManyField(SelectionCriterion, verbose_name=_("selection criteria met"), blank=True)

    class Meta:
        ordering = ["since", "institution__name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "institution"], name="participation_once_per_institution")
        ]

    def __str__(self) -> str:
        return f"{self.institution} — {self.innovation}"


class Currency(models.TextChoices):
    USD = "USD", "USD"
    EUR = "EUR", "EUR"
    PEN = "PEN", "PEN"
    INR = "INR", "INR"
    RUB = "RUB", "RUB"


class Contribution(models.Model):
    """What a funder pays towards one stage of an innovation."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="contributions")
    funder = models.ForeignKey(
        "accounts.Funder", verbose_name=_("funder"), on_delete=models.PROTECT, related_name="contributions"
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    amount = models.DecimalField(
        _("amount"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty when the amount is not public."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        ordering = ["stage", "funder__name"]
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        constraints = [
            models.CheckConstraint(
                name="contribution_amount_not_negative", condition=Q(amount__isnull=True) | Q(amount__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.funder} — {self.get_stage_display()}"


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    DAYS = "days", _("Days")
    MONEY = "money", _("Money")


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    CUMULATIVE = "cumulative", _("Cumulative (values add up)")
    LATEST = "latest", _("Latest reading")


class Indicator(models.Model):
    """Something measured about an innovation: clients reached, satisfaction..."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    aggregation = models.CharField(
        _("values are"),
        max_length=12,
        choices=Aggregation.choices,
        default=Aggregation.LATEST,
        help_text=_(
            "Cumulative: each measurement adds to the total (activities held). "
            "Latest reading: each measurement is the level on its date (clients insured)."
        ),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "name"], name="indicator_name_unique_per_innovation"),
            models.CheckConstraint(name="indicator_money_has_currency", condition=~Q(unit="money") | ~Q(currency="")),
        ]

    def __str__(self) -> str:
        return self.name


class Target(models.Model):
    """The value an indicator should reach by a date, for one stage."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("due date"))

    class Meta:
        ordering = ["due_date"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "stage"], name="target_once_per_stage"),
            models.CheckConstraint(name="target_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.get_stage_display()})"


class Measurement(models.Model):
    """A value of an indicator observed on a date, logged by staff with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    measured_on = models.DateField(_("date"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    source = models.CharField(
        _("source"), max_length=300, help_text=_("Where the number comes from: a report, a dataset.")
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("participant MFI"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measurements",
        help_text=_("Leave empty for a network-wide value."),
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["measured_on", "created_at"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [models.CheckConstraint(name="measurement_not_negative", condition=Q(value__gte=0))]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"


class LessonKind(models.TextChoices):
    WORKED = "worked", _("What worked")
    DID_NOT_WORK = "did_not_work", _("What did not work")


class Lesson(index.Indexed, models.Model):
    """A lesson learned in one stage, shared with the network."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="lessons")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=15, choices=LessonKind.choices)
    text = models.TextField(_("lesson"))
    recorded_on = models.DateField(_("recorded on"))

    search_fields = [
        index.SearchField("text"),
        index.FilterField("stage"),
        index.FilterField("innovation"),
        index.RelatedFields("innovation", [index.SearchField("title"), index.FilterField("visibility")]),
    ]

    class Meta:
        ordering = ["stage", "recorded_on", "id"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self) -> str:
        return self.text[:60]


class EvaluationAnswer(models.Model):
    """The answer to one of stage 4's evaluation questions."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evaluation_answers")
    question = models.CharField(_("question"), max_length=20, choices=EvaluationQuestion.choices)
    answer = models.TextField(_("answer"))

    class Meta:
        ordering = ["id"]
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [models.UniqueConstraint(fields=["innovation", "question"], name="evaluation_answer_once")]

    def __str__(self) -> str:
        return self.get_question_display()
