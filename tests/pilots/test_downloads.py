"""Every CSV the innovation pages and the dashboard serve opens as columns in a Spanish
spreadsheet (";" and decimal commas, with a BOM) and reads as always in English; XLSX keeps
real numbers and dates (portal.downloads)."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from pilots.exports import SUMMARY_TABLES
from pilots.models import Visibility
from tests.downloads import english_rows, spanish_rows
from tests.pilots.factories import (
    ContributionFactory,
    IndicatorFactory,
    InnovationFactory,
    MeasurementFactory,
    ParticipationFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db
DASHBOARD = "/pilots/dashboard/"


def rfr(visibility=Visibility.PUBLIC):
    """RFR: 51,000 insured clients of 58,500 (87.2 %); satisfaction 87.5 % of a 90 % target."""
    innovation = InnovationFactory(title="RFR", slug="rfr", visibility=visibility, started_on=datetime.date(2008, 9, 1))
    clients = IndicatorFactory(
        innovation=innovation, name="Clientes asegurados", name_en="Insured clients", counted="clients", order=1
    )
    TargetFactory(indicator=clients, value=Decimal(58500), due_date=datetime.date(2010, 12, 31))
    MeasurementFactory(indicator=clients, value=Decimal(51000), measured_on=datetime.date(2011, 3, 31))
    satisfaction = IndicatorFactory(
        innovation=innovation, name="Satisfacción", name_en="Satisfaction", unit="percent", order=2
    )
    TargetFactory(indicator=satisfaction, value=Decimal(90), due_date=datetime.date(2011, 12, 31))
    MeasurementFactory(indicator=satisfaction, value=Decimal("87.50"), measured_on=datetime.date(2011, 6, 30))
    return innovation


def row_of(rows: list[list[str]], first: str, column: int = 0) -> list[str]:
    return next(row for row in rows if row[column] == first)


INTERNAL_CODES = {"pilot", "count", "percent", "donors", "clients", "rfr"}


def test_the_innovation_numbers_as_a_member_sees_them(member_client, member_user):
    """A member's MFI takes part in a restricted innovation: its page's numbers, in both languages,
    with labels (never the codes stored behind them)."""
    innovation = rfr(Visibility.DONORS)
    ParticipationFactory(innovation=innovation, institution=member_user.institution)

    spanish = spanish_rows(member_client.get("/pilots/rfr/indicators.csv"))
    assert len(spanish[0]) == 13
    clients = row_of(spanish, "Clientes asegurados")
    assert clients[3:8] == ["58500", "31/12/2010", "51000", "31/03/2011", "87,2"]
    assert row_of(spanish, "Satisfacción")[5] == "87,5"
    assert not INTERNAL_CODES & {cell for row in spanish for cell in row}

    english = english_rows(member_client.get("/en/pilots/rfr/indicators.csv"))
    assert english[0][:4] == ["Indicator", "Unit", "Target stage", "Target"]
    clients = row_of(english, "Insured clients")
    assert clients[1:8] == ["Count", "Pilot", "58500", "12/31/2010", "51000", "03/31/2011", "87.2"]
    assert row_of(english, "Satisfaction")[5] == "87.5"
    assert not INTERNAL_CODES & {cell for row in english for cell in row}


def test_the_full_series_as_a_member_sees_it(member_client, member_user):
    innovation = rfr(Visibility.DONORS)
    mfi = ParticipationFactory(innovation=innovation, institution=member_user.institution)
    loan = IndicatorFactory(
        innovation=innovation, name="Préstamo promedio", name_en="Average loan", unit="money", currency="USD", order=3
    )
    MeasurementFactory(
        indicator=loan, participation=mfi, value=Decimal("8600.50"), measured_on=datetime.date(2011, 9, 30)
    )

    spanish = spanish_rows(member_client.get("/pilots/rfr/series.csv"))
    assert spanish[0] == ["Indicador", "Fila", "Fecha", "Valor", "Unidad", "Etapa", "Fuente", "Institución"]
    assert [row[2:4] for row in spanish if row[0] == "Satisfacción"] == [["31/12/2011", "90"], ["30/06/2011", "87,5"]]
    # no thousands point, which a spreadsheet would read as text
    assert row_of(spanish, "Préstamo promedio")[2:4] == ["30/09/2011", "8600,5"]
    assert row_of(spanish, "Préstamo promedio")[7] == member_user.institution.name
    assert not INTERNAL_CODES & {cell for row in spanish for cell in row}

    english = english_rows(member_client.get("/en/pilots/rfr/series.csv"))
    assert english[0] == ["Indicator", "Row", "Date", "Value", "Unit", "Stage", "Source", "Institution"]
    assert [row[2:4] for row in english if row[0] == "Satisfaction"] == [["12/31/2011", "90"], ["06/30/2011", "87.5"]]
    assert row_of(english, "Average loan")[2:4] == ["09/30/2011", "8600.5"]

    for url in ("/pilots/rfr/series.xlsx", "/en/pilots/rfr/series.xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(member_client.get(url).content)).active
        values = [row[2:4] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1] in ("Actual", "Real")]
        assert (datetime.datetime(2011, 9, 30), 8600.5) in values and (datetime.datetime(2011, 3, 31), 51000) in values


def test_the_dashboard_targets_as_a_donor_sees_them(donor_client):
    rfr()
    spanish = spanish_rows(donor_client.get(DASHBOARD, {"format": "csv"}))
    assert len(spanish[0]) == 13
    assert row_of(spanish, "Clientes asegurados", 2)[3:8] == ["58500", "31/12/2010", "51000", "31/03/2011", "87,2"]

    english = english_rows(donor_client.get(f"/en{DASHBOARD}", {"format": "csv"}))
    assert english[0][:3] == ["Innovation", "Stage", "Indicator"]
    assert row_of(english, "Insured clients", 2)[3:8] == ["58500", "12/31/2010", "51000", "03/31/2011", "87.2"]


def test_the_dashboard_targets_xlsx_has_real_numbers_and_dates(donor_client):
    rfr()
    for url in (DASHBOARD, f"/en{DASHBOARD}"):
        sheet = openpyxl.load_workbook(io.BytesIO(donor_client.get(url, {"format": "xlsx"}).content)).active
        row = next(r for r in sheet.iter_rows(min_row=2) if r[2].value in ("Clientes asegurados", "Insured clients"))
        target, due, actual, actual_date, percent = (cell.value for cell in row[3:8])
        assert (target, actual, percent) == (58500, 51000, 87.2)
        assert all(cell.data_type == "n" for cell in (row[3], row[5], row[7]))
        assert (due, actual_date) == (datetime.datetime(2010, 12, 31), datetime.datetime(2011, 3, 31))
        assert row[4].is_date and row[6].is_date


@pytest.mark.parametrize("table", list(SUMMARY_TABLES))
def test_every_dashboard_breakdown_opens_as_columns_in_spanish_and_english(donor_client, donor_user, table):
    innovation = rfr()
    ContributionFactory(innovation=innovation, funder=donor_user.funder, amount=Decimal("1500.50"), currency="USD")
    spanish = spanish_rows(donor_client.get(DASHBOARD, {"table": table, "format": "csv"}))
    english = english_rows(donor_client.get(f"/en{DASHBOARD}", {"table": table, "format": "csv"}))
    assert len(spanish) == len(english) > 1 and len(spanish[0]) == len(english[0]) == len(SUMMARY_TABLES[table][2])
    # the numbers are the same, written with each language's decimal mark
    assert [[cell.replace(",", ".") for cell in row[1:]] for row in spanish[1:]] == [row[1:] for row in english[1:]]
    if table == "reach":
        assert spanish[1][1:4] == ["51000", "58500", "87,2"] and english[1][1:4] == ["51000", "58500", "87.2"]
    if table == "funding":
        assert spanish[1][2] == "1500,5" and english[1][2] == "1500.5"
