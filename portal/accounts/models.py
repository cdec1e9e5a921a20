"""Accounts and roles, member institutions, funders, product lines.

They live here because every app uses them: pilots track which member MFIs take
part and who funds them, the survey asks the same members about the same product
lines, and research is tagged with product lines and countries.
"""

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from portal.i18n import in_reader_language
from portal.iati_codes import DacSector, OrganisationType, organisation_identifier
from portal.numbers import YearField


class Role(models.TextChoices):
    STAFF = "staff", _("Association staff")
    MEMBER = "member", _("Member institution")
    DONOR = "donor", _("Donor")


class User(AbstractUser):
    """A person who signs in: association staff, a member MFI's user or a donor.

    Members belong to exactly one member institution and donors to exactly one
    funder; the database refuses anything else.
    """

    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STAFF)
    institution = models.ForeignKey(
        "accounts.MemberInstitution",
        verbose_name=_("member institution"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for member users: the MFI whose survey answers they give."),
    )
    funder = models.ForeignKey(
        "accounts.Funder",
        verbose_name=_("funder"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for donors: the funder whose dashboards they see."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="user_member_has_institution",
                condition=~Q(role="member") | Q(institution__isnull=False),
            ),
            models.CheckConstraint(
                name="user_donor_has_funder",
                condition=~Q(role="donor") | Q(funder__isnull=False),
            ),
        ]

    @property
    def is_association_staff(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.STAFF and self.is_staff)

    @property
    def sees_mfi_reports(self) -> bool:
        """Staff review the MFIs' period reports; a member's user reports its institution's."""
        return self.is_association_staff or self.is_member

    @property
    def is_member(self) -> bool:
        return self.is_active and self.role == Role.MEMBER

    @property
    def is_donor(self) -> bool:
        return self.is_active and self.role == Role.DONOR


class InstitutionType(models.TextChoices):
    BANK = "bank", _("Bank")
    NGO = "ngo", _("NGO")
    COOPERATIVE = "cooperative", _("Savings and credit cooperative")
    FINANCE_COMPANY = "finance_company", _("Finance company")
    NBFC = "nbfc", _("Non-bank financial company")


# Where Spanish is the (or an) official language: their institutions get Spanish e-mails.
SPANISH_SPEAKING = frozenset(
    [
        "AR",
        "BO",
        "CL",
        "CO",
        "CR",
        "CU",
        "DO",
        "EC",
        "ES",
        "GQ",
        "GT",
        "HN",
        "MX",
        "NI",
        "PA",
        "PE",
        "PR",
        "PY",
        "SV",
        "UY",
        "VE",
    ]
)


class MemberInstitution(models.Model):
    """A microfinance institution affiliated to the association."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    country = CountryField(_("country"))
    institution_type = models.CharField(_("institution type"), max_length=20, choices=InstitutionType.choices)
    clients_served = models.PositiveIntegerField(_("clients served"), null=True, blank=True)
    founded = YearField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text=_("Peer groups compare institutions of a similar age."),
    )
    language = models.CharField(
        _("language of its e-mails"),
        max_length=2,
        choices=[("es", "Español"), ("en", "English")],
        blank=True,
        help_text=_("Empty: Spanish for institutions in Spanish-speaking countries, English elsewhere."),
    )
    contact_email = models.EmailField(
        _("contact e-mail"), blank=True, help_text=_("Where survey invitations and reminders are sent.")
    )
    illustrative = models.BooleanField(
        _("illustrative"),
        default=False,
        help_text=_("Demo data only: the source documents do not name this institution."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("member institution")
        verbose_name_plural = _("member institutions")

    def __str__(self) -> str:
        return self.name

    @property
    def email_language(self) -> str:
        """The language of the e-mails it receives: its own choice, else by its country."""
        return self.language or ("es" if self.country.code in SPANISH_SPEAKING else "en")


class Funder(models.Model):
    """A donor, lender or the association itself paying for part of an innovation."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    name_en = models.CharField(
        _("name (English)"), max_length=200, blank=True, help_text=_("Leave empty to show the Spanish name.")
    )
    website = models.URLField(_("website"), blank=True)
    iati_ref = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        validators=[organisation_identifier],
        help_text=_("As the funder publishes it in IATI, e.g. XM-DAC-41122 or NL-KVK-41198677."),
    )
    iati_type = models.CharField(
        _("IATI organisation type"), max_length=2, choices=OrganisationType.choices, blank=True
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)


class ProductLine(models.Model):
    """A family of financial products (micro-insurance, savings, ...), shared taxonomy."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    dac_sector = models.CharField(
        _("DAC sector"),
        max_length=5,
        choices=DacSector.choices,
        blank=True,
        help_text=_("The sector its innovations are published under in IATI files."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("product line")
        verbose_name_plural = _("product lines")

    def __str__(self) -> str:
        return in_reader_language(self.name_es, self.name_en)
