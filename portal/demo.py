"""Demo data for the site shell: product lines, the network's members, funders,
the three demo logins and the home page. Idempotent: run it as often as you like.

Institutions that the seed documents name are marked as real; the others are
clearly marked `illustrative` (the seeds give counts, not names).
"""

from pathlib import Path

from django.core.files import File
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from portal.accounts.models import Funder, InstitutionType, MemberInstitution, ProductLine, Role, User
from portal.models import AssociationSettings, HomePage

# The association behind the demo (DESIGN.md: RFR runs the member survey and the micro-insurance pilot).
ASSOCIATION = {"name": "Red Financiera Rural", "short_name": "RFR", "website": "https://www.rfr.org.ec/"}
LOGO = Path(__file__).parent / "demo_files" / "association-logo.png"

PRODUCT_LINES = [
    ("working-capital", "Crédito para capital de trabajo", "Working-capital credit"),
    ("savings", "Ahorro", "Savings"),
    ("micro-insurance", "Microseguros", "Micro-insurance"),
    ("micro-pensions", "Micropensiones", "Micro-pensions"),
    ("remittances", "Remesas", "Remittances"),
    ("payments", "Pagos y banca sin sucursales", "Payments and branchless banking"),
    ("housing", "Vivienda", "Housing"),
    ("education", "Crédito educativo", "Education loans"),
    ("integrated-services", "Servicios integrados", "Integrated services"),
    ("household-finance", "Finanzas del hogar", "Household wealth management"),
]

FUNDERS = [
    "REDCAMIF",
    "Banco Interamericano de Desarrollo (BID)",
    "Gran Ducado de Luxemburgo",
    "HIVOS",
    "Red Financiera Rural (RFR)",
    "Organización Internacional del Trabajo (OIT)",
    "CGAP",
    "Russian Microfinance Center (RMC)",
    "FINCA Perú",
    "IFMR Trust",
]

# (name, country, type, clients served, illustrative)
NAMED_INSTITUTIONS = [
    ("FINCA Perú", "PE", InstitutionType.NGO, None, False),
    ("Pudhuaru KGFS", "IN", InstitutionType.NBFC, None, False),
]

DEMO_USERS = {
    "staff": ("demo-staff-2026", Role.STAFF),
    "member": ("demo-member-2026", Role.MEMBER),
    "donor": ("demo-donor-2026", Role.DONOR),
}


def product_line(code: str) -> ProductLine:
    return ProductLine.objects.get(code=code)


def institution(name: str, country: str, kind: str, clients: int | None = None, *, illustrative: bool = True):
    obj, _ = MemberInstitution.objects.update_or_create(
        name=name,
        defaults={
            "country": country,
            "institution_type": kind,
            "clients_served": clients,
            "illustrative": illustrative,
        },
    )
    return obj


def funder(name: str) -> Funder:
    return Funder.objects.get_or_create(name=name)[0]


def _home_page():
    """Replace Wagtail's welcome page with the portal's home page, in Spanish and English."""
    es = Locale.objects.get_or_create(language_code="es")[0]
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=es).first()
    if home is None:
        home = HomePage(
            title="Portal de conocimiento e innovación",
            slug="inicio",
            locale=es,
            intro=(
                "La asociación investiga el mercado, diseña nuevos productos con sus miembros, "
                "los prueba en pilotos, evalúa los resultados y los lleva a gran escala."
            ),
        )
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Portal")
    elif site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.save()
        if not isinstance(old_root.specific, HomePage):
            old_root.delete()
    return home


def _english_home(home):
    from wagtail.models import Locale

    en = Locale.objects.get(language_code="en")
    translation = home.get_translation_or_none(en)
    if translation is None:
        translation = home.copy_for_translation(en)
        translation.title = "Knowledge and innovation portal"
        translation.intro = (
            "The association researches the market, designs new products with its members, "
            "pilots them, evaluates the results and scales them up."
        )
        translation.save_revision().publish()
    return translation


def _association(site: Site) -> None:
    """The association's name and logo in the site settings (what the reports print), unless
    someone has already set them."""
    association = AssociationSettings.for_site(site)
    if association.name and association.logo_id:
        return
    if not association.name:
        for field, value in ASSOCIATION.items():
            setattr(association, field, value)
    if association.logo_id is None:
        with LOGO.open("rb") as logo:
            association.logo = get_image_model().objects.create(
                title="Logo de la Red Financiera Rural", file=File(logo, name=LOGO.name)
            )
    association.save()


@transaction.atomic
def load(stdout=None) -> None:
    for code, es, en in PRODUCT_LINES:
        ProductLine.objects.update_or_create(code=code, defaults={"name_es": es, "name_en": en})
    for name in FUNDERS:
        funder(name)
    for name, country, kind, clients, illustrative in NAMED_INSTITUTIONS:
        institution(name, country, kind, clients, illustrative=illustrative)
    member_home = institution("Cooperativa Ilustrativa Andina", "EC", InstitutionType.COOPERATIVE, 18_000)

    for username, (password, role) in DEMO_USERS.items():
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role = role
        user.is_staff = role == Role.STAFF
        user.is_superuser = role == Role.STAFF
        user.institution = member_home if role == Role.MEMBER else None
        user.funder = funder("Red Financiera Rural (RFR)") if role == Role.DONOR else None
        user.first_name = {"staff": "Ana", "member": "Luis", "donor": "Carmen"}[username]
        user.last_name = {"staff": "Programas", "member": "Andina", "donor": "Donante"}[username]
        user.email = f"{username}@example.org"
        if user.pk is None:  # a password changed on a re-run would sign the demo users out
            user.set_password(password)
        user.save()

    _english_home(_home_page())
    _association(Site.objects.get(is_default_site=True))
    if stdout:
        stdout.write("Network: product lines, funders, members, demo users, home page and the association loaded.")
