"""The portal's own error pages and the load balancer's health check."""

from unittest import mock

import pytest
from django.test import RequestFactory

from portal.views import server_error
from tests.factories import DonorFactory

pytestmark = pytest.mark.django_db


def test_unknown_address_shows_the_spanish_404_with_the_site_navigation(client):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert "Esta página no existe" in text
    assert 'href="/pilots/"' in text  # the site's own header
    assert "Not Found" not in text


def test_unknown_english_address_shows_the_english_404(client):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "This page does not exist" in response.content.decode()


def test_403_for_a_signed_in_user_does_not_offer_to_sign_in(client):
    client.force_login(DonorFactory(username="dora"))
    response = client.post("/pilots/any-innovation/measurements/")  # staff only
    assert response.status_code == 403
    text = response.content.decode()
    assert "No puede abrir esta página" in text
    assert "Solo el personal de la asociación" in text  # the reason
    assert "dora" in text
    assert "/accounts/login/" not in text


def test_403_for_an_anonymous_visitor_offers_to_sign_in(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/pilots/dashboard/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert "/accounts/login/?next=/pilots/dashboard/" in response.content.decode()


def test_400_page_is_the_portals(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.views.defaults import bad_request

    request = rf.get("/")
    request.user = AnonymousUser()
    response = bad_request(request, Exception())
    assert response.status_code == 400
    assert "El portal no pudo entender esta solicitud" in response.content.decode()


def test_500_page_has_the_navigation_and_the_language_of_the_page():
    request = RequestFactory().get("/en/pilots/")
    request.user = DonorFactory()
    request.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        response = server_error(request)
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert 'href="/en/pilots/"' in text


def test_500_page_falls_back_to_a_plain_page_when_the_full_one_fails():
    request = RequestFactory().get("/")
    with mock.patch("portal.views.loader.render_to_string", side_effect=[RuntimeError("db down"), "plain"]):
        response = server_error(request)
    assert response.status_code == 500
    assert response.content == b"plain"


def test_healthz_answers_200_when_database_and_cache_answer(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_naming_what_fails(client):
    with mock.patch("portal.health.cache.get", side_effect=ConnectionError("redis gone")):
        response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "failing"}


def test_healthz_answers_any_host_over_plain_http(client, settings):
    """The balancer calls by IP address, before the host check and the HTTPS redirect."""
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    response = client.get("/healthz/", HTTP_HOST="10.0.0.7")
    assert response.status_code == 200
