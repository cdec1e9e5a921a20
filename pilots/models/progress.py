"""Stored progress: each indicator's actual and status, and each innovation's health.

These rows are derived data, never edited: `pilots.progress` computes them with the
progress rule (`pilots.selectors`) and keeps them current, so that lists, the
dashboard and the progress filter read one row per indicator and per innovation
instead of every measurement. See `pilots.progress` for when they are rebuilt, and
docs/stored-progress.md.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .indicators import Indicator, Target
from .innovation import Innovation


class Status:
    """Where an indicator (or, by its worst indicator, an innovation) stands against its target."""

    ACHIEVED = "achieved"
    MISSED = "missed"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_RECENT_DATA = "no_recent_data"  # the latest figure is too old to judge by (`pilots.selectors`)
    NO_DATA = "no_data"
    NO_TARGET = "no_target"

    LABELS = {
        ACHIEVED: _("Achieved"),
        MISSED: _("Missed"),
        ON_TRACK: _("On track"),
        AT_RISK: _("At risk"),
        OFF_TRACK: _("Off track"),
        NO_RECENT_DATA: _("No recent data"),
        NO_DATA: _("No data yet"),
        NO_TARGET: _("No target"),
    }
    # Worst first: an innovation's health is its first measured status in this order. Not knowing
    # (no recent data) is worse than on track, but a shortfall the figures show is worse still.
    ORDER = [MISSED, OFF_TRACK, AT_RISK, NO_RECENT_DATA, ON_TRACK, ACHIEVED, NO_DATA, NO_TARGET]
    CHOICES = list(LABELS.items())


class InnovationProgress(models.Model):
    """An innovation's health (its worst measured indicator) as of `computed_on`, and its
    warning signs (so that the dashboard need not price the whole portfolio).

    A missing row, or one computed before today, means the innovation's stored
    progress is out of date; `pilots.progress.ensure_current` rebuilds it."""

    innovation = models.OneToOneField(
        Innovation, on_delete=models.CASCADE, primary_key=True, related_name="current_progress"
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.CHOICES)
    computed_on = models.DateField(_("computed on"))
    # Its Standard 6C warning signs as facts (`pilots.pricing.signs.warning_sign_facts`): rule, subject
    # and figures, rendered in the reader's language when shown. They do not depend on the date.
    warning_signs = models.JSONField(default=list)

    class Meta:
        verbose_name = _("innovation progress")
        verbose_name_plural = _("innovation progress")
        indexes = [models.Index(fields=["status"], name="innovation_progress_status")]

    def __str__(self) -> str:
        return f"{self.innovation_id}: {self.status} ({self.computed_on})"


class IndicatorProgress(models.Model):
    """An indicator's actual against its current target, as the progress rule has it."""

    indicator = models.OneToOneField(
        Indicator, on_delete=models.CASCADE, primary_key=True, related_name="current_progress"
    )
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="indicator_progress")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, null=True, related_name="+")
    actual = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    actual_date = models.DateField(null=True)
    percent = models.DecimalField(max_digits=20, decimal_places=1, null=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.CHOICES)
    # The projection at the current pace (`pilots.selectors.projection`).
    projected = models.DecimalField(max_digits=20, decimal_places=2, null=True)
    reached_on = models.DateField(null=True)
    # What is overdue (`pilots.selectors.Overdue`): its kind ("" when nothing is), since when, which MFIs.
    overdue_kind = models.CharField(max_length=10, blank=True)
    overdue_since = models.DateField(null=True)
    overdue_institutions = models.JSONField(default=list)

    class Meta:
        verbose_name = _("indicator progress")
        verbose_name_plural = _("indicator progress")

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.status}"
