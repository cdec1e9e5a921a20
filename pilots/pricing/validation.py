"""Terms that cannot be a product, refused field by field (`validate`).

Every problem is reported at once, keyed by the field that holds it, so that a form can
show each message next to its box and keep what was typed. Closed lists come first: a
kind outside its list makes every later check meaningless, so those alone are reported.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .terms import (
    AMOUNT_KINDS,
    FREQUENCIES,
    GRACE_KINDS,
    LATE_FEE_KINDS,
    MAX_AMOUNT,
    MAX_FIRST_PAYMENT_DAYS,
    MAX_NOMINAL_RATE,
    MAX_TERM,
    METHODS,
    PERIODIC_KINDS,
    PREPAYMENT_KINDS,
    RATE_PER,
    SAVINGS_KINDS,
    Terms,
    money,
)

# An amount whose kind makes it a percentage (of the amount, the balance, the instalment...)
PERCENT_WHEN = {
    "upfront_fee": ("upfront_fee_kind", ("percent",)),
    "upfront_savings": ("upfront_savings_kind", ("percent",)),
    "upfront_insurance": ("upfront_insurance_kind", ("percent",)),
    "periodic_fee": ("periodic_fee_kind", ("percent", "balance")),
    "periodic_insurance": ("periodic_insurance_kind", ("percent", "balance")),
    "periodic_savings": ("periodic_savings_kind", ("instalment",)),
    "late_fee": ("late_fee_kind", ("instalment", "principal", "balance")),
    "prepayment_fee": ("prepayment_fee_kind", ("prepaid",)),
}
ALWAYS_PERCENT = ("tax_on_interest", "tax_on_fees", "tax_on_insurance", "savings_rate")


def _choice_messages() -> list[tuple[tuple[str, ...], tuple[str, ...], str]]:
    """(fields, allowed values, message) for every closed list."""
    amount_kind = _("Choose a fixed amount or a percentage of the amount.")
    periodic_kind = _("Choose a fixed amount, a percentage of the amount lent or a percentage of the balance owed.")
    return [
        (
            ("frequency",),
            FREQUENCIES,
            _("Choose weekly, fortnightly, every four weeks, monthly, quarterly, daily or at maturity."),
        ),
        (("method",), METHODS, _("Choose flat or declining balance.")),
        (("rate_per",), RATE_PER, _("Choose a rate per instalment period, per month, per year or for the whole term.")),
        (
            ("grace_kind",),
            GRACE_KINDS,
            _("Choose interest paid, interest added to the balance, or no payment and no interest."),
        ),
        (("upfront_fee_kind", "upfront_savings_kind", "upfront_insurance_kind"), AMOUNT_KINDS, amount_kind),
        (("periodic_fee_kind", "periodic_insurance_kind"), PERIODIC_KINDS, periodic_kind),
        (("periodic_savings_kind",), SAVINGS_KINDS, _("Choose a fixed amount or a percentage of the instalment.")),
        (
            ("late_fee_kind",),
            LATE_FEE_KINDS,
            _(
                "Choose a fixed amount or a percentage of the overdue instalment, of the overdue principal "
                "or of the whole balance owed."
            ),
        ),
        (
            ("prepayment_fee_kind",),
            PREPAYMENT_KINDS,
            _("Choose a fixed amount or a percentage of the principal repaid early."),
        ),
    ]


def _quote_label(rate_per: str) -> str:
    labels = {"month": _("a month"), "year": _("a year"), "term": _("for the whole term")}
    return labels.get(rate_per, _("per period"))


def _check_rate(terms: Terms, refuse) -> None:
    if terms.rate < 0:
        refuse("rate", _("The interest rate cannot be negative."))
        return
    year = terms.rate_per_period * terms.periods_per_year
    if year <= MAX_NOMINAL_RATE:
        return
    if terms.rate_per == "period":
        message = _(
            "%(rate)s %% per period is %(year)s %% a year, above any plausible rate (at most %(max)s %% a year): "
            "is it a rate per year typed as a rate per period?"
        )
    else:
        message = _(
            "%(rate)s %% %(quote)s is %(year)s %% a year, above any plausible rate (at most %(max)s %% a year)."
        )
    year_shown = year.quantize(Decimal(1)) if year == year.to_integral_value() else money(year)
    refuse(
        "rate",
        message
        % {"rate": terms.rate, "year": year_shown, "max": MAX_NOMINAL_RATE, "quote": _quote_label(terms.rate_per)},
    )


def _check_combinations(terms: Terms, refuse) -> None:
    """Options that contradict the method, the frequency or each other."""
    at_maturity = terms.frequency == "maturity"
    if terms.interest_upfront and terms.method != "flat":
        refuse("interest_upfront", _("Interest deducted up front is charged flat: choose the flat method."))
    if terms.interest_upfront and terms.grace_kind == "capitalised" and terms.grace:
        refuse(
            "grace_kind",
            _(
                "Interest deducted up front cannot also be added to the balance: choose interest paid or no "
                "payment during the grace period."
            ),
        )
    days = terms.first_payment_days
    if days is not None and days < 0:
        refuse("first_payment_days", _("This cannot be negative."))
    elif days and at_maturity:
        refuse(
            "first_payment_days",
            _(
                "A single payment at maturity falls at the end of the term: leave the days to the first instalment at 0."
            ),
        )
    elif days and days > MAX_FIRST_PAYMENT_DAYS:
        refuse(
            "first_payment_days",
            _("At most %(max)s days (a year) from disbursement to the first instalment.")
            % {"max": MAX_FIRST_PAYMENT_DAYS},
        )
    if terms.balloon >= 100:
        refuse(
            "balloon",
            _("The balloon must be less than %(max)s %% of the amount lent: some principal is repaid before the end.")
            % {"max": 100},
        )
    elif terms.balloon > 0 and at_maturity:
        refuse(
            "balloon", _("A single payment at maturity already repays everything at the end: leave the balloon at 0.")
        )


def _check_deductions(terms: Terms, refuse) -> None:
    """What is taken up front must leave the client something; savings cannot outgrow the loan."""
    fee = terms.part(terms.upfront_fee, terms.upfront_fee_kind)
    insurance = terms.part(terms.upfront_insurance, terms.upfront_insurance_kind)
    taken = sum(
        (
            fee,
            terms.part(terms.upfront_savings, terms.upfront_savings_kind),
            insurance,
            money(fee * terms.tax_on_fees / 100),
            money(insurance * terms.tax_on_insurance / 100),
        ),
        Decimal(0),
    )
    if taken >= terms.amount:
        refuse(
            "upfront_savings",
            _("Up-front fee, savings and premium (%(taken)s) take all of the amount lent (%(amount)s).")
            % {"taken": taken, "amount": money(terms.amount)},
        )
    elif terms.interest_upfront:
        periods = terms.term if terms.frequency == "maturity" else terms.instalments
        if terms.grace_kind == "none" and terms.frequency != "maturity":
            periods -= terms.grace
        interest = money(money(terms.amount) * terms.rate_per_period / 100 * periods)
        interest += money(interest * terms.tax_on_interest / 100)
        if taken + interest >= terms.amount:
            refuse(
                "interest_upfront",
                _("The interest deducted up front (%(interest)s) and the other deductions take all of the amount lent.")
                % {"interest": interest},
            )
    upfront = terms.part(terms.upfront_savings, terms.upfront_savings_kind)
    if terms.periodic_savings_kind == "instalment":
        # at least that share of the principal repaid (the interest only adds to it)
        savings = upfront + money(terms.amount * terms.periodic_savings / 100)
    else:
        savings = upfront + money(terms.periodic_savings * terms.instalments)
    if savings > terms.amount:
        refuse(
            "periodic_savings",
            _("Compulsory savings (%(savings)s) would be larger than the loan (%(amount)s).")
            % {"savings": savings, "amount": money(terms.amount)},
        )


def validate(terms: Terms) -> None:
    """Refuse terms that cannot be a product, every problem at once, by field."""
    errors: dict[str, list[str]] = {}

    def refuse(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for names, allowed, message in _choice_messages():
        for name in names:
            if getattr(terms, name) not in allowed:
                refuse(name, message)
    if errors:
        raise ValidationError(errors)
    if terms.amount is None or terms.amount <= 0:
        refuse("amount", _("The amount lent must be more than zero."))
    elif terms.amount > MAX_AMOUNT:
        refuse("amount", _("The amount is larger than any loan this portal can price."))
    if terms.term is None or terms.term < 1:
        refuse("term", _("The term must be at least one instalment (one month at maturity)."))
    elif terms.term > MAX_TERM[terms.frequency]:
        refuse(
            "term",
            _("A term of %(term)s is longer than any product (at most %(max)s at this frequency).")
            % {"term": terms.term, "max": MAX_TERM[terms.frequency]},
        )
    _check_rate(terms, refuse)
    if terms.grace < 0:
        refuse("grace", _("The grace period cannot be negative."))
    elif terms.term and terms.grace >= terms.instalments and terms.grace > 0:
        refuse("grace", _("The grace period must leave at least one instalment to repay the principal."))
    for name in Terms.names():
        value = getattr(terms, name)
        if isinstance(value, Decimal) and name not in ("amount", "rate") and value < 0:
            refuse(name, _("This cannot be negative."))
    for name in ALWAYS_PERCENT:
        if getattr(terms, name) > 100:
            refuse(name, _("At most 100 %."))
    for name, (kind, percent_kinds) in PERCENT_WHEN.items():
        if getattr(terms, kind) in percent_kinds and getattr(terms, name) > 100:
            refuse(name, _("At most 100 %."))
    _check_combinations(terms, refuse)
    if errors:
        raise ValidationError(errors)
    _check_deductions(terms, refuse)
    if errors:
        raise ValidationError(errors)
