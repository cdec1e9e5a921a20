"""Innovations whose opportunity a round's question revealed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .questionnaire import Question


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
