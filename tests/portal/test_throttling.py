"""The sign-in throttle cannot be turned against other people, behind the documented proxy.

Production runs behind one HTTPS proxy (nginx or Caddy) that puts the address it received the
connection from as the right-most X-Forwarded-For entry (docs/deployment.md, "The HTTPS
proxy"). These tests apply production's own throttle and proxy settings (read from
`portal.settings.production` with its defaults) and send what such a proxy sends: REMOTE_ADDR
is the proxy, X-Forwarded-For ends with the client.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory

from portal.client_address import client_ip

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PROXY = "172.18.0.5"  # the proxy's own address, as gunicorn sees it
CLIENT_A = "203.0.113.10"
CLIENT_B = "198.51.100.20"
LIMIT = 10
PORTAL_LOGIN = "/accounts/login/"
ADMIN_LOGIN = "/admin/login/"

_DUMP_PRODUCTION_SETTINGS = """
import json
import portal.settings.production as production
names = [n for n in dir(production) if n.startswith("AXES_") or n == "TRUSTED_PROXY_COUNT"]
values = {}
for name in names:
    try:
        values[name] = json.loads(json.dumps(getattr(production, name)))
    except TypeError:
        pass  # e.g. AXES_COOLOFF_TIME: the same as base, which the test settings already have
print(json.dumps(values))
"""


@pytest.fixture(scope="module")
def production_settings() -> dict:
    """The throttle's settings exactly as production computes them, with every default."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SECRET_KEY": "throttling-test-" + "x" * 50,
        "ALLOWED_HOSTS": "portal.example.org",
        "SITE_URL": "https://portal.example.org",
        "EMAIL_URL": "consolemail://",
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "SEARCH_ENGINE": "database",
    }
    result = subprocess.run(
        [sys.executable, "-c", _DUMP_PRODUCTION_SETTINGS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def behind_proxy(settings, production_settings):
    """The test client as production sees it: production's throttle and proxy settings."""
    for name, value in production_settings.items():
        setattr(settings, name, value)
    assert settings.AXES_FAILURE_LIMIT == LIMIT


def _sign_in(client: Client, url: str, username: str, password: str, *, forwarded_for: str):
    """A sign-in as the proxy passes it on: from the proxy's address, the client in X-Forwarded-For."""
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
        HTTP_X_FORWARDED_PROTO="https",
    )


def _signed_in(response, client: Client) -> bool:
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.parametrize("attacked_url", [PORTAL_LOGIN, ADMIN_LOGIN])
def test_wrong_passwords_for_made_up_accounts_lock_no_one_else_out(behind_proxy, member_user, staff_user, attacked_url):
    """The issue: 10+ failures for made-up accounts from A once made every sign-in a 429."""
    attacker = Client()
    for number in range(LIMIT + 2):
        _sign_in(attacker, attacked_url, f"made-up-{number % 3}", "wrong", forwarded_for=CLIENT_A)

    member = Client()
    assert _signed_in(_sign_in(member, PORTAL_LOGIN, "member", "pw", forwarded_for=CLIENT_B), member)
    staff = Client()
    response = _sign_in(staff, ADMIN_LOGIN, "staff", "pw", forwarded_for=CLIENT_B)
    assert response.status_code == 302 and response["Location"].startswith("/admin/")
    assert "_auth_user_id" in staff.session
    # Every failure was recorded against the client's address, not against no address.
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}


def test_a_forged_left_hand_entry_does_not_escape_the_lock(behind_proxy, member_user):
    """An attacker who writes a new address to the left of X-Forwarded-For each time stays one client."""
    attacker = Client()
    for number in range(LIMIT):
        forged = f"{number + 1}.{number + 2}.{number + 3}.{number + 4}, {CLIENT_A}"
        response = _sign_in(attacker, PORTAL_LOGIN, "member", "wrong", forwarded_for=forged)
        assert response.status_code in (200, 429)

    # The right password is refused from A, whatever A writes to the left.
    for forwarded_for in (f"9.9.9.9, {CLIENT_A}", CLIENT_A):
        response = _sign_in(Client(), PORTAL_LOGIN, "member", "pw", forwarded_for=forwarded_for)
        assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {CLIENT_A}

    # The account itself is not locked: the real member, from another address, signs in.
    member = Client()
    assert _signed_in(_sign_in(member, PORTAL_LOGIN, "member", "pw", forwarded_for=CLIENT_B), member)


