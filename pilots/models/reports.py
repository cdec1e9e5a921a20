"""Period reports: staff's narrative of an innovation's semester, in Spanish and English."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .innovation import Innovation, in_reader_language
from .tracking import change_history


class PeriodReport(models.Model):
    """What happened in one semester (January–June is S1, July–December S2): progress,
    difficulties, next steps. The figures and milestones of the report are not stored here:
    they are read from the tracker as they stood at the period's end."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="period_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=[(1, "S1"), (2, "S2")])
    progress = models.TextField(_("progress"))
    difficulties = models.TextField(_("difficulties"), blank=True)
    next_steps = models.TextField(_("next steps"), blank=True)
    progress_en = models.TextField(_("progress (English)"), blank=True)
    difficulties_en = models.TextField(_("difficulties (English)"), blank=True)
    next_steps_en = models.TextField(_("next steps (English)"), blank=True)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = change_history(
        verbose_name=_("change to a period report"), verbose_name_plural=_("changes to period reports")
    )  # pilots.history

    class Meta:
        ordering = ["-year", "-semester"]
        verbose_name = _("period report")
        verbose_name_plural = _("period reports")
        constraints = [
            models.UniqueConstraint(fields=["innovation", "year", "semester"], name="period_report_once_per_period"),
            models.CheckConstraint(name="period_report_semester_valid", condition=Q(semester__in=[1, 2])),
        ]

    def __str__(self) -> str:
        return f"{self.innovation} {self.period}"

    @property
    def period(self) -> str:
        return f"{self.year}-S{self.semester}"

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.semester == 1 else 7, 1)

    @property
    def ends_on(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.semester == 1 else datetime.date(self.year, 12, 31)

    @property
    def display_progress(self) -> str:
        return in_reader_language(self.progress, self.progress_en)

    @property
    def display_difficulties(self) -> str:
        return in_reader_language(self.difficulties, self.difficulties_en)

    @property
    def display_next_steps(self) -> str:
        return in_reader_language(self.next_steps, self.next_steps_en)
