"""Who gets which activity in the IATI files: a restricted innovation is in the file of the donor
whose funder pays for it and of the members of its MFIs — signed in or with an API token, as
donors' systems call — and in no one else's; a staff-only one is in no file. And the file of one
innovation is read in the same number of queries however many indicators and figures it has."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree
from rest_framework.authtoken.models import Token
from wagtail.models import Site

from pilots.iati.validation import problems
from pilots.models import Innovation, Unit, Visibility
from portal.models import AssociationSettings
from tests.factories import (
    DonorFactory,
    FunderFactory,
    MemberInstitutionFactory,
    MemberUserFactory,
    ProductLineFactory,
    StaffFactory,
)
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
REF = "XI-IATI-TEST"
PORTFOLIO = "/api/v1/iati/activities.xml"
RESTRICTED = f"{REF}-para-el-fondo-a"
PUBLIC = f"{REF}-abierta"


def valid(response) -> etree._Element:
    """A 200 IATI file that passes the 2.03 schema and the ruleset, parsed."""
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml"
    assert problems(response.content, today=timezone.localdate()) == []
    return etree.fromstring(response.content)


def identifiers(response) -> set[str]:
    return {element.text for element in valid(response).iter("iati-identifier")}


def refusal(response, status: int) -> etree._Element:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/xml"
    return etree.fromstring(response.content)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def with_token(user) -> dict:
    return {"authorization": f"Token {Token.objects.create(user=user).key}"}


@pytest.fixture
def network():
    """The association ready to publish; a public innovation, one restricted to its funder A and
    its MFI, and a staff-only one, all in a product line with its DAC sector and in Ecuador."""
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.name, association.short_name = "Red de Prueba", "RP"
    association.iati_ref, association.iati_type = REF, "22"
    association.save()
    line = ProductLineFactory(code="iati-micro-insurance", dac_sector="24040")
    funder_a = FunderFactory(name="Fondo A", iati_ref="XI-IATI-FONDO-A", iati_type="21")
    mfi = MemberInstitutionFactory(name="IMF participante")
    restricted = InnovationFactory(
        slug="para-el-fondo-a",
        title="Seguro agrícola",
        title_en="Crop insurance",
        visibility=Visibility.DONORS,
        product_line=line,
        countries=["EC"],
    )
    ContributionFactory(innovation=restricted, funder=funder_a, amount=Decimal("25000"))
    ParticipationFactory(innovation=restricted, institution=mfi)
    clients = IndicatorFactory(innovation=restricted, name="Clientes", name_en="Clients")
    TargetFactory(indicator=clients, value=Decimal(2000), due_date=datetime.date(2022, 12, 31))
    MeasurementFactory(indicator=clients, measured_on=datetime.date(2021, 6, 30), value=Decimal(800))
    InnovationFactory(slug="abierta", product_line=line, countries=["EC"])
    InnovationFactory(slug="solo-personal", visibility=Visibility.STAFF, product_line=line, countries=["EC"])
    return {
        "donor A": DonorFactory(funder=funder_a),
        "donor B": DonorFactory(funder=FunderFactory(name="Fondo B")),
        "member of its MFI": MemberUserFactory(institution=mfi),
        "member of another MFI": MemberUserFactory(),
        "staff": StaffFactory(),
    }


SEES_RESTRICTED = {
    "donor A": True,
    "donor B": False,
    "member of its MFI": True,
    "member of another MFI": False,
    "staff": True,
}


def test_anonymous_portfolio_has_the_public_innovation_only(network):
    assert identifiers(Client().get(PORTFOLIO)) == {PUBLIC}


@pytest.mark.parametrize("who", SEES_RESTRICTED)
def test_the_restricted_innovation_is_in_the_portfolio_of_who_may_see_it_signed_in(network, who):
    expected = {PUBLIC, RESTRICTED} if SEES_RESTRICTED[who] else {PUBLIC}
    assert identifiers(signed_in(network[who]).get(PORTFOLIO)) == expected


@pytest.mark.parametrize("who", SEES_RESTRICTED)
def test_the_same_with_the_api_token_a_donors_system_uses(network, who):
    expected = {PUBLIC, RESTRICTED} if SEES_RESTRICTED[who] else {PUBLIC}
    assert identifiers(Client().get(PORTFOLIO, headers=with_token(network[who]))) == expected


def test_a_bad_token_is_refused_in_xml(network):
    response = Client().get(PORTFOLIO, headers={"authorization": "Token not-a-token", "accept-language": "en"})
    assert "Invalid token" in refusal(response, 401).findtext("detail")


def test_the_restricted_activity_is_not_found_by_who_may_not_see_it(network):
    url = "/api/v1/iati/para-el-fondo-a.xml"
    anonymous = refusal(Client().get(url, headers={"accept-language": "en"}), 404)
    assert anonymous.findtext("detail") and RESTRICTED not in etree.tostring(anonymous).decode()
    refusal(Client().get(url, headers=with_token(network["donor B"])), 404)
    refusal(signed_in(network["member of another MFI"]).get(url), 404)

    activity = valid(Client().get(url, headers=with_token(network["donor A"]))).find("iati-activity")
    assert activity.findtext("iati-identifier") == RESTRICTED
    funder = [org for org in activity.findall("participating-org") if org.get("role") == "1"]
    assert [(org.get("ref"), org.get("type")) for org in funder] == [("XI-IATI-FONDO-A", "21")]
    value = activity.find("transaction/value")
    assert (Decimal(value.text), activity.find("transaction/provider-org").get("ref")) == (25000, "XI-IATI-FONDO-A")
    assert activity.find(".//indicator/period/actual").get("value") == "800"
    valid(signed_in(network["member of its MFI"]).get(url))


def test_a_staff_only_innovation_is_in_no_file_and_staff_are_told_why(network):
    staff = signed_in(network["staff"])
    assert f"{REF}-solo-personal" not in identifiers(staff.get(PORTFOLIO))
    refused = refusal(staff.get("/api/v1/iati/solo-personal.xml", headers={"accept-language": "en"}), 409)
    assert "not ready" in refused.findtext("detail")
    assert any("visible to staff only" in item.text for item in refused.findall("missing"))
    # Nobody else learns that it exists.
    refusal(Client().get("/api/v1/iati/solo-personal.xml", headers=with_token(network["donor A"])), 404)


def test_with_nothing_ready_the_portfolio_is_a_404_that_says_so(network):
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    association.iati_ref = ""
    association.save()
    response = Client().get(PORTFOLIO, headers={"accept-language": "en"})
    assert "ready to publish" in refusal(response, 404).findtext("detail")


def test_one_innovations_file_takes_the_same_queries_however_many_indicators_and_figures(
    network, django_assert_num_queries
):
    url = "/api/v1/iati/abierta.xml"
    client = Client()
    innovation = Innovation.objects.get(slug="abierta")
    first = IndicatorFactory(innovation=innovation, name="Clientes")
    TargetFactory(indicator=first)
    MeasurementFactory(indicator=first)
    with django_assert_num_queries(19):
        valid(client.get(url))

    mfis = [ParticipationFactory(innovation=innovation) for _ in range(3)]
    for n, unit in enumerate((Unit.COUNT, Unit.PERCENT, Unit.DAYS)):
        indicator = IndicatorFactory(innovation=innovation, name=f"Indicador {n}", unit=unit)
        TargetFactory(indicator=indicator, value=Decimal(80))
        TargetFactory(indicator=indicator, stage="scale", value=Decimal(90), due_date=datetime.date(2023, 12, 31))
        for month in (1, 4, 7, 10):
            for mfi in mfis:
                MeasurementFactory(
                    indicator=indicator,
                    participation=mfi,
                    measured_on=datetime.date(2021, month, 28),
                    value=Decimal(70),
                    **({"numerator": Decimal(7), "denominator": Decimal(10)} if unit == Unit.PERCENT else {}),
                )
    with django_assert_num_queries(19):
        root = valid(client.get(url))
    assert len(root.findall(".//indicator")) == 4 and len(root.findall(".//indicator/period")) >= 7
