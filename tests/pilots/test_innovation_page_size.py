"""The innovation's page stays the same size however many measurements an indicator has: it
shows the latest few (saying how many there are) and links to a page of all of them, 50 a
page, with the innovation page's visibility; the chart keeps the whole series."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext

from pilots.models import Measurement, Visibility
from pilots.selectors import PAGE_MEASUREMENTS
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
FIRST_DAY = datetime.date(2021, 1, 1)


def measured(count: int, **innovation) -> tuple:
    """An innovation with one indicator measured `count` times, on days 1, 2, … of 2021, worth
    101, 102, … (network-wide and by two MFIs in turn), and a target."""
    innovation = InnovationFactory(**innovation)
    indicator = IndicatorFactory(innovation=innovation, name="Clients insured")
    TargetFactory(indicator=indicator, value=Decimal("100000"), due_date=datetime.date(2030, 1, 1))
    mfis = [None, ParticipationFactory(innovation=innovation), ParticipationFactory(innovation=innovation)]
    for n in range(count):
        MeasurementFactory(
            indicator=indicator,
            measured_on=FIRST_DAY + datetime.timedelta(days=n),
            value=Decimal(101 + n),
            participation=mfis[n % 3],
        )
    return innovation, indicator


def page(client, innovation, lang: str = "en") -> str:
    prefix = "" if lang == "es" else f"/{lang}"
    response = client.get(f"{prefix}/pilots/{innovation.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def measurements_url(innovation, indicator, lang: str = "en") -> str:
    prefix = "" if lang == "es" else f"/{lang}"
    return f"{prefix}/pilots/{innovation.slug}/indicators/{indicator.pk}/measurements/"


def table(html: str, css_class: str) -> str:
    start = html.index(f'<table class="{css_class}">')
    return html[start : html.index("</table>", start)]


def values_in(table_html: str) -> list[int]:
    """The measured values in a table, in its order (every value is 101 or more)."""
    return [int(v) for v in re.findall(r'<td class="num">(\d+)', table_html)]


@pytest.mark.parametrize("viewer", ["anonymous", "staff"])
def test_the_query_count_does_not_grow_with_the_measurements(client, staff_user, viewer):
    if viewer == "staff":
        client.force_login(staff_user)
    counts = []
    for count in (5, 60):
        innovation, _indicator = measured(count)
        ContributionFactory(innovation=innovation)
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            page(client, innovation)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]


def test_the_page_loads_as_models_only_the_measurements_it_shows(client):
    innovation, _indicator = measured(60)
    loaded = []

    def count(sender, instance, **kwargs):
        loaded.append(instance.pk)

    post_init.connect(count, sender=Measurement)
    try:
        page(client, innovation)
    finally:
        post_init.disconnect(count, sender=Measurement)
    assert len(loaded) == PAGE_MEASUREMENTS  # the latest network-wide figure and each MFI's latest are among them


def test_the_page_shows_the_latest_measurements_and_says_how_many_there_are(client):
    innovation, indicator = measured(60)
    html = page(client, innovation)

    shown = values_in(table(html, "measurements"))
    assert shown == list(range(160, 160 - PAGE_MEASUREMENTS, -1))  # the latest 12, newest first
    assert f"The latest {PAGE_MEASUREMENTS} of 60 measurements." in html
    assert f'href="{measurements_url(innovation, indicator)}"' in html
    assert f"/en/pilots/{innovation.slug}/series.csv" in html and f"/en/pilots/{innovation.slug}/series.xlsx" in html
    # The actual over time (the 20 network-wide figures: they take precedence): its latest
    # points too, and the chart keeps every one.
    assert values_in(table(html, "series")) == list(range(158, 158 - 3 * PAGE_MEASUREMENTS, -3))
    assert f"The latest {PAGE_MEASUREMENTS} of 20 dates" in html
    figure = re.search(rf'<script type="application/json" id="figure-{indicator.pk}">(.*?)</script>', html, re.S)
    assert len(json.loads(figure.group(1))["data"][0]["x"]) == 20


def test_a_few_measurements_are_all_shown(client):
    innovation, _indicator = measured(5)
    html = page(client, innovation)
    assert values_in(table(html, "measurements")) == [105, 104, 103, 102, 101]
    assert "All 5 measurements." in html
    one, _indicator = measured(1)
    assert "1 measurement." in page(client, one)


def test_the_page_speaks_spanish_too(client):
    innovation, indicator = measured(60)
    html = page(client, innovation, lang="es")
    assert f'href="{measurements_url(innovation, indicator, lang="es")}"' in html
    assert re.search(rf"\b{PAGE_MEASUREMENTS}\b[^<]*\b60\b", html)  # "The latest 12 of 60", in either language
    assert client.get(measurements_url(innovation, indicator, lang="es")).status_code == 200


def test_the_measurements_page_has_every_measurement_50_a_page(client):
    innovation, indicator = measured(60)
    first = client.get(measurements_url(innovation, indicator))
    assert first.status_code == 200
    html = first.content.decode()
    assert values_in(table(html, "measurements")) == list(range(160, 110, -1))
    assert "60 measurements, newest first: 1 to 50." in html
    assert "Page 1 of 2" in html and "page=2" in html
    assert "Approved by" in html and "Institution" in html

    second = client.get(measurements_url(innovation, indicator), {"page": 2}).content.decode()
    assert values_in(table(second, "measurements")) == list(range(110, 100, -1))


def test_only_staff_see_who_logged_a_measurement_and_its_delete_link(client, staff_user):
    innovation, indicator = measured(3)
    newest = indicator.measurements.order_by("-measured_on").first()
    delete = f"/measurements/{newest.pk}/delete/"
    assert delete not in client.get(measurements_url(innovation, indicator)).content.decode()
    assert delete not in page(client, innovation)
    client.force_login(staff_user)
    staff_page = client.get(measurements_url(innovation, indicator)).content.decode()
    assert delete in staff_page and "Logged by" in staff_page
    assert delete in page(client, innovation)


def test_the_measurements_page_is_seen_by_whoever_may_see_the_innovation(client, donor_user, staff_user):
    funded, indicator = measured(2, visibility=Visibility.DONORS)
    ContributionFactory(innovation=funded, funder=donor_user.funder)
    other, other_indicator = measured(2, visibility=Visibility.DONORS)
    ContributionFactory(innovation=other)

    assert client.get(measurements_url(funded, indicator)).status_code == 404  # anonymous
    client.force_login(donor_user)
    assert client.get(measurements_url(funded, indicator)).status_code == 200
    assert client.get(measurements_url(other, other_indicator)).status_code == 404
    assert client.get(f"/en/pilots/{other.slug}/").status_code == 404  # as the innovation's page
    # An indicator is reached through its own innovation only.
    assert client.get(measurements_url(funded, other_indicator)).status_code == 404
    client.force_login(staff_user)
    assert client.get(measurements_url(other, other_indicator)).status_code == 200
