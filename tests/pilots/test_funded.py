"""'Innovations you fund': a donor's landing. Its cards are the innovations its funder contributes
to that it may see; its headline (reach, where they stand, latest news) adds up those cards."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.utils import timezone

from pilots.cycle import Stage
from pilots.models import Counted, MilestoneStatus, Visibility
from tests.factories import DonorFactory, FunderFactory, MemberInstitutionFactory, MemberUserFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    MilestoneFactory,
    ParticipationFactory,
    StageChangeFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
URL = "/en/pilots/dashboard/funded/"


def funded(funder, title: str, *, visibility=Visibility.DONORS, clients=None, target=1000, on=None):
    """An innovation `funder` contributes to, with a clients indicator (target `target`) and,
    when `clients` is given, one figure of it dated `on`."""
    innovation = InnovationFactory(title=title, visibility=visibility, started_on=datetime.date(2020, 1, 1))
    ContributionFactory(innovation=innovation, funder=funder, stage=Stage.PILOT)
    indicator = IndicatorFactory(innovation=innovation, name=f"Clients of {title}", counted=Counted.CLIENTS)
    TargetFactory(indicator=indicator, value=Decimal(target), due_date=timezone.localdate() + datetime.timedelta(400))
    if clients is not None:
        MeasurementFactory(indicator=indicator, value=Decimal(clients), measured_on=on or timezone.localdate())
    return innovation


def page(response) -> BeautifulSoup:
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def cards(soup) -> dict[str, str]:
    """Each card's title and its innovation's status as the card shows it."""
    return {
        card.h3.get_text(strip=True): card.select_one(".card-health .badge").get_text(strip=True)
        for card in soup.select("li.funded-card")
    }


def status_counts(soup) -> dict[str, int]:
    return {
        row.select_one(".badge").get_text(strip=True): int(row.select_one(".count").get_text())
        for row in soup.select("#glance-status li")
    }


def test_a_donor_sees_only_the_innovations_its_funder_pays_for_and_may_see(client):
    hivos, other = FunderFactory(name="HIVOS"), FunderFactory(name="BID")
    client.force_login(DonorFactory(funder=hivos))
    funded(hivos, "Micro-insurance", clients=300)
    funded(hivos, "Micro-pensions", visibility=Visibility.PUBLIC, clients=500)
    funded(hivos, "Internal study", visibility=Visibility.STAFF, clients=900)  # funded, but staff only
    funded(other, "Someone else's", clients=700)
    InnovationFactory(title="Public, not funded")

    soup = page(client.get(URL))

    assert set(cards(soup)) == {"Micro-insurance", "Micro-pensions"}
    assert "Internal study" not in str(soup) and "Someone else" not in str(soup)


def test_the_headline_adds_up_the_cards(client):
    hivos = FunderFactory()
    client.force_login(DonorFactory(funder=hivos))
    today = timezone.localdate()
    funded(hivos, "Ahead", clients=990, on=today)
    funded(hivos, "Behind", clients=10, on=today - datetime.timedelta(days=60))
    funded(hivos, "Not measured")
    # Counts of something else, and percentages, are not added to the clients.
    satisfaction = IndicatorFactory(
        innovation=funded(hivos, "Satisfied", clients=200), name="Satisfied", unit="percent"
    )
    TargetFactory(indicator=satisfaction, value=Decimal(90))
    MeasurementFactory(indicator=satisfaction, value=Decimal(85), measured_on=today)

    soup = page(client.get(URL))

    shown = cards(soup)
    assert len(shown) == 4
    assert status_counts(soup) == dict(Counter(shown.values()))
    reach = soup.select("#glance-reach .glance-figure")
    assert len(reach) == 1  # clients only
    # 990 + 10 + 200 of 4 × 1,000 clients.
    assert " ".join(reach[0].get_text(" ", strip=True).split()) == "Clients 1,200 of 4,000 (30 %)"
    assert "3 of 4 indicators with data" in soup.select_one("#glance-reach").get_text(" ", strip=True)


def test_latest_news_is_the_latest_semester_in_which_something_was_recorded(client):
    hivos = FunderFactory()
    client.force_login(DonorFactory(funder=hivos))
    insurance = funded(hivos, "Micro-insurance", clients=100, on=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=insurance.indicators.get(), value=Decimal(300), measured_on=datetime.date(2011, 3, 31))
    MeasurementFactory(indicator=insurance.indicators.get(), value=Decimal(400), measured_on=datetime.date(2011, 4, 30))
    pensions = funded(hivos, "Micro-pensions")
    StageChangeFactory(
        innovation=pensions, from_stage=Stage.DESIGN, to_stage=Stage.PILOT, decided_on=datetime.date(2011, 2, 1)
    )
    StageChangeFactory(innovation=pensions, from_stage="", to_stage=Stage.DESIGN, decided_on=datetime.date(2009, 1, 1))
    MilestoneFactory(
        innovation=pensions, title="Pilot launched", status=MilestoneStatus.DONE, actual_date=datetime.date(2011, 1, 15)
    )
    MilestoneFactory(
        innovation=pensions, title="Studies", status=MilestoneStatus.DONE, actual_date=datetime.date(2010, 5, 1)
    )
    elsewhere = funded(FunderFactory(), "Not ours", clients=5, on=datetime.date(2012, 1, 1))  # later, not funded
    assert elsewhere

    news = page(client.get(URL)).select_one("#glance-news").get_text(" ", strip=True)
    news = " ".join(news.split())

    assert "Latest news: 2011-S1" in news
    assert "2 new figures: Micro-insurance (2)" in news  # March and April, not December 2010
    assert "Micro-pensions moved to Pilot (02/01/2011)" in news and "Design" not in news
    assert "Micro-pensions: Pilot launched, done on 01/15/2011" in news and "Studies" not in news
    assert "Nothing has been recorded since 04/30/2011." in news


def test_each_card_shows_stage_freshness_and_next_milestone(client):
    hivos = FunderFactory()
    client.force_login(DonorFactory(funder=hivos))
    recent = timezone.localdate() - datetime.timedelta(days=60)  # within the 12 months of "recent"
    insurance = funded(hivos, "Micro-insurance", clients=300, on=recent)
    MilestoneFactory(
        innovation=insurance, title="Launch", status=MilestoneStatus.DONE, actual_date=datetime.date(2021, 1, 1)
    )
    MilestoneFactory(innovation=insurance, title="Evaluation", planned_date=datetime.date(2030, 6, 30))
    MilestoneFactory(innovation=insurance, title="Scale-up", planned_date=datetime.date(2031, 6, 30))

    card = page(client.get(URL)).select_one("li.funded-card")
    text = " ".join(card.get_text(" ", strip=True).split())

    assert card.h3.a["href"] == "/en/pilots/" + insurance.slug + "/"
    assert "Stage 3: Pilot" in text and "You contribute to: Pilot" in text
    health = card.select_one(".card-health").get_text(" ", strip=True)
    assert f"as of {recent:%m/%d/%Y}" in health and "ago" not in health  # recent: no age said
    figure = " ".join(card.select_one(".card-figures li").get_text(" ", strip=True).split())
    assert figure.startswith("Clients of Micro-insurance: 300 of 1,000") and f"as of {recent:%m/%d/%Y}" in figure
    assert "Next milestone: Evaluation, planned for 06/30/2030" in text and "Late" not in text


def test_spanish_landing(client):
    hivos = FunderFactory()
    client.force_login(DonorFactory(funder=hivos))
    funded(hivos, "Microseguro", clients=300)
    response = client.get("/pilots/dashboard/funded/")
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    assert page(response).select_one("li.funded-card h3").get_text(strip=True) == "Microseguro"


def test_members_are_refused_and_anonymous_readers_asked_to_sign_in(client):
    institution = MemberInstitutionFactory()
    member = MemberUserFactory(institution=institution)
    ParticipationFactory(innovation=funded(FunderFactory(), "Ours"), institution=institution)

    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/en/accounts/login/?next=")

    client.force_login(member)
    assert client.get(URL).status_code == 403


def test_staff_choose_a_funder_and_see_all_it_pays_for(staff_client):
    hivos = FunderFactory(name="HIVOS")
    funded(hivos, "Internal study", visibility=Visibility.STAFF)
    funded(FunderFactory(name="BID"), "Someone else's")

    chooser = page(staff_client.get(URL))
    assert not chooser.select("li.funded-card")
    assert "HIVOS" in chooser.select_one("select#id_funder").get_text()

    assert set(cards(page(staff_client.get(URL, {"funder": hivos.pk})))) == {"Internal study"}
    assert not page(staff_client.get(URL, {"funder": "99999999999999999999"})).select("li.funded-card")


def test_donors_land_on_it_when_they_sign_in_and_others_on_the_home_page():
    funder = FunderFactory()
    DonorFactory(username="carmen", funder=funder)
    MemberUserFactory(username="luis")

    def sign_in(username, path="/en/accounts/login/", **extra) -> str:
        response = Client().post(path, {"username": username, "password": "pw", **extra})
        assert response.status_code == 302
        return response["Location"]

    assert sign_in("carmen") == "/en/pilots/dashboard/funded/"
    assert sign_in("carmen", "/accounts/login/") == "/pilots/dashboard/funded/"
    assert sign_in("carmen", next="/en/") == "/en/pilots/dashboard/funded/"  # "Log in" on the home page
    assert sign_in("carmen", next="/en/pilots/") == "/en/pilots/"  # back where they were
    assert sign_in("luis") == "/"
    assert sign_in("luis", next="/en/") == "/en/"


def test_the_menu_leads_donors_to_it(client):
    client.force_login(DonorFactory())
    assert 'href="/en/pilots/dashboard/funded/"' in client.get("/en/pilots/").content.decode()
    client.force_login(MemberUserFactory())
    assert "/pilots/dashboard/funded/" not in client.get("/en/pilots/").content.decode()


def test_query_count_does_not_grow_with_the_innovations(client, django_assert_num_queries):
    from pilots.progress import ensure_current

    hivos = FunderFactory()
    client.force_login(DonorFactory(funder=hivos))

    def one_more(n):
        innovation = funded(hivos, f"Innovation {n}", clients=100 + n)
        MilestoneFactory(innovation=innovation, title="Next")
        MilestoneFactory(innovation=innovation, status=MilestoneStatus.DONE, actual_date=timezone.localdate())
        StageChangeFactory(innovation=innovation, decided_on=timezone.localdate())

    one_more(0)
    ensure_current()
    # session, user and its funder, the innovations, their indicators (stored progress: no query, current),
    # contributions, milestones and stage decisions, reach, the latest figure's date, the news's figures
    with django_assert_num_queries(11) as few:
        client.get(URL)
    for n in range(1, 8):
        one_more(n)
    ensure_current()
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert len(cards(page(response))) == 8


def test_a_card_says_how_old_its_figures_are(client):
    hivos = FunderFactory()
    client.force_login(DonorFactory(funder=hivos))
    funded(hivos, "Micro-insurance", clients=300, on=timezone.localdate() - datetime.timedelta(days=3 * 365))

    health = page(client.get(URL)).select_one("li.funded-card .card-health").get_text(" ", strip=True)

    assert "No recent data" in health and "years ago" in health
