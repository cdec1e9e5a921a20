"""The one test that loads the full demo data: what a newcomer sees after `make run`."""

import html
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from pilots.models import Innovation
from tests.downloads import pdf_images, pdf_pages


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

    # The English search finds the innovation first, its lessons in English under it.
    found = client.get("/en/search/json/", {"q": "micro-insurance"}).json()["hits"]
    assert (found[0]["kind"], found[0]["title"]) == ("innovation", "Simplified micro-insurance (RFR, Ecuador)")
    assert [hit for hit in found if hit["kind"] == "lesson"] == []
    lessons = client.get("/en/search/json/", {"q": "micro-insurance", "kind": "lesson"}).json()["hits"]
    assert any("regulatory framework" in hit["snippet_html"] for hit in lessons)
    assert {child["kind"] for child in found[0]["children"]} == {"lesson"}

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


@pytest.mark.django_db
def test_demo_rfr_reports_add_up_and_the_demo_member_reports_april():
    """RFR's ten MFIs reported January to March 2011 (one report returned and corrected); March adds
    up to the seed's 51,000 insured clients and 87 % satisfaction. The demo member reports April:
    only once staff approve it do the actual and the dashboard move. MFI 10's April waits for review."""
    from pilots.models import IndicatorProgress, MFIReport, ReportState
    from pilots.progress import ensure_current

    call_command("load_demo", verbosity=0)
    reports = MFIReport.objects.filter(participation__innovation__slug="rfr-microseguros")
    assert reports.filter(state=ReportState.APPROVED).count() == 30
    waiting = reports.filter(state=ReportState.SUBMITTED)  # staff's "Para hoy" opens on it
    assert [(r.participation.institution.name, r.period_start.month) for r in waiting] == [
        ("IMF ilustrativa Ecuador 10", 4)
    ]
    assert reports.count() == 31
    returned = [r for r in reports if r.history.filter(state=ReportState.RETURNED).exists()]
    assert [(r.participation.institution.name, r.period_start.month) for r in returned] == [
        ("IMF ilustrativa Ecuador 3", 2)
    ]
    assert "un cero de más" in returned[0].review_comment

    rfr = Innovation.objects.get(slug="rfr-microseguros")
    clients = rfr.indicators.get(name="Clientes asegurados")
    satisfaction = rfr.indicators.get(name="Satisfacción de los clientes")

    def actual(indicator):
        ensure_current()
        return IndicatorProgress.objects.get(indicator=indicator).actual

    assert (actual(clients), actual(satisfaction)) == (51000, 87)

    member = Client()
    member.post(reverse("login"), {"username": "member", "password": "demo-member-2026"})
    home = member.get("/en/pilots/mfi-reports/").content.decode()
    assert all(f"/en/pilots/rfr-microseguros/mfi-reports/2011-0{m}/" in home for m in (4, 5, 6))
    url = "/en/pilots/rfr-microseguros/mfi-reports/2011-04/"
    fields = {
        "action": "submit",
        f"value-{clients.pk}": "9000",
        f"num-{satisfaction.pk}": "70",
        f"den-{satisfaction.pk}": "80",
    }
    assert member.post(url, fields).status_code == 302
    assert actual(clients) == 51000, "submitted, not yet approved"

    staff = Client()
    staff.post(reverse("login"), {"username": "staff", "password": "demo-staff-2026"})
    april = reports.get(participation__institution__name="Cooperativa Ilustrativa Andina", period_start__month=4)
    review = reverse("pilots:mfi_report_review", kwargs={"pk": april.pk})
    assert staff.post(review, {"action": "approve", "version": april.version}).status_code == 302
    assert actual(clients) == 51000 - 8200 + 9000
    dashboard = Client().get("/en/pilots/dashboard/").content.decode()
    assert "51,800" in dashboard


