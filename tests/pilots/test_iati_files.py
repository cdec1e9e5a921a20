"""The IATI activity file of the demo's RFR case (pilots/demo/cases/rfr.toml) as a donor's system
reads it: who does what, the four indicators with the network's figures per month, and only
figures that count — an MFI report waiting for review is not in it until staff approve it.

The figures expected below are worked out from rfr.toml's `[reporting]`, not read from the code."""

import datetime
from decimal import Decimal
from unittest import mock
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from lxml import etree
from wagtail.models import Site

from pilots.demo import files
from pilots.iati.validation import problems
from pilots.models import Innovation, MFIReport, ReportState
from portal.accounts.models import ProductLine, User
from portal.models import AssociationSettings

URL = "/api/v1/iati/rfr-microseguros.xml"
RFR = files.case("rfr")
PLAN = RFR["reporting"]
INSURED, SATISFACTION, DAYS, MFIS = (
    "Insured clients",
    "Client satisfaction",
    "Days to process a claim in the insurer's province (8 outside it)",
    "MFIs offering the micro-insurance",
)


def iati_file(client, url: str, **headers) -> etree._Element:
    """The file at `url`, checked as IATI would: 200, XML, the 2.03 schema and the ruleset."""
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml"
    assert problems(response.content, today=timezone.localdate()) == []
    return etree.fromstring(response.content)


def narratives(element) -> dict[str, str]:
    """An element's narratives by language."""
    return {n.get("{http://www.w3.org/XML/1998/namespace}lang"): n.text for n in element.findall("narrative")}


def indicators(activity) -> dict[str, etree._Element]:
    """The activity's indicators by English title."""
    return {narratives(i.find("title"))["en"]: i for i in activity.iter("indicator")}


def periods(indicator) -> dict[tuple[str, str], tuple[str | None, str]]:
    """(start, end) of each period: (target, actual)."""
    found = {}
    for period in indicator.findall("period"):
        target = period.find("target")
        key = (period.find("period-start").get("iso-date"), period.find("period-end").get("iso-date"))
        found[key] = (target.get("value") if target is not None else None, period.find("actual").get("value"))
    return found


def mfi_clients(share: str) -> list[int]:
    """Each MFI's insured clients in a month: its March figure times the month's share, rounded to
    tens as rfr.toml says (halves to the even ten, as Decimal rounds: 3,325 → 3,320)."""
    return [int((march * Decimal(share) / 10).quantize(Decimal(1)) * 10) for march in PLAN["march_clients"]]


MONTHS = {month["period"]: mfi_clients(month["share_of_march"]) for month in PLAN["months"]}


@pytest.fixture
def rfr(db) -> Innovation:
    """The network (portal.demo), the RFR case and its MFIs' monthly reports, as the demo loads them."""
    from pilots.demo import case, english, reporting
    from pilots.models import SelectionCriterion
    from portal import demo as network

    network.load()
    for criterion in files.shared()["criteria"]:
        names = {"name_es": criterion["name_es"], "name_en": criterion["name_en"]}
        SelectionCriterion.objects.update_or_create(code=criterion["code"], defaults=names)
    staff = User.objects.get(username="staff")
    case.write(RFR, staff)
    reporting.load(staff)
    english.translate()
    association = AssociationSettings.for_site(Site.objects.get(is_default_site=True))
    assert (association.iati_ref, association.iati_type) == ("XI-IATI-DEMO-RFR", "22")
    assert ProductLine.objects.get(code=RFR["product_line"]).dac_sector == "24040"
    return Innovation.objects.get(slug=RFR["slug"])


def test_the_figures_expected_add_up_as_the_seed_says():
    """The hand check of the numbers the tests below expect: January is 0.90 × 51,000 exactly;
    February's 0.95 × 51,000 = 48,450 becomes 48,460 once each MFI is rounded to tens."""
    assert sum(MONTHS[datetime.date(2011, 3, 1)]) == 51000
    assert sum(MONTHS[datetime.date(2011, 1, 1)]) == 45900
    assert sum(MONTHS[datetime.date(2011, 2, 1)]) == 48460
    assert sum(PLAN["satisfied"]) * 100 / sum(PLAN["surveyed"]) == 87


