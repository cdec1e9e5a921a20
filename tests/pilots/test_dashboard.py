"""The progress dashboard: only what the viewer may see, the same numbers in chart, table and CSV."""

import contextlib
import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from pilots.models import Measurement, Visibility
from pilots.progress import ensure_current
from pilots.views.portfolio import DASHBOARD_PAGE_SIZE
from tests.factories import FunderFactory
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
URL = "/en/pilots/dashboard/"


def targets(response) -> list[dict]:
    """The rows of the dashboard's targets table (its current page)."""
    return response.context["page"].object_list


def with_target(title, visibility=Visibility.PUBLIC, actual=51000, target=58500):
    innovation = InnovationFactory(title=title, visibility=visibility, started_on=datetime.date(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation, name=f"Clients of {title}")
    TargetFactory(indicator=indicator, value=Decimal(target), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=indicator, value=Decimal(actual), measured_on=datetime.date(2011, 3, 31))
    return innovation


def test_dashboard_counts_stages_and_lists_targets_against_actuals(client):
    with_target("RFR")
    response = client.get(URL)
    summary = response.context["summary"]
    assert {row["stage"]: row["count"] for row in summary["by_stage"]}["pilot"] == 1
    assert [(r["innovation"].title, r["progress"].percent) for r in targets(response)] == [("RFR", Decimal("87.2"))]
    html = response.content.decode()
    assert "51,000" in html and "58,500" in html and 'data-figure="figure-progress"' in html


def test_donor_dashboard_shows_public_and_funded_only(donor_client, donor_user):
    with_target("Public")
    funded = with_target("Funded", visibility=Visibility.DONORS)
    ContributionFactory(innovation=funded, funder=donor_user.funder, amount=Decimal(5000), currency="USD")
    with_target("Someone else's", visibility=Visibility.DONORS)
    with_target("Internal", visibility=Visibility.STAFF)
    response = donor_client.get(URL)
    summary = response.context["summary"]
    assert {r["innovation"].title for r in targets(response)} == {"Public", "Funded"}
    assert summary["funding"] == [{"funder": donor_user.funder.name, "currency": "USD", "amount": Decimal(5000)}]


def test_dashboard_csv_has_the_table_numbers(client):
    with_target("RFR")
    lines = client.get(URL, {"format": "csv"}).content.decode().splitlines()
    assert lines[0].startswith("Innovation,Stage,Indicator,Target,Due date,Actual")
    # Missed (due at the end of 2010); at the pace since September 2008 (51,000 in 941 days)
    # the 58,500 would have been reached on 17 August 2011.
    assert lines[1].split(",") == [
        "RFR",
        "Pilot",
        "Clients of RFR",
        "58500",
        "12/31/2010",
        "51000",
        "03/31/2011",
        "87.2",
        "Missed",
        "",
        "08/17/2011",
        "",  # no report overdue: no reporting plan, and the target has a figure
        "",
    ]


def test_dashboard_query_count_is_flat(client, django_assert_max_num_queries):
    priced(with_target("First"))
    ensure_current()
    # stages, health, reach, product lines, countries, funding (by funder, by stage), targets, late milestones;
    # pricing warning signs (stored with the progress: one query);
    # where the page's figures come from (their measurements, with MFI and approver)
    with django_assert_max_num_queries(21) as few:
        client.get(URL)
    for n in range(10):
        priced(with_target(f"More {n}"))
    ensure_current()
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)


def priced(innovation):
    """Product terms quoted flat, and a participant with ratios: a warning sign of each kind."""
    from pilots import services
    from pilots.models import InstitutionRatio
    from tests.factories import StaffFactory
    from tests.pilots.factories import ParticipationFactory

    services.product_terms_save(
        innovation=innovation,
        user=StaffFactory(),
        name="Flat",
        country="EC",
        amount=Decimal(1000),
        term=12,
        rate=Decimal(3),
        method="flat",
    )
    participation = ParticipationFactory(innovation=innovation)
    InstitutionRatio.objects.create(institution=participation.institution, year=2011, claims_ratio=10, source="x")


