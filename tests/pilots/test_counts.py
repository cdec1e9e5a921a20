"""Every count and sum the portal shows counts each innovation once.

A member whose MFI takes part in many innovations, next to other MFIs, and a donor whose
funder pays for several stages of many: visibility decided by a join would repeat an
innovation once per participation or contribution (the home page once told the member 20
pilots out of 5). Whatever page, download or API answer a role reads — the home page's
cycle, the list, the dashboard and its downloads, the semester report, the API — it counts
and adds up exactly the innovations that role may see.
"""

import datetime
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client

from pilots.cycle import Stage
from pilots.models import Counted, Visibility
from tests.downloads import english_rows
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
from tests.research.fixtures import home, locales  # noqa: F401

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "member", "donor", "staff"]
STAGES = list(Stage)
FUNDER = "Donor's funder"


@dataclass
class Shown:
    """One innovation of the portfolio and what the pages should count of it."""

    slug: str
    title: str
    stage: str
    country: str
    line: str
    target: Decimal
    seen_by: set[str]
    funding: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # (funder, stage) → amount


@pytest.fixture
def portfolio(home):  # noqa: F811
    """Ten innovations. Each has three or four participating MFIs and several contributions
    (the donor's funder pays two or three stages of some), so that a join on either would
    repeat it: public ones (everyone), restricted ones the member's MFI takes part in,
    restricted ones the donor's funder pays for, one both, one neither, one for staff only."""
    mfi, other_mfis = MemberInstitutionFactory(name="Mine"), [MemberInstitutionFactory() for _ in range(3)]
    funder, other_funder = FunderFactory(name=FUNDER), FunderFactory(name="Another funder")
    lines = [ProductLineFactory(code="insurance", name_en="Insurance"), ProductLineFactory(code="savings")]
    everyone = set(ROLES)
    plan = [
        # (visibility, the member's MFI takes part, stages the donor's funder pays, who may see it)
        (Visibility.PUBLIC, True, ["pilot", "scale"], everyone),
        (Visibility.PUBLIC, True, ["design"], everyone),
        (Visibility.PUBLIC, False, [], everyone),
        (Visibility.DONORS, True, [], {"member", "staff"}),
        (Visibility.DONORS, True, [], {"member", "staff"}),
        (Visibility.DONORS, False, ["identify", "design", "pilot"], {"donor", "staff"}),
        (Visibility.DONORS, False, ["pilot", "evaluate"], {"donor", "staff"}),
        (Visibility.DONORS, True, ["pilot", "scale"], {"member", "donor", "staff"}),
        (Visibility.DONORS, False, [], {"staff"}),
        (Visibility.STAFF, True, ["pilot", "scale"], {"staff"}),
    ]
    shown = []
    for n, (visibility, taking_part, paid, seen_by) in enumerate(plan):
        item = Shown(
            slug=f"innovation-{n}",
            title=f"Innovation {n:02d}",
            stage=STAGES[n % 3 + 1].value,  # design, pilot, evaluate: several in each
            country=["EC", "NI", "PE"][n % 3],
            line=lines[n % 2].code,
            target=Decimal(1000 * (n + 1)),
            seen_by=seen_by,
        )
        innovation = InnovationFactory(
            slug=item.slug,
            title=item.title,
            stage=item.stage,
            countries=[item.country],
            product_line=lines[n % 2],
            visibility=visibility,
            started_on=datetime.date(2020, 1, 1),
        )
        for institution in [mfi, *other_mfis] if taking_part else other_mfis:
            ParticipationFactory(innovation=innovation, institution=institution)
        for k, stage in enumerate(paid):
            amount = Decimal(10_000 * (n + 1) + 1000 * k)
            ContributionFactory(innovation=innovation, funder=funder, stage=stage, amount=amount)
            item.funding[(funder.name, stage)] = amount
        for stage in ("design", "pilot"):
            ContributionFactory(innovation=innovation, funder=other_funder, stage=stage, amount=Decimal(500))
            item.funding[(other_funder.name, stage)] = Decimal(500)
        indicator = IndicatorFactory(innovation=innovation, name="Clients", name_en="Clients", counted=Counted.CLIENTS)
        TargetFactory(indicator=indicator, stage=item.stage, value=item.target, due_date=datetime.date(2022, 1, 1))
        MeasurementFactory(indicator=indicator, measured_on=datetime.date(2021, 3, 31), value=Decimal(100 * n))
        shown.append(item)
    users = {
        "anonymous": None,
        "member": MemberUserFactory(institution=mfi),
        "donor": DonorFactory(funder=funder),
        "staff": StaffFactory(),
    }
    return users, shown


