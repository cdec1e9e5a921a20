"""The portfolio cache: shared only between viewers who may see the same, retired by every write."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from portal import cache as portfolio_cache
from tests.factories import DonorFactory, FunderFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, MeasurementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def counter():
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    return calls, compute


def test_viewers_who_may_see_the_same_share_a_value_and_others_do_not():
    funder = FunderFactory()
    same_funder = [DonorFactory(funder=funder), DonorFactory(funder=funder)]
    other_funder = DonorFactory()
    calls, compute = counter()
    for user in same_funder:
        assert portfolio_cache.cached("dashboard", user=user, compute=compute) == 1
    assert portfolio_cache.cached("dashboard", user=other_funder, compute=compute) == 2
    assert portfolio_cache.cached("dashboard", user=StaffFactory(), compute=compute) == 3
    assert portfolio_cache.cached("dashboard", user=MemberUserFactory(), compute=compute) == 4
    assert portfolio_cache.cached("dashboard", user=AnonymousUser(), compute=compute) == 5
    assert len(calls) == 5


def test_parameters_and_language_are_part_of_the_key():
    from django.utils import translation

    user = AnonymousUser()
    calls, compute = counter()
    with translation.override("es"):
        portfolio_cache.cached("dashboard", user=user, params={"page": 1}, compute=compute)
        portfolio_cache.cached("dashboard", user=user, params={"page": 2}, compute=compute)
    with translation.override("en"):
        portfolio_cache.cached("dashboard", user=user, params={"page": 1}, compute=compute)
    assert len(calls) == 3


def test_a_committed_write_retires_every_cached_value(django_capture_on_commit_callbacks):
    user = AnonymousUser()
    calls, compute = counter()
    portfolio_cache.cached("dashboard", user=user, compute=compute)
    with django_capture_on_commit_callbacks(execute=True):
        MeasurementFactory(
            indicator=IndicatorFactory(innovation=InnovationFactory()),
            measured_on=datetime.date(2024, 1, 1),
            value=Decimal(5),
        )
    portfolio_cache.cached("dashboard", user=user, compute=compute)
    assert len(calls) == 2


def test_a_value_computed_before_the_commit_is_retired_by_it(django_capture_on_commit_callbacks):
    """Bumped on write and on commit: a value a reader cached in between is not served after."""
    user = AnonymousUser()
    calls, compute = counter()
    with django_capture_on_commit_callbacks(execute=True):
        InnovationFactory()
        portfolio_cache.cached("dashboard", user=user, compute=compute)  # read before the commit
    portfolio_cache.cached("dashboard", user=user, compute=compute)
    assert len(calls) == 2


def test_signing_in_does_not_retire_the_cache(client, django_capture_on_commit_callbacks):
    StaffFactory(username="ana")
    version = portfolio_cache.data_version()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/login/", {"username": "ana", "password": "pw"})
    assert portfolio_cache.data_version() == version


# --- Cached pages (portal.cache.render_cached) --------------------------------------------------


def test_a_cached_innovation_page_shows_a_staff_edit_at_once(client, django_capture_on_commit_callbacks):
    from django.test import Client

    from pilots import services

    innovation = InnovationFactory(slug="rfr", title="Microseguro", started_on=datetime.date(2008, 9, 1))
    indicator = IndicatorFactory(innovation=innovation, name="Clientes asegurados")
    MeasurementFactory(indicator=indicator, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))
    first = client.get("/en/pilots/rfr/")
    assert "51,000" in first.content.decode() and first.context.get("indicators") is not None  # computed
    again = client.get("/en/pilots/rfr/")
    assert "51,000" in again.content.decode() and again.context.get("indicators") is None  # from the cache
    with django_capture_on_commit_callbacks(execute=True):
        services.measurement_record(
            indicator=indicator,
            measured_on=datetime.date(2011, 6, 30),
            value=Decimal(58500),
            source="Informe",
            user=StaffFactory(),
        )
    assert "58,500" in Client().get("/en/pilots/rfr/").content.decode()


def test_cached_pages_are_never_shared_between_viewers_who_may_see_different_things(client):
    from django.test import Client

    from pilots.models import Visibility
    from tests.pilots.factories import ContributionFactory

    hivos = FunderFactory(name="HIVOS")
    funded = InnovationFactory(slug="funded", title="Financiada", visibility=Visibility.DONORS)
    ContributionFactory(innovation=funded, funder=hivos)
    donor = Client()
    donor.force_login(DonorFactory(funder=hivos))
    for _ in range(2):  # computed, then from the cache
        assert donor.get("/pilots/funded/").status_code == 200
        assert "Financiada" in donor.get("/pilots/").content.decode()
    assert client.get("/pilots/funded/").status_code == 404
    assert "Financiada" not in client.get("/pilots/").content.decode()
    other = Client()
    other.force_login(DonorFactory(funder=FunderFactory(name="Otro")))
    assert other.get("/pilots/funded/").status_code == 404
    assert "Financiada" not in other.get("/pilots/").content.decode()
    # And each language has its own.
    assert "Innovations" in donor.get("/en/pilots/").content.decode()
    assert "Innovaciones" in donor.get("/pilots/").content.decode()


def test_a_cached_staff_page_has_this_requests_csrf_token_and_a_fresh_submission_key():
    import re

    from django.test import Client

    innovation = InnovationFactory(slug="rfr")
    IndicatorFactory(innovation=innovation)
    staff = Client(enforce_csrf_checks=True)
    staff.force_login(StaffFactory())
    keys, tokens = [], []
    for _ in range(2):
        html = staff.get("/en/pilots/rfr/").content.decode()
        assert "csrf-placeholder" not in html
        keys += re.findall(r'name="measurement-submission_key" value="([^"]+)"', html)
        tokens += re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[:1]
    assert len(keys) == 2 and keys[0] != keys[1]
    assert "00000000-0000-4000-8000-00000000cafe" not in keys
    # The token works: a form posted from the cached page is accepted (here refused for its
    # content, with a 400 and the form's message, not a 403 for the token).
    refused = staff.post(
        "/en/pilots/rfr/measurements/",
        {"csrfmiddlewaretoken": tokens[1], "measurement-submission_key": keys[1], "measurement-value": "-1"},
    )
    assert refused.status_code == 400
