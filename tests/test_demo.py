"""The one test that loads the full demo data: what a newcomer sees after `make run`."""

import html
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from pilots.models import Innovation


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_shows_the_five_cases():
    call_command("load_demo", verbosity=0)
    counts = Innovation.objects.count()
    member = Client()
    assert member.post(reverse("login"), {"username": "member", "password": "demo-member-2026"}).status_code == 302
    # A re-run does only what changed: no index rebuild, and signed-in demo users stay signed in.
    with mock.patch("portal.search.database.DatabaseEngine.rebuild") as rebuild:
        call_command("load_demo", verbosity=0)
    assert not rebuild.called
    assert member.get(reverse("login")).wsgi_request.user.username == "member"
    assert Innovation.objects.count() == counts == 5

    client = Client()
    listing = client.get("/en/pilots/")
    titles = {row["innovation"].slug for row in listing.context["rows"]}
    assert titles == {
        "redcamif-micropensiones",
        "rfr-microseguros",
        "rmc-banca-sin-sucursales",
        "finca-peru-image",
        "kgfs-india",
    }

    rfr = client.get("/en/pilots/rfr-microseguros/").content.decode()
    assert "51,000" in rfr and "58,500" in rfr and "87 %" in rfr
    assert "90 %" in rfr
    # The research behind it is listed on the innovation's page (and the page on the research).
    assert "Research that informs this innovation" in rfr and 'href="/en/research/' in rfr
    # Nothing in Spanish on the English page: milestones, stage decisions, lessons, funders,
    # contributions all have their English text (names of institutions are names).
    text = html.unescape(re.sub(r"<[^>]+>", "\n", re.sub(r"<script.*?</script>", "", rfr, flags=re.S)))
    spanish = re.compile(r"\b(de|la|el|los|las|con|para|por|que|del|una|clientes|días|aseguradora)\b")
    assert [line.strip() for line in text.splitlines() if spanish.search(line)] == []
    assert "Tender and choice of the insurer" in rfr and "International Labour Organization (ILO)" in rfr
    spanish_page = Client().get("/pilots/rfr-microseguros/").content.decode()
    assert "Concurso y selección de la aseguradora" in spanish_page

    # The English search finds the innovation and its lessons in English.
    found = client.get("/en/search/json/", {"q": "micro-insurance"}).json()["hits"]
    rfr_hits = {(hit["kind"], hit["title"]) for hit in found if "RFR" in hit["title"]}
    assert rfr_hits == {
        ("innovation", "Simplified micro-insurance (RFR, Ecuador)"),
        ("lesson", "Simplified micro-insurance (RFR, Ecuador)"),
    }
    lessons = [hit["snippet_html"] for hit in found if hit["kind"] == "lesson"]
    assert any("regulatory framework" in snippet for snippet in lessons)

    redcamif = Innovation.objects.get(slug="redcamif-micropensiones")
    by_country = {}
    for participation in redcamif.participations.select_related("institution"):
        by_country[participation.institution.country.code] = (
            by_country.get(participation.institution.country.code, 0) + 1
        )
        assert participation.institution.illustrative
    assert by_country == {"GT": 3, "HN": 3, "NI": 4}
    targets = sorted(
        t.value for i in redcamif.indicators.all() for t in i.targets.all() if i.name == "Clientes con micropensión"
    )
    assert targets == [25000, 400000]

    finca = Innovation.objects.get(slug="finca-peru-image")
    actuals = {i.name: i.measurements.get().value for i in finca.indicators.all()}
    assert sorted(actuals.values()) == [145, 398, 705, 1001, 10875]
    assert {m.title for m in finca.milestones.all()} >= {
        "Evaluación de línea de base",
        "Evaluación de seguimiento",
        "Evaluación final",
    }


@pytest.mark.django_db
def test_demo_logins_work():
    call_command("load_demo", verbosity=0)
    for username, password in (
        ("staff", "demo-staff-2026"),
        ("member", "demo-member-2026"),
        ("donor", "demo-donor-2026"),
    ):
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.get(reverse("login")).wsgi_request.user.username == username
