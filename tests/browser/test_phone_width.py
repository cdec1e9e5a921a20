"""Every main page fits a phone: at 390 px wide, in Spanish and English, as each role, nothing
makes the page scroll sideways (wide tables scroll inside their own box)."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import login

PHONE = {"width": 390, "height": 844}
PAGES = {
    "anonymous": [
        "/",
        "/pilots/",
        "/pilots/rfr-microseguros/",
        "/pilots/redcamif-micropensiones/",
        "/pilots/dashboard/",
        "/pilots/reports/2011-S1/",
        "/pilots/rfr-microseguros/reports/2011-S1/",
        "/research/",
        "/search/?q=microseguros",
        "/surveys/",
        "/accounts/login/",
    ],
    "member": ["/", "/pilots/", "/pilots/dashboard/", "/surveys/"],
    "donor": ["/pilots/", "/pilots/rfr-microseguros/", "/pilots/dashboard/", "/pilots/reports/2011-S1/"],
    "staff": ["/pilots/rfr-microseguros/", "/pilots/dashboard/", "/surveys/", "/surveys/rounds/1/results/"],
}
PASSWORDS = {"member": "demo-member-2026", "donor": "demo-donor-2026", "staff": "demo-staff-2026"}


def too_wide(page) -> list[str]:
    """What sticks out past the right edge of the screen, if the page scrolls sideways."""
    if page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"):
        return []
    return page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))"""
    )


@pytest.mark.django_db(transaction=True)
def test_every_main_page_fits_a_phone_in_both_languages_for_every_role(browser, live_server):
    call_command("load_demo", verbosity=0)
    from surveys.models import Round

    latest = Round.objects.order_by("-year", "-semester").first()
    overflowing = []
    for role, paths in PAGES.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="es-EC")
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role != "anonymous":
            login(page, role, PASSWORDS[role])
        for path in paths:
            path = path.replace("/rounds/1/", f"/rounds/{latest.pk}/")
            for prefix in ("", "/en"):
                response = page.goto(prefix + path)
                assert response.status == 200, (role, prefix + path, response.status)
                if wide := too_wide(page):
                    overflowing.append(f"{role} {prefix + path}: {wide}")
        context.close()
    assert not overflowing, "Pages wider than a phone:\n" + "\n".join(overflowing)