@pytest.mark.django_db
@override_settings(SITE_URL="https://portal.example.org")
def test_the_demo_donor_receives_the_rfr_2011_s1_report_worth_forwarding():
    """The worked example of docs/period-reports.md: the RFR 2011-S1 report as the demo donor
    downloads it, read as the PDF's reader sees it."""
    from portal.accounts.models import ProductLine

    call_command("load_demo", verbosity=0)
    donor = Client()
    assert donor.post(reverse("login"), {"username": "donor", "password": "demo-donor-2026"}).status_code == 302
    # "Semester report" opens where RFR's figures end, not on today's empty semester.
    chooser = donor.get("/en/pilots/rfr-microseguros/reports/")
    assert chooser["Location"] == "/en/pilots/rfr-microseguros/reports/2011-S1/"

    response = donor.get("/en/pilots/rfr-microseguros/reports/2011-S1.pdf")
    pages = pdf_pages(response)
    text = " ".join(pages)
    assert pages[0].startswith("Red Financiera Rural (RFR)") and pdf_images(response) == 1  # name and logo
    assert "Simplified micro-insurance (RFR, Ecuador) — Report 2011-S1" in text
    assert "From 01/01/2011 to 06/30/2011. Figures as they stood at the end of the period." in text
    assert "In March 2011, 10 MFIs offered the micro-insurance to 51,000 insured clients." in text
    assert "Insured clients: actual against target" in text and "Target 58,500 by 12/31/2010" in text
    for page in pages:  # the footer: the public address of the report
        assert "https://portal.example.org/en/pilots/rfr-microseguros/reports/2011-S1/" in page
    assert "None." not in text and "localhost" not in text and "127.0.0.1" not in text

    spanish = " ".join(pdf_pages(donor.get("/pilots/rfr-microseguros/reports/2011-S1.pdf")))
    assert "Microseguro simplificado (RFR, Ecuador) — Informe 2011-S1" in spanish
    assert "En marzo de 2011, 10 IMF ofrecían el microseguro a 51.000 clientes asegurados." in spanish
    assert "58.500" in spanish and "Ninguno." not in spanish and "Todavía no se escribió" not in spanish

    # The portfolio report of the dashboard's filters says which they are.
    micro_insurance = ProductLine.objects.get(code="micro-insurance")
    portfolio = donor.get("/en/pilots/reports/2011-S1.pdf", {"product_line": micro_insurance.pk, "country": "EC"})
    text = " ".join(pdf_pages(portfolio))
    assert "Innovations in this report: Product line: Micro-insurance; Country: Ecuador." in text
    assert "Simplified micro-insurance (RFR, Ecuador)" in text and "REDCAMIF" not in text


@pytest.mark.django_db
def test_demo_rfr_says_how_old_its_figures_are_and_redcamif_that_a_figure_is_overdue():
    """Today the demo's figures are from 2011: RFR's page says their age, speaks of its course in
    the past, says its MFIs' figures are no recent data and its April–June 2011 reports overdue;
    REDCAMIF's 25,000 clients, due at the end of 2012, never came. The same for every viewer."""
    from django.utils import timezone

    call_command("load_demo", verbosity=0)
    today = timezone.localdate()
    years = today.year - 2011 - ((today.month, today.day) < (3, 31))  # since 31 March 2011
    viewers = {"anonymous": Client()}
    for username in ("staff", "donor"):
        viewers[username] = Client()
        viewers[username].post(reverse("login"), {"username": username, "password": f"demo-{username}-2026"})

    def text(viewer, url):
        page = viewer.get(url).content.decode()
        return " ".join(
            html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<script.*?</script>", "", page, flags=re.S))).split()
        )

    for who, viewer in viewers.items():
        rfr = text(viewer, "/en/pilots/rfr-microseguros/")
        assert f"as of 03/31/2011 · {years} years ago" in rfr, who
        assert "At the pace of early 2011, it would have reached the target of 58,500 in June 2011." in rfr, who
        assert "is reached in" not in rfr, who
        assert "No recent data" in rfr and "Report overdue since 05/10/2011, from 10 MFIs" in rfr, who
        redcamif = text(viewer, "/en/pilots/redcamif-micropensiones/")
        assert "Report overdue no figure since the target was due on 12/31/2012" in redcamif, who

        rfr = text(viewer, "/pilots/rfr-microseguros/")
        assert f"al 31/03/2011 · hace {years} años" in rfr, who
        assert "Al ritmo de principios de 2011, habría alcanzado la meta de 58.500 en junio de 2011." in rfr, who
        assert "Sin datos recientes" in rfr and "Informe atrasado desde el 10/05/2011, de 10 IMF" in rfr, who
        redcamif = text(viewer, "/pilots/redcamif-micropensiones/")
        assert "Informe atrasado ninguna cifra desde que venció la meta, el 31/12/2012" in redcamif, who


def test_the_demo_files_keep_both_languages_side_by_side():
    """The demo is data (one TOML document per case and per study): every Spanish text a
    reviewer reads there has its English beside it."""
    from pilots.demo import files
    from pilots.demo.case import ENGLISH_LATER
    from research.demo import studies
    from surveys.demo.files import survey

    for data in files.cases():
        assert {"title_en", "summary_en"} <= set(data), data["slug"]
        for key, field in ENGLISH_LATER.items():
            assert all(f"{field}_en" in row for row in data.get(key, []) if field in row), (data["slug"], key)
        assert all("name_en" in row for row in data.get("indicators", [])), data["slug"]
    for study in studies():
        assert len(study["topics"]) == len(study["topics_en"]), study["slug"]
        assert all("heading_en" in s and len(s["paragraphs"]) == len(s["paragraphs_en"]) for s in study["sections"])
    assert all("label_en" in question for question in survey()["questions"])
