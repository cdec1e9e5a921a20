"""The association's own details (Settings › Association in the Wagtail admin): what the reports
print in their letterhead."""

import pytest
from django.test import Client
from wagtail.models import Site

from portal.models import AssociationSettings
from tests.factories import DonorFactory, StaffFactory
from tests.pilots.factories import InnovationFactory

pytestmark = pytest.mark.django_db


def test_staff_name_the_association_in_the_admin_and_reports_carry_it():
    site = Site.objects.get(is_default_site=True)
    url = f"/admin/settings/portal/associationsettings/{site.pk}/"
    staff = Client()
    staff.force_login(StaffFactory())
    assert staff.get(url).status_code == 200
    form = {"name": "Red Financiera Rural", "short_name": "RFR", "website": "https://rfr.example", "logo": ""}
    assert staff.post(url, form).status_code == 302
    assert AssociationSettings.for_site(site).display_name == "Red Financiera Rural (RFR)"
    InnovationFactory(slug="pensions")
    report = Client().get("/en/pilots/pensions/reports/2024-S1/").content.decode()
    assert "<strong>Red Financiera Rural (RFR)</strong>" in report and "https://rfr.example" in report
    # Only staff edit it.
    donor = Client()
    donor.force_login(DonorFactory())
    assert donor.get(url).status_code in (302, 403)


@pytest.mark.parametrize(
    ("name", "short_name", "shown"),
    [("Red Financiera Rural", "RFR", "Red Financiera Rural (RFR)"), ("REDCAMIF", "", "REDCAMIF"), ("", "RFR", "RFR")],
)
def test_the_association_is_named_by_what_is_set(name, short_name, shown):
    assert AssociationSettings(name=name, short_name=short_name).display_name == shown
