"""An MFI reports its figures, staff return the report, the MFI corrects it, staff approve it:
only then the innovation's actual and the dashboard change."""

import datetime
from decimal import Decimal

import pytest

from pilots import services as pilot_services
from pilots.reporting import services
from tests.browser.conftest import login
from tests.factories import MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.factories import IndicatorFactory, InnovationFactory, ParticipationFactory, TargetFactory

D = datetime.date


def _actual(page, indicator) -> str:
    return page.locator(f"tr[data-indicator='{indicator.pk}'] td.actual").inner_text()


def _dashboard_has(page, text: str) -> bool:
    page.goto("/en/pilots/dashboard/")
    return text in page.locator("#targets-h + div, section[aria-labelledby=targets-h]").first.inner_text()


@pytest.mark.django_db(transaction=True)
def test_member_reports_staff_return_and_approve(browser, live_server):
    ana = StaffFactory(username="ana", first_name="Ana", last_name="Programas")
    andina = MemberInstitutionFactory(name="Cooperativa Andina", country="EC")
    MemberUserFactory(username="luis", institution=andina, first_name="Luis", last_name="Andina")
    innovation = InnovationFactory(title="Microseguro simplificado", slug="microseguro", started_on=D(2008, 9, 1))
    clients = IndicatorFactory(innovation=innovation, name="Clientes asegurados", unit="count")
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=D(2011, 12, 31))
    services.reporting_plan_save(
        innovation=innovation, user=ana, frequency="monthly", first_period=D(2011, 1, 1), last_period=D(2011, 6, 1)
    )
    own = ParticipationFactory(innovation=innovation, institution=andina, since=D(2010, 1, 4))
    other = ParticipationFactory(innovation=innovation, since=D(2010, 1, 4))
    services.reported_indicators_set(participation=own, indicators=[clients], user=ana)
    for participation, value in ((own, 11_000), (other, 40_000)):
        pilot_services.measurement_record(
            indicator=clients,
            measured_on=D(2011, 3, 31),
            value=Decimal(value),
            source="Informe de marzo",
            participation=participation,
            user=ana,
        )

    def context(**options):
        ctx = browser.new_context(base_url=live_server.url, **options)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        return ctx, page

    desktop, member = context(viewport={"width": 1280, "height": 900})
    phone, member_phone = context(viewport={"width": 390, "height": 844}, is_mobile=True)
    office, staff = context(viewport={"width": 1280, "height": 900})
    try:
        # The member opens the period to report and saves a draft.
        login(member, "luis")
        member.goto("/en/pilots/mfi-reports/")
        member.get_by_role("link", name="Report the figures for April 2011").click()
        field = member.locator(f"#id_value-{clients.pk}")
        assert "11,000" in member.locator(".report-indicator").inner_text()  # last period, for reference
        field.fill("1200")
        member.fill("#id_comment", "Cifras de abril")
        member.get_by_role("button", name="Save draft").click()
        assert "Draft saved" in member.locator(".messages").inner_text()

        # On another device (a phone), the draft is there; the member submits with an attachment.
        login(member_phone, "luis")
        member_phone.goto("/en/pilots/microseguro/mfi-reports/2011-04/")
        assert member_phone.locator(f"#id_value-{clients.pk}").input_value() == "1,200"  # a count, as English writes it
        assert member_phone.locator("#id_comment").input_value() == "Cifras de abril"
        member_phone.set_input_files(
            "#id_attachment", files=[{"name": "abril.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%"}]
        )
        member_phone.get_by_role("button", name="Submit for review").click()
        assert "Report submitted" in member_phone.locator(".messages").inner_text()
        assert "Submitted, awaiting review" in member_phone.content()

        # Staff find it in the queue and return it with a comment; nothing counts yet.
        login(staff, "ana")
        staff.goto("/en/pilots/mfi-reports/")
        staff.get_by_role("link", name="April 2011").click()
        assert "abril.pdf" in staff.content()
        staff.fill("#id_review_comment", "1,200 looks like a typo: March was 11,000.")
        staff.get_by_role("button", name="Return to the MFI").click()
        assert "returned" in staff.locator(".messages").inner_text()
        staff.goto("/en/pilots/microseguro/")
        assert "51,000" in _actual(staff, clients)

        # The member sees the comment, corrects and resubmits.
        member_phone.goto("/en/pilots/mfi-reports/")
        assert "1,200 looks like a typo" in member_phone.content()
        member_phone.get_by_role("link", name="Correct the report for April 2011").click()
        member_phone.locator(f"#id_value-{clients.pk}").fill("12000")
        member_phone.get_by_role("button", name="Submit for review").click()
        assert "Report submitted" in member_phone.locator(".messages").inner_text()

        # Still pending: the actual and the dashboard have not changed.
        staff.goto("/en/pilots/microseguro/")
        assert "51,000" in _actual(staff, clients)
        assert "Pending" in staff.locator("table.pending").inner_text()
        assert _dashboard_has(staff, "51,000")

        # Staff approve: now the actual and the dashboard change.
        staff.goto("/en/pilots/mfi-reports/")
        staff.get_by_role("link", name="April 2011").click()
        staff.get_by_role("button", name="Approve: these figures count").click()
        assert "approved" in staff.locator(".messages").inner_text()
        staff.goto("/en/pilots/microseguro/")
        assert "52,000" in _actual(staff, clients)
        assert _dashboard_has(staff, "52,000")

        # Anyone can see where the figure comes from and who approved it.
        member.goto("/en/pilots/microseguro/")
        member.locator(f"tr[data-indicator='{clients.pk}'] details.figure-source summary").click()
        source = member.locator(f"tr[data-indicator='{clients.pk}'] details.figure-source").inner_text()
        assert "Cooperativa Andina" in source and "Approved by Ana Programas" in source
    finally:
        for ctx in (desktop, phone, office):
            ctx.close()
