"""Members' semiannual financial reports: the raw figures an MFI reports for a semester,
reviewed by staff like an MFI's pilot report (draft on the server, submitted, approved or
returned with a comment). Approved reports are what peer benchmarking and Standard 6C's
institution signs read; the ratios are computed from the figures, never typed
(`pilots.benchmarking.ratios`). The rules of each write are in
`pilots.benchmarking.services`; see docs/benchmarking.md.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .reporting import EDITABLE_STATES, ReportState
from .tracking import change_history

# The raw figures of a report, in the order the form asks for them: (field, is a count)
FIGURES = (
    ("gross_portfolio_start", False),
    ("gross_portfolio_end", False),
    ("portfolio_at_risk_30", False),
    ("write_offs", False),
    ("active_borrowers", True),
    ("loan_officers", True),
    ("loan_revenue", False),
    ("financial_expense", False),
    ("loan_loss_provision", False),
    ("operating_expense", False),
    ("average_assets", False),
    ("average_equity", False),
    ("net_operating_income", False),
)
FIGURE_NAMES = tuple(name for name, _count in FIGURES)


def _amount(verbose_name, help_text=""):
    return models.DecimalField(
        verbose_name, max_digits=18, decimal_places=2, null=True, blank=True, help_text=help_text
    )


def _count(verbose_name, help_text=""):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, help_text=help_text)


class FinancialReport(models.Model):
    """One member MFI's financial figures for one semester (January–June or July–December)."""

    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.PROTECT,
        related_name="financial_reports",
    )
    period_start = models.DateField(_("semester starts on"))
    period_end = models.DateField(_("semester ends on"))
    state = models.CharField(_("state"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Figures made up for the demo, not the institution's.")
    )

    gross_portfolio_start = _amount(_("gross loan portfolio at the start"), _("Outstanding principal of all loans."))
    gross_portfolio_end = _amount(_("gross loan portfolio at the end"))
    portfolio_at_risk_30 = _amount(
        _("portfolio at risk > 30 days"),
        _("Outstanding principal of loans with an instalment more than 30 days late, at the end."),
    )
    write_offs = _amount(_("write-offs"), _("Loans written off during the semester."))
    active_borrowers = _count(_("active borrowers"), _("At the end of the semester."))
    loan_officers = _count(_("loan officers"), _("At the end of the semester."))
    loan_revenue = _amount(_("financial revenue from loans"), _("Interest and fees on loans, in the semester."))
    financial_expense = _amount(_("financial expense"), _("Interest and fees paid on funding, in the semester."))
    loan_loss_provision = _amount(_("loan-loss provision expense"), _("In the semester."))
    operating_expense = _amount(_("operating expense"), _("Personnel and administrative expense, in the semester."))
    average_assets = _amount(_("average assets"), _("Average of total assets over the semester."))
    average_equity = _amount(_("average equity"), _("Average of equity over the semester."))
    net_operating_income = _amount(
        _("net operating income"), _("After taxes, before donations, in the semester; negative for a loss.")
    )

    comment = models.TextField(_("comment"), blank=True)
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
        verbose_name=_("change to a financial report"), verbose_name_plural=_("changes to financial reports")
    )  # pilots.history

    class Meta:
        ordering = ["-period_start", "institution__name"]
        verbose_name = _("financial report")
        verbose_name_plural = _("financial reports")
        constraints = [
            models.UniqueConstraint(fields=["institution", "period_start"], name="financial_report_once_per_semester"),
            models.CheckConstraint(name="financial_report_state_valid", condition=Q(state__in=ReportState.values)),
            models.CheckConstraint(
                name="financial_report_period_ordered", condition=Q(period_end__gt=F("period_start"))
            ),
            models.CheckConstraint(
                name="financial_report_submitted_has_date",
                condition=Q(state="draft") | Q(submitted_at__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["state", "period_start"], name="financial_report_queue")]

    def __str__(self) -> str:
        return f"{self.institution} — {self.period_start:%Y-%m}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def was_returned(self) -> bool:
        return self.state == ReportState.RETURNED

    @property
    def awaits_review(self) -> bool:
        return self.state == ReportState.SUBMITTED

    @property
    def is_approved(self) -> bool:
        return self.state == ReportState.APPROVED

    def figures(self) -> dict:
        """The raw figures by name (None where not entered yet)."""
        return {name: getattr(self, name) for name in FIGURE_NAMES}
