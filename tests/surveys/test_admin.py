"""Staff manage rounds and questions in the Wagtail admin; the admin saves through the services."""

import datetime

import pytest

from surveys.models import Question, QuestionType, Round
from tests.factories import StaffFactory

from .factories import QuestionFactory, RoundFactory, today

DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin_client(client, db):
    client.force_login(StaffFactory(username="admin", is_superuser=True))
    return client


def question_form(question: Question, **changes) -> dict:
    data = {
        "round": question.round_id,
        "code": question.code,
        "position": question.position,
        "kind": question.kind,
        "required": "on" if question.required else "",
        "measures": question.measures,
        "label_es": question.label_es,
        "label_en": question.label_en,
        "help_es": "",
        "help_en": "",
        "min_value": "",
        "max_value": "",
        "unit": "",
        "decimals": "0",
        "max_choices": "",
        "show_if_question": "",
        "show_if_option": "",
        "options-TOTAL_FORMS": "0",
        "options-INITIAL_FORMS": "0",
        "options-MIN_NUM_FORMS": "0",
        "options-MAX_NUM_FORMS": "1000",
    }
    return data | changes


def test_creating_a_round_in_the_admin_copies_the_previous_questionnaire(admin_client, questionnaire):
    response = admin_client.post(
        "/admin/survey_rounds/new/",
        {
            "year": "2027",
            "semester": "1",
            "opens_on": str(today() + 30 * DAY),
            "closes_on": str(today() + 60 * DAY),
            "reminder_days": "5",
            "intro_es": "",
            "intro_en": "",
        },
    )
    assert response.status_code == 302
    new = Round.objects.get(year=2027, semester=1)
    assert new.reminder_days == 5
    assert new.questions.count() == len(questionnaire)


def test_a_duplicate_round_is_refused_with_a_message(admin_client, survey_round):
    response = admin_client.post(
        "/admin/survey_rounds/new/",
        {"year": "2026", "semester": "2", "opens_on": str(today()), "closes_on": str(today()), "reminder_days": "7"},
    )
    assert response.status_code == 200
    # The admin speaks the staff member's language (Spanish by default).
    assert "Ya existe una ronda para este año y semestre." in response.content.decode()


def test_a_question_of_an_open_round_cannot_be_edited(admin_client, questionnaire):
    question = questionnaire["comments"]
    response = admin_client.post(
        f"/admin/survey_questions/edit/{question.pk}/", question_form(question, label_en="Changed")
    )
    assert response.status_code == 200
    assert "su cuestionario ya no se puede cambiar" in response.content.decode()
    question.refresh_from_db()
    assert question.label_en != "Changed"


def test_a_question_of_a_future_round_can_be_edited_with_options(admin_client, db):
    question = QuestionFactory(round=RoundFactory(opens_on=today() + 10 * DAY), kind=QuestionType.SINGLE)
    data = question_form(
        question,
        label_en="Changed",
        **{
            "options-TOTAL_FORMS": "1",
            "options-0-code": "yes",
            "options-0-label_es": "Sí",
            "options-0-label_en": "Yes",
            "options-0-product_line": "",
            "options-0-position": "0",
            "options-0-id": "",
            "options-0-ORDER": "1",
            "options-0-DELETE": "",
        },
    )
    response = admin_client.post(f"/admin/survey_questions/edit/{question.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    question.refresh_from_db()
    assert question.label_en == "Changed"
    assert list(question.options.values_list("code", flat=True)) == ["yes"]


def test_members_cannot_reach_the_admin(client, member_user):
    client.force_login(member_user)
    assert client.get("/admin/survey_rounds/").status_code in (302, 403)


def test_a_round_with_invitations_cannot_be_deleted(admin_client, invitation):
    response = admin_client.post(f"/admin/survey_rounds/delete/{invitation.round_id}/", follow=True)
    assert Round.objects.filter(pk=invitation.round_id).exists()
    assert "no se puede eliminar" in response.content.decode()


def test_a_round_without_invitations_can_be_deleted(admin_client, survey_round):
    admin_client.post(f"/admin/survey_rounds/delete/{survey_round.pk}/")
    assert not Round.objects.filter(pk=survey_round.pk).exists()
