"""How an innovation is delivered: milestones, participating MFIs, funders' contributions."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from portal.i18n import in_reader_language

from ..cycle import Stage
from .tracking import change_history


class MilestoneStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_MILESTONE = (MilestoneStatus.PLANNED, MilestoneStatus.IN_PROGRESS)


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today):
        """Still open after their planned date: the late ones that still need doing (`is_late`)."""
        return self.filter(status__in=OPEN_MILESTONE, planned_date__lt=today)


class Milestone(models.Model):
    """A dated, planned event: a study delivered, a pilot launched, a report."""

    innovation = models.ForeignKey("pilots.Innovation", on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, help_text=_("Leave empty to show the Spanish text.")
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_date = models.DateField(_("planned date"), help_text=_("When it should be done."))
    actual_date = models.DateField(_("actual date"), null=True, blank=True, help_text=_("When it was done."))
    status = models.CharField(
        _("status"), max_length=12, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MilestoneQuerySet.as_manager()

    history = change_history(
        verbose_name=_("change to a milestone"), verbose_name_plural=_("changes to milestones")
    )  # pilots.history

    class Meta:
        ordering = ["planned_date", "id"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        indexes = [
            # The dashboard's late milestones (`MilestoneQuerySet.overdue`), oldest first, and their count
            # (read from the index alone): only the open ones.
            models.Index(
                fields=["planned_date", "id", "innovation"],
                condition=Q(status__in=OPEN_MILESTONE),
                name="milestone_open_by_date",
            ),
        ]
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

    @property
    def display_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    def is_late(self, today) -> bool:
        """Late: still open after its planned date, or done after it."""
        if self.status == MilestoneStatus.CANCELLED:
            return False
        if self.status == MilestoneStatus.DONE:
            return self.actual_date is not None and self.actual_date > self.planned_date
        return self.status in OPEN_MILESTONE and self.planned_date < today


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
        return in_reader_language(self.name_es, self.name_en)


class Participation(models.Model):
    """A member MFI taking part in an innovation, since a date, in a stage."""

    innovation = models.ForeignKey("pilots.Innovation", on_delete=models.CASCADE, related_name="participations")
    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    since = models.DateField(_("since"))
    stage = models.CharField(_("joined in stage"), max_length=10, choices=Stage.choices)
    criteria = models.ManyToManyField(SelectionCriterion, verbose_name=_("selection criteria met"), blank=True)
    reported_indicators = models.ManyToManyField(
        "pilots.Indicator",
        verbose_name=_("indicators it reports"),
        blank=True,
        related_name="reported_by",
        help_text=_(
            "The indicators this MFI reports itself, each period of the innovation's reporting plan. "
            "Its member users fill them in; staff approve them before they count."
        ),
    )

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

    innovation = models.ForeignKey("pilots.Innovation", on_delete=models.CASCADE, related_name="contributions")
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
    description_en = models.CharField(
        _("description (English)"), max_length=200, blank=True, help_text=_("Leave empty to show the Spanish text.")
    )

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

    @property
    def display_description(self) -> str:
        return in_reader_language(self.description, self.description_en)
