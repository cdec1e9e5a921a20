"""Fixtures of the survey tests: a small open round with one question of every type."""

import pytest
from django.utils import translation

from surveys.models import QuestionType
from tests.factories import MemberInstitutionFactory, MemberUserFactory

from .factories import InvitationFactory, QuestionFactory, RoundFactory, choice_question

LINES = ["savings", "insurance", "credit"]


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the source language); one test checks the Spanish catalogue."""
    with translation.override("en"):
        yield


@pytest.fixture
def survey_round(db):
    return RoundFactory(year=2026, semester=2)


@pytest.fixture
def questionnaire(survey_round):
    """One question of each of the 7 types, plus a conditional one, in order."""
    q = {}
    q["rank"] = choice_question(
        survey_round, "demand-ranking", QuestionType.RANKING, LINES, position=1, measures="demand"
    )
    q["offer"] = choice_question(
        survey_round, "offered", QuestionType.MULTIPLE, LINES, position=2, measures="supply", max_choices=2
    )
    q["plans"] = choice_question(survey_round, "plans", QuestionType.SINGLE, ["yes", "no"], position=3)
    q["which"] = choice_question(
        survey_round, "which", QuestionType.SINGLE, LINES, position=4, show_if_question=q["plans"], show_if_option="yes"
    )
    q["clients"] = QuestionFactory(
        round=survey_round,
        code="clients",
        kind=QuestionType.NUMBER,
        position=5,
        min_value=0,
        max_value=1000,
        unit="clients",
    )
    q["women"] = QuestionFactory(round=survey_round, code="women", kind=QuestionType.PERCENTAGE, position=6)
    q["interest"] = QuestionFactory(round=survey_round, code="interest", kind=QuestionType.SCALE, position=7)
    q["comments"] = QuestionFactory(
        round=survey_round, code="comments", kind=QuestionType.TEXT, position=8, required=False
    )
    return q


@pytest.fixture
def invitation(survey_round, questionnaire):
    return InvitationFactory(round=survey_round)


@pytest.fixture
def institution_member(invitation):
    """A member user of the invited institution."""
    return MemberUserFactory(
        username="andina", institution=invitation.institution, first_name="Luis", last_name="Andino"
    )


@pytest.fixture
def other_member(db):
    return MemberUserFactory(username="other", institution=MemberInstitutionFactory(name="Otra IMF"))


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Services read typed numbers in the active language: these tests type English ("65.5")
    unless they say otherwise; a request still speaks its URL's language."""
    with translation.override("en"):
        yield


def full_answers(q) -> dict:
    """A complete, valid set of answers keyed by question id, as a form would post them."""
    return {
        q["rank"].pk: ["insurance", "savings", "credit"],
        q["offer"].pk: ["savings"],
        q["plans"].pk: "yes",
        q["which"].pk: "insurance",
        q["clients"].pk: "120",
        q["women"].pk: "65.5",
        q["interest"].pk: "4",
        q["comments"].pk: None,
    }


def as_post(values: dict, version: int, action: str = "submit") -> dict:
    data = {"version": str(version), "action": action}
    for question_id, value in values.items():
        if value is not None:
            data[f"q-{question_id}"] = value
    return data
