"""Innovations, their stage decisions, checklist, lessons and evaluation answers."""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from wagtail.search import index

from portal.accounts.people import display_person
from portal.i18n import in_reader_language

from ..cycle import ACTION_CHOICES, EvaluationQuestion, Stage
from .tracking import change_history

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
        takes part in; staff see everything.

        Built from `Exists(...)` subqueries, never a join: each innovation stays one row, so a
        `Count` or `Sum` made over the result counts innovations, not contributions or
        participations (a join plus `.distinct()` once made the home page count 20 pilots
        out of 5), and the queryset can be grouped, sliced and filtered further as it is."""
        from .delivery import Contribution, Participation  # they refer to Innovation

        public = Q(visibility=Visibility.PUBLIC)
        if not user or not user.is_authenticated or not user.is_active:
            return self.filter(public)
        if user.is_association_staff:
            return self.all()
        if user.is_donor:
            funded = Contribution.objects.filter(innovation=OuterRef("pk"), funder_id=user.funder_id)
            return self.filter(public | Q(Exists(funded), visibility=Visibility.DONORS))
        if user.is_member:
            taking_part = Participation.objects.filter(innovation=OuterRef("pk"), institution_id=user.institution_id)
            return self.filter(public | Q(Exists(taking_part), visibility=Visibility.DONORS))
        return self.filter(public)


class Innovation(index.Indexed, models.Model):
    """A new product, service or channel the association helps bring to market."""

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, help_text=_("Used in the page address."))
    summary = models.TextField(
        _("summary"), help_text=_("What the innovation is and for whom, in two or three sentences.")
    )
    title_en = models.CharField(
        _("title (English)"), max_length=200, blank=True, help_text=_("Leave empty to show the Spanish title.")
    )
    summary_en = models.TextField(
        _("summary (English)"), blank=True, help_text=_("Leave empty to show the Spanish summary.")
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

    history = change_history(
        verbose_name=_("change to an innovation"), verbose_name_plural=_("changes to innovations")
    )  # pilots.history

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

    @property
    def display_title(self) -> str:
        return in_reader_language(self.title, self.title_en)

    @property
    def display_summary(self) -> str:
        return in_reader_language(self.summary, self.summary_en)

    @property
    def is_restricted(self) -> bool:
        """Not public: its visibility is worth a badge wherever it is listed."""
        return self.visibility != Visibility.PUBLIC

    @property
    def is_not_active(self) -> bool:
        """Paused, completed or abandoned: its status is worth a badge wherever it is listed."""
        return self.status != InnovationStatus.ACTIVE


class StageChange(models.Model):
    """A decision to move an innovation from one stage to another; never edited."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(_("from stage"), max_length=10, choices=Stage.choices, blank=True)
    to_stage = models.CharField(_("to stage"), max_length=10, choices=Stage.choices)
    decided_on = models.DateField(_("decided on"))
    # Who decided stays readable after their account is deleted: the link empties, the name
    # written with the decision stays ("Ana Ruiz (former user)", portal.accounts.people).
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_by_name = models.CharField(
        _("decided by (name)"),
        max_length=300,
        blank=True,
        editable=False,
        help_text=_("The name of who decided, as it was when they decided; kept if their account is deleted."),
    )
    rationale = models.TextField(_("rationale"), blank=True)
    rationale_en = models.TextField(
        _("rationale (English)"), blank=True, help_text=_("Leave empty to show the Spanish text.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = change_history(
        verbose_name=_("change to a stage decision"), verbose_name_plural=_("changes to stage decisions")
    )  # pilots.history

    class Meta:
        ordering = ["decided_on", "created_at"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        constraints = [
            models.CheckConstraint(name="stage_change_moves", condition=~Q(from_stage=F("to_stage"))),
        ]

    def __str__(self) -> str:
        return f"{self.innovation}: {self.from_stage or '—'} → {self.to_stage}"

    @property
    def display_rationale(self) -> str:
        return in_reader_language(self.rationale, self.rationale_en)

    @property
    def display_decided_by(self) -> str:
        """Who decided, as people read it ("Ana Ruiz (former user)" once the account is
        deleted); empty for a decision recorded without anyone (imported data)."""
        if self.decided_by_id is None and not self.decided_by_name:
            return ""
        return display_person(self.decided_by, kept_name=self.decided_by_name)


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


class LessonKind(models.TextChoices):
    WORKED = "worked", _("What worked")
    DID_NOT_WORK = "did_not_work", _("What did not work")


class Lesson(index.Indexed, models.Model):
    """A lesson learned in one stage, shared with the network."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="lessons")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    kind = models.CharField(_("kind"), max_length=15, choices=LessonKind.choices)
    text = models.TextField(_("lesson"))
    text_en = models.TextField(_("lesson (English)"), blank=True, help_text=_("Leave empty to show the Spanish text."))
    recorded_on = models.DateField(_("recorded on"))

    search_fields = [
        index.SearchField("text"),
        index.SearchField("text_en"),
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

    @property
    def display_text(self) -> str:
        return in_reader_language(self.text, self.text_en)


class EvaluationAnswer(models.Model):
    """The answer to one of stage 4's evaluation questions."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="evaluation_answers")
    question = models.CharField(_("question"), max_length=20, choices=EvaluationQuestion.choices)
    answer = models.TextField(_("answer"))
    answer_en = models.TextField(
        _("answer (English)"), blank=True, help_text=_("Leave empty to show the Spanish text.")
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("evaluation answer")
        verbose_name_plural = _("evaluation answers")
        constraints = [models.UniqueConstraint(fields=["innovation", "question"], name="evaluation_answer_once")]

    def __str__(self) -> str:
        return self.get_question_display()

    @property
    def display_answer(self) -> str:
        return in_reader_language(self.answer, self.answer_en)
