"""The demand survey in the JSON API: aggregates with small groups hidden, never a member's answers,
readable by staff (every opened round) and by members (the closed rounds they answered) only."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from surveys.models import QuestionType
from tests.factories import DonorFactory, MemberInstitutionFactory, MemberUserFactory, StaffFactory

from .factories import OptionFactory, QuestionFactory, RoundFactory, submitted_response

pytestmark = pytest.mark.django_db
API = "/api/v1/survey-rounds/"
TODAY = timezone.localdate()


def closed_round(year=2025, semester=1):
    """A closed round: Ecuador 4, Guatemala 3, Peru 1 answered "do your clients ask for
    micro-insurance?"; two members gave a number of clients; everyone wrote a comment."""
    survey_round = RoundFactory(
        year=year,
        semester=semester,
        opens_on=TODAY - datetime.timedelta(days=60),
        closes_on=TODAY - datetime.timedelta(days=30),
    )
    asked = QuestionFactory(round=survey_round, code="asked", kind=QuestionType.SINGLE, position=1)
    OptionFactory(question=asked, code="yes", label_es="Sí", label_en="Yes", position=0)
    OptionFactory(question=asked, code="no", label_es="No", label_en="No", position=1)
    QuestionFactory(round=survey_round, code="clients", kind=QuestionType.NUMBER, position=2)
    QuestionFactory(round=survey_round, code="comment", kind=QuestionType.TEXT, position=3)
    members = []
    answers = [("EC", "yes"), ("EC", "yes"), ("EC", "no"), ("EC", "no"), ("GT", "yes"), ("GT", "no"), ("GT", "no")]
    for n, (country, answer) in enumerate([*answers, ("PE", "yes")]):
        institution = MemberInstitutionFactory(country=country)
        values = {"asked": answer, "comment": f"Comentario privado {n}"}
        if n < 2:
            values["clients"] = 1000 * (n + 1)
        submitted_response(survey_round, values, institution)
        members.append(institution)
    return survey_round, members


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_who_reads_which_rounds():
    answered, members = closed_round()
    not_answered, _ = closed_round(2025, 2)
    open_now = RoundFactory(year=2026, semester=1)  # opened five days ago, still open
    RoundFactory(year=2026, semester=2, opens_on=TODAY + datetime.timedelta(days=10))  # not opened yet
    staff = as_user(StaffFactory())
    assert [r["code"] for r in staff.get(API).json()["results"]] == ["2026-S1", "2025-S2", "2025-S1"]
    member = as_user(MemberUserFactory(institution=members[0]))
    # A member reads the closed rounds its institution answered: not the other one, not the open one.
    assert [r["code"] for r in member.get(API).json()["results"]] == ["2025-S1"]
    assert member.get(f"{API}2025-S1/").status_code == 200
    for code in ("2025-S2", "2026-S1", "2026-S2"):
        assert member.get(f"{API}{code}/").status_code == 404
    submitted_response(open_now, {}, members[0])
    assert member.get(f"{API}2026-S1/").status_code == 404  # answered, but not closed yet
    assert staff.get(f"{API}2026-S2/").status_code == 404
    donor = as_user(DonorFactory())
    refused = donor.get(API, headers={"accept-language": "en"})
    assert refused.status_code == 403
    assert refused.json()["detail"] == (
        "Survey results are for association staff and for the member institutions that answered."
    )
    assert donor.get(f"{API}2025-S1/").status_code == 403
    assert Client().get(API).status_code == 401
    assert Client().get(f"{API}2025-S1/").status_code == 401
    assert not_answered.code == "2025-S2"


def test_results_hide_small_groups_and_never_return_answers():
    _, members = closed_round()
    staff = as_user(StaffFactory()).get(f"{API}2025-S1/", headers={"accept-language": "en"}).json()
    assert staff["response"] == {"invited": 8, "submitted": 8, "rate": 100.0}
    asked, clients, comment = staff["questions"]
    assert asked["respondents"] == 8 and not asked["suppressed"]
    assert [(s["option"], s["label"], s["count"]) for s in asked["shares"]] == [("yes", "Yes", 4), ("no", "No", 4)]
    groups = {g["key"]: g for g in asked["by_country"]}
    assert [(s["option"], s["count"]) for s in groups["EC"]["shares"]] == [("yes", 2), ("no", 2)]
    # Peru's single answer is hidden, and Guatemala with it (else total minus the rest gives Peru away).
    assert (groups["PE"]["respondents"], groups["PE"]["suppressed"], groups["PE"]["shares"]) == (None, True, None)
    assert (groups["GT"]["respondents"], groups["GT"]["suppressed"], groups["GT"]["shares"]) == (3, True, None)
    # Two members gave a number: too few for an aggregate.
    assert (clients["respondents"], clients["suppressed"], clients["numbers"]) == (None, True, None)
    # Free text never leaves the portal through the API.
    assert comment["suppressed"] and comment["shares"] is None and comment["numbers"] is None
    member = as_user(MemberUserFactory(institution=members[0])).get(f"{API}2025-S1/").json()
    assert member["questions"][0]["by_country"] == [] and member["questions"][0]["by_institution_type"] == []
    assert member["questions"][0]["shares"][0]["label"] == "Sí"  # Spanish without Accept-Language
    for body in (staff, member):
        assert "Comentario privado" not in str(body) and "1000" not in str(body)


def test_the_schema_documents_the_survey_endpoints():
    schema = Client().get("/api/v1/schema/", headers={"accept": "application/json"}).json()
    assert "/api/v1/survey-rounds/" in schema["paths"]
    assert "/api/v1/survey-rounds/{code}/" in schema["paths"]
