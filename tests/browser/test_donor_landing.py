"""The demo donor on a phone (390 px), in Spanish and English: signing in lands on "Innovations you
fund"; on the innovation's page and the dashboard, each target's status shows without scrolling
sideways (the targets table becomes one card per indicator, its status first); the dashboard's
charts keep their labels inside the chart."""

import pytest
from django.core.management import call_command

from tests.browser.test_phone_width import PHONE

HEADINGS = {"": "Innovaciones que usted financia", "/en": "Innovations you fund"}
RFR = {"": "Microseguro simplificado (RFR, Ecuador)", "/en": "Simplified micro-insurance (RFR, Ecuador)"}


def outside_the_screen(page, selector: str) -> list[str]:
    """The elements matching `selector` that are not wholly on screen horizontally."""
    return page.evaluate(
        """selector => [...document.querySelectorAll(selector)]
        .filter(e => { const r = e.getBoundingClientRect(); return r.width === 0 || r.left < 0 || r.right > window.innerWidth + 1; })
        .map(e => e.textContent.trim().slice(0, 40))""",
        selector,
    )


def statuses_first_and_in_sight(page, table: str) -> None:
    """Every row's status is on screen, above the rest of its card, and nothing scrolls sideways."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate(
        f'[...document.querySelectorAll("{table}")].every(t => t.parentElement.scrollWidth <= t.parentElement.clientWidth + 1)'
    )
    rows = page.locator(f"{table} tbody tr")
    assert rows.count() > 0
    assert not outside_the_screen(page, f"{table} tbody td.status .badge")
    for n in range(rows.count()):
        row = rows.nth(n)
        status = row.locator("td.status").bounding_box()
        cells = [row.locator("th, td").nth(i).bounding_box() for i in range(row.locator("th, td").count())]
        assert status["y"] == min(cell["y"] for cell in cells), row.inner_text()


def labels_inside_their_chart(page, chart: str) -> None:
    """The chart's tick labels and bar numbers lie within the chart's box and the screen, and
    the tick labels do not run into each other."""
    page.locator(f"{chart} .ytick text").first.wait_for()
    box = page.locator(chart).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] + 1
    for selector in (f"{chart} .xtick text", f"{chart} .ytick text", f"{chart} .bartext"):
        texts = page.locator(selector)
        for n in range(texts.count()):
            text = texts.nth(n).bounding_box()
            assert text["x"] >= box["x"] - 1 and text["x"] + text["width"] <= box["x"] + box["width"] + 1, (
                selector,
                texts.nth(n).text_content(),
            )
    tops = sorted(
        (b["y"], b["y"] + b["height"])
        for b in (
            page.locator(f"{chart} .ytick text").nth(n).bounding_box()
            for n in range(page.locator(f"{chart} .ytick text").count())
        )
    )
    assert all(top >= bottom - 1 for (_t, bottom), (top, _b) in zip(tops, tops[1:], strict=False)), tops


@pytest.mark.django_db(transaction=True)
def test_the_demo_donor_lands_on_what_it_funds_and_reads_targets_and_charts_on_a_phone(browser, live_server):
    call_command("load_demo", verbosity=0)
    for prefix in ("", "/en"):
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="es-EC")
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{prefix}/accounts/login/")
        page.fill("#id_username", "donor")
        page.fill("#id_password", "demo-donor-2026")
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")

        assert page.url == f"{live_server.url}{prefix}/pilots/dashboard/funded/"
        assert page.locator("h1").inner_text() == HEADINGS[prefix]
        assert page.locator("nav a", has_text=HEADINGS[prefix]).count() == 1
        cards = page.locator("li.funded-card h3")
        assert cards.all_inner_texts() == [RFR[prefix]]
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

        cards.first.locator("a").click()
        page.wait_for_load_state("networkidle")
        statuses_first_and_in_sight(page, "table.progress-table")

        page.goto(f"{prefix}/pilots/dashboard/")
        statuses_first_and_in_sight(page, "table.targets")
        labels_inside_their_chart(page, "[data-figure='figure-progress']")
        labels_inside_their_chart(page, "[data-figure='figure-stages']")
        context.close()
