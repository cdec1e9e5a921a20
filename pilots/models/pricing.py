"""Responsible pricing (Standard 6C): an innovation's product terms, the peer averages its
APR is compared with, and the institution-level ratios of participating MFIs.

The cost itself is computed, never stored: `pilots.pricing.cost.cost_of(variant.terms)`.
Writes of terms go through `pilots.services.product_terms_save`, which refuses terms that
cannot be a product (`pilots.pricing.cost.validate`).
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.numbers import YearField

from ..pricing.cost import Terms
from .delivery import Currency
from .innovation import Innovation, in_reader_language


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    FORTNIGHTLY = "fortnightly", _("Fortnightly")
    FOUR_WEEKLY = "four_weekly", _("Every four weeks")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    MATURITY = "maturity", _("At maturity")


class RatePer(models.TextChoices):
    PERIOD = "period", _("per instalment period")
    MONTH = "month", _("per month")
    YEAR = "year", _("per year")
    TERM = "term", _("for the whole term")


class GraceKind(models.TextChoices):
    INTEREST = "interest", _("Interest is paid")
    CAPITALISED = "capitalised", _("Nothing is paid; interest is added to the balance")
    NONE = "none", _("Nothing is paid and no interest is charged")


class InterestMethod(models.TextChoices):
    FLAT = "flat", _("Flat (on the amount lent)")
    DECLINING = "declining", _("Declining balance")


class AmountKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PERCENT = "percent", _("% of the amount lent")


class PeriodicKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PERCENT = "percent", _("% of the amount lent")
    BALANCE = "balance", _("% of the balance owed")


class SavingsKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    INSTALMENT = "instalment", _("% of the instalment")


class LateFeeKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    INSTALMENT = "instalment", _("% of the overdue instalment")
    PRINCIPAL = "principal", _("% of the overdue principal")
    BALANCE = "balance", _("% of the whole balance owed")


class PrepaymentKind(models.TextChoices):
    FIXED = "fixed", _("Fixed amount")
    PREPAID = "prepaid", _("% of the principal repaid early")


class SizeBand(models.TextChoices):
    SMALL = "small", _("Small loans")
    MEDIUM = "medium", _("Medium loans")
    LARGE = "large", _("Large loans")


def _money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, default=Decimal(0), **kwargs)


def _rate(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=9, decimal_places=4, default=Decimal(0), **kwargs)


class ProductTerms(models.Model):
    """One variant of an innovation's financial product (the pilot's, the scale-up's, ...)."""

    innovation = models.ForeignKey(
        Innovation, verbose_name=_("innovation"), on_delete=models.CASCADE, related_name="product_terms"
    )
    name = models.CharField(_("variant"), max_length=120, help_text=_("E.g. “Pilot loan” or “Scale-up”."))
    name_en = models.CharField(
        _("variant (English)"), max_length=120, blank=True, help_text=_("Leave empty to show the Spanish text.")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    illustrative = models.BooleanField(
        _("illustrative"), default=False, help_text=_("Figures made up for the demo or a design, not the real product.")
    )
    country = CountryField(_("country"), help_text=_("Where it is sold: peers are compared in this country."))
    size_band = models.CharField(_("loan size band"), max_length=10, choices=SizeBand.choices, default=SizeBand.SMALL)
    currency = models.CharField(_("currency"), max_length=3, choices=Currency.choices, default=Currency.USD)
    amount = models.DecimalField(_("amount lent"), max_digits=14, decimal_places=2)
    term = models.PositiveSmallIntegerField(
        _("term"), help_text=_("Number of instalments; in months for a single payment at maturity.")
    )
    frequency = models.CharField(_("instalments"), max_length=12, choices=Frequency.choices, default=Frequency.MONTHLY)
    method = models.CharField(
        _("interest method"), max_length=10, choices=InterestMethod.choices, default=InterestMethod.DECLINING
    )
    rate = _rate(
        _("interest rate (%)"), help_text=_("As quoted: per instalment period unless “quoted” says otherwise.")
    )
    rate_per = models.CharField(_("rate quoted"), max_length=8, choices=RatePer.choices, default=RatePer.PERIOD)
    interest_upfront = models.BooleanField(
        _("interest deducted up front"),
        default=False,
        help_text=_("A discounted loan: the flat interest is taken from the amount disbursed."),
    )
    grace = models.PositiveSmallIntegerField(
        _("grace period"), default=0, help_text=_("First instalments that repay no principal.")
    )
    grace_kind = models.CharField(
        _("during the grace period"), max_length=12, choices=GraceKind.choices, default=GraceKind.INTEREST
    )
    first_payment_days = models.PositiveSmallIntegerField(
        _("days to the first instalment"),
        default=0,
        help_text=_("From disbursement; 0 for one regular period."),
    )
    balloon = _rate(_("balloon (% of the amount)"), help_text=_("Principal repaid with the last instalment."))
    upfront_fee = _money(_("up-front fee"))
    upfront_fee_kind = models.CharField(
        _("up-front fee as"), max_length=8, choices=AmountKind.choices, default=AmountKind.PERCENT
    )
    periodic_fee = _money(_("fee per instalment"))
    periodic_fee_kind = models.CharField(
        _("fee per instalment as"), max_length=8, choices=PeriodicKind.choices, default=PeriodicKind.FIXED
    )
    upfront_savings = _money(_("compulsory savings up front"))
    upfront_savings_kind = models.CharField(
        _("savings up front as"), max_length=8, choices=AmountKind.choices, default=AmountKind.PERCENT
    )
    periodic_savings = _money(_("compulsory savings per instalment"))
    periodic_savings_kind = models.CharField(
        _("savings per instalment as"), max_length=10, choices=SavingsKind.choices, default=SavingsKind.FIXED
    )
    savings_rate = _rate(_("interest on savings (% a year)"), help_text=_("0 if the savings earn nothing."))
    upfront_insurance = _money(_("insurance premium up front"))
    upfront_insurance_kind = models.CharField(
        _("premium up front as"), max_length=8, choices=AmountKind.choices, default=AmountKind.FIXED
    )
    periodic_insurance = _money(_("insurance premium per instalment"))
    periodic_insurance_kind = models.CharField(
        _("premium per instalment as"), max_length=8, choices=PeriodicKind.choices, default=PeriodicKind.FIXED
    )
    tax_on_interest = _rate(_("tax on interest (%)"))
    tax_on_fees = _rate(_("tax on fees (%)"))
    tax_on_insurance = _rate(_("tax on insurance premiums (%)"))
    late_fee = _money(_("late payment penalty"), help_text=_("For each period an instalment is late."))
    late_fee_kind = models.CharField(
        _("penalty as"), max_length=10, choices=LateFeeKind.choices, default=LateFeeKind.FIXED
    )
    prepayment_fee = _money(_("prepayment fee"), help_text=_("Charged when the loan is repaid early."))
    prepayment_fee_kind = models.CharField(
        _("prepayment fee as"), max_length=8, choices=PrepaymentKind.choices, default=PrepaymentKind.FIXED
    )
    note = models.TextField(_("note"), blank=True)
    note_en = models.TextField(_("note (English)"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["innovation", "position", "pk"]
        verbose_name = _("product terms")
        verbose_name_plural = _("product terms")

    def __str__(self) -> str:
        return f"{self.innovation} — {self.display_name}"

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)

    @property
    def display_note(self) -> str:
        return in_reader_language(self.note, self.note_en)

    @property
    def terms(self) -> Terms:
        return Terms(**{name: getattr(self, name) for name in Terms.names()})


class PeerAverage(models.Model):
    """The average APR of peer products, by country, product line and loan size band (Standard 6C)."""

    country = CountryField(_("country"))
    product_line = models.ForeignKey(
        "accounts.ProductLine", verbose_name=_("product line"), on_delete=models.CASCADE, related_name="peer_averages"
    )
    size_band = models.CharField(_("loan size band"), max_length=10, choices=SizeBand.choices)
    apr = models.DecimalField(
        _("average APR (%)"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(300))],
    )
    source = models.CharField(_("source"), max_length=200, help_text=_("E.g. MFTransparency, regulator's report."))
    as_of = models.DateField(_("as of"))

    class Meta:
        ordering = ["country", "product_line", "size_band", "-as_of"]
        verbose_name = _("peer average APR")
        verbose_name_plural = _("peer average APRs")
        constraints = [
            models.UniqueConstraint(
                fields=["country", "product_line", "size_band", "as_of"], name="peer_average_once_per_date"
            ),
            models.CheckConstraint(name="peer_average_apr_range", condition=models.Q(apr__gte=0, apr__lte=300)),
        ]

    def __str__(self) -> str:
        return f"{self.country.code} · {self.product_line} · {self.get_size_band_display()}: {self.apr} %"


def _ratio(verbose_name):
    return models.DecimalField(
        verbose_name,
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(-1000)), MaxValueValidator(Decimal(1000))],
    )