def visible(shown: list[Shown], role: str) -> list[Shown]:
    return [item for item in shown if role in item.seen_by]


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def csv(client, url, **params) -> list[dict]:
    header, *rows = english_rows(client.get(url, params))
    return [dict(zip(header, row, strict=True)) for row in rows]


@pytest.mark.parametrize("role", ROLES)
def test_every_count_and_sum_counts_each_visible_innovation_once(portfolio, role):
    users, shown = portfolio
    mine = visible(shown, role)
    assert len(mine) == {"anonymous": 3, "member": 6, "donor": 6, "staff": 10}[role]  # the plan above
    by_stage = Counter(item.stage for item in mine)
    client = client_for(users[role])

    # The home page's cycle: innovations per stage.
    html = page(client, "/en/")
    cycle = html[html.index('id="cycle-h"') :]
    strip = dict(re.findall(r'\?stage=(\w+)">.*?</a><br>\s*<span class="meta">(\d+) innovations?<', cycle, re.S))
    assert {stage: int(n) for stage, n in strip.items()} == {s.value: by_stage[s.value] for s in Stage}

    # The list: the count it states and its rows, unfiltered and filtered.
    html = page(client, "/en/pilots/")
    assert f"{len(mine)} innovations</p>" in html
    assert set(re.findall(r'<a href="/en/pilots/([\w-]+)/"><strong>', html)) == {item.slug for item in mine}
    html = page(client, "/en/pilots/", stage="pilot")
    assert f">{by_stage['pilot']} innovation" in html
    assert len(re.findall(r'<a href="/en/pilots/[\w-]+/"><strong>', html)) == by_stage["pilot"]

    # The dashboard: its stage table, and every breakdown as downloaded.
    dashboard = "/en/pilots/dashboard/"
    html = page(client, dashboard)
    stage_table = html[html.index('id="stages-h"') : html.index('id="health-h"')]
    assert [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', stage_table)] == [
        by_stage[s.value] for s in Stage
    ]
    stages = csv(client, dashboard, format="csv", table="stages")
    assert [int(row["Innovations"]) for row in stages] == [by_stage[s.value] for s in Stage]
    health = csv(client, dashboard, format="csv", table="health")
    assert sum(int(row["Innovations"]) for row in health) == len(mine)
    countries = csv(client, dashboard, format="csv", table="countries")
    assert {row["Code"]: int(row["Innovations"]) for row in countries} == Counter(item.country for item in mine)
    product_lines = csv(client, dashboard, format="csv", table="product-lines")
    assert sorted(int(row["Innovations"]) for row in product_lines) == sorted(
        Counter(item.line for item in mine).values()
    )
    [reach] = csv(client, dashboard, format="csv", table="reach")
    assert (int(reach["Innovations"]), int(reach["Indicators"])) == (len(mine), len(mine))
    assert Decimal(reach["Target"]) == sum(item.target for item in mine)
    funding = defaultdict(Decimal)
    for item in mine:
        for (funder, _stage), amount in item.funding.items():
            funding[funder] += amount
    downloaded = csv(client, dashboard, format="csv", table="funding")
    assert {row["Funder"]: Decimal(row["Amount"]) for row in downloaded} == funding
    by_stage_funding = {
        (row["Funder"], row["Stage"]): Decimal(row["Amount"])
        for row in csv(client, dashboard, format="csv", table="funding-by-stage")
    }
    expected = defaultdict(Decimal)
    for item in mine:
        for (funder, stage), amount in item.funding.items():
            expected[(funder, str(Stage(stage).label))] += amount
    assert by_stage_funding == expected
    targets = csv(client, dashboard, format="csv")
    assert sorted(row["Innovation"] for row in targets) == sorted(item.title for item in mine)

    if role == "donor":  # its landing: the innovations its funder pays for, by status, each once
        funded = [item for item in mine if any(funder == FUNDER for funder, _stage in item.funding)]
        html = page(client, "/en/pilots/dashboard/funded/")
        by_status = re.findall(r'<li data-status="\w+"><span class="count">(\d+)</span>', html)
        assert sum(int(n) for n in by_status) == len(funded) == 5

    # The semester report of the portfolio: one section per innovation.
    html = page(client, "/en/pilots/reports/2021-S1/")
    assert sorted(re.findall(r'<section[^>]* id="innovation-([\w-]+)"', html)) == sorted(item.slug for item in mine)

    # The API: its count and its rows, unfiltered and filtered.
    api = client.get("/api/v1/innovations/").json()
    assert api["count"] == len(mine)
    assert sorted(row["slug"] for row in api["results"]) == sorted(item.slug for item in mine)
    assert client.get("/api/v1/innovations/", {"stage": "pilot"}).json()["count"] == by_stage["pilot"]
