"""The site shell: settings, languages, roles."""

import os
import subprocess
import sys

import pytest
from django.db import IntegrityError

from portal.accounts.models import Role, User
from tests.factories import FunderFactory, MemberInstitutionFactory


def _import_production(env: dict) -> subprocess.CompletedProcess:
    drop = {"SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE", "EMAIL_URL", "SEARCH_ENGINE"}
    clean = {k: v for k, v in os.environ.items() if k not in drop}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import django; from django.conf import settings; settings.SECRET_KEY"],
        env={**clean, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
    )


def test_production_refuses_to_start_without_secret_key():
    result = _import_production({"ALLOWED_HOSTS": "portal.example.org"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = _import_production({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_production_refuses_to_start_without_email_settings():
    result = _import_production({"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"})
    assert result.returncode != 0
    assert "set EMAIL_URL" in result.stderr


def test_production_starts_when_configured():
    result = _import_production(
        {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org", "EMAIL_URL": "smtp://u:p@smtp.example.org:587"}
    )
    assert result.returncode == 0, result.stderr


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
