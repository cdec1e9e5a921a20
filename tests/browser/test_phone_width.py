"""Every main page fits a phone: at 390 px wide, in Spanish and English, as each role, nothing
makes the page scroll sideways (wide tables scroll inside their own box), and every link and
button is big enough to touch (axe-core's WCAG 2.2 `target-size`: 24 × 24 px or spaced apart)."""

import pytest
from django.core.management import call_command

from tests.browser.conftest import login
from tests.browser.test_accessibility import AXE

PHONE = {"width": 390, "height": 844}
PAGES = {
    "anonymous": [
        "/",
        "/pilots/",
        "/pilots/rfr-microseguros/",
        "/pilots/redcamif-micropensiones/",
        "/pilots/dashboard/",
        "/pilots/reports/2011-S1/",
        "/pilots/finca-peru-image/",
        "/pricing/?amount=1000&term=12&frequency=monthly&method=flat&rate=3&upfront_fee=2&upfront_savings=10",
        "/pricing/?amount=-5&term=0&rate=90",
        "/pilots/rfr-microseguros/reports/2011-S1/",
        "/research/",
        "/search/?q=microseguros",
        "/surveys/",
        "/accounts/login/",
        "/benchmarking/bulletin/",
    ],
    "member": [
        "/",
        "/pilots/",
        "/pilots/dashboard/",
        "/surveys/",
        "/pilots/mfi-reports/",
        "/pilots/rfr-microseguros/mfi-reports/2011-04/",
        "/surveys/rounds/1/answer/",  # the questionnaire of the open round
        "/surveys/rounds/PAST/answer/",  # the receipt of a round it submitted
        "/surveys/rounds/PAST/mine/",
        "/benchmarking/?semester=2010-2",
        "/benchmarking/report/2011-1/",
    ],
    "donor": [
        "/pilots/dashboard/funded/",
        "/pilots/",
        "/pilots/rfr-microseguros/",
        "/pilots/dashboard/",
        "/pilots/reports/2011-S1/",
    ],
    "staff": [
        "/staff/today/",
        "/pilots/rfr-microseguros/",
        "/pilots/dashboard/",
        "/surveys/",
        "/surveys/rounds/1/results/",
        "/surveys/rounds/1/status/",
        "/pilots/mfi-reports/?state=",
        "/pilots/mfi-reports/REPORT/",
        "/pilots/measurements/MEASUREMENT/delete/",
        "/pilots/rfr-microseguros/indicators/INDICATOR/measurements/",  # with staff's Delete links
        "/benchmarking/staff/",
        "/benchmarking/reports/FINANCIAL/",
        "/pilots/dashboard/iati/",
    ],
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


def too_small_to_touch(page) -> list[str]:
    page.evaluate(AXE.read_text())
    result = page.evaluate("() => axe.run(document, {runOnly: {type: 'rule', values: ['target-size']}})")
    return [str(node["target"]) for violation in result["violations"] for node in violation["nodes"][:3]]


@pytest.mark.django_db(transaction=True)
def test_every_main_page_fits_a_phone_in_both_languages_for_every_role(browser, live_server):
    if not AXE.exists():
        pytest.skip(f"axe-core not installed ({AXE}): `make test` installs it with npm")
    call_command("load_demo", verbosity=0)
    from pilots.models import FinancialReport, Measurement, MFIReport
    from surveys.models import Round

    latest = Round.objects.order_by("-year", "-semester").first()  # open on the demo's today
    past = Round.objects.order_by("year", "semester").first()  # the demo member submitted it
    report = MFIReport.objects.order_by("pk").first().pk  # an MFI's approved report (RFR)
    measurement = Measurement.objects.order_by("pk").first().pk
    financial = FinancialReport.objects.order_by("pk").first().pk  # an approved illustrative one
    indicator = Measurement.objects.filter(indicator__innovation__slug="rfr-microseguros").first().indicator_id
    overflowing, small = [], []
    for role, paths in PAGES.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="es-EC")
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role != "anonymous":
            login(page, role, PASSWORDS[role])
        for path in paths:
            path = path.replace("/rounds/1/", f"/rounds/{latest.pk}/")
            path = path.replace("/rounds/PAST/", f"/rounds/{past.pk}/")
            path = path.replace("REPORT", str(report)).replace("MEASUREMENT", str(measurement))
            path = path.replace("INDICATOR", str(indicator)).replace("FINANCIAL", str(financial))
            for prefix in ("", "/en"):
                response = page.goto(prefix + path)
                assert response.status == 200, (role, prefix + path, response.status)
                if wide := too_wide(page):
                    overflowing.append(f"{role} {prefix + path}: {wide}")
                if targets := too_small_to_touch(page):
                    small.append(f"{role} {prefix + path}: {targets}")
        context.close()
    assert not overflowing, "Pages wider than a phone:\n" + "\n".join(overflowing)
    assert not small, "Links or buttons too small to touch:\n" + "\n".join(small)