class InstitutionRatio(models.Model):
    """A member MFI's financial ratios for a year, as staff entered them (Standard 6C's signals).

    Since issue 28 the signs read a member's approved semiannual financial reports first
    (`pilots.pricing.signs_reports`); these rows are the fallback for an institution with no
    approved report, or when staff entered a later year than its latest approved report —
    hence "entered by staff" in their names. Two figures no report has are still read from
    here: the maximum expected operating expense ratio and the insurance claims ratio. No
    flag field: every row is staff's by construction (reports are never copied here)."""

    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.CASCADE,
        related_name="ratios",
    )
    year = YearField(
        _("year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_(
            "Ratios now come from members' approved financial reports. Those entered here are used only "
            "for an institution without an approved report, or for a year after its latest one; the maximum "
            "expected operating expense ratio and the insurance claims ratio are always read from here."
        ),
    )
    oss = _ratio(_("operational self-sufficiency (%)"))
    loan_loss_expense = _ratio(_("loan-loss expense ratio (%)"))
    return_on_assets = _ratio(_("return on assets (%)"))
    return_on_equity = _ratio(_("return on equity (%)"))
    operating_expense_ratio = _ratio(_("operating expense ratio (%)"))
    operating_expense_ceiling = models.DecimalField(
        _("maximum expected operating expense ratio (%)"),
        max_digits=7,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1000))],
        help_text=_(
            "Standard 6C's “maximum expected for the institution” (the Smart Campaign's diagnostic tool "
            "gives it); without it the operating expense ratio is not judged."
        ),
    )
    claims_ratio = _ratio(_("insurance claims ratio (%)"))
    source = models.CharField(_("source"), max_length=200, help_text=_("Where staff took the ratios from."))

    class Meta:
        ordering = ["institution", "-year"]
        verbose_name = _("institution ratios entered by staff")
        verbose_name_plural = _("institution ratios entered by staff")
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="ratios_once_per_year")]

    def __str__(self) -> str:
        return f"{self.institution} {self.year}"
