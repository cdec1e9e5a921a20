"""The site shell: settings, languages, roles."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import IntegrityError

from portal.accounts.models import Role, User
from tests.factories import FunderFactory, MemberInstitutionFactory

PRODUCTION_ENV = {
    "SECRET_KEY": "only-for-tests-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLM",
    "ALLOWED_HOSTS": "portal.example.org",
    "SITE_URL": "https://portal.example.org",
    "EMAIL_URL": "smtp://u:p@smtp.example.org:587",
    "REDIS_URL": "redis://127.0.0.1:6379/1",
}


def _outside_environment() -> dict:
    """This process's environment without what the suite sets for itself (the settings module,
    DJANGO_ALLOW_ASYNC_UNSAFE of the browser journeys) or the production variables under test."""
    drop = set(PRODUCTION_ENV) | {"SEARCH_ENGINE"}
    return {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("DJANGO_")}


def _import_production(env: dict) -> subprocess.CompletedProcess:
    clean = _outside_environment() | env
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.SECRET_KEY"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
    )


def _without(name: str) -> dict:
    return {key: value for key, value in PRODUCTION_ENV.items() if key != name}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY must be set"),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set"),
        ("SITE_URL", "SITE_URL must be set"),
        ("EMAIL_URL", "set EMAIL_URL"),
        ("REDIS_URL", "set REDIS_URL"),
    ],
)
def test_production_refuses_to_start_without_each_required_setting(missing, message):
    result = _import_production(_without(missing))
    assert result.returncode != 0
    assert message in result.stderr


def test_production_refuses_a_local_or_plain_http_site_url():
    """E-mailed links must point at the public HTTPS address, never at a developer's machine."""
    for url in ("http://127.0.0.1:8000", "portal.example.org"):
        result = _import_production(PRODUCTION_ENV | {"SITE_URL": url})
        assert result.returncode != 0, url
        assert "SITE_URL must be set" in result.stderr


def test_production_starts_when_configured():
    result = _import_production(PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr


def test_production_passes_the_deployment_checks():
    """`check --deploy` with production settings: no warning at all (HSTS, SSL redirect, cookies...)."""
    clean = _outside_environment()
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={**clean, **PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_member_user_needs_an_institution():
    with pytest.raises(IntegrityError):
        User.objects.create(username="m", role=Role.MEMBER)


@pytest.mark.django_db
def test_donor_user_needs_a_funder():
    with pytest.raises(IntegrityError):
        User.objects.create(username="d", role=Role.DONOR)


@pytest.mark.django_db
def test_member_and_donor_with_links_are_accepted():
    User.objects.create(username="m", role=Role.MEMBER, institution=MemberInstitutionFactory())
    User.objects.create(username="d", role=Role.DONOR, funder=FunderFactory())
    assert User.objects.count() == 2


@pytest.mark.django_db
def test_login_page_speaks_spanish_by_default_and_english_under_en(client):
    spanish = client.get("/accounts/login/")
    english = client.get("/en/accounts/login/")
    assert spanish.status_code == english.status_code == 200
    assert 'lang="es"' in spanish.content.decode()
    assert 'lang="en"' in english.content.decode()


def test_absolute_links_use_the_site_url(settings):
    from portal.links import absolute_url

    settings.SITE_URL = "https://portal.example.org"
    assert absolute_url("/surveys/respond/abc/") == "https://portal.example.org/surveys/respond/abc/"
    assert absolute_url("en/research/") == "https://portal.example.org/en/research/"
    assert absolute_url("https://other.example.org/x/") == "https://other.example.org/x/"


@pytest.mark.django_db
def test_the_pages_name_their_icon_and_favicon_ico_leads_to_it(client):
    from django.test import Client

    html = client.get("/pilots/").content.decode()
    assert 'rel="icon"' in html and "favicon" in html
    response = Client().get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith(".svg")


def test_strings_third_party_packages_leave_untranslated_have_the_portals_spanish():
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("es"):
        assert gettext("- Select an option -") == "- Elija una opción -"  # Django's form widgets
        assert gettext("Taggit") == "Etiquetas"  # django-taggit, in Wagtail's admin
        assert gettext("Return to ordered tree") == "Volver al árbol ordenado"  # django-treebeard
        assert gettext("Changed by") == "Modificado por"  # django-simple-history
        assert gettext("Deleted %(type_name)s") % {"type_name": "Medición"} == "Eliminado: Medición"


def test_the_site_shell_imports_no_app():
    """`portal` is what the apps build on: they import it, and register with it what it shows
    (home page sections, API viewsets, search documents); it never imports them."""
    import ast
    from pathlib import Path

    apps = {"pilots", "research", "surveys"}
    package = Path(__file__).resolve().parents[2] / "portal"
    offenders = []
    for path in package.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(package)}: {name}" for name in names if name.split(".")[0] in apps]
    assert offenders == []
