"""The public peer bulletin as files (CSV, XLSX) and in the JSON API: the numbers of the page,
written the reader's way, the same for everyone, naming no institution.

The semester of the example (January–June 2011): four small Ecuadorian NGOs, each with a gross
portfolio of 2,000,000 US dollars at the end and PAR>30 of 40,000, 80,000, 100,000 and 124,000,
so PAR30 2 %, 4 %, 5 % and 6.2 %. Every dimension but age puts the four in one group of 4.
Quartiles by the inclusive method of [2, 4, 5, 6.2]: positions 1 + k × 3/4 = 1.75, 2.5, 3.25 →
q1 = 2 + 0.75 × (4 − 2) = 3.5, median = 4 + 0.5 × (5 − 4) = 4.5, q3 = 5 + 0.25 × (6.2 − 5) = 5.3.

Two of them have no loan officer recorded as 0 (a zero denominator), so only two have a
borrowers-per-officer ratio: that cell is not published (fewer than 3). By age, three were
founded in 2000 (mature) and one in 2009 (new, 2 years old): the new group of 1 is hidden, and
so is the mature one, whose 3 could give the 1 away by subtraction from the 4 of "all".

The semester before (July–December 2010): three of them, PAR30 1 %, 2 %, 3 % → q1 1.5,
median 2, q3 2.5.
"""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.utils import timezone

from pilots.models import FinancialReport, ReportState
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory

JAN_2011, JUN_2011 = datetime.date(2011, 1, 1), datetime.date(2011, 6, 30)
JUL_2010, DEC_2010 = datetime.date(2010, 7, 1), datetime.date(2010, 12, 31)
NAMES = ("Crediamigo Andino", "Fondo Solidario Sur", "Banco Rural Esperanza", "Cooperativa Nueva Luz")
PAR30_AMOUNTS = (40_000, 80_000, 100_000, 124_000)  # of 2,000,000: 2 %, 4 %, 5 %, 6.2 %
API = "/api/v1/benchmarking/bulletin/"
ROLES = ("anonymous", "member", "donor", "staff")

FIGURES = {  # one small MFI's semester, in US dollars
    "gross_portfolio_start": Decimal(1_800_000),
    "gross_portfolio_end": Decimal(2_000_000),
    "write_offs": Decimal(20_000),
    "active_borrowers": 8_000,
    "loan_officers": 40,
    "loan_revenue": Decimal(300_000),
    "financial_expense": Decimal(60_000),
    "loan_loss_provision": Decimal(30_000),
    "operating_expense": Decimal(180_000),
    "average_assets": Decimal(2_500_000),
    "average_equity": Decimal(500_000),
    "net_operating_income": Decimal(25_000),
}


def approved(institution, *, par30: int, start=JAN_2011, end=JUN_2011, **figures):
    return FinancialReport.objects.create(
        institution=institution,
        period_start=start,
        period_end=end,
        state=ReportState.APPROVED,
        submitted_at=timezone.now(),
        reviewed_at=timezone.now(),
        **(FIGURES | {"portfolio_at_risk_30": Decimal(par30)} | figures),
    )


@pytest.fixture
def bulletin(db):
    institutions = [
        MemberInstitutionFactory(name=name, country="EC", founded=founded)
        for name, founded in zip(NAMES, (2000, 2000, 2000, 2009), strict=True)
    ]
    for index, (institution, par30) in enumerate(zip(institutions, PAR30_AMOUNTS, strict=True)):
        approved(institution, par30=par30, **({"loan_officers": 0} if index < 2 else {}))
    for institution, par30 in zip(institutions, (20_000, 40_000, 60_000), strict=False):
        approved(institution, par30=par30, start=JUL_2010, end=DEC_2010)
    return institutions


