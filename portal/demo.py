"""Demo data for the site shell (`demo_files/network.toml`): product lines, the network's
members, funders, the three demo logins and the home page. Idempotent: run it as often as you
like.

Institutions that the seed documents name are marked as real; the others are clearly marked
`illustrative` (the seeds give counts, not names).
"""

import tomllib
from functools import cache
from pathlib import Path

from django.core.files import File
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site

from portal.accounts.models import Funder, MemberInstitution, ProductLine, Role, User
from portal.models import AssociationSettings, HomePage

FILES = Path(__file__).parent / "demo_files"


@cache
def network() -> dict:
    with (FILES / "network.toml").open("rb") as file:
        return tomllib.load(file)


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
    text = network()["home"]
    es = Locale.objects.get_or_create(language_code="es")[0]
    Locale.objects.get_or_create(language_code="en")
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=es).first()
    if home is None:
        home = HomePage(title=text["title"], slug=text["slug"], locale=es, intro=text["intro"])
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
    text = network()["home"]
    en = Locale.objects.get(language_code="en")
    translation = home.get_translation_or_none(en)
    if translation is None:
        translation = home.copy_for_translation(en)
        translation.title = text["title_en"]
        translation.intro = text["intro_en"]
        translation.save_revision().publish()
    return translation


def _association(site: Site) -> None:
    """The association's name and logo in the site settings (what the reports print), unless
    someone has already set them."""
    data = network()["association"]
    association = AssociationSettings.for_site(site)
    if not association.iati_ref:  # the demo's illustrative identifier, until staff set the real one
        association.iati_ref, association.iati_type = data["iati_ref"], data["iati_type"]
        association.save(update_fields=["iati_ref", "iati_type"])
        Funder.objects.filter(name=data["funder"], iati_ref="").update(
            iati_ref=data["iati_ref"], iati_type=data["iati_type"]
        )
    if association.name and association.logo_id:
        return
    if not association.name:
        for field in ("name", "short_name", "website"):
            setattr(association, field, data[field])
    if association.logo_id is None:
        logo = FILES / data["logo"]
        with logo.open("rb") as file:
            association.logo = get_image_model().objects.create(
                title=data["logo_title"], file=File(file, name=logo.name)
            )
    association.save()


def _user(row: dict, institutions: dict[str, MemberInstitution]) -> None:
    user = User.objects.filter(username=row["username"]).first() or User(username=row["username"])
    user.role = row["role"]
    user.is_staff = user.is_superuser = row["role"] == Role.STAFF
    user.institution = institutions[row["institution"]] if "institution" in row else None
    user.funder = funder(row["funder"]) if "funder" in row else None
    user.first_name, user.last_name = row["first_name"], row["last_name"]
    user.email = f"{row['username']}@example.org"
    if user.pk is None:  # a password changed on a re-run would sign the demo users out
        user.set_password(row["password"])
    user.save()


@transaction.atomic
def load(stdout=None) -> None:
    data = network()
    for line in data["product_lines"]:
        ProductLine.objects.update_or_create(
            code=line["code"], defaults={"name_es": line["name_es"], "name_en": line["name_en"]}
        )
        ProductLine.objects.filter(code=line["code"], dac_sector="").update(dac_sector=line["dac_sector"])
    for name in data["funders"]:
        funder(name)
    institutions = {
        row["name"]: institution(
            row["name"], row["country"], row["type"], row.get("clients"), illustrative=row.get("illustrative", True)
        )
        for row in data["institutions"]
    }
    for row in data["users"]:
        _user(row, institutions)
    _english_home(_home_page())
    _association(Site.objects.get(is_default_site=True))
    if stdout:
        stdout.write("Network: product lines, funders, members, demo users, home page and the association loaded.")
