"""Issue 28's journey in a browser: the member reports its semester typed the Spanish way on a
phone, staff approve it, the member reads where it stands among its peers; a donor reads the
bulletin and finds no institution named in it.

The peers (Ecuador, small) and the worked quartiles are those of
tests/pilots/test_benchmarking_pages.py: PAR30 of 2 %, 4 % and 5 % and the member's
136.400 / 2.200.000 = 6,2 % → the worst quarter."""

import pytest

from tests.browser.conftest import login
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory
from tests.pilots.test_benchmarking_pages import PEER_NAMES, TYPED_ES, approved_report


@pytest.mark.django_db(transaction=True)
def test_member_reports_staff_approve_member_sees_its_quarter_donor_sees_no_names(browser, live_server):
    StaffFactory(username="ana", first_name="Ana", last_name="Programas")
    andina = MemberInstitutionFactory(name="Cooperativa Andina", country="EC", institution_type="cooperative")
    MemberUserFactory(username="luis", institution=andina, first_name="Luis", last_name="Andina")
    DonorFactory(username="carmen")
    for name, par30 in zip(PEER_NAMES, (2, 4, 5), strict=True):
        approved_report(MemberInstitutionFactory(name=name, country="EC"), par30_percent=par30)

    def context(**options):
        ctx = browser.new_context(base_url=live_server.url, **options)
        page = ctx.new_page()
        page.set_default_timeout(15_000)
        return ctx, page

    phone, member = context(viewport={"width": 390, "height": 844}, is_mobile=True)
    office, staff = context(viewport={"width": 1280, "height": 900})
    home, donor = context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        # On a phone, in Spanish, the member types its figures, saves, comes back and submits.
        login(member, "luis")
        member.goto("/benchmarking/report/2011-1/")
        for name, typed in TYPED_ES.items():
            member.fill(f"#id_{name}", typed)
        member.locator("button[name=action][value=save]").click()
        member.goto("/benchmarking/report/2011-1/")
        assert member.locator("#id_write_offs").input_value() == "8.600,50"
        assert member.locator("#id_active_borrowers").input_value() == "18.500"  # eighteen thousand five hundred
        assert member.locator("#id_net_operating_income").input_value() == "-2.500,75"
        assert member.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        member.locator("button[name=action][value=submit]").click()

        # Staff find it waiting, read its ratios and approve it.
        login(staff, "ana")
        staff.goto("/en/benchmarking/staff/")
        queue = staff.locator("table.queue")
        assert "Cooperativa Andina" in queue.inner_text()
        queue.get_by_role("link", name="January–June 2011").click()
        assert "6.2 %" in staff.locator("main").inner_text()  # PAR30 = 136,400 / 2,200,000
        staff.get_by_role("button", name="Approve: these ratios count").click()

        # The member reads where it stands, in Spanish numbers.
        member.goto("/en/benchmarking/?semester=2011-1")
        standing = member.locator("main").inner_text()
        assert "Your PAR30 (6.2 %) is in the worst quarter" in standing
        member.goto("/benchmarking/?semester=2011-1")  # and in Spanish, as the member reads it
        assert "Su PAR30 (6,2 %) está en el cuartil menos favorable" in member.locator("main").inner_text()

        # A donor reads the bulletin: the groups' quartiles, and no institution's name anywhere.
        login(donor, "carmen")
        donor.goto("/en/benchmarking/bulletin/")
        bulletin = donor.content()
        assert "All reporting members" in bulletin
        for name in (*PEER_NAMES, "Cooperativa Andina"):
            assert name not in bulletin
    finally:
        phone.close()
        office.close()
        home.close()
