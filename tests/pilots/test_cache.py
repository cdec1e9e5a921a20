"""The portfolio cache: shared only between viewers who may see the same, retired by every write."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache

from pilots import cache as portfolio_cache
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
