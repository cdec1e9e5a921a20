"""Staff sign in and land on "Para hoy": the demo's report awaiting review and the periods MFIs
owe; staff follow the link, approve, come back, and the count drops. The page fits a phone in
both languages."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import login
from tests.browser.test_phone_width import PHONE, too_wide


def count(page, key: str) -> int:
    return int(page.locator(f"#{key} .today-count").inner_text())


@pytest.mark.django_db(transaction=True)
def test_staff_see_what_needs_them_approve_a_report_and_the_count_drops(page, browser, live_server):
    call_command("load_demo", verbosity=0)

    login(page, "staff", "demo-staff-2026")
    assert page.url.endswith("/staff/today/")  # where staff land
    assert page.locator("html").get_attribute("lang") == "es"
    assert count(page, "reports-to-review") == 1
    overdue = count(page, "periods-overdue")
    assert overdue > 0
    assert "abril de 2011" in page.locator("#periods-overdue .today-items").inner_text()

    page.goto("/en/staff/today/")
    waiting = page.locator("#reports-to-review .today-items a")
    assert waiting.inner_text() == "IMF ilustrativa Ecuador 10 · Simplified micro-insurance (RFR, Ecuador) · April 2011"
    waiting.click()
    page.get_by_role("button", name="Approve: these figures count").click()
    assert "approved" in page.locator(".messages").inner_text()

    page.goto("/en/staff/today/")
    assert count(page, "reports-to-review") == 0
    assert count(page, "periods-overdue") == overdue  # an approved April was never overdue

    page.locator("#periods-overdue a.today-label").click()  # the queue's "due, not submitted"
    assert page.url.endswith("/en/pilots/mfi-reports/#due")
    assert f"{overdue} periods MFIs should have reported" in page.locator("#due").inner_text()


@pytest.mark.django_db(transaction=True)
def test_the_page_fits_a_phone_in_both_languages(browser, live_server):
    call_command("load_demo", verbosity=0)
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="es-EC")
    phone = context.new_page()
    try:
        login(phone, "staff", "demo-staff-2026")
        for path in ("/staff/today/", "/en/staff/today/", "/pilots/mfi-reports/", "/en/pilots/mfi-reports/"):
            assert phone.goto(path).status == 200, path
            assert phone.locator("#reports-to-review, #due").count() >= 1
            assert not too_wide(phone), (path, too_wide(phone))
    finally:
        context.close()
