"""The one rule for every download: a CSV in the dialect of the reader's spreadsheet, XLSX with
real numbers and dates (portal.downloads)."""

import codecs
import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
import tablib
from django.utils import timezone, translation

from portal.downloads import csv_dialect, download, export


def table() -> tablib.Dataset:
    data = tablib.Dataset(headers=["Name", "Clients", "Share (%)", "Amount", "Due", "Submitted"], title="Worked")
    data.append(
        [
            "Caja Sur; Norte",  # the separator inside a cell is quoted, not a new column
            Decimal("58500.00"),  # a whole number stored with cents
            Decimal("87.50"),
            8600.5,
            datetime.date(2011, 3, 31),
            timezone.make_aware(datetime.datetime(2011, 3, 31, 9, 30)),  # in the portal's time zone
        ]
    )
    data.append(["Sin datos", 120, 3.0, None, None, None])
    return data


def test_each_language_has_its_dialect():
    assert (csv_dialect("es").delimiter, csv_dialect("es").decimal, csv_dialect("es").bom) == (";", ",", True)
    assert (csv_dialect("en").delimiter, csv_dialect("en").decimal, csv_dialect("en").bom) == (",", ".", False)
    with translation.override("es"):
        assert csv_dialect() == csv_dialect("es")


def test_a_spanish_csv_opens_as_columns_in_a_spanish_spreadsheet():
    """Worked example: 8600.5 is written 8600,5 (no thousands point, which a spreadsheet would
    read as text), 58500.00 clients 58500, 87.50 % 87,5; dates as Spanish writes them."""
    body = export(table(), "csv", language="es").encode()
    assert body.startswith(codecs.BOM_UTF8)
    text = body.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text).delimiter == ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows == [
        ["Name", "Clients", "Share (%)", "Amount", "Due", "Submitted"],
        ["Caja Sur; Norte", "58500", "87,5", "8600,5", "31/03/2011", "31/03/2011 09:30"],
        ["Sin datos", "120", "3", "", "", ""],
    ]


def test_an_english_csv_is_as_it_always_was():
    text = export(table(), "csv", language="en")
    assert not text.startswith("\ufeff")
    assert csv.Sniffer().sniff(text).delimiter == ","
    assert list(csv.reader(io.StringIO(text)))[1:] == [
        ["Caja Sur; Norte", "58500", "87.5", "8600.5", "03/31/2011", "03/31/2011 9:30 a.m."],
        ["Sin datos", "120", "3", "", "", ""],
    ]


def test_xlsx_keeps_real_numbers_and_dates_whatever_the_language():
    for language in ("es", "en"):
        sheet = openpyxl.load_workbook(io.BytesIO(export(table(), "xlsx", language=language))).active
        assert sheet.title == "Worked"
        name, clients, share, amount, due, submitted = (cell.value for cell in sheet[2])
        assert (clients, share, amount) == (58500, 87.5, 8600.5)
        assert (sheet["B2"].data_type, sheet["C2"].data_type) == ("n", "n")
        assert due == datetime.datetime(2011, 3, 31) and sheet["E2"].is_date
        # Excel has no time zones: the time as the portal's zone reads it (not UTC).
        assert submitted == datetime.datetime(2011, 3, 31, 9, 30) and sheet["F2"].is_date


def test_the_response_is_an_attachment_in_the_active_language():
    with translation.override("es"):
        response = download(table(), filename="worked", fmt="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="worked.csv"'
    assert response.content.startswith(codecs.BOM_UTF8) and b";87,5;" in response.content
    with translation.override("en"):
        assert download(table(), filename="worked", fmt="xlsx")["Content-Type"].startswith("application/vnd.openxml")
    with pytest.raises(ValueError):
        export(table(), "pdf")
