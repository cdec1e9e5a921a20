"""Figures reported by the participating MFIs themselves, reviewed by staff before they count.

Staff set how often an innovation's participants report (`ReportingPlan`) and, for
each participant, which indicators it reports (`Participation.reported_indicators`).
A member user of that MFI fills in one `MFIReport` per period: a draft saved on the
server, submitted when complete, then approved by staff — when its values become
`Measurement` rows and start to count — or returned with a comment to be corrected.
The rules are in `pilots.reporting.services`; see docs/reporting.md.
"""

import datetime

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .delivery import Participation
from .indicators import Indicator
from .innovation import Innovation
from .period_labels import period_label  # noqa: F401 (where callers have always found it)
from .tracking import change_history


class ReportingFrequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class ReportingPlan(models.Model):
    """How often the MFIs taking part in an innovation report their figures, and since when."""

    innovation = models.OneToOneField(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE, related_name="reporting_plan"
    )
    frequency = models.CharField(
        _("frequency"), max_length=10, choices=ReportingFrequency.choices, default=ReportingFrequency.MONTHLY
    )
    first_period = models.DateField(
        _("first period starts on"),
        help_text=_("The first day of the first month (or quarter: January, April, July, October) to report."),
    )
    last_period = models.DateField(
        _("last period starts on"),
        null=True,
        blank=True,
        help_text=_("The first day of the last period to report. Leave empty while the MFIs keep reporting."),
    )
    days_to_report = models.PositiveSmallIntegerField(
        _("days to report"),
        default=10,
        help_text=_("How many days after a period ends its report is due; a reminder goes out after that."),
    )

    class Meta:
        verbose_name = _("reporting plan")
        verbose_name_plural = _("reporting plans")
        constraints = [
            models.CheckConstraint(
                name="reporting_plan_frequency_valid", condition=Q(frequency__in=ReportingFrequency.values)
            ),
            models.CheckConstraint(
                name="reporting_plan_last_after_first",
                condition=Q(last_period__isnull=True) | Q(last_period__gte=F("first_period")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} ({self.get_frequency_display()})"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    RETURNED = "returned", _("Returned for correction")
    APPROVED = "approved", _("Approved")


EDITABLE_STATES = (ReportState.DRAFT, ReportState.RETURNED)


def private_storage():
    """Attachments are read through a view that checks who asks, never from a public address."""
    return storages["private"]


class MFIReport(models.Model):
    """One participating MFI's figures for one reporting period."""

    participation = models.ForeignKey(
        Participation, verbose_name=_("participant MFI"), on_delete=models.PROTECT, related_name="reports"
    )
    period_start = models.DateField(_("period starts on"))
    period_end = models.DateField(_("period ends on"))
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    comment = models.TextField(_("comment"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="mfi-reports/%Y/%m/", storage=private_storage, blank=True, max_length=300
    )
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(pgettext_lazy("MFI report", "submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)

    history = change_history(
        verbose_name=_("change to an MFI report"), verbose_name_plural=_("changes to MFI reports")
    )  # pilots.history

    class Meta:
        ordering = ["-period_start", "participation__institution__name"]
        verbose_name = _("MFI report")
        verbose_name_plural = _("MFI reports")
        constraints = [
            models.UniqueConstraint(fields=["participation", "period_start"], name="mfi_report_once_per_period"),
            models.CheckConstraint(name="mfi_report_state_valid", condition=Q(state__in=ReportState.values)),
            models.CheckConstraint(name="mfi_report_period_ordered", condition=Q(period_end__gt=F("period_start"))),
            models.CheckConstraint(
                name="mfi_report_submitted_has_date",
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "period_start"], name="mfi_report_queue")]

    def __str__(self) -> str:
        return f"{self.participation.institution} — {self.period_start:%Y-%m}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def was_returned(self) -> bool:
        """Staff sent it back with a comment: the MFI corrects and submits it again."""
        return self.state == ReportState.RETURNED

    @property
    def awaits_review(self) -> bool:
        return self.state == ReportState.SUBMITTED

    @property
    def figures_count(self) -> bool:
        """Approved: its figures are measurements of the innovation."""
        return self.state == ReportState.APPROVED

    @property
    def innovation(self) -> Innovation:
        return self.participation.innovation


class MFIReportValue(models.Model):
    """The value an MFI reports for one indicator in one period; for a percentage, the
    numerator and denominator it comes from (satisfied clients of clients surveyed)."""

    report = models.ForeignKey(MFIReport, on_delete=models.CASCADE, related_name="values")
    indicator = models.ForeignKey(Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.DecimalField(_("numerator"), max_digits=14, decimal_places=2, null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=14, decimal_places=2, null=True, blank=True)

    history = change_history(
        verbose_name=_("change to a reported value"), verbose_name_plural=_("changes to reported values")
    )  # pilots.history

    class Meta:
        ordering = ["indicator__order", "indicator_id"]
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="mfi_report_value_once_per_indicator"),
            models.CheckConstraint(
                name="mfi_report_value_not_negative", condition=Q(value__isnull=True) | Q(value__gte=0)
            ),
            models.CheckConstraint(
                name="mfi_report_value_part_of_whole",
                condition=Q(numerator__isnull=True) | Q(denominator__isnull=True) | Q(numerator__lte=F("denominator")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value}"


class ReportReminder(models.Model):
    """A reminder sent for a period that closed without a report: sent once per MFI and period."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="report_reminders")
    period_start = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("report reminder")
        verbose_name_plural = _("report reminders")
        constraints = [
            models.UniqueConstraint(fields=["participation", "period_start"], name="report_reminder_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.participation} {self.period_start}"


def period_end(start: datetime.date, frequency: str) -> datetime.date:
    """The last day of the period that starts on `start`."""
    months = 3 if frequency == ReportingFrequency.QUARTERLY else 1
    year, month = divmod(start.month - 1 + months, 12)
    return datetime.date(start.year + year, month + 1, 1) - datetime.timedelta(days=1)
