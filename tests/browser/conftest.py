"""Browser journeys: Playwright driving Debian's Chromium against the live test server.

Playwright cannot download browsers here, so we launch /usr/bin/chromium
(installed by `make test` through scripts/install-browser). When it is absent
the journeys are skipped with the reason, never silently passed.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls
# made by the test itself (fixtures, assertions) are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    """Journeys run against a live server, so they need real transactions; the
    serialized rollback restores what migrations created (Wagtail's root page,
    site and locales) after another journey's flush."""
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)


@pytest.fixture(scope="session", autouse=True)
def _serialized_contents_for_every_connection(django_db_setup):
    """Django keeps the serialized migration data on the connection object. Once
    Playwright's event loop runs, Django may hand this thread a fresh connection
    object that lacks it, and the rollback silently restores nothing. Keep the data
    on the connection class so every connection object sees it."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium not found at {CHROMIUM}: install Debian's chromium to run browser journeys")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page of a fresh browser context; the journey fails if the Content-Security-Policy
    blocked anything (a chart or the survey script that silently stopped working)."""
    context = browser.new_context(base_url=live_server.url, locale="es-EC")
    page = context.new_page()
    page.set_default_timeout(15_000)
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    yield page
    context.close()
    assert not blocked, f"The Content-Security-Policy blocked: {blocked}"


def login(page, username: str, password: str = "pw") -> None:
    """Sign in through the portal's own login form."""
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