def test_bringing_stored_progress_up_to_date_takes_the_same_queries_for_one_or_many(
    django_assert_num_queries, django_assert_max_num_queries
):
    with_target("First")
    with CaptureQueriesContext(connection) as one:
        assert ensure_current() == 1
    for n in range(10):
        with_target(f"More {n}")
    with django_assert_num_queries(len(one.captured_queries)):
        assert ensure_current() == 10
    with django_assert_max_num_queries(1):
        assert ensure_current() == 0  # nothing changed: at most one query finds nothing to do


@contextlib.contextmanager
def measurement_rows_loaded():
    """Counts Measurement objects built from query results, and keeps the SQL that ran."""
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=Measurement)
    try:
        with CaptureQueriesContext(connection) as queries:
            yield loaded, queries
    finally:
        post_init.disconnect(count, sender=Measurement)


def with_many_measurements(title, n=300):
    innovation = with_target(title)
    indicator = innovation.indicators.get()
    start = datetime.date(2009, 1, 1)
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            measured_on=start + datetime.timedelta(days=i),
            value=Decimal(i),
            source="Monthly report",
            submission_key=uuid.uuid4(),
        )
        for i in range(n)
    )
    return innovation


@pytest.mark.parametrize(
    "url, params",
    [(URL, {}), (URL, {"format": "csv"}), ("/en/pilots/", {"progress": "at_risk"})],
    ids=["dashboard", "dashboard-csv", "progress-filter"],
)
def test_progress_reads_one_row_per_indicator_not_every_measurement(client, url, params):
    with_many_measurements("Busy")
    with measurement_rows_loaded() as (loaded, queries):
        response = client.get(url, params)
    assert response.status_code == 200
    table = Measurement._meta.db_table
    whole_rows = [q["sql"] for q in queries.captured_queries if f'"{table}"."source"' in q["sql"]]
    if url == URL and not params:
        # Only the trust signals of the figures shown ("where this figure comes from"): the
        # measurements dated on each actual's date, in one query, not the indicator's history.
        assert [m.measured_on for m in loaded] == [datetime.date(2011, 3, 31)]
        assert len(whole_rows) == 1
        return
    assert loaded == []
    # No query selects measurement columns that only whole rows need.
    assert not whole_rows


def test_dashboard_and_csv_show_the_database_actual(client):
    with_many_measurements("Busy", n=5)  # the 2011 reading of 51,000 stays the latest
    assert [(r["progress"].actual, r["progress"].percent) for r in targets(client.get(URL))] == [
        (Decimal("51000.00"), Decimal("87.2"))
    ]
    assert client.get(URL, {"format": "csv"}).content.decode().splitlines()[1].split(",")[5] == "51000"


def many_targets(count):
    innovation = InnovationFactory(title="Wide", started_on=datetime.date(2020, 1, 1))
    for n in range(count):
        indicator = IndicatorFactory(innovation=innovation, name=f"Indicator {n:03d}", order=n)
        TargetFactory(indicator=indicator, value=Decimal(100))
    return innovation


def test_dashboard_table_is_paginated_and_the_csv_has_every_row(client):
    many_targets(DASHBOARD_PAGE_SIZE + 5)
    first = client.get(URL)
    assert len(first.context["page"].object_list) == DASHBOARD_PAGE_SIZE
    assert "Indicator 000" in first.content.decode() and "Indicator 034" not in first.content.decode()
    assert "page=2" in first.content.decode()

    second = client.get(URL, {"page": 2})
    html = second.content.decode()
    assert second.context["page"].number == 2
    assert "Indicator 034" in html and "Indicator 000" not in html and "Page 2 of 2" in html

    clamped = client.get(URL, {"page": 999})
    assert clamped.status_code == 200 and clamped.context["page"].number == 2
    assert client.get(URL, {"page": "x"}).context["page"].number == 1

    rows = client.get(URL, {"format": "csv"}).content.decode().splitlines()
    assert len(rows) == 1 + DASHBOARD_PAGE_SIZE + 5