@pytest.mark.parametrize("url", [PORTAL_LOGIN, ADMIN_LOGIN])
def test_ten_wrong_passwords_lock_the_account_only_from_that_address(behind_proxy, staff_user, url):
    """Someone guessing a real account's password from A is stopped at A; the owner, elsewhere, is not."""
    for _ in range(LIMIT):
        _sign_in(Client(), url, "staff", "wrong", forwarded_for=CLIENT_A)
    response = _sign_in(Client(), url, "staff", "pw", forwarded_for=CLIENT_A)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 15 * 60

    owner = Client()
    response = _sign_in(owner, url, "staff", "pw", forwarded_for=CLIENT_B)
    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_an_ipv6_client_is_its_64_network(behind_proxy, member_user):
    """A fresh address from the same /64 for every guess is still the same client."""
    for number in range(LIMIT):
        _sign_in(Client(), PORTAL_LOGIN, "member", "wrong", forwarded_for=f"2001:db8:1:2::{number + 1:x}")
    assert _sign_in(Client(), PORTAL_LOGIN, "member", "pw", forwarded_for="2001:db8:1:2::ffff").status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:1:2::"}
    member = Client()
    assert _signed_in(_sign_in(member, PORTAL_LOGIN, "member", "pw", forwarded_for="2001:db8:1:3::1"), member)


def test_the_lockout_page_says_the_pause_is_for_this_connection(behind_proxy, member_user):
    for _ in range(LIMIT):
        _sign_in(Client(), "/en/accounts/login/", "member", "wrong", forwarded_for=CLIENT_A)
    response = _sign_in(Client(), "/en/accounts/login/", "member", "pw", forwarded_for=CLIENT_A)
    assert response.status_code == 429
    text = " ".join(response.content.decode().split())
    assert "10 wrong passwords in a row for this account from your connection" in text
    assert "signing in to it from here is paused for 15 minutes" in text


def test_someone_else_behind_the_same_address_still_signs_in(behind_proxy, member_user):
    """A shared address (an office, a mobile network): failures for other accounts lock no one there.

    The price: one address may try 10 passwords on each of many accounts per cool-off (password
    spraying) — docs/deployment.md says why that is accepted and what limits it instead.
    """
    for number in range(LIMIT * 2):
        _sign_in(Client(), PORTAL_LOGIN, f"user-{number}", "Summer2026", forwarded_for=CLIENT_A)
    colleague = Client()
    assert _signed_in(_sign_in(colleague, PORTAL_LOGIN, "member", "pw", forwarded_for=CLIENT_A), colleague)


def test_production_trusts_one_proxy_by_default(production_settings):
    assert production_settings["TRUSTED_PROXY_COUNT"] == 1
    assert production_settings["AXES_CLIENT_IP_CALLABLE"] == "portal.client_address.client_ip"
    assert production_settings["AXES_LOCKOUT_PARAMETERS"] == [["username", "ip_address"]]


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "expected"),
    [
        # The worked examples of portal/client_address.py.
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4,203.0.113.7", "203.0.113.7"),
        (1, None, PROXY),  # straight to gunicorn
        (1, "", PROXY),
        (2, "1.2.3.4, 203.0.113.7, 198.51.100.2", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # skipped a proxy: nothing in the header is vouched for
        (0, "203.0.113.7", PROXY),  # no proxy: the header is the client's own claim
        (1, "1.2.3.4, unknown", PROXY),
        (1, "203.0.113.7:51234", "203.0.113.7"),
        (1, "[2001:db8::7]:443", "2001:db8::"),
        (1, "::ffff:203.0.113.7", "203.0.113.7"),
        (1, "2001:DB8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::"),
    ],
)
def test_the_client_is_the_entry_the_farthest_trusted_proxy_wrote(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {} if forwarded_for is None else {"HTTP_X_FORWARDED_FOR": forwarded_for}
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR=PROXY, **headers)
    assert client_ip(request) == expected


def test_no_usable_address_is_none(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="", HTTP_X_FORWARDED_FOR="garbage")
    assert client_ip(request) is None
