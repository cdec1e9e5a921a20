"""Tables as downloads (CSV or XLSX), in the dialect the reader's spreadsheet expects.

Every download of the portal (the dashboard's tables, an innovation's numbers and full
series, a survey round's answers, results and trends) is a `tablib.Dataset` of plain
values, numbers as numbers and dates as dates, answered by `download`. This module is the
one place that decides how those values are written:

- **CSV** follows the page's language. Where the language writes decimals after a comma
  (Spanish: Django's `DECIMAL_SEPARATOR`), spreadsheets set to it split fields on ";" and
  read "87,5" as a number, and Excel reads UTF-8 only after a byte-order mark: so a Spanish
  CSV is UTF-8 with a BOM, ";"-separated, with decimal commas. Other languages (English)
  get what they always got: ","-separated, decimal points, no BOM, so scripts reading the
  `/en/` files keep working.
- Numbers carry no thousands separator (8600,5, not 8.600,5: a point between thousands is
  read differently by each program, and as a decimal point by most scripts) and no
  meaningless decimals: 58500.00 clients are written 58500, 87.50 % as 87,5 (Spanish) or
  87.5 (English). Dates are written as the language writes them (31/03/2011, 03/31/2011);
  a time of day in the portal's time zone.
- **XLSX** keeps real numeric cells and real date cells (in the portal's time zone: Excel
  has none), which each spreadsheet shows in its own locale.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.formats import date_format, get_format

BOM = "\ufeff"
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class CsvDialect:
    """How a CSV is written for one language: field separator, decimal mark, byte-order mark."""

    delimiter: str
    decimal: str
    bom: bool


def csv_dialect(language: str | None = None) -> CsvDialect:
    """The CSV dialect of `language` (by default the active one): ";" and a BOM where decimals
    are written after a comma, as spreadsheets in that language expect; "," otherwise."""
    with translation.override(language or translation.get_language()):
        decimal = get_format("DECIMAL_SEPARATOR")
    if decimal == ",":
        return CsvDialect(delimiter=";", decimal=",", bom=True)
    return CsvDialect(delimiter=",", decimal=".", bom=False)


def _plain(value):
    """A number without meaningless decimals: 58500.00 and 3.0 as the integers they are, 87.50 as 87.5."""
    if isinstance(value, Decimal) and value.is_finite():
        return int(value) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_cell(value, dialect: CsvDialect):
    """One value as the CSV of `dialect` writes it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | datetime.date):
        return value
    if isinstance(value, datetime.datetime):
        return date_format(_local(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    value = _plain(value)
    if isinstance(value, int):
        return str(value)
    # Fixed-point (never 1E+1), the digits as stored or as Python rounds a float.
    text = format(value if isinstance(value, Decimal) else Decimal(repr(value)), "f")
    return text.replace(".", dialect.decimal)


def xlsx_cell(value):
    """One value as an XLSX cell takes it: numbers and dates stay themselves."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).replace(tzinfo=None)
    if isinstance(value, bool):
        return value
    return _plain(value)


def export(data: tablib.Dataset, fmt: str, *, language: str | None = None) -> str | bytes:
    """`data` as a CSV (text) in the dialect of `language` or the active one, or as XLSX (bytes)."""
    if fmt == "csv":
        dialect = csv_dialect(language)
        with translation.override(language or translation.get_language()):
            rows = [[csv_cell(value, dialect) for value in row] for row in data]
        text = tablib.Dataset(*rows, headers=data.headers).export("csv", delimiter=dialect.delimiter)
        return BOM + text if dialect.bom else text
    if fmt == "xlsx":
        rows = [[xlsx_cell(value) for value in row] for row in data]
        return tablib.Dataset(*rows, headers=data.headers, title=data.title).export("xlsx")
    raise ValueError(f"Unknown download format: {fmt}")


def download(data: tablib.Dataset, *, filename: str, fmt: str) -> HttpResponse:
    """`data` as an attachment named `filename`.`fmt` (csv or xlsx), for the page's language."""
    response = HttpResponse(export(data, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
