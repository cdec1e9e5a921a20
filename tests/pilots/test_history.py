"""The history of every change to the tracker (django-simple-history): who, when, before and
after; shown to staff on the innovation page and in the admin, to nobody else."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from pilots import services
from pilots.history import changes
from tests.factories import DonorFactory, StaffFactory

from .factories import IndicatorFactory, InnovationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited_twice(db):
    """A measurement logged by Ana, corrected by Ana, then corrected again by Luis."""
    innovation = InnovationFactory(title="Microseguro", slug="microseguro", started_on=datetime.date(2010, 1, 1))
    indicator = IndicatorFactory(innovation=innovation, name="Asegurados", unit="count")
    ana = StaffFactory(username="ana", first_name="Ana", last_name="Programas")
    luis = StaffFactory(username="luis", first_name="Luis", last_name="Datos")
    measurement = services.measurement_record(
        indicator=indicator, measured_on=datetime.date(2011, 3, 31), value=Decimal(50000), source="Informe", user=ana
    )
    services.measurement_update(measurement=measurement, user=ana, value=Decimal(51000))
    services.measurement_update(measurement=measurement, user=luis, value=Decimal(51500), source="Informe corregido")
    return innovation, measurement


def test_a_measurement_edited_twice_has_three_records_with_who_and_what_changed(edited_twice):
    innovation, measurement = edited_twice
    assert measurement.history.count() == 3
    found = [c for c in changes(innovation=innovation) if c.what == "measurement"]
    assert [(c.kind, c.who) for c in found] == [
        ("changed", "Luis Datos"),
        ("changed", "Ana Programas"),
        ("created", "Ana Programas"),
    ]
    latest, first_edit, _created = found
    assert ("value", "51000.00", "51500.00") in latest.fields
    assert ("source", "Informe", "Informe corregido") in latest.fields
    assert first_edit.fields == [("value", "50000.00", "51000.00")]
    assert latest.item.startswith("Asegurados: 51500")


def test_staff_see_the_history_on_the_innovation_page_no_one_else(edited_twice):
    staff = Client()
    staff.force_login(StaffFactory())
    page = staff.get("/en/pilots/microseguro/").content.decode()
    assert 'id="history"' in page and "Luis Datos" in page
    assert "<del>51000.00</del> → <ins>51500.00</ins>" in page
    donor = Client()
    donor.force_login(DonorFactory())
    for client in (Client(), donor):
        assert 'id="history"' not in client.get("/en/pilots/microseguro/").content.decode()


def test_the_admin_lists_changes_for_staff_only(edited_twice, staff_client):
    response = staff_client.get("/admin/change-history/", {"innovation": "microseguro"})
    assert response.status_code == 200
    assert "Luis Datos" in response.content.decode()
    outsider = Client()
    outsider.force_login(DonorFactory())
    assert outsider.get("/admin/change-history/").status_code in (302, 403)


def test_the_history_takes_the_same_queries_for_few_or_many_changes(edited_twice, django_assert_max_num_queries):
    innovation, measurement = edited_twice
    # indicators, MFIs; per model (innovations … MFI reports, their values) its records and their previous versions
    with django_assert_max_num_queries(20) as few:
        changes(innovation=innovation)
    for value in range(10):
        services.measurement_update(measurement=measurement, user=StaffFactory(), value=Decimal(52000 + value))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(changes(innovation=innovation)) == 13 + 1  # the innovation's own creation too


def test_release_gives_rows_older_than_the_history_a_starting_point(db):
    """Data from before the history (an upgrade): `release` gives each row a first record, so a
    later change shows what it was before."""
    from io import StringIO

    from django.core.management import call_command

    from pilots.models import Measurement

    indicator = IndicatorFactory(name="Asegurados")
    old = Measurement.objects.create(
        indicator=indicator, measured_on=datetime.date(2021, 3, 31), value=Decimal(1), source="x"
    )
    old.history.all().delete()  # as if it predated the history
    call_command("release", stdout=StringIO())
    assert old.history.count() == 1
    services.measurement_update(measurement=old, user=StaffFactory(), value=Decimal(2))
    [latest] = [c for c in changes(innovation=indicator.innovation) if c.what == "measurement"][:1]
    assert latest.fields == [("value", "1.00", "2.00")]
