"""What is measured: indicators, their targets per stage, and measurements."""

import uuid
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from ..cycle import Stage
from .delivery import Currency, Participation
from .innovation import Innovation, in_reader_language
from .period_labels import period_label
from .tracking import change_history


class Unit(models.TextChoices):
    COUNT = "count", _("Count")
    PERCENT = "percent", _("Percent")
    DAYS = "days", _("Days")
    MONEY = "money", _("Money")

    @property
    def places(self) -> int:
        """The most decimals a value in this unit is shown with, on the pages (`in_unit`) and in
        the API: 86.7 %, 4.5 days, 51,000.25 clients, USD 8,600.50."""
        return 1 if self in (Unit.PERCENT, Unit.DAYS) else 2

    def rounded(self, value: Decimal) -> Decimal:
        """`value` to the unit's `places`, halves up, as the pages show it: 86.666… % → 86.7."""
        return value.quantize(Decimal(1).scaleb(-self.places), rounding=ROUND_HALF_UP)


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


class Aggregation(models.TextChoices):
    CUMULATIVE = "cumulative", _("Cumulative (values add up)")
    LATEST = "latest", _("Latest reading")


class Counted(models.TextChoices):
    """What a count indicator counts: counts of the same thing add up across the portfolio."""

    CLIENTS = "clients", _("Clients")
    INSTITUTIONS = "institutions", _("Participating MFIs")
    PEOPLE = "people", _("Other people (not clients)")
    OTHER = "other", _("Something else (activities, branches...)")


class Indicator(models.Model):
    """Something measured about an innovation: clients reached, satisfaction..."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, help_text=_("Leave empty to show the Spanish name.")
    )
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
    counted = models.CharField(
        _("what is counted"),
        max_length=12,
        choices=Counted.choices,
        blank=True,
        help_text=_(
            "For counts only. The dashboard adds up counts of the same thing across innovations "
            "(clients reached against client targets); counts of something else are not added up."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "name"], name="indicator_name_unique_per_innovation"),
            models.CheckConstraint(name="indicator_money_has_currency", condition=~Q(unit="money") | ~Q(currency="")),
            models.CheckConstraint(name="indicator_only_counts_count", condition=Q(unit="count") | Q(counted="")),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)

    @property
    def is_percentage(self) -> bool:
        """Reported as a numerator and a denominator (MFIs weighted by how many they asked)."""
        return self.unit == Unit.PERCENT


class Target(models.Model):
    """The value an indicator should reach by a date, for one stage."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    due_date = models.DateField(_("due date"))

    history = change_history(
        verbose_name=_("change to a target"), verbose_name_plural=_("changes to targets")
    )  # pilots.history

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
    numerator = models.DecimalField(
        _("numerator"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a percentage: the part (satisfied clients), so that MFIs are weighted by their size."),
    )
    denominator = models.DecimalField(
        _("denominator"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For a percentage: the whole (clients surveyed)."),
    )
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # Set when the value comes from an MFI's report: the report, and who approved it when.
    report = models.ForeignKey(
        "pilots.MFIReport",
        verbose_name=_("MFI report"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measurements",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    submission_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = change_history(
        verbose_name=_("change to a measurement"), verbose_name_plural=_("changes to measurements")
    )  # pilots.history

    class Meta:
        ordering = ["measured_on", "created_at"]
        verbose_name = _("measurement")
        verbose_name_plural = _("measurements")
        constraints = [
            models.CheckConstraint(name="measurement_not_negative", condition=Q(value__gte=0)),
            models.CheckConstraint(
                name="measurement_part_of_whole",
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
            ),
            models.CheckConstraint(
                name="measurement_denominator_positive", condition=Q(denominator__isnull=True) | Q(denominator__gt=0)
            ),
        ]
        indexes = [
            # Each indicator's measurements in the order they were taken, read without a
            # sort by `pilots.selectors.measurement_rows`.
            models.Index(fields=["indicator", "measured_on", "created_at", "id"], name="measurement_in_order")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.measured_on})"

    @property
    def display_source(self) -> str:
        """Where the value comes from, in the reader's language for an MFI's report
        (its `report` loaded with it); as staff wrote it otherwise."""
        if self.report_id is None:
            return self.source
        period = period_label(self.report.period_start, self.report.period_end)
        return _("The MFI's report for %(period)s") % {"period": period}
