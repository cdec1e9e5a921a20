"""How an innovation becomes an IATI 2.03 activity (`pilots.iati`): what keeps it out of the
files, the countries' shares, the contributions as transactions, its status and dates, the
languages of its texts, the identifiers the settings accept — and that the schema and ruleset
checks do refuse a broken file."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from pilots.cycle import Stage
from pilots.iati.validation import problems
from pilots.models import InnovationStatus, MilestoneStatus, Visibility
from portal.accounts.models import Funder
from portal.iati_codes import organisation_identifier
from tests.factories import FunderFactory, ProductLineFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    StageChangeFactory,
    TargetFactory,
)
from tests.pilots.iati_fixtures import REF

pytestmark = pytest.mark.django_db

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def innovation(association, line):
    """A public innovation ready to publish, with nothing else yet."""
    return InnovationFactory(slug="ahorro-movil", title="Ahorro móvil", product_line=line)


def activity_file(client, slug="ahorro-movil", **headers):
    response = client.get(f"/api/v1/iati/{slug}.xml", **headers)
    assert response.status_code == 200, response.content
    assert problems(response.content, today=timezone.localdate()) == []
    return response.content


def activity(client, slug="ahorro-movil"):
    return etree.fromstring(activity_file(client, slug)).find("iati-activity")


def dates(element) -> dict[str, str]:
    return {date.get("type"): date.get("iso-date") for date in element.findall("activity-date")}


EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def refusal(response, status: int) -> tuple[str, list[str]]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.tag == "error"
    return root.findtext("detail"), [item.text for item in root.findall("missing")]


# What keeps an innovation out of the files


def test_without_the_associations_identifier_no_file_is_written(client, association, innovation):
    association.iati_ref = ""
    association.save()
    detail, _missing = refusal(client.get("/api/v1/iati/activities.xml", **EN), 404)
    assert "ready to publish" in detail
    detail, missing = refusal(client.get("/api/v1/iati/ahorro-movil.xml", **EN), 409)
    assert "not ready" in detail
    assert any("IATI organisation identifier" in item for item in missing)


def test_a_product_line_without_sector_or_no_country_keeps_it_out(client, association, line):
    unsectored = ProductLineFactory(code="iati-insurance", name_es="Seguros", name_en="Insurance")
    InnovationFactory(slug="seguro", product_line=unsectored)
    InnovationFactory(slug="sin-pais", product_line=line, countries=[])
    _detail, missing = refusal(client.get("/api/v1/iati/seguro.xml", **EN), 409)
    assert any("Insurance" in item and "DAC sector" in item for item in missing)
    _detail, missing = refusal(client.get("/api/v1/iati/sin-pais.xml", **EN), 409)
    assert any("country" in item for item in missing)
    # Neither is ready: the portfolio file has nothing to carry.
    refusal(client.get("/api/v1/iati/activities.xml", **EN), 404)
    # A staff-only innovation is not even found by the public.
    InnovationFactory(slug="interna", product_line=line, visibility=Visibility.STAFF)
    refusal(client.get("/api/v1/iati/interna.xml", **EN), 404)


# Countries and transactions


def test_several_countries_share_exactly_one_hundred_percent(client, innovation, line):
    innovation.countries = ["EC", "PE", "BO"]
    innovation.save()
    InnovationFactory(slug="solo-ecuador", product_line=line, countries=["EC"])
    countries = {c.get("code"): c.get("percentage") for c in activity(client).findall("recipient-country")}
    assert set(countries) == {"EC", "PE", "BO"}
    assert sorted(countries.values()) == ["33.33", "33.33", "33.34"]
    assert sum(Decimal(share) for share in countries.values()) == 100
    single = activity(client, "solo-ecuador").findall("recipient-country")
    assert [(c.get("code"), c.get("percentage")) for c in single] == [("EC", None)]


def test_public_contributions_are_incoming_commitments_dated_when_their_stage_began(client, innovation):
    andino = FunderFactory(name="Fondo Andino", iati_ref="XM-DAC-41122", iati_type="40")
    local = FunderFactory(name="Cooperativa Local")
    discreet = FunderFactory(name="Donante Discreto")
    StageChangeFactory(innovation=innovation, from_stage=Stage.IDENTIFY, to_stage=Stage.DESIGN, decided_on="2020-06-01")
    StageChangeFactory(innovation=innovation, from_stage=Stage.DESIGN, to_stage=Stage.PILOT, decided_on="2021-03-15")
    ContributionFactory(innovation=innovation, funder=andino, stage=Stage.PILOT, amount=Decimal("15000.00"))
    ContributionFactory(innovation=innovation, funder=local, stage=Stage.DESIGN, amount=Decimal("2500.50"))
    ContributionFactory(innovation=innovation, funder=discreet, stage=Stage.PILOT, amount=None)
    element = activity(client)
    found = {}
    for transaction in element.findall("transaction"):
        provider = transaction.find("provider-org")
        value = transaction.find("value")
        assert transaction.find("transaction-type").get("code") == "11"
        assert value.get("value-date") == transaction.find("transaction-date").get("iso-date")
        found[provider.findtext("narrative")] = (
            transaction.find("transaction-date").get("iso-date"),
            value.text,
            value.get("currency"),
            provider.get("ref"),
        )
    assert found == {
        "Fondo Andino": ("2021-03-15", "15000.00", "USD", "XM-DAC-41122"),
        "Cooperativa Local": ("2020-06-01", "2500.50", "USD", None),
    }
    # The funder whose amount is not public is still named as a funder, with no transaction.
    funding = [org.findtext("narrative") for org in element.findall("participating-org") if org.get("role") == "1"]
    assert funding == ["Cooperativa Local", "Donante Discreto", "Fondo Andino"]


# Status and dates


@pytest.mark.parametrize(
    ("stage", "status", "code"),
    [
        (Stage.IDENTIFY, InnovationStatus.ACTIVE, "1"),
        (Stage.DESIGN, InnovationStatus.ACTIVE, "1"),
        (Stage.PILOT, InnovationStatus.ACTIVE, "2"),
        (Stage.EVALUATE, InnovationStatus.ACTIVE, "2"),
        (Stage.SCALE, InnovationStatus.ACTIVE, "2"),
        (Stage.SCALE, InnovationStatus.COMPLETED, "4"),
        (Stage.PILOT, InnovationStatus.DISCONTINUED, "5"),
        (Stage.DESIGN, InnovationStatus.ON_HOLD, "6"),
    ],
)
def test_activity_status_follows_stage_and_status(client, innovation, stage, status, code):
    innovation.stage, innovation.status = stage, status
    innovation.save()
    assert activity(client).find("activity-status").get("code") == code


def test_start_and_planned_end(client, innovation):
    indicator = IndicatorFactory(innovation=innovation)
    TargetFactory(indicator=indicator, due_date=datetime.date(2022, 1, 1))
    MilestoneFactory(innovation=innovation, planned_date=datetime.date(2023, 9, 30))
    assert dates(activity(client)) == {"2": "2020-01-01", "3": "2023-09-30"}
    TargetFactory(indicator=indicator, stage=Stage.SCALE, due_date=datetime.date(2024, 12, 31))
    assert dates(activity(client)) == {"2": "2020-01-01", "3": "2024-12-31"}


def test_a_start_still_to_come_is_planned(client, innovation):
    soon = timezone.localdate() + datetime.timedelta(days=30)
    innovation.started_on, innovation.stage = soon, Stage.IDENTIFY
    innovation.save()
    MilestoneFactory(innovation=innovation, stage=Stage.IDENTIFY, planned_date=soon + datetime.timedelta(days=90))
    assert dates(activity(client)) == {"1": soon.isoformat(), "3": (soon + datetime.timedelta(days=90)).isoformat()}


def test_a_completed_innovation_ends_at_its_last_milestone_done_or_decision(client, innovation):
    innovation.stage, innovation.status = Stage.SCALE, InnovationStatus.COMPLETED
    innovation.save()
    StageChangeFactory(innovation=innovation, decided_on=datetime.date(2021, 1, 1))
    MilestoneFactory(
        innovation=innovation,
        planned_date=datetime.date(2023, 3, 31),
        status=MilestoneStatus.DONE,
        actual_date=datetime.date(2023, 5, 10),
    )
    MilestoneFactory(innovation=innovation, planned_date=datetime.date(2023, 12, 31))  # never done
    assert dates(activity(client)) == {"2": "2020-01-01", "3": "2023-12-31", "4": "2023-05-10"}
    StageChangeFactory(
        innovation=innovation, from_stage=Stage.EVALUATE, to_stage=Stage.SCALE, decided_on=datetime.date(2024, 2, 1)
    )
    assert dates(activity(client))["4"] == "2024-02-01"


# The checks refuse broken files


@pytest.fixture
def valid_file(client, innovation):
    """A valid file with two countries, an actual end, and a counted indicator."""
    innovation.countries = ["EC", "PE"]
    innovation.status = InnovationStatus.COMPLETED
    innovation.save()
    StageChangeFactory(innovation=innovation, decided_on=datetime.date(2021, 1, 1))
    indicator = IndicatorFactory(innovation=innovation, name="Clientes")
    TargetFactory(indicator=indicator)
    MeasurementFactory(indicator=indicator)
    return activity_file(client)


def _move_sector_first(element):
    country = element.find("recipient-country")
    country.addprevious(element.find("sector"))


def _no_reporting_narrative(element):
    reporting = element.find("reporting-org")
    for narrative in reporting.findall("narrative"):
        reporting.remove(narrative)


def _end_before_start(element):
    end = next(date for date in element.findall("activity-date") if date.get("type") == "4")
    end.set("iso-date", "2019-12-31")


def _shares_50_40(element):
    first, second = element.findall("recipient-country")
    first.set("percentage", "50")
    second.set("percentage", "40")


def _actual_not_a_number(element):
    indicator = next(i for i in element.iter("indicator") if i.get("measure") == "1")
    indicator.find("period/actual").set("value", "abc")


def _foreign_identifier(element):
    element.find("iati-identifier").text = "XM-DAC-41122-ahorro-movil"


@pytest.mark.parametrize(
    ("alter", "reported"),
    [
        (_move_sector_first, "Element 'recipient-country': This element is not expected"),
        (_no_reporting_narrative, "reporting-org has no text"),
        (_end_before_start, "activity-date 4 comes before activity-date 2"),
        (_shares_50_40, "the country percentages add up to 90, not 100"),
        (_actual_not_a_number, "actual value 'abc' is not a number"),
        (_foreign_identifier, "does not start with the reporting organisation's"),
    ],
)
def test_the_checks_report_a_broken_file(valid_file, alter, reported):
    root = etree.fromstring(valid_file)
    alter(root.find("iati-activity"))
    found = problems(etree.tostring(root), today=timezone.localdate())
    assert any(reported in problem for problem in found), found


def test_schema_errors_say_their_line(valid_file):
    root = etree.fromstring(valid_file)
    _move_sector_first(root.find("iati-activity"))
    content = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    found = problems(content, today=timezone.localdate())
    assert len(found) == 1 and found[0].startswith("line "), found
    line = int(found[0].split(":")[0].removeprefix("line "))
    assert content.decode().splitlines()[line - 1].strip().startswith("<recipient-country")


# Languages


def narratives(content: bytes) -> list[tuple[str, str, str]]:
    root = etree.fromstring(content)
    return [(n.getparent().tag, n.get(XML_LANG), n.text) for n in root.iter("narrative")]


def test_the_file_is_written_in_spanish_and_english_whatever_the_reader_asks(client, innovation):
    innovation.title_en, innovation.summary_en = "Mobile savings", "Savings by phone."
    innovation.save()
    ContributionFactory(innovation=innovation, stage=Stage.PILOT)
    IndicatorFactory(innovation=innovation, name="Clientes", name_en="Clients")
    content = activity_file(client, HTTP_ACCEPT_LANGUAGE="es")
    assert narratives(content) == narratives(activity_file(client, HTTP_ACCEPT_LANGUAGE="en"))
    element = etree.fromstring(content).find("iati-activity")

    def texts(path):
        return {n.get(XML_LANG): n.text for n in element.find(path).findall("narrative")}

    assert texts("title") == {"es": "Ahorro móvil", "en": "Mobile savings"}
    # Texts the portal writes itself (the stage paid for, the results' title) are in both languages.
    assert texts("transaction/description") == {"es": "Experimentación en la fase piloto", "en": "Pilot"}
    assert texts("result/title") == {"es": "Resultados de la innovación", "en": "Results of the innovation"}
    assert texts("result/indicator/title") == {"es": "Clientes", "en": "Clients"}


def test_a_refusal_speaks_the_readers_language(client, innovation):
    spanish = client.get("/api/v1/iati/no-existe.xml", HTTP_ACCEPT_LANGUAGE="es")
    english = client.get("/api/v1/iati/no-existe.xml", HTTP_ACCEPT_LANGUAGE="en")
    assert refusal(spanish, 404)[0] == "No se encontró la innovación."
    assert refusal(english, 404)[0] == "No innovation found."
    assert spanish["Content-Language"] == "es" and english["Content-Language"] == "en"
    innovation.countries = []
    innovation.save()
    spanish = client.get("/api/v1/iati/ahorro-movil.xml", HTTP_ACCEPT_LANGUAGE="es")
    english = client.get("/api/v1/iati/ahorro-movil.xml", HTTP_ACCEPT_LANGUAGE="en")
    assert refusal(spanish, 409)[0] == "Esta innovación no está lista para publicarse en IATI."
    assert refusal(english, 409)[0] == "This innovation is not ready to publish in IATI."


# Organisation identifiers


@pytest.mark.parametrize("value", ["EC RUC 123", "rfr", "EC-RUC-123\x01", "EC-RUC-<123>"])
def test_a_malformed_identifier_is_refused(association, value):
    message = str(organisation_identifier.message)
    association.iati_ref = value
    with pytest.raises(ValidationError) as refused:
        association.full_clean()
    assert refused.value.message_dict["iati_ref"] == [message]
    with pytest.raises(ValidationError) as refused:
        Funder(name="Fondo", iati_ref=value).full_clean()
    assert refused.value.message_dict["iati_ref"] == [message]
    assert "EC-RUC-1790012345001" in message


@pytest.mark.parametrize("value", ["EC-RUC-1790012345001", "XM-DAC-41122", "XI-IATI-DEMO-RFR"])
def test_a_well_formed_identifier_is_accepted(association, value):
    association.iati_ref = value
    association.full_clean()
    Funder(name="Fondo", iati_ref=value).full_clean()
    organisation_identifier(value)


def test_the_files_follow_a_change_to_the_settings_at_once(client, innovation, association, line):
    """The files are kept in the cache; what staff change in the settings, a product line or a
    funder is in the next file all the same."""
    portfolio = etree.fromstring(client.get("/api/v1/iati/activities.xml").content)
    assert portfolio.findtext("iati-activity/iati-identifier") == f"{REF}-ahorro-movil"
    assert activity(client).find("sector").get("code") == "24030"

    association.iati_ref = "XM-DAC-99999"
    association.save()
    portfolio = etree.fromstring(client.get("/api/v1/iati/activities.xml").content)
    assert portfolio.findtext("iati-activity/iati-identifier") == "XM-DAC-99999-ahorro-movil"
    assert activity(client).findtext("iati-identifier") == "XM-DAC-99999-ahorro-movil"

    line.dac_sector = "24040"
    line.save()
    assert activity(client).find("sector").get("code") == "24040"


def test_a_control_character_pasted_into_a_text_does_not_break_the_file(client, innovation):
    """XML cannot carry control characters (a vertical tab pasted from a word processor): they
    are left out of the narrative, and the file is still written and valid."""
    innovation.summary = "Ahorro\x0b desde el teléfono\x1f."
    innovation.save()
    description = activity(client).find("description/narrative")
    assert description.text == "Ahorro desde el teléfono."
    assert client.get("/api/v1/iati/activities.xml").status_code == 200


def test_the_actual_is_rounded_as_the_page_rounds_it(client, innovation):
    """Two MFIs' satisfaction without its parts: the mean of 87.0 % and 86.3 % is 86.65 %, shown
    as 86.7 % on the page (halves up) — and so in the file, not 86.6."""
    from tests.pilots.factories import ParticipationFactory

    indicator = IndicatorFactory(innovation=innovation, name="Satisfacción", unit="percent")
    for value in ("87.0", "86.3"):
        MeasurementFactory(
            indicator=indicator, participation=ParticipationFactory(innovation=innovation), value=Decimal(value)
        )
    actual = activity(client).find("result/indicator/period/actual")
    assert actual.get("value") == "86.7"
    page = client.get(f"/en/pilots/{innovation.slug}/").content.decode()
    assert "86.7" in page


def test_the_slug_activities_is_refused_a_file_of_its_own(client, staff_client, association, line):
    """/api/v1/iati/activities.xml is every innovation's file: an innovation with that slug is
    kept out of the files, and staff are told to change the slug, rather than it being unreachable."""
    InnovationFactory(slug="activities", product_line=line)
    refusal(client.get("/api/v1/iati/activities.xml"), 404)  # the portfolio file, with nothing ready in it
    page = staff_client.get("/en/pilots/dashboard/iati/").content.decode()
    assert "is the name of the file of all innovations: change it." in page