def test_anyone_downloads_rfr_as_a_valid_activity_that_says_who_does_what(rfr, client):
    activity = iati_file(client, URL).find("iati-activity")

    assert activity.findtext("iati-identifier") == "XI-IATI-DEMO-RFR-rfr-microseguros"
    reporting_org = activity.find("reporting-org")
    assert (reporting_org.get("ref"), reporting_org.get("type")) == ("XI-IATI-DEMO-RFR", "22")
    assert narratives(activity.find("title")) == {"es": RFR["title"], "en": RFR["title_en"]}
    assert narratives(activity.find("description")) == {"es": RFR["summary"], "en": RFR["summary_en"]}

    orgs = [(org.get("role"), org.get("ref"), narratives(org)["es"]) for org in activity.findall("participating-org")]
    funders = {name for role, _ref, name in orgs if role == "1"}
    assert funders == {row["funder"] for row in RFR["contributions"]}  # HIVOS, RFR, OIT: once each
    assert len([role for role, *_ in orgs if role == "1"]) == 3
    implementing = [(ref, name) for role, ref, name in orgs if role == "4"]
    assert ("XI-IATI-DEMO-RFR", "Red Financiera Rural (RFR)") in implementing  # the association
    mfis = {name for ref, name in implementing if ref is None}
    assert mfis == {row["institution"] for row in RFR["participants"]} and len(mfis) == 10

    assert [c.get("code") for c in activity.findall("recipient-country")] == ["EC"]
    assert [(s.get("vocabulary"), s.get("code")) for s in activity.findall("sector")] == [("1", "24040")]
    links = {urlparse(link.get("url")).path: link for link in activity.findall("document-link")}
    for link in links.values():
        assert urlparse(link.get("url")).scheme in ("http", "https") and urlparse(link.get("url")).netloc
    # The page and the semester report in each language, each link titled and tagged in its own.
    page, english_page = links["/pilots/rfr-microseguros/"], links["/en/pilots/rfr-microseguros/"]
    assert page.get("format") == english_page.get("format") == "text/html"
    assert narratives(page.find("title")) == {"es": RFR["title"]}
    assert narratives(english_page.find("title")) == {"en": RFR["title_en"]}
    assert [language.get("code") for language in english_page.findall("language")] == ["en"]
    report = links["/pilots/rfr-microseguros/reports/2011-S1.pdf"]
    english_report = links["/en/pilots/rfr-microseguros/reports/2011-S1.pdf"]
    assert report.get("format") == english_report.get("format") == "application/pdf"
    assert "2011" in narratives(english_report.find("title"))["en"]
    # The pages a donor is sent to are there for anyone (the innovation is public).
    assert client.get(page.get("url")).status_code == 200
    assert client.get(english_page.get("url")).status_code == 200


def test_rfr_carries_its_four_indicators_with_the_networks_figures_and_no_mfis_own(rfr, client):
    activity = iati_file(client, URL).find("iati-activity")
    found = indicators(activity)
    assert list(found) == [INSURED, SATISFACTION, DAYS, MFIS]
    spanish = {row["name_en"]: row["name"] for row in RFR["indicators"]}
    for name, indicator in found.items():
        assert narratives(indicator.find("title")) == {"es": spanish[name], "en": name}
    assert {name: i.get("measure") for name, i in found.items()} == {
        INSURED: "1",
        SATISFACTION: "2",
        DAYS: "1",
        MFIS: "1",
    }
    assert {name: i.get("ascending") for name, i in found.items()} == {
        INSURED: "1",
        SATISFACTION: "1",
        DAYS: "0",
        MFIS: "1",
    }

    # Insured clients: the ten MFIs' reports summed month by month; the pilot's target of 58,500
    # (the innovation was in the pilot stage then).
    assert periods(found[INSURED]) == {
        ("2011-01-01", "2011-01-31"): ("58500", str(sum(MONTHS[datetime.date(2011, 1, 1)]))),
        ("2011-02-01", "2011-02-28"): ("58500", str(sum(MONTHS[datetime.date(2011, 2, 1)]))),
        ("2011-03-01", "2011-03-31"): ("58500", "51000"),
    }
    march = periods(found[SATISFACTION])[("2011-03-01", "2011-03-31")]
    assert march == ("90", "87")  # 435 of 500 clients surveyed, against the pilot's 90 %
    assert periods(found[DAYS]) == {("2011-03-01", "2011-03-31"): ("5", "5")}
    mfis = periods(found[MFIS])
    assert mfis[("2011-03-01", "2011-03-31")][1] == "10"
    assert mfis[("2010-01-01", "2010-01-31")][1] == "4"
    assert found[MFIS].find("baseline").get("value") == "4"

    # No MFI's own figure is written: none of any month's per-MFI client numbers is a value.
    values = {e.get("value") for tag in ("baseline", "target", "actual") for e in activity.iter(tag)}
    per_mfi = {str(n) for month in MONTHS.values() for n in month}
    network_totals = {str(sum(month)) for month in MONTHS.values()}
    assert not per_mfi & network_totals  # so that the check below can fail
    assert values & network_totals == network_totals
    assert not values & per_mfi


