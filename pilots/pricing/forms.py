"""The calculator's form: the terms as query-string parameters, so every result has a
shareable address (`/en/pricing/?amount=1000&term=12&frequency=monthly&method=flat&rate=3`)."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.numbers import NumberField, WholeNumberField

from ..models import AmountKind, Currency, Frequency, InterestMethod
from .cost import Terms, validate

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal(0)}
RATE = {"max_digits": 9, "decimal_places": 4}


def _kind(default: str) -> forms.ChoiceField:
    return forms.ChoiceField(label=_("as"), choices=AmountKind.choices, initial=default, required=False)


def _money(label: str, help_text: str = "") -> NumberField:
    return NumberField(label=label, required=False, help_text=help_text, **MONEY)


class CalculatorForm(forms.Form):
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, initial="USD", required=False)
    amount = NumberField(label=_("Amount lent"), max_digits=14, decimal_places=2)
    term = WholeNumberField(
        label=_("Term"), help_text=_("Number of instalments; in months for a single payment at maturity.")
    )
    frequency = forms.ChoiceField(label=_("Instalments"), choices=Frequency.choices, initial="monthly")
    method = forms.ChoiceField(label=_("Interest method"), choices=InterestMethod.choices, initial="flat")
    rate = NumberField(
        label=_("Interest rate (% per period)"), help_text=_("Per instalment period: per month if monthly."), **RATE
    )
    grace = WholeNumberField(
        label=_("Grace period"), required=False, help_text=_("First instalments that repay no principal.")
    )
    upfront_fee = _money(_("Up-front fee"))
    upfront_fee_kind = _kind("percent")
    periodic_fee = _money(_("Fee per instalment"))
    periodic_fee_kind = _kind("fixed")
    upfront_savings = _money(_("Compulsory savings up front"), _("Returned with the last instalment."))
    upfront_savings_kind = _kind("percent")
    periodic_savings = _money(_("Compulsory savings per instalment"), _("A fixed amount, returned at the end."))
    savings_rate = NumberField(
        label=_("Interest on savings (% a year)"), required=False, help_text=_("0 if the savings earn nothing."), **RATE
    )
    upfront_insurance = _money(_("Insurance premium up front"))
    upfront_insurance_kind = _kind("fixed")
    periodic_insurance = _money(_("Insurance premium per instalment"))
    periodic_insurance_kind = _kind("fixed")
    tax_on_interest = NumberField(label=_("Tax on interest (%)"), required=False, **RATE)

    LOAN = ("amount", "currency", "term", "frequency", "method", "rate", "grace")
    EXTRA = (
        ("upfront_fee", "upfront_fee_kind"),
        ("periodic_fee", "periodic_fee_kind"),
        ("upfront_savings", "upfront_savings_kind"),
        ("periodic_savings", None),
        ("savings_rate", None),
        ("upfront_insurance", "upfront_insurance_kind"),
        ("periodic_insurance", "periodic_insurance_kind"),
        ("tax_on_interest", None),
    )
    EXAMPLE = {"amount": "1000", "term": "12", "frequency": "monthly", "method": "flat", "rate": "3"}

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # an address that leaves out "fixed or %" means the default the form shows
            data = data.copy()
            for name, field in self.base_fields.items():
                if name.endswith("_kind") and not data.get(name):
                    data[name] = field.initial
        super().__init__(data, **kwargs)

    def loan_fields(self):
        return [self[name] for name in self.LOAN]

    def extra_rows(self):
        """Each fee, saving or premium with the select saying whether it is fixed or a % of the amount."""
        return [(self[name], self[kind] if kind else None) for name, kind in self.EXTRA]

    def has_extras(self) -> bool:
        """Open the fees section when something is entered or wrong in it."""
        names = [name for row in self.EXTRA for name in row if name]
        entered = any(self.data.get(name) not in (None, "", "0") for name, _kind in self.EXTRA)
        return entered or any(name in self.errors for name in names)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            validate(self.terms())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
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
