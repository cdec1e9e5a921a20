"""The calculator's form: the terms as query-string parameters, so every result has a
shareable address (`/en/pricing/?amount=1000&term=12&frequency=monthly&method=flat&rate=3`).

Its fields are `pilots.pricing.cost.Terms`'s, in four sections: the loan, how it is repaid
(grace, first instalment, balloon, interest deducted up front), the charges that are part of
the APR (fees, compulsory savings, insurance, taxes), and the penalties that are not (a late
payment penalty, a prepayment fee: Standard 6C's signs judge them). A parameter left out of
the address means the default the form shows."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.numbers import NumberField, WholeNumberField

from ..models import (
    AmountKind,
    Currency,
    Frequency,
    GraceKind,
    InterestMethod,
    LateFeeKind,
    PeriodicKind,
    PrepaymentKind,
    RatePer,
    SavingsKind,
)
from .cost import Terms, validate

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}
RATE = {"max_digits": 9, "decimal_places": 4}


def _kind(choices, default: str, label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=choices,
        initial=default,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the options in the list (“%(value)s” is not one of them).")},
    )


def _money(label: str, help_text: str = "") -> NumberField:
    return NumberField(label=label, required=False, help_text=help_text, **MONEY)


def _rate(label: str, help_text: str = "") -> NumberField:
    return NumberField(label=label, required=False, help_text=help_text, **RATE)


class CalculatorForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="USD", required=False)
    amount = NumberField(label=_("Amount lent"), max_digits=14, decimal_places=2)
    term = WholeNumberField(
        label=_("Term"), help_text=_("Number of instalments; in months for a single payment at maturity.")
    )
    frequency = forms.ChoiceField(label=_("Instalments"), choices=Frequency.choices, initial="monthly")
    method = forms.ChoiceField(label=_("Interest method"), choices=InterestMethod.choices, initial="flat")
    rate = NumberField(
        label=_("Interest rate (%)"),
        help_text=_("As quoted: per instalment period (per month if monthly), per month, per year or for the term."),
        **RATE,
    )
    rate_per = _kind(RatePer.choices, "period", _("Rate quoted"))
    grace = WholeNumberField(
        label=_("Grace period"), required=False, help_text=_("First instalments that repay no principal.")
    )
    grace_kind = _kind(GraceKind.choices, "interest", _("During the grace period"))
    first_payment_days = WholeNumberField(
        label=_("Days to the first instalment"),
        required=False,
        help_text=_("From disbursement; leave empty for one regular period."),
    )
    balloon = _rate(_("Balloon (% of the amount)"), _("Principal repaid with the last instalment."))
    interest_upfront = forms.BooleanField(
        label=_("Interest deducted up front"),
        required=False,
        help_text=_("A discounted loan: the flat interest is taken from the amount disbursed."),
    )
    upfront_fee = _money(_("Up-front fee"))
    upfront_fee_kind = _kind(AmountKind.choices, "percent", _("Up-front fee as"))
    periodic_fee = _money(_("Fee per instalment"))
    periodic_fee_kind = _kind(PeriodicKind.choices, "fixed", _("Fee per instalment as"))
    upfront_savings = _money(_("Compulsory savings up front"), _("Returned with the last instalment."))
    upfront_savings_kind = _kind(AmountKind.choices, "percent", _("Savings up front as"))
    periodic_savings = _money(_("Compulsory savings per instalment"), _("Returned at the end."))
    periodic_savings_kind = _kind(SavingsKind.choices, "fixed", _("Savings per instalment as"))
    savings_rate = _rate(_("Interest on savings (% a year)"), _("0 if the savings earn nothing."))
    upfront_insurance = _money(_("Insurance premium up front"))
    upfront_insurance_kind = _kind(AmountKind.choices, "fixed", _("Premium up front as"))
    periodic_insurance = _money(_("Insurance premium per instalment"))
    periodic_insurance_kind = _kind(PeriodicKind.choices, "fixed", _("Premium per instalment as"))
    tax_on_interest = _rate(_("Tax on interest (%)"))
    tax_on_fees = _rate(_("Tax on fees (%)"), _("E.g. VAT (IVA) charged on every fee."))
    tax_on_insurance = _rate(_("Tax on insurance premiums (%)"))
    late_fee = _money(_("Late payment penalty"), _("For each period an instalment is late."))
    late_fee_kind = _kind(LateFeeKind.choices, "fixed", _("Penalty as"))
    prepayment_fee = _money(_("Prepayment fee"), _("Charged when the loan is repaid early."))
    prepayment_fee_kind = _kind(PrepaymentKind.choices, "fixed", _("Prepayment fee as"))

    # Sections of the page: (key, title, rows); a row is a field and the select saying what
    # its amount is (fixed, a % of ...), or None. The loan is always open; the others open
    # when something is entered or wrong in them.
    SECTIONS = (
        (
            "loan",
            _("Loan"),
            (("amount", None), ("currency", None), ("term", None), ("frequency", None), ("method", None)),
        ),
        ("rate", _("Interest"), (("rate", "rate_per"),)),
        (
            "repayment",
            _("Grace period, first instalment, balloon"),
            (
                ("grace", None),
                ("grace_kind", None),
                ("first_payment_days", None),
                ("balloon", None),
                ("interest_upfront", None),
            ),
        ),
        (
            "charges",
            _("Fees, compulsory savings, insurance and taxes"),
            (
                ("upfront_fee", "upfront_fee_kind"),
                ("periodic_fee", "periodic_fee_kind"),
                ("upfront_savings", "upfront_savings_kind"),
                ("periodic_savings", "periodic_savings_kind"),
                ("savings_rate", None),
                ("upfront_insurance", "upfront_insurance_kind"),
                ("periodic_insurance", "periodic_insurance_kind"),
                ("tax_on_interest", None),
                ("tax_on_fees", None),
                ("tax_on_insurance", None),
            ),
        ),
        (
            "penalties",
            _("Late payment penalty and prepayment fee (not part of the APR)"),
            (("late_fee", "late_fee_kind"), ("prepayment_fee", "prepayment_fee_kind")),
        ),
    )
    ALWAYS_OPEN = ("loan", "rate")
    REQUIRED_FOR_RULES = ("amount", "term", "frequency", "method", "rate")
    QUOTED_AS = {"rate": "rate_per", "grace": "grace_kind"}
    EXAMPLE = {"amount": "1000", "term": "12", "frequency": "monthly", "method": "flat", "rate": "3"}

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # an address that leaves out a choice ("fixed or %", "quoted per ...") means the default the form shows
            data = data.copy()
            for name, field in self.base_fields.items():
                if isinstance(field, forms.ChoiceField) and not field.required and not data.get(name):
                    data[name] = field.initial
        super().__init__(data, **kwargs)

    def sections(self) -> list[dict]:
        """Each section with its rows of (field, the select of what the amount is, or None)."""
        out = []
        for key, title, rows in self.SECTIONS:
            names = [name for row in rows for name in row if name]
            amounts = [name for name, _kind in rows if not isinstance(self.fields[name], forms.ChoiceField)]
            entered = any(self.data.get(name) not in (None, "", "0") for name in amounts)
            out.append(
                {
                    "key": key,
                    "title": title,
                    "rows": [(self[name], self[kind] if kind else None) for name, kind in rows],
                    "always_open": key in self.ALWAYS_OPEN,
                    "open": key in self.ALWAYS_OPEN or entered or any(name in self.errors for name in names),
                }
            )
        return out

    def clean(self):
        """The terms' own rules (`pilots.pricing.cost.validate`), checked even when some other
        field is refused, so that every problem shows at once: a refused optional field is
        taken at its default meanwhile, and a rule's message goes only where the field itself
        was accepted. Without an amount, term, frequency, method and rate there is no loan to
        check."""
        data = super().clean()
        if any(name in self.errors for name in self.REQUIRED_FOR_RULES):
            return data
        refused = set(self.errors)
        try:
            validate(self.terms())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                if refused & {name, f"{name}_kind", self.QUOTED_AS.get(name)}:
                    continue  # its own or its "as" select's message is already there
                self.add_error(name if name in self.fields else None, messages)
        return data

    def terms(self) -> Terms:
        data = self.cleaned_data
        values = {}
        defaults = Terms(amount=Decimal(1), term=1)
        for name in Terms.names():
            value = data.get(name)
            values[name] = getattr(defaults, name) if value in (None, "") else value
        return Terms(**values)