def test_an_mfi_report_counts_in_the_file_only_once_staff_approve_it(rfr, client):
    waiting = MFIReport.objects.get(participation__innovation=rfr, state=ReportState.SUBMITTED)
    assert waiting.period_start == PLAN["awaiting_review"]["period"] == datetime.date(2011, 4, 1)
    april = ("2011-04-01", "2011-04-30")
    before = iati_file(client, URL).find("iati-activity")
    assert april not in periods(indicators(before)[INSURED])
    assert april not in periods(indicators(before)[SATISFACTION])

    from pilots.reporting.services import report_approve

    report_approve(report=waiting, user=User.objects.get(username="staff"))

    after = iati_file(client, URL).find("iati-activity")
    # The last MFI's 2,000 clients of March are 2,040 in April; the nine others stay at March's.
    last_mfi_april = mfi_clients(PLAN["awaiting_review"]["share_of_march"])[-1]
    assert last_mfi_april == 2040
    assert periods(indicators(after)[INSURED])[april] == ("58500", str(51000 - 2000 + last_mfi_april))
    assert periods(indicators(after)[SATISFACTION])[april] == ("90", "87")  # the same 13 of 15 surveyed
    assert str(last_mfi_april) not in {e.get("value") for e in after.iter("actual")}


def test_new_results_move_the_activitys_last_updated_datetime(rfr, client):
    """IATI readers (the datastore, donors' systems) re-read an activity when its
    last-updated-datetime moves: a new approved figure changes the activity's results, so the
    file is written again, dated when it was written."""
    from pilots.reporting.services import report_approve

    before_file = etree.fromstring(client.get(URL).content)
    before = before_file.find("iati-activity")
    assert before.get("last-updated-datetime") == before_file.get("generated-datetime")
    waiting = MFIReport.objects.get(participation__innovation=rfr, state=ReportState.SUBMITTED)
    with mock.patch("pilots.iati.activity.timezone.now", return_value=timezone.now() + datetime.timedelta(minutes=5)):
        report_approve(report=waiting, user=User.objects.get(username="staff"))
        after_file = etree.fromstring(client.get(URL).content)
    after = after_file.find("iati-activity")
    assert len(after.findall(".//period")) > len(before.findall(".//period"))
    assert after.get("last-updated-datetime") > before.get("last-updated-datetime")


def test_the_spanish_narratives_the_portal_writes_are_in_spanish(rfr, client):
    """The titles the portal itself writes (the results', the semester report's) read in each language."""
    activity = iati_file(client, URL).find("iati-activity")
    results = narratives(activity.find("result/title"))
    assert results == {"es": "Resultados de la innovación", "en": "Results of the innovation"}
    pdf = [link for link in activity.findall("document-link") if link.get("format") == "application/pdf"]
    assert [narratives(link.find("title")) for link in pdf] == [
        {"es": "Informe semestral, enero–junio de 2011"},
        {"en": "Semester report, January–June 2011"},
    ]
    baseline = activity.find("result/indicator/baseline")
    assert narratives(baseline.find("comment"))["es"].startswith("La primera cifra")
