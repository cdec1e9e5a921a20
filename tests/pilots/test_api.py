"""The JSON API (/api/v1/): the pages' visibility for every role and endpoint, its numbers, its schema."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from pilots.models import Unit, Visibility
from pilots.progress import ensure_current
from tests.factories import DonorFactory, FunderFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
API = "/api/v1/innovations/"


@pytest.fixture
def portfolio():
    """One innovation per visibility case, and two of each outside role."""
    funder_a, funder_b = FunderFactory(name="Funder A"), FunderFactory(name="Funder B")
    mfi_a, mfi_b = MemberInstitutionFactory(), MemberInstitutionFactory()
    InnovationFactory(slug="public", visibility=Visibility.PUBLIC)
    for_a = InnovationFactory(slug="restricted-a", visibility=Visibility.DONORS)
    ContributionFactory(innovation=for_a, funder=funder_a)
    for_b = InnovationFactory(slug="restricted-b", visibility=Visibility.DONORS)
    ContributionFactory(innovation=for_b, funder=funder_b)
    with_mfi_a = InnovationFactory(slug="with-mfi-a", visibility=Visibility.DONORS)
    ParticipationFactory(innovation=with_mfi_a, institution=mfi_a)
    InnovationFactory(slug="staff-only", visibility=Visibility.STAFF)
    users = {
        "anonymous": None,
        "member A": MemberUserFactory(institution=mfi_a),
        "member B": MemberUserFactory(institution=mfi_b),
        "donor A": DonorFactory(funder=funder_a),
        "donor B": DonorFactory(funder=funder_b),
        "staff": StaffFactory(),
    }
    return users


EVERY = {"public", "restricted-a", "restricted-b", "with-mfi-a", "staff-only"}
MAY_SEE = {
    "anonymous": {"public"},
    "member A": {"public", "with-mfi-a"},
    "member B": {"public"},
    "donor A": {"public", "restricted-a"},
    "donor B": {"public", "restricted-b"},
    "staff": EVERY,
}


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", MAY_SEE)
def test_each_role_lists_and_opens_exactly_what_the_pages_show_it(portfolio, role):
    client = client_for(portfolio[role])
    listed = client.get(API).json()
    assert {row["slug"] for row in listed["results"]} == MAY_SEE[role]
    assert listed["count"] == len(MAY_SEE[role])
    for slug in EVERY:
        expected = 200 if slug in MAY_SEE[role] else 404
        assert client.get(f"{API}{slug}/").status_code == expected, slug
        page = client.get(f"/en/pilots/{slug}/").status_code
        assert page == expected, f"the API and the page disagree on {slug}"


def test_a_token_authenticates_a_donor_and_a_bad_token_is_refused(portfolio):
    token = Token.objects.create(user=portfolio["donor A"])
    client = Client()
    listed = client.get(API, headers={"authorization": f"Token {token.key}"}).json()
    assert {row["slug"] for row in listed["results"]} == MAY_SEE["donor A"]
    refused = client.get(API, headers={"authorization": "Token not-a-token", "accept-language": "en"})
    assert refused.status_code == 401 and refused["WWW-Authenticate"] == "Token"
    assert "Invalid token" in refused.json()["detail"]


def test_writes_are_not_allowed_even_for_staff(portfolio):
    client = client_for(portfolio["staff"])
    assert client.post(API, {"title": "New"}, content_type="application/json").status_code == 405
    assert client.delete(f"{API}public/").status_code == 405


def rfr():
    innovation = InnovationFactory(
        slug="rfr",
        title="Microseguro simplificado",
        title_en="Simplified micro-insurance",
        started_on=datetime.date(2008, 9, 1),
        countries=["EC"],
    )
    indicator = IndicatorFactory(innovation=innovation, name="Clientes asegurados", name_en="Insured clients")
    TargetFactory(indicator=indicator, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, measured_on=datetime.date(2011, 3, 31), value=Decimal(51000))
    ContributionFactory(innovation=innovation, funder=FunderFactory(name="HIVOS"), amount=Decimal(1000))
    return innovation


def test_one_innovation_has_its_indicators_targets_progress_and_projection_in_the_asked_language(client):
    rfr()
    english = client.get(f"{API}rfr/", headers={"accept-language": "en"})
    assert english["Content-Language"] == "en"
    data = english.json()
    assert data["title"] == "Simplified micro-insurance"
    assert data["health"] == {"code": "missed", "label": "Missed"}
    assert data["page"].endswith("/en/pilots/rfr/")
    [clients] = data["indicators"]
    assert clients["name"] == "Insured clients"
    assert (Decimal(str(clients["actual"])), Decimal(str(clients["percent"]))) == (Decimal(51000), Decimal("87.2"))
    assert clients["targets"] == [
        {
            "stage": {"code": "pilot", "label": "Pilot"},
            "value": clients["targets"][0]["value"],
            "due_date": "2010-12-31",
            "current": True,
        }
    ]
    assert Decimal(str(clients["targets"][0]["value"])) == Decimal(58500)
    assert clients["projection"]["reached_on"] == "2011-08-17"
    assert [(f["funder"], Decimal(str(f["amount"]))) for f in data["funding"]] == [("HIVOS", Decimal(1000))]
    spanish = client.get(f"{API}rfr/", headers={"accept-language": "es"}).json()
    assert (spanish["title"], spanish["health"]["label"]) == ("Microseguro simplificado", "No cumplida")


def test_decimals_are_json_numbers_rounded_as_the_page_rounds_them(client):
    """Two MFIs' satisfaction, 90 of 100 and 40 of 50: 130 of 150 is 86.666… %, which the page
    shows as 86.7 % and the API answers as the number 86.7, as its schema declares."""
    innovation = rfr()
    satisfied = IndicatorFactory(innovation=innovation, name="Satisfechos", name_en="Satisfied", unit=Unit.PERCENT)
    TargetFactory(indicator=satisfied, value=Decimal(90), due_date=datetime.date(2011, 12, 31))
    for numerator, denominator in [(90, 100), (40, 50)]:
        MeasurementFactory(
            indicator=satisfied,
            participation=ParticipationFactory(innovation=innovation),
            measured_on=datetime.date(2011, 3, 31),
            value=Decimal(numerator * 100) / denominator,
            numerator=numerator,
            denominator=denominator,
        )
    answer = client.get(f"{API}rfr/", headers={"accept-language": "en"})
    assert b'"actual":86.7,' in answer.content
    indicators = {row["name"]: row for row in answer.json()["indicators"]}
    assert (indicators["Satisfied"]["actual"], indicators["Satisfied"]["percent"]) == (86.7, 96.3)
    assert indicators["Insured clients"]["targets"][0]["value"] == 58500
    assert answer.json()["funding"][0]["amount"] == 1000
    assert "86.7 %" in client.get("/en/pilots/rfr/").content.decode()
    declared = client.get("/api/v1/schema/", {"format": "json"}).json()["components"]["schemas"]
    assert declared["Indicator"]["properties"]["actual"]["type"] == "number"
    assert declared["Funding"]["properties"]["amount"]["type"] == "number"


def test_filters_match_the_list_and_a_bad_value_is_a_clear_400(client):
    rfr()
    InnovationFactory(slug="elsewhere", countries=["NI"])
    ensure_current()
    assert [row["slug"] for row in client.get(API, {"country": "EC"}).json()["results"]] == ["rfr"]
    assert [row["slug"] for row in client.get(API, {"progress": "missed"}).json()["results"]] == ["rfr"]
    bad = client.get(API, {"stage": "launch", "product_line": "insurance"})
    assert bad.status_code == 400
    assert set(bad.json()) == {"stage", "product_line"}
    # As on the list's form, empty is any; an id or a country with nothing gives an empty list.
    assert client.get(API, {"stage": "", "country": "", "product_line": ""}).json()["count"] == 2
    for nothing in ({"product_line": 0}, {"funder": 10**30}, {"country": "PE"}):
        answer = client.get(API, nothing)
        assert (answer.status_code, answer.json()["count"]) == (200, 0), nothing


def test_the_list_query_count_is_flat(client, django_assert_max_num_queries):
    rfr()
    ensure_current()
    with django_assert_max_num_queries(12) as few:
        client.get(API)
    for n in range(10):
        innovation = InnovationFactory(slug=f"more-{n}")
        TargetFactory(indicator=IndicatorFactory(innovation=innovation))
        ContributionFactory(innovation=innovation)
    ensure_current()
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(API).json()["results"]) == 11


def test_the_schema_is_a_valid_openapi_3_document_of_the_portal_api_only(client):
    schema = client.get("/api/v1/schema/", {"format": "json"}).json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        "/api/v1/innovations/",
        "/api/v1/innovations/{slug}/",
        "/api/v1/survey-rounds/",
        "/api/v1/survey-rounds/{code}/",
        "/api/v1/benchmarking/bulletin/",
        "/api/v1/iati/activities.xml",
        "/api/v1/iati/{slug}.xml",
    }
    # The IATI files are XML, declared so (their content is checked against the IATI schema in
    # tests/pilots/test_iati_*.py).
    for path in ("/api/v1/iati/activities.xml", "/api/v1/iati/{slug}.xml"):
        assert set(schema["paths"][path]["get"]["responses"]["200"]["content"]) == {"application/xml"}
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content


def test_building_the_schema_leaves_the_pages_country_filter_working(client):
    """The schema reads the list's filters; the country choices are still the viewer's own after."""
    rfr()
    client.get("/api/v1/schema/")
    form = client.get("/en/pilots/").context["filter"].form
    assert [code for code, _label in form.fields["country"].choices] == ["", "EC"]
    assert [row["slug"] for row in client.get(API, {"country": "EC"}).json()["results"]] == ["rfr"]


def test_an_address_the_api_does_not_have_is_its_json_404(client):
    """A slug with a dot, a round code of another shape, a page that is no number: the API's own
    404 as its schema declares it, not the site's HTML page; a missing slash still redirects."""
    rfr()
    for url in ["/api/v1/innovations/a.b/", "/api/v1/survey-rounds/2025/", "/api/v1/nothing/", f"{API}?page=3_0"]:
        answer = client.get(url, headers={"accept-language": "en"})
        assert (answer.status_code, answer["Content-Type"]) == (404, "application/json"), url
        assert answer.json()["detail"] in ("Not found.", "Invalid page."), url
    assert client.get(f"{API}?page=").json()["count"] == 1  # empty: the first page
    assert client.get(f"{API}rfr").status_code == 301
