"""Staff's IATI publishing page (/pilots/dashboard/iati/): who may see it, what it says of each
innovation and of the association's settings; and the links to the IATI files on the
innovation page and the dashboard."""

import pytest
from django.test import Client
from django.urls import reverse
from lxml import html

from pilots.models import Visibility
from tests.factories import DonorFactory, FunderFactory, MemberUserFactory, ProductLineFactory, StaffFactory
from tests.pilots.factories import ContributionFactory, IndicatorFactory, InnovationFactory, TargetFactory

pytestmark = pytest.mark.django_db

PAGE = "/en/pilots/dashboard/iati/"
PASSES = "In the files: its activity passes the IATI 2.03 schema and ruleset."


@pytest.fixture
def portfolio(association, line):
    """A ready public innovation (a funder without IATI identifier, an indicator without a
    target), a staff-only one, and one whose product line has no sector."""
    ready = InnovationFactory(slug="ahorro-movil", title="Ahorro móvil", product_line=line)
    ContributionFactory(innovation=ready, funder=FunderFactory(name="Fondo Sin Código"))
    ContributionFactory(
        innovation=ready, funder=FunderFactory(name="Fondo Andino", iati_ref="XM-DAC-41122", iati_type="40")
    )
    TargetFactory(indicator=IndicatorFactory(innovation=ready, name="Clientes activos"))
    IndicatorFactory(innovation=ready, name="Cuentas abiertas", name_en="Accounts opened")
    InnovationFactory(slug="interna", title="Interna", product_line=line, visibility=Visibility.STAFF)
    insurance = ProductLineFactory(code="iati-insurance", name_es="Seguros", name_en="Insurance")
    InnovationFactory(slug="seguro", title="Seguro", product_line=insurance)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def card(content: bytes, slug: str) -> str:
    """The text of the innovation's card on the publishing page, spaces normalised."""
    (article,) = html.fromstring(content).xpath(f'//article[@id="{slug}"]')
    return " ".join(article.text_content().split())


def hrefs(content: bytes) -> dict[str, str]:
    """Each link's address and its text."""
    return {a.get("href"): " ".join(a.text_content().split()) for a in html.fromstring(content).iter("a")}


def test_only_staff_see_the_publishing_page(client, association):
    anonymous = client.get(PAGE)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/en/accounts/login/")
    assert signed_in(MemberUserFactory()).get(PAGE).status_code == 403
    assert signed_in(DonorFactory()).get(PAGE).status_code == 403
    assert signed_in(StaffFactory()).get(PAGE).status_code == 200


def test_the_page_says_what_each_innovation_lacks(staff_client, portfolio):
    content = staff_client.get(PAGE).content
    ready = card(content, "ahorro-movil")
    assert PASSES in ready
    assert "/api/v1/iati/ahorro-movil.xml" in hrefs(content)
    # What a donor's system would miss, although the file is valid.
    assert "Fondo Sin Código has no IATI organisation identifier or type" in ready
    assert "Fondo Andino has no IATI" not in ready
    assert "Accounts opened has no target." in ready
    assert "Clientes activos has no target." not in ready
    staff_only = card(content, "interna")
    assert "Not in the files." in staff_only and "visible to staff only" in staff_only
    assert PASSES not in staff_only
    unsectored = card(content, "seguro")
    assert "Its product line (Insurance) has no DAC sector" in unsectored
    assert PASSES not in unsectored
    assert "1 innovation ready" in html.fromstring(content).text_content()
    assert "/api/v1/iati/interna.xml" not in hrefs(content)


def test_without_an_identifier_the_page_sends_staff_to_the_settings(staff_client, association, portfolio):
    edit = reverse("wagtailsettings:edit", args=["portal", "associationsettings"])
    complete = " ".join(html.fromstring(staff_client.get(PAGE).content).text_content().split())
    assert "Activities are identified as EC-RUC-1790012345001-slug." in complete
    assert "The association has no IATI organisation identifier" not in complete
    association.iati_ref = ""
    association.save()
    content = staff_client.get(PAGE).content
    text = " ".join(html.fromstring(content).text_content().split())
    assert "The association has no IATI organisation identifier" in text
    assert "Activities are identified as" not in text
    # The notice that says so links to where it is set.
    notice = html.fromstring(content).xpath(
        "//li[contains(., 'The association has no IATI organisation identifier')]/ancestor::div[1]"
    )
    links = [(a.get("href"), a.text_content().strip()) for a in notice[0].iter("a")]
    assert links == [(edit, "Edit the association's settings")]
    ready = card(content, "ahorro-movil")
    assert "Not in the files." in ready and PASSES not in ready
    assert "0 innovations ready" in text


def test_the_page_in_spanish(staff_client, portfolio):
    content = staff_client.get("/pilots/dashboard/iati/").content
    assert html.fromstring(content).get("lang") == "es"
    ready = card(content, "ahorro-movil")
    assert "Está en los archivos: su actividad cumple el esquema y las reglas de IATI 2.03." in ready
    assert "Experimentación en la fase piloto" in ready  # the stage
    assert "Fondo Sin Código no tiene identificador o tipo de organización IATI" in ready
    assert PASSES not in ready
    staff_only = card(content, "interna")
    assert "No está en los archivos. Le falta:" in staff_only
    assert "Solo la ve el personal de la asociación" in staff_only


def test_the_innovation_page_links_its_activity_file(staff_client, portfolio):
    page = "/en/pilots/ahorro-movil/"
    publishing = "/en/pilots/dashboard/iati/#ahorro-movil"
    staff = hrefs(staff_client.get(page).content)
    assert staff["/api/v1/iati/ahorro-movil.xml"] == "IATI XML"
    assert staff[publishing] == "what it lacks"
    public = hrefs(Client().get(page).content)  # staff_client is the test's client, signed in
    assert public["/api/v1/iati/ahorro-movil.xml"] == "IATI XML"
    assert publishing not in public


def test_the_dashboard_links_the_portfolio_file_and_staff_the_publishing_page(staff_client, portfolio):
    dashboard = "/en/pilots/dashboard/"
    staff = hrefs(staff_client.get(dashboard).content)
    assert staff["/api/v1/iati/activities.xml"] == "IATI XML"
    assert staff[PAGE] == "What the IATI files lack"
    for user in (MemberUserFactory(), DonorFactory()):
        links = hrefs(signed_in(user).get(dashboard).content)
        assert links["/api/v1/iati/activities.xml"] == "IATI XML"
        assert PAGE not in links
