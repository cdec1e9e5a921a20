"""Fixtures shared by every test: one user per role."""

import pytest

from tests.factories import DonorFactory, MemberUserFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: nothing cached by another test's (rolled back) data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def staff_user(db):
    return StaffFactory(username="staff")


@pytest.fixture
def member_user(db):
    return MemberUserFactory(username="member")


@pytest.fixture
def donor_user(db):
    return DonorFactory(username="donor")


@pytest.fixture
def outsider_user(db):
    """Signed in, but neither staff, member nor donor (e.g. a deactivated role)."""
    return UserFactory(username="outsider", role="staff", is_staff=False)


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def member_client(client, member_user):
    client.force_login(member_user)
    return client


@pytest.fixture
def donor_client(client, donor_user):
    client.force_login(donor_user)
    return client
