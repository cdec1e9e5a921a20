"""The history of every change to the tracker (django-simple-history): who, when, before and
after; shown to staff on the innovation page and in the admin, to nobody else."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation

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
    assert ("value", "51,000", "51,500") in latest.fields  # as English writes numbers
    assert ("source", "Informe", "Informe corregido") in latest.fields
    assert first_edit.fields == [("value", "50,000", "51,000")]
    assert latest.item.startswith("Asegurados: 51,500")


def test_staff_see_the_history_on_the_innovation_page_no_one_else(edited_twice):
    staff = Client()
    staff.force_login(StaffFactory())
    page = staff.get("/en/pilots/microseguro/").content.decode()
    assert 'id="history"' in page and "Luis Datos" in page
    assert "<del>51,000</del> → <ins>51,500</ins>" in page
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
    assert latest.fields == [("value", "1", "2")]


def test_a_spanish_history_reads_as_the_page_speaks(client, staff_user, member_user, monkeypatch):
    """Names, not ids; stage names, not codes; local time to the minute, not UTC with
    microseconds; numbers as Spanish writes them; a file's name, not where it is stored."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from pilots.cycle import Stage
    from pilots.reporting import services as reporting
    from pilots.reporting.services import Entry

    from .factories import ParticipationFactory

    moment = datetime.datetime(2026, 12, 5, 14, 3, 22, 123456, tzinfo=datetime.UTC)  # 09:03 in Guayaquil
    # Everything the changes act on exists an hour before them, whatever the clock says today.
    with monkeypatch.context() as earlier:
        earlier.setattr(timezone, "now", lambda: moment - datetime.timedelta(hours=1))
        innovation = InnovationFactory(slug="microseguro", stage=Stage.PILOT, started_on=datetime.date(2010, 1, 1))
        clients = IndicatorFactory(innovation=innovation, name="Asegurados", unit="count")
        luis = StaffFactory(username="luis", first_name="Luis", last_name="Datos")
        reporting.reporting_plan_save(
            innovation=innovation, user=luis, frequency="monthly", first_period=datetime.date(2021, 1, 1)
        )
        participation = ParticipationFactory(innovation=innovation, institution=member_user.institution)
        reporting.reported_indicators_set(participation=participation, indicators=[clients], user=luis)

    def save(value, **extra):
        return reporting.report_save_draft(
            participation=participation,
            period_start=datetime.date(2021, 4, 1),
            entries={clients.pk: Entry(value=Decimal(value))},
            comment="",
            user=member_user,
            **extra,
        )

    with monkeypatch.context() as frozen:
        frozen.setattr(timezone, "now", lambda: moment)
        services.innovation_advance_stage(
            innovation=innovation, to_stage=Stage.EVALUATE, user=luis, decided_on=datetime.date(2011, 3, 31)
        )
        report = save(8500, version=None)
        report = save(8600, version=report.version, attachment=SimpleUploadedFile("respaldo.pdf", b"%PDF-1.4"))
        reporting.report_submit(report=report, version=report.version, user=member_user)
        reporting.report_return(report=report, user=luis, comment="Revisar abril")

    client.force_login(staff_user)
    page = client.get("/pilots/microseguro/").content.decode()
    history = page[page.index('id="history"') :]
    assert "Experimentación en la fase piloto → Evaluación (31/03/2011)" in history  # the stage names, in Spanish
    assert "<del>Experimentación en la fase piloto</del> → <ins>Evaluación</ins>" in history  # the innovation's stage
    assert "Luis Datos" in history and "<ins>Luis Datos</ins>" in history  # reviewed by: a name, not an id
    assert "05/12/2026 09:03" in history and "14:03" not in history and "123456" not in history
    assert "<del>8.500</del> → <ins>8.600</ins>" in history and "8600.00" not in history
    assert "<ins>respaldo.pdf</ins>" in history and "mfi-reports/" not in history
    with translation.override("en"):  # the request left Spanish active
        [stage] = [c for c in changes(innovation=innovation) if c.what == "innovation" and c.fields]
    assert stage.fields == [("current stage", "Pilot", "Evaluate")]  # in English where English is active


def test_linked_records_and_lists_read_by_name(edited_twice):
    """An MFI linked to a measurement reads by its name; an innovation's countries by theirs."""
    innovation, measurement = edited_twice
    from .factories import ParticipationFactory

    participation = ParticipationFactory(innovation=innovation, institution__name="Banco Solidario")
    measurement.participation = participation  # any save is in the history; no service rule is under test
    measurement._history_user = StaffFactory()
    measurement.save()
    innovation._history_user = StaffFactory(first_name="Eva", last_name="Editora")
    innovation.countries = ["EC", "PE"]
    innovation.save()
    found = changes(innovation=innovation)
    assert any(("participant MFI", "—", "Banco Solidario") in c.fields for c in found)
    [countries] = [c for c in found if c.what == "innovation" and c.fields]
    assert countries.who == "Eva Editora"
    assert countries.fields == [("countries", "Ecuador", "Ecuador, Peru")]
