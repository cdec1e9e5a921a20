"""axe-core on the main pages, as each role, in both languages: no critical or serious violation
(WCAG 2.1 A and AA and 2.2 AA rules and axe's best practices)."""

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import login

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
RULES = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PAGES = {
    "anonymous": [
        "/",
        "/pilots/",
        "/pilots/rfr-microseguros/",
        "/pilots/dashboard/",
        "/pilots/reports/2011-S1/",
        "/pilots/finca-peru-image/",
        "/pricing/?amount=1000&term=12&frequency=monthly&method=flat&rate=3&upfront_fee=2&upfront_savings=10",
        "/pricing/?amount=-5&term=0&rate=90",
        "/research/",
        "/search/?q=microseguros",
        "/surveys/",
        "/benchmarking/bulletin/",
    ],
    "member": [
        "/pilots/",
        "/surveys/",
        "/pilots/mfi-reports/",
        "/pilots/rfr-microseguros/mfi-reports/2011-04/",
        "/surveys/rounds/LATEST/answer/",
        "/benchmarking/?semester=2010-2",
        "/benchmarking/report/2011-1/",
    ],
    "donor": ["/pilots/dashboard/funded/", "/pilots/rfr-microseguros/", "/pilots/dashboard/"],
    "staff": [
        "/pilots/rfr-microseguros/",
        "/pilots/dashboard/",
        "/surveys/rounds/LATEST/results/",
        "/surveys/rounds/LATEST/status/",
        "/pilots/mfi-reports/?state=",
        "/pilots/mfi-reports/REPORT/",
        "/pilots/measurements/MEASUREMENT/delete/",
        "/benchmarking/staff/",
        "/benchmarking/reports/FINANCIAL/",
        "/pilots/dashboard/iati/",
    ],
}
PASSWORDS = {"member": "demo-member-2026", "donor": "demo-donor-2026", "staff": "demo-staff-2026"}


def serious_violations(page) -> list[str]:
    # Evaluated rather than added as a <script>: the portal's Content-Security-Policy allows no
    # inline script, and the test must not weaken it.
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "rules => axe.run(document, {runOnly: {type: 'tag', values: rules}})",
        RULES,
    )
    return [
        f"{v['id']} ({v['impact']}): {', '.join(str(node['target']) for node in v['nodes'][:3])}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.mark.django_db(transaction=True)
def test_no_critical_or_serious_accessibility_violation_on_the_main_pages(browser, live_server):
    if not AXE.exists():
        pytest.skip(f"axe-core not installed ({AXE}): `make test` installs it with npm")
    call_command("load_demo", verbosity=0)
    from pilots.models import FinancialReport, Measurement, MFIReport
    from surveys.models import Round

    latest = Round.objects.order_by("-year", "-semester").first()
    report = MFIReport.objects.order_by("pk").first().pk  # an MFI's approved report (RFR)
    measurement = Measurement.objects.order_by("pk").first().pk
    financial = FinancialReport.objects.order_by("pk").first().pk  # an approved illustrative one
    found = []
    for role, paths in PAGES.items():
        context = browser.new_context(base_url=live_server.url, locale="es-EC")
        page = context.new_page()
        page.set_default_timeout(15_000)
        if role != "anonymous":
            login(page, role, PASSWORDS[role])
        for path in paths:
            path = path.replace("LATEST", str(latest.pk))
            path = path.replace("REPORT", str(report)).replace("MEASUREMENT", str(measurement))
            path = path.replace("FINANCIAL", str(financial))
            for prefix in ("", "/en"):
                assert page.goto(prefix + path).status == 200, (role, prefix + path)
                page.wait_for_load_state("networkidle")  # the charts drawn
                found += [f"{role} {prefix + path}: {v}" for v in serious_violations(page)]
        context.close()
    assert not found, "axe-core found:\n" + "\n".join(found)
