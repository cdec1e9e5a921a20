"""What a spreadsheet reads from a CSV download, in Spanish and in English (portal.downloads),
and what a reader of a PDF download sees in it."""

import codecs
import csv
import io

from pypdf import PdfReader


def spanish_rows(response) -> list[list[str]]:
    """The rows of a Spanish CSV, checked the way Spanish Excel/LibreOffice open it: UTF-8 with a
    byte-order mark, fields separated by ";" (what `csv.Sniffer` finds), every row as wide as the header."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.content
    assert body.startswith(codecs.BOM_UTF8)
    text = body.decode("utf-8-sig")
    assert csv.Sniffer().sniff(text).delimiter == ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows[0]) > 1 and all(len(row) == len(rows[0]) for row in rows)
    return rows


def english_rows(response) -> list[list[str]]:
    """The rows of an English CSV: as always, UTF-8 without a byte-order mark, separated by ","."""
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert csv.Sniffer().sniff(text).delimiter == ","
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows[0]) > 1 and all(len(row) == len(rows[0]) for row in rows)
    return rows


def pdf_pages(response) -> list[str]:
    """The text of each page of a PDF download as a PDF reader extracts it (pypdf), spaces collapsed."""
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages]


def pdf_images(response, page: int = 0) -> int:
    """How many pictures (the logo; charts are drawn, not pictures) the PDF's page holds."""
    return len(PdfReader(io.BytesIO(response.content)).pages[page].images)
