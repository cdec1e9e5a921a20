"""The IATI codes an association's organisations and product lines are described with (their
organisation type, their DAC sector) and the form of an organisation identifier. The activity
files themselves are written by `pilots.iati`; these live here because the models that carry
them (the association's settings, funders, product lines) are the portal's.

Codes and English names are IATI's (https://iatistandard.org/en/iati-standard/203/codelists/).
"""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    """IATI's OrganisationType codelist: the `type` of a reporting or participating organisation."""

    GOVERNMENT = "10", _("10 — Government")
    LOCAL_GOVERNMENT = "11", _("11 — Local government")
    OTHER_PUBLIC = "15", _("15 — Other public sector")
    INTERNATIONAL_NGO = "21", _("21 — International NGO")
    NATIONAL_NGO = "22", _("22 — National NGO")
    REGIONAL_NGO = "23", _("23 — Regional NGO")
    PARTNER_COUNTRY_NGO = "24", _("24 — Partner country based NGO")
    PUBLIC_PRIVATE = "30", _("30 — Public private partnership")
    MULTILATERAL = "40", _("40 — Multilateral")
    FOUNDATION = "60", _("60 — Foundation")
    PRIVATE_SECTOR = "70", _("70 — Private sector")
    PRIVATE_SECTOR_RECIPIENT = "72", _("72 — Private sector in aid recipient country")
    ACADEMIC = "80", _("80 — Academic, training and research")
    OTHER = "90", _("90 — Other")


class DacSector(models.TextChoices):
    """The OECD DAC 5-digit purpose codes (IATI sector vocabulary 1) an association's product
    lines fall under: banking and financial services, business, and the nearest others."""

    FINANCIAL_POLICY = "24010", _("24010 — Financial policy and administrative management")
    FORMAL_INTERMEDIARIES = "24030", _("24030 — Formal sector financial intermediaries")
    INFORMAL_INTERMEDIARIES = "24040", _("24040 — Informal/semi-formal financial intermediaries")
    REMITTANCES = "24050", _("24050 — Remittance facilitation, promotion and optimisation")
    FINANCIAL_EDUCATION = "24081", _("24081 — Education/training in banking and financial services")
    BUSINESS_POLICY = "25010", _("25010 — Business policy and administration")
    SOCIAL_PROTECTION = "16010", _("16010 — Social protection")
    AGRICULTURAL_FINANCE = "31193", _("31193 — Agricultural financial services")
    SME_DEVELOPMENT = "32130", _("32130 — Small and medium-sized enterprises (SME) development")


# An organisation identifier (IATI's org-id guidance): its register's code, a hyphen, its number in
# that register: EC-RUC-1790012345001, XM-DAC-41122, GB-CHC-202918. Letters, digits and . _ : ( ) -
# only (no spaces, nor / & | ? nor anything XML would need escaped).
organisation_identifier = RegexValidator(
    r"^[A-Z]{2}-[A-Z0-9]+-[A-Za-z0-9._:()-]+$",
    _(
        "Write the identifier as its register's code, a hyphen and the number in that register, "
        "e.g. EC-RUC-1790012345001 (see org-id.guide); no spaces."
    ),
)
