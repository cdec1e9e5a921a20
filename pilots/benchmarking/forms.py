"""The member's semiannual financial report form and staff's review forms. They only read what
people type (amounts and counts as the page's language writes them: "18.500" and
"8.600,50" in Spanish); every rule of a report is in `pilots.benchmarking.services`, whose
refusals come back next to the fields."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.numbers import NumberField, NumberInput, WholeNumberField, format_number

from ..models import FinancialReport
from ..models.benchmarking import FIGURES

# The form's sections, in order: a heading, a sentence saying what to report, the figures.
SECTIONS = (
    (
        _("Loan portfolio"),
        _("Outstanding principal, in US dollars, on the semester's first and last day."),
        ("gross_portfolio_start", "gross_portfolio_end", "portfolio_at_risk_30", "write_offs"),
    ),
    (
        _("Clients and staff"),
        _("Counts of people on the semester's last day."),
        ("active_borrowers", "loan_officers"),
    ),
    (
        _("Income statement for the semester"),
        _("Totals over the six months, in US dollars (not annualised: the portal does that)."),
        ("loan_revenue", "financial_expense", "loan_loss_provision", "operating_expense", "net_operating_income"),
    ),
    (
        _("Balance sheet averages"),
        _("Averages over the semester, in US dollars (for example, of the monthly balances)."),
        ("average_assets", "average_equity"),
    ),
)

# Figures that may be below zero: a loss is a negative net operating income.
MAY_BE_NEGATIVE = frozenset({"net_operating_income"})


def amount_text(value) -> str:
    """An amount in dollars as the page's language writes it: its cents when it has any
    ("8.600,50", never "8.600,5"), none when it is whole ("1.800.000")."""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return format_number(number, places=0)
    return format_number(number, places=2, fixed=True)


class AmountInput(NumberInput):
    """The box of an amount: a saved amount shown as `amount_text` writes it."""

    def format_value(self, value):
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return amount_text(value)
        return super().format_value(value)


def _figure_field(name: str, is_count: bool) -> forms.Field:
    model_field = FinancialReport._meta.get_field(name)
    label = str(model_field.verbose_name)
    label = label[:1].upper() + label[1:]
    if is_count:
        field = WholeNumberField(label=label, required=False, min_value=0, max_digits=10)
    else:
        field = NumberField(
            label=label,
            required=False,
            max_digits=18,
            decimal_places=2,
            min_value=None if name in MAY_BE_NEGATIVE else 0,
            widget=AmountInput,
        )
    field.help_text = model_field.help_text
    field.is_count = is_count
    return field


class FinancialReportForm(forms.Form):
    """The thirteen figures of a semester, a comment and the version of the report the member
    read (the optimistic lock: a save over someone else's newer save is refused, not lost).
    Every figure is optional in a draft; submitting needs them all."""

    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Anything the association should know about these figures (an audit pending, a merger)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, report: FinancialReport | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if report is not None and report.pk:
            initial.setdefault("comment", report.comment)
            initial.setdefault("version", report.version)
            for name, value in report.figures().items():
                initial.setdefault(name, value)
        super().__init__(*args, initial=initial, **kwargs)
        for name, is_count in FIGURES:
            self.fields[name] = _figure_field(name, is_count)
        # The comment last, after the figures (fields show in the order they were added).
        self.order_fields([*(name for name, _count in FIGURES), "comment", "version"])

    def sections(self) -> list[dict]:
        """The figures' bound fields grouped as the form shows them."""
        return [
            {"title": title, "intro": intro, "fields": [self[name] for name in names]}
            for title, intro, names in SECTIONS
        ]

    def values(self) -> dict:
        """The figures as read, by name (None where left empty), for the service."""
        return {name: self.cleaned_data.get(name) for name, _count in FIGURES}


class ReturnForm(forms.Form):
    """Staff return a submitted report with what to correct (approving needs no input)."""

    review_comment = forms.CharField(
        label=_("What should the institution correct?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The institution's users see this comment on their report."),
    )