def rows_of(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def as_role(role: str) -> Client:
    client = Client()
    user = {"member": MemberUserFactory, "donor": DonorFactory, "staff": StaffFactory}.get(role)
    if user:
        client.force_login(user())
    return client


def assert_no_institution_in(text: str) -> None:
    for name in NAMES:
        assert name not in text
    for own_figure in ("124000", "124.000", "124,000", "2000000", "2.000.000", "8000", "8.000"):
        assert own_figure not in text


class TestFiles:
    def test_csv_in_spanish_has_semicolons_and_decimal_commas(self, bulletin):
        response = Client().get("/benchmarking/bulletin/2011-1.csv")
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="peer-bulletin-2011-1.csv"' in response["Content-Disposition"]
        text = response.content.decode("utf-8")
        assert text.startswith("\ufeff")
        rows = rows_of(text, ";")
        assert len(rows[0]) == 11
        # First published group: all members; first ratio: PAR30. Institutions, then the
        # ratio's own count, q1, median and q3.
        assert rows[1][3] == "4"
        assert rows[1][6:10] == ["4", "3,5", "4,5", "5,3"]
        assert_no_institution_in(text)

    def test_csv_in_english(self, bulletin):
        text = Client().get("/en/benchmarking/bulletin/2011-1.csv").content.decode()
        rows = rows_of(text, ",")
        assert rows[0] == [
            "Semester",
            "Dimension",
            "Peer group",
            "Institutions",
            "Ratio",
            "Unit",
            "Institutions with this ratio",
            "First quartile",
            "Median",
            "Third quartile",
            "Note",
        ]
        assert rows[1] == [
            "January–June 2011",
            "All reporting members",
            "All reporting members",
            "4",
            "Portfolio at risk > 30 days (PAR30)",
            "percent",
            "4",
            "3.5",
            "4.5",
            "5.3",
            "",
        ]
        officers = next(row for row in rows if row[2] == "All reporting members" and row[4].startswith("Borrowers"))
        assert officers[6:10] == ["", "", "", ""]
        assert "fewer than 3" in officers[10]
        dimensions = {row[1] for row in rows[1:]}
        assert "Age" not in dimensions  # both age groups hidden: not even named
        assert {"All reporting members", "Region", "Country", "Size", "Institution type"} <= dimensions

    def test_the_semester_before(self, bulletin):
        rows = rows_of(Client().get("/en/benchmarking/bulletin/2010-2.csv").content.decode(), ",")
        assert rows[1][0] == "July–December 2010"
        assert rows[1][3] == "3"
        assert rows[1][7:10] == ["1.5", "2", "2.5"]

    def test_xlsx_has_numeric_cells(self, bulletin):
        response = Client().get("/en/benchmarking/bulletin/2011-1.xlsx")
        assert response.status_code == 200
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert rows[1][3] == 4
        assert rows[1][6:10] == (4, 3.5, 4.5, 5.3)
        assert all(isinstance(value, int | float) for value in rows[1][6:10])
        assert_no_institution_in(" ".join(str(value) for row in rows for value in row if value is not None))

    def test_a_semester_without_approved_reports_has_no_file(self, bulletin):
        assert Client().get("/en/benchmarking/bulletin/2005-1.csv").status_code == 404
        assert Client().get("/en/benchmarking/bulletin/2011-3.csv").status_code == 404

    def test_the_page_links_to_the_files_and_the_api(self, bulletin):
        html = Client().get("/en/benchmarking/bulletin/?semester=2010-2").content.decode()
        assert 'href="/en/benchmarking/bulletin/2010-2.csv"' in html
        assert 'href="/en/benchmarking/bulletin/2010-2.xlsx"' in html
        assert f'href="{API}?semester=2010-2"' in html


def cell(group: dict, ratio: str) -> dict:
    return next(cell for cell in group["cells"] if cell["ratio"] == ratio)


def dimension(data: dict, key: str) -> dict:
    return next(d for d in data["dimensions"] if d["key"] == key)


class TestApi:
    def test_the_latest_semester_by_default(self, bulletin):
        response = Client().get(API, headers={"accept-language": "en"})
        assert response.status_code == 200
        data = response.json()
        assert data["semester"] == {
            "code": "2011-1",
            "label": "January–June 2011",
            "start": "2011-01-01",
            "end": "2011-06-30",
        }
        assert [s["code"] for s in data["semesters"]] == ["2011-1", "2010-2"]
        everyone = dimension(data, "all")
        assert everyone["hidden_groups"] == 0
        [group] = everyone["groups"]
        assert group["institutions"] == 4
        assert cell(group, "par30") == {
            "ratio": "par30",
            "suppressed": False,
            "institutions": 4,
            "q1": 3.5,
            "median": 4.5,
            "q3": 5.3,
        }
        assert cell(group, "borrowers_per_officer") == {
            "ratio": "borrowers_per_officer",
            "suppressed": True,
            "institutions": None,
            "q1": None,
            "median": None,
            "q3": None,
        }
        assert dimension(data, "age") == {"key": "age", "label": "Age", "groups": [], "hidden_groups": 2}
        assert [ratio["key"] for ratio in data["ratios"]][:1] == ["par30"]
        assert data["ratios"][0]["unit"] == "percent"

    def test_another_semester(self, bulletin):
        data = Client().get(API, {"semester": "2010-2"}).json()
        assert data["semester"]["code"] == "2010-2"
        par30 = cell(dimension(data, "all")["groups"][0], "par30")
        assert (par30["q1"], par30["median"], par30["q3"]) == (1.5, 2, 2.5)

    def test_a_semester_without_reports_is_empty(self, bulletin):
        data = Client().get(API, {"semester": "2005-1"}).json()
        assert data["semester"]["code"] == "2005-1"
        assert all(d["groups"] == [] and d["hidden_groups"] == 0 for d in data["dimensions"])

    def test_a_semester_of_another_shape_is_refused_by_name(self, bulletin):
        response = Client().get(API, {"semester": "2011-3"}, headers={"accept-language": "en"})
        assert response.status_code == 400
        assert "2011-1" in response.json()["semester"][0]

    def test_everyone_reads_the_same_aggregate_and_no_institution(self, bulletin):
        answers = {role: as_role(role).get(API, headers={"accept-language": "en"}) for role in ROLES}
        assert {response.status_code for response in answers.values()} == {200}
        first = answers["anonymous"].json()
        assert all(response.json() == first for response in answers.values())
        assert_no_institution_in(answers["anonymous"].content.decode())

    def test_the_schema_documents_the_endpoint(self, db):
        schema = Client().get("/api/v1/schema/", headers={"accept": "application/json"}).json()
        operation = schema["paths"][API]["get"]
        assert [parameter["name"] for parameter in operation["parameters"]] == ["semester"]
        assert {"200", "400"} <= set(operation["responses"])


@pytest.mark.parametrize("address", [API, "/en/benchmarking/bulletin/2011-1.csv"])
def test_queries_do_not_grow_with_the_membership(bulletin, address, django_assert_max_num_queries):
    for index in range(6):
        approved(MemberInstitutionFactory(country="PE"), par30=10_000 * index)
    client = as_role("member")
    with django_assert_max_num_queries(4):  # the session, its user, the semesters, the reports
        assert client.get(address).status_code == 200


def test_the_api_root_still_answers_and_benchmarking_alone_is_no_endpoint(db):
    assert Client().get("/api/v1/", headers={"accept": "application/json"}).status_code == 200
    assert Client().get("/api/v1/benchmarking/", headers={"accept": "application/json"}).status_code == 404