def test_a_staff_edit_shows_on_the_cached_dashboard_at_once(client, staff_client):
    """The dashboard's numbers are cached per viewer scope; a measurement logged by staff
    retires them, so the next view shows the new actual, never the old one."""
    innovation = with_target("RFR")
    indicator = innovation.indicators.get()

    def actuals(viewer):
        response = viewer.get(URL)
        if response.context.get("page") is None:  # served from the cache: read the rendered table
            html = response.content.decode()
            return [
                Decimal(cell.replace(",", ""))
                for cell in re.findall(
                    r'<td class="num[^"]*"[^>]*>([\d,]+)(?:<br><span class="freshness">.*?</span>)?\s*'
                    r'(?:<details class="figure-source">.*?</details>)?\s*</td><td class="num"[^>]*>58,500',
                    html,
                    flags=re.S,
                )
            ]
        return [row["progress"].actual for row in targets(response)]

    assert actuals(client) == [Decimal("51000.00")]
    assert actuals(client) == [Decimal("51000")]  # served from the cache
    response = staff_client.post(
        f"/en/pilots/{innovation.slug}/measurements/",
        {
            "measurement-indicator": indicator.pk,
            "measurement-measured_on": "2011-06-30",
            "measurement-value": "58500",
            "measurement-source": "Informe RFR",
            "measurement-submission_key": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    client.logout()
    assert actuals(client) == [Decimal("58500.00")]


def test_the_donor_filters_the_dashboard_by_country_and_product_line_and_the_csv_follows(donor_client, donor_user):
    from tests.factories import ProductLineFactory

    pensions = ProductLineFactory(code="micro-pensions")
    ecuador = with_target("Ecuador insurance")
    central = with_target("Central American pensions")
    central.countries, central.product_line = ["GT", "NI"], pensions
    central.save()
    hidden = with_target("Restricted to another funder", visibility=Visibility.DONORS)
    hidden.countries = ["NI"]
    hidden.save()

    everything = donor_client.get(URL)
    assert {r["innovation"].title for r in targets(everything)} == {ecuador.title, central.title}
    nicaragua = donor_client.get(URL, {"country": "NI"})
    assert {r["innovation"].title for r in targets(nicaragua)} == {central.title}
    assert {row["stage"]: row["count"] for row in nicaragua.context["summary"]["by_stage"]}["pilot"] == 1
    assert (
        donor_client.get(URL, {"product_line": pensions.pk}).context["summary"]["by_stage"]
        == (nicaragua.context["summary"]["by_stage"])
    )
    assert "country=NI&amp;format=csv" in nicaragua.content.decode()
    rows = donor_client.get(URL, {"country": "NI", "format": "csv"}).content.decode().splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == [central.title]


def test_a_bad_dashboard_filter_is_explained_not_a_500(client):
    with_target("RFR")
    response = client.get(URL, {"stage": "launch"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_dashboard_breaks_the_portfolio_down_by_country_and_product_line(client):
    from tests.factories import ProductLineFactory

    with_target("Ecuador")
    central = with_target("Central America")
    central.countries, central.product_line = ["GT", "NI"], ProductLineFactory(code="pensions", name_en="Pensions")
    central.save()
    hidden = with_target("Hidden", visibility=Visibility.STAFF)
    hidden.countries = ["PE"]  # the public must not learn where restricted innovations are
    hidden.save()
    summary = client.get(URL).context["summary"]
    assert [(row["code"], row["count"]) for row in summary["by_country"]] == [("EC", 1), ("GT", 1), ("NI", 1)]
    assert {row["label"]: row["count"] for row in summary["by_product_line"]}["Pensions"] == 1
    assert sum(row["count"] for row in summary["by_product_line"]) == 2


def test_late_milestones_across_the_portfolio_are_the_open_ones_past_their_date_that_the_viewer_may_see(client):
    from pilots.models import MilestoneStatus
    from tests.pilots.factories import MilestoneFactory

    today = datetime.date.today()
    public, hidden = with_target("Public"), with_target("Hidden", visibility=Visibility.STAFF)
    late = MilestoneFactory(innovation=public, title="Evaluation report", planned_date=today - datetime.timedelta(40))
    MilestoneFactory(innovation=public, title="Next workshop", planned_date=today + datetime.timedelta(10))
    MilestoneFactory(
        innovation=public,
        title="Done late",
        planned_date=today - datetime.timedelta(90),
        status=MilestoneStatus.DONE,
        actual_date=today - datetime.timedelta(5),
    )
    MilestoneFactory(innovation=hidden, title="Internal", planned_date=today - datetime.timedelta(40))
    response = client.get(URL)
    assert list(response.context["overdue"]) == [late] and response.context["overdue_count"] == 1
    assert "Evaluation report" in response.content.decode() and "Internal" not in response.content.decode()
    assert "1 hito abierto pasó su fecha prevista." in client.get("/pilots/dashboard/").content.decode()


def test_the_targets_table_downloads_as_xlsx_with_the_same_rows(client):
    import io

    import openpyxl

    with_target("RFR")
    response = client.get(URL, {"format": "xlsx"})
    assert response["Content-Disposition"] == 'attachment; filename="portfolio-targets.xlsx"'
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Innovation", "Stage", "Indicator") and rows[1][:3] == ("RFR", "Pilot", "Clients of RFR")


def test_the_progress_chart_says_each_status_in_words_not_only_in_colour(client):
    with_target("RFR")
    import json

    figure = json.loads(client.get(URL).context["progress_figure"])
    assert figure["data"][0]["text"] == ["87 %"]
    # Each bar's label: its innovation, its indicator and its status, on short lines for a phone.
    assert figure["layout"]["yaxis"]["ticktext"] == ["RFR<br>Clients of RFR<br><b>Missed</b>"]


def test_staff_filter_the_dashboard_by_visibility_and_others_are_not_offered_it(staff_client):
    with_target("Public")
    with_target("Internal", visibility=Visibility.STAFF)
    internal = staff_client.get(URL, {"visibility": "staff"})
    assert [r["innovation"].title for r in targets(internal)] == ["Internal"]
    staff_client.logout()
    public = staff_client.get(URL, {"visibility": "staff"})
    assert "visibility" not in public.context["filter"].form.fields
    assert [r["innovation"].title for r in targets(public)] == ["Public"]


def test_cost_sharing_each_partys_share_of_its_stages_disclosed_funding(client):
    """REDCAMIF-like pilot: the IDB 60,000, Luxembourg 30,000, REDCAMIF 10,000 (USD) — 60/30/10 %;
    the MFIs' contribution is not disclosed, so it has no share and does not dilute the others."""
    from pilots.cycle import Stage

    pensions = with_target("Micropensiones")
    for name, amount in (("BID", 60000), ("Luxemburgo", 30000), ("REDCAMIF", 10000), ("IMF", None)):
        ContributionFactory(
            innovation=pensions,
            funder=FunderFactory(name=name),
            stage=Stage.PILOT,
            amount=None if amount is None else Decimal(amount),
            currency="USD",
        )
    rows = client.get(URL).context["summary"]["funding_by_stage"]
    assert [(r["funder"], r["amount"], r["share"]) for r in rows] == [
        ("BID", Decimal(60000), Decimal("60.0")),
        ("Luxemburgo", Decimal(30000), Decimal("30.0")),
        ("REDCAMIF", Decimal(10000), Decimal("10.0")),
    ]
    page = client.get(f"/en/pilots/{pensions.slug}/")
    parts = [(p["contribution"].funder.name, p["share"]) for row in page.context["funding"] for p in row["parts"]]
    assert sorted(parts, key=lambda part: part[0]) == [
        ("BID", Decimal("60.0")),
        ("IMF", None),
        ("Luxemburgo", Decimal("30.0")),
        ("REDCAMIF", Decimal("10.0")),
    ]
    api = client.get(f"/api/v1/innovations/{pensions.slug}/").json()["funding"]
    shares = {f["funder"]: f["share"] for f in api}
    assert shares["IMF"] is None and Decimal(str(shares["BID"])) == Decimal("60.0")


def counted_indicator(innovation, name, counted, *, target, actual=None, unit="count"):
    indicator = IndicatorFactory(innovation=innovation, name=name, unit=unit, counted=counted)
    TargetFactory(indicator=indicator, value=Decimal(target), due_date=datetime.date(2030, 12, 31))
    if actual is not None:
        MeasurementFactory(indicator=indicator, value=Decimal(actual), measured_on=datetime.date(2026, 1, 31))
    return indicator


def test_reach_adds_up_only_counts_of_the_same_thing(client):
    """RFR: 51,000 insured clients of 58,500; REDCAMIF: no client known yet of 25,000, 10 of 10
    MFIs; FINCA: 2,000 women trained of 3,000. Clients add up to 53,000 of 86,500 (61.3 %),
    MFIs to 10 of 10; branches, percentages and money are not added to anything."""
    rfr = InnovationFactory(title="RFR")
    redcamif = InnovationFactory(title="REDCAMIF")
    finca = InnovationFactory(title="FINCA")
    counted_indicator(rfr, "Clientes asegurados", "clients", target=58500, actual=51000)
    counted_indicator(rfr, "Satisfacción", "", target=90, actual=87, unit="percent")
    counted_indicator(redcamif, "Clientes con micropensión", "clients", target=25000)
    counted_indicator(redcamif, "IMF participantes", "institutions", target=10, actual=10)
    counted_indicator(finca, "Mujeres capacitadas", "clients", target=3000, actual=2000)
    counted_indicator(finca, "Sucursales", "other", target=120, actual=110)
    reach = client.get(URL).context["summary"]["reach"]
    assert [(r["counted"], r["actual"], r["target"], r["percent"], r["reporting"], r["indicators"]) for r in reach] == [
        ("clients", Decimal(53000), Decimal(86500), Decimal("61.3"), 2, 3),
        ("institutions", Decimal(10), Decimal(10), Decimal(100), 1, 1),
    ]
    # The filters narrow it like every other figure.
    only_rfr = client.get(URL, {"q": "RFR"}).context["summary"]["reach"]
    assert [(r["counted"], r["actual"], r["target"]) for r in only_rfr] == [("clients", Decimal(51000), Decimal(58500))]
    lines = client.get(URL, {"table": "reach", "format": "csv"}).content.decode().splitlines()
    assert lines == [
        "What is counted,Actual,Target,Progress (%),Indicators,Indicators with data,Innovations",
        "Clients,53000,86500,61.3,3,2,3",  # whole numbers without decimals (portal.downloads)
        "Participating MFIs,10,10,100,1,1,1",
    ]


def test_every_breakdown_downloads_with_the_dashboard_filters(client):
    with_target("RFR")
    other = with_target("Other")
    other.countries = ["HN"]
    other.save()
    for table, first_line, rows in (
        (
            "stages",
            "Stage,Innovations",
            ["Identify opportunities,0", "Design,0", "Pilot,1", "Evaluate,0", "Scale up,0"],
        ),
        ("countries", "Country,Code,Innovations", ["Honduras,HN,1"]),
    ):
        response = client.get(URL, {"table": table, "format": "csv", "country": "HN"})
        assert response["Content-Disposition"] == f'attachment; filename="portfolio-{table}.csv"'
        assert response.content.decode().splitlines() == [first_line, *rows]
    workbook = client.get(URL, {"table": "health", "format": "xlsx"})
    assert workbook["Content-Type"].startswith("application/vnd.openxmlformats")
    html = client.get(URL, {"country": "HN"}).content.decode()
    assert "?country=HN&amp;table=stages&amp;format=csv" in html
