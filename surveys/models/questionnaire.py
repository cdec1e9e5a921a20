"""A round's questionnaire: questions with stable codes (so answers compare across rounds) and their options."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from portal.i18n import in_reader_language

from .rounds import Round


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

    # What the answer form draws for it (`includes/question.html`): one widget per kind.

    @property
    def is_single_choice(self) -> bool:
        return self.kind == QuestionType.SINGLE

    @property
    def is_multiple_choice(self) -> bool:
        return self.kind == QuestionType.MULTIPLE

    @property
    def is_ranking(self) -> bool:
        return self.kind == QuestionType.RANKING

    @property
    def is_typed_number(self) -> bool:
        """A number or a percentage, typed in a text field (the page's language writes it)."""
        return self.kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE)

    @property
    def is_percentage(self) -> bool:
        return self.kind == QuestionType.PERCENTAGE

    @property
    def is_scale(self) -> bool:
        return self.kind == QuestionType.SCALE

    @property
    def states_its_limits(self) -> bool:
        """A number question with a minimum or a maximum says them under its field (a
        percentage's 0–100 goes without saying)."""
        return self.kind == QuestionType.NUMBER and (self.min_value is not None or self.max_value is not None)

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
