"""Every CSV the survey's staff pages serve (a round's answers, plain and anonymised; the numbers
of its result charts; the trend) opens as columns in a Spanish spreadsheet (";" and decimal
commas, with a BOM) and reads as always in English; XLSX keeps real numbers and dates
(portal.downloads)."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tests.downloads import english_rows, spanish_rows
from tests.factories import MemberInstitutionFactory

from .factories import submitted_response


def both(name: str, **kwargs) -> tuple[str, str]:
    """The Spanish and the English URL of a page."""
    urls = []
    for language in ("es", "en"):
        with translation.override(language):
            urls.append(reverse(f"surveys:{name}", kwargs=kwargs))
    assert urls[0].startswith("/surveys/") and urls[1].startswith("/en/surveys/")
    return urls[0], urls[1]


@pytest.fixture
def answered(invitation, questionnaire):
    """Two members answered: 120 and 80 clients, 65.5 % and 70 % women."""
    for name, ranking, clients, women in (
        ("Banco Uno", ["credit", "savings", "insurance"], 120, 65.5),
        ("Caja Dos", ["savings", "credit", "insurance"], 80, 70),
    ):
        submitted_response(
            invitation.round,
            {"demand-ranking": ranking, "plans": "yes", "clients": clients, "women": women},
            MemberInstitutionFactory(name=name, country="PE", institution_type="bank"),
        )
    return invitation.round


def by_first(rows: list[list[str]]) -> dict[str, dict[str, str]]:
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def test_a_rounds_answers(staff_client, answered):
    spanish_url, english_url = both("export", pk=answered.pk, fmt="csv")
    spanish = by_first(spanish_rows(staff_client.get(spanish_url)))
    english = by_first(english_rows(staff_client.get(english_url)))
    women = answered.questions.get(code="women")
    assert spanish["Banco Uno"][f"6. {women.label_es}"] == spanish["Banco Uno"]["women"] == "65,5"
    assert english["Banco Uno"][f"6. {women.label_en}"] == english["Banco Uno"]["women"] == "65.5"
    assert spanish["Caja Dos"]["women"] == english["Caja Dos"]["women"] == "70"
    assert spanish["Banco Uno"]["clients"] == "120"
    # the date and time as each language writes it; the code column stays ISO for scripts
    submitted = timezone.localtime(answered.invitations.get(institution__name="Banco Uno").submitted_at)
    assert spanish["Banco Uno"]["Enviada"] == submitted.strftime("%d/%m/%Y %H:%M")
    assert spanish["Banco Uno"]["submitted_at"] == english["Banco Uno"]["submitted_at"] == submitted.isoformat()


def test_a_rounds_anonymised_answers(staff_client, answered):
    submitted_response(answered, {"clients": 60_000, "women": 12.5}, MemberInstitutionFactory(country="PE"))
    spanish_url, english_url = both("export", pk=answered.pk, fmt="csv")
    spanish = spanish_rows(staff_client.get(spanish_url, {"anonymised": "1"}))
    english = english_rows(staff_client.get(english_url, {"anonymised": "1"}))
    assert len(spanish) == len(english) == 4 and spanish[0][0] == "Encuestado" and english[0][0] == "Respondent"
    # bands are text, the same in both
    column = spanish[0].index("women")
    assert sorted(row[column] for row in spanish[1:]) == sorted(row[column] for row in english[1:])


def test_a_rounds_answers_as_xlsx_keep_numbers_and_dates(staff_client, answered):
    for url in both("export", pk=answered.pk, fmt="xlsx"):
        rows = list(
            openpyxl.load_workbook(io.BytesIO(staff_client.get(url).content)).active.iter_rows(values_only=True)
        )
        banco = dict(zip(rows[0], next(row for row in rows if row[0] == "Banco Uno"), strict=True))
        assert (banco["clients"], banco["women"]) == (120, 65.5)
        submitted = timezone.localtime(answered.invitations.get(institution__name="Banco Uno").submitted_at)
        assert isinstance(banco[rows[0][3]], datetime.datetime)  # "Submitted" / "Enviada": a real date
        # in the portal's time zone (Excel has none), to the millisecond Excel keeps
        assert abs(banco[rows[0][3]] - submitted.replace(tzinfo=None)) < datetime.timedelta(milliseconds=1)


def test_the_numbers_of_the_result_charts(staff_client, answered):
    submitted_response(answered, {"plans": "no"})  # yes, yes, no: 66.7 % said yes
    spanish_url, english_url = both("results", pk=answered.pk)
    spanish = spanish_rows(staff_client.get(spanish_url, {"format": "csv"}))
    english = english_rows(staff_client.get(english_url, {"format": "csv"}))
    assert len(spanish[0]) == len(english[0]) == 9 and english[0][4] == "Value"

    def value(rows, *codes):
        return next(row[4] for row in rows if row[5:] == list(codes))

    assert value(spanish, "plans", "single", "yes", "share") == "66,7"
    assert value(english, "plans", "single", "yes", "share") == "66.7"
    assert value(spanish, "clients", "number", "", "mean") == "100"
    assert value(spanish, "women", "percentage", "", "mean") == "67,75"
    assert value(english, "women", "percentage", "", "mean") == "67.75"


def test_the_trend(staff_client, answered):
    spanish_url, english_url = reverse("surveys:trends").removeprefix("/en"), reverse("surveys:trends")
    spanish = spanish_rows(staff_client.get(spanish_url, {"code": "demand-ranking", "format": "csv"}))
    english = english_rows(staff_client.get(english_url, {"code": "demand-ranking", "format": "csv"}))
    assert english[0] == ["Option", "Round", "Respondents", "Rank", "Average points", "option", "round"]
    # credit and savings each had one first and one second place
    assert {row[5]: row[4] for row in spanish[1:]} == {"credit": "2,5", "savings": "2,5", "insurance": "1"}
    assert {row[5]: row[4] for row in english[1:]} == {"credit": "2.5", "savings": "2.5", "insurance": "1"}
