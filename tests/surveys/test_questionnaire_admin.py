"""The questionnaire as staff edit it in the Wagtail admin (issue 23).

The new-round form says which questionnaire it copies, the conditional-question menu offers
only the round's own choice questions, a locked question reads as a page (not a form), and
the admin links to each round's status, results and member preview.
"""

import datetime
import re
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from wagtail.users.models import UserProfile

from surveys import services
from surveys.models import Question, QuestionType, Round

from .factories import QuestionFactory, RoundFactory, choice_question, today
from .test_admin import question_form

DAY = datetime.timedelta(days=1)


@pytest.fixture
def admin_en(staff_client, staff_user):
    """Association staff, with the admin in English (the source language of the new messages)."""
    profile = UserProfile.get_for_user(staff_user)
    profile.preferred_language = "en"
    profile.save()
    return staff_client


@pytest.fixture
def future_round(db):
    """A round that has not opened: its questionnaire can still change."""
    return RoundFactory(year=2027, semester=1, opens_on=today() + 30 * DAY, closes_on=today() + 60 * DAY)


def select_options(html: str, name: str) -> list[str]:
    """The labels of a <select>'s options, without the empty choice."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    labels = [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]
    return [label for label in labels[1:] if label]  # the first is Wagtail's "- Select an option -"


def messages_of(response) -> list[str]:
    """The messages' sentences, without Wagtail's "Edit" button after them."""
    return [str(message).split("<", 1)[0].strip() for message in response.context["messages"]]


# --- Rounds -----------------------------------------------------------------------------------


def test_the_new_round_form_names_the_questionnaire_it_copies(admin_en, questionnaire, survey_round):
    html = admin_en.get("/admin/survey_rounds/new/").content.decode()
    # The form suggests the semester after the latest round, and says what that round will copy.
    assert 'name="year" value="2027"' in html
    notice = re.search(r'id="round-copy-notice">(.*?)</p>', html, re.S).group(1)
    assert "For 2027-S1 that is round 2026-S2: 8 questions" in notice


def test_the_new_round_form_recounts_for_the_semester_typed(admin_en, questionnaire, survey_round):
    RoundFactory(year=2020, semester=1)  # an older round with no questions
    response = admin_en.post("/admin/survey_rounds/new/", {"year": "2020", "semester": "2", "opens_on": ""})
    assert response.status_code == 200  # refused: no dates
    assert "For 2020-S2 that is round 2020-S1: 0 questions" in response.content.decode()


def test_the_first_round_form_says_it_starts_empty(admin_en, db):
    html = admin_en.get("/admin/survey_rounds/new/").content.decode()
    assert "There is no round before" in html and "questionnaire starts empty" in html


def test_creating_a_round_says_what_it_copied(admin_en, questionnaire, survey_round):
    data = {
        "year": "2027",
        "semester": "1",
        "opens_on": str(today() + 30 * DAY),
        "closes_on": str(today() + 60 * DAY),
        "reminder_days": "7",
        "intro_es": "",
        "intro_en": "",
    }
    response = admin_en.post("/admin/survey_rounds/new/", data, follow=True)
    assert messages_of(response) == [
        "Round 2027-S1 created, with a copy of the questionnaire of round 2026-S2 (8 questions)."
    ]
    assert Round.objects.get(year=2027, semester=1).questions.count() == 8


def test_the_generic_copy_of_a_round_is_gone(admin_en, survey_round):
    listing = admin_en.get("/admin/survey_rounds/").content.decode()
    edit = admin_en.get(f"/admin/survey_rounds/edit/{survey_round.pk}/").content.decode()
    assert "/admin/survey_rounds/new/" in listing  # "Add", which copies through the service, stays
    assert "/copy/" not in listing and "/copy/" not in edit
    assert admin_en.get(f"/admin/survey_rounds/copy/{survey_round.pk}/").status_code == 404


def test_the_round_listing_and_edit_page_link_to_status_results_and_preview(admin_en, survey_round):
    listing = admin_en.get("/admin/survey_rounds/").content.decode()
    edit = admin_en.get(f"/admin/survey_rounds/edit/{survey_round.pk}/").content.decode()
    for page in (listing, edit):
        assert f'href="/en/surveys/rounds/{survey_round.pk}/status/"' in page
        assert f'href="/en/surveys/rounds/{survey_round.pk}/results/"' in page
        assert f'href="/en/surveys/rounds/{survey_round.pk}/preview/"' in page


def test_the_spanish_admin_links_to_the_spanish_pages(staff_client, survey_round):
    listing = staff_client.get("/admin/survey_rounds/").content.decode()
    assert f'href="/surveys/rounds/{survey_round.pk}/status/"' in listing


def test_the_round_listing_queries_stay_flat(admin_en, db):
    RoundFactory.create_batch(2)
    with CaptureQueriesContext(connection) as few:
        assert admin_en.get("/admin/survey_rounds/").status_code == 200
    RoundFactory.create_batch(6)
    with CaptureQueriesContext(connection) as more:
        assert admin_en.get("/admin/survey_rounds/").status_code == 200
    assert len(more) == len(few)


def test_saving_a_round_says_so_in_a_whole_sentence(admin_en, future_round):
    data = {
        "year": "2027",
        "semester": "1",
        "opens_on": str(future_round.opens_on),
        "closes_on": str(future_round.closes_on),
        "reminder_days": "3",
        "intro_es": "",
        "intro_en": "",
    }
    response = admin_en.post(f"/admin/survey_rounds/edit/{future_round.pk}/", data, follow=True)
    assert messages_of(response) == ["Round 2027-S1 saved."]


# --- The conditional-question menu --------------------------------------------------------------


@pytest.fixture
def two_rounds(future_round):
    """A future round whose questions mix kinds and positions, and another round's choice questions."""
    other = RoundFactory(year=2026, semester=2, opens_on=today() + 10 * DAY, closes_on=today() + 20 * DAY)
    q = {
        "plans": choice_question(future_round, "plans", QuestionType.SINGLE, ["yes", "no"], position=1),
        "lines": choice_question(future_round, "lines", QuestionType.MULTIPLE, ["savings"], position=2),
        "rank": choice_question(future_round, "demand-ranking", QuestionType.RANKING, ["savings"], position=3),
        "clients": QuestionFactory(round=future_round, code="clients", kind=QuestionType.NUMBER, position=4),
        "which": choice_question(future_round, "which", QuestionType.SINGLE, ["a"], position=5),
        "later": choice_question(future_round, "later", QuestionType.SINGLE, ["a"], position=6),
        "elsewhere": choice_question(other, "plans", QuestionType.SINGLE, ["yes", "no"], position=1),
    }
    return q


def test_the_condition_menu_offers_earlier_choice_questions_of_the_same_round(admin_en, two_rounds):
    which = two_rounds["which"]
    html = admin_en.get(f"/admin/survey_questions/edit/{which.pk}/").content.decode()
    assert select_options(html, "show_if_question") == [
        f"plans — {two_rounds['plans'].label_en}",
        f"lines — {two_rounds['lines'].label_en}",
    ]


def test_a_condition_already_set_stays_in_the_menu(admin_en, two_rounds):
    """A condition on a later question (allowed before) is shown, so saving keeps it."""
    which = two_rounds["which"]
    Question.objects.filter(pk=which.pk).update(show_if_question=two_rounds["later"], show_if_option="a")
    html = admin_en.get(f"/admin/survey_questions/edit/{which.pk}/").content.decode()
    assert f"later — {two_rounds['later'].label_en}" in select_options(html, "show_if_question")


def test_a_new_question_from_a_listing_filtered_by_round_starts_in_that_round(admin_en, two_rounds, future_round):
    listing = admin_en.get(f"/admin/survey_questions/?round={future_round.pk}").content.decode()
    assert f'href="/admin/survey_questions/new/?round={future_round.pk}"' in listing

    html = admin_en.get(f"/admin/survey_questions/new/?round={future_round.pk}").content.decode()
    assert re.search(rf'<option value="{future_round.pk}" selected>', html)
    assert select_options(html, "show_if_question") == [
        f"plans — {two_rounds['plans'].label_en}",
        f"lines — {two_rounds['lines'].label_en}",
        f"which — {two_rounds['which'].label_en}",
        f"later — {two_rounds['later'].label_en}",
    ]


def test_a_new_question_without_a_round_names_each_questions_round(admin_en, two_rounds):
    html = admin_en.get("/admin/survey_questions/new/").content.decode()
    options = select_options(html, "show_if_question")
    assert f"2026-S2 · plans — {two_rounds['elsewhere'].label_en}" in options
    assert f"2027-S1 · plans — {two_rounds['plans'].label_en}" in options
    assert not any("demand-ranking" in option or "clients" in option for option in options)


def test_a_condition_on_another_rounds_question_is_still_refused(admin_en, two_rounds, future_round):
    data = question_form(
        QuestionFactory.build(round=future_round, code="new-one", position=9),
        show_if_question=two_rounds["elsewhere"].pk,
        show_if_option="yes",
    )
    response = admin_en.post("/admin/survey_questions/new/", data)
    assert response.status_code == 200
    assert "A question can only depend on another question of the same round." in response.content.decode()
    assert not Question.objects.filter(code="new-one").exists()


def test_saving_a_question_says_so_in_a_whole_sentence(admin_en, two_rounds):
    clients = two_rounds["clients"]
    response = admin_en.post(
        f"/admin/survey_questions/edit/{clients.pk}/", question_form(clients, label_en="Clients?"), follow=True
    )
    assert messages_of(response) == ["Question clients of round 2027-S1 saved."]


def test_the_spanish_admin_no_longer_says_el_pregunta(staff_client, two_rounds):
    """Spanish: "Pregunta clients de la ronda 2027-S1 guardada." once the catalogue has the sentence."""
    clients = two_rounds["clients"]
    response = staff_client.post(
        f"/admin/survey_questions/edit/{clients.pk}/", question_form(clients, label_en="Clients?"), follow=True
    )
    with translation.override("es"):
        expected = translation.gettext("Question %(code)s of round %(round)s saved.")
    assert messages_of(response) == [expected % {"code": "clients", "round": "2027-S1"}]
    assert "El pregunta" not in response.content.decode()


# --- A locked question --------------------------------------------------------------------------


def test_a_locked_question_opens_read_only_with_the_reason(admin_en, questionnaire, survey_round):
    with pytest.raises(ValidationError):
        services.questionnaire_check_editable(survey_round=survey_round)  # the round has opened
    question = questionnaire["plans"]
    response = admin_en.get(f"/admin/survey_questions/edit/{question.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "its questionnaire can no longer be changed" in html
    assert question.label_es in html and question.label_en in html  # the values, as text
    assert "yes" in html and "no" in html  # its options
    assert 'id="w-editor-form"' not in html
    assert not re.search(r'name="(label_es|label_en|code|show_if_question|options-TOTAL_FORMS)"', html)
    assert 'type="submit"' not in html
    assert f'href="/admin/survey_rounds/edit/{survey_round.pk}/"' in html
    assert f'href="/en/surveys/rounds/{survey_round.pk}/status/"' in html


def test_posting_to_a_locked_question_changes_nothing(admin_en, questionnaire):
    question = questionnaire["plans"]
    response = admin_en.post(f"/admin/survey_questions/edit/{question.pk}/", question_form(question, code="renamed"))
    assert response.status_code == 200
    assert "its questionnaire can no longer be changed" in response.content.decode()
    question.refresh_from_db()
    assert question.code == "plans"


def test_a_question_locked_between_the_forms_check_and_the_save_shows_the_services_reason(admin_en, questionnaire):
    """The round opened after the form's check (simulated by skipping it): `question_save`
    refuses, and the form is shown again with its reason instead of an error page."""
    question = questionnaire["plans"]
    with mock.patch("surveys.services.questionnaire_check_editable"):  # the form's check only
        response = admin_en.post(
            f"/admin/survey_questions/edit/{question.pk}/", question_form(question, code="renamed")
        )
    assert response.status_code == 200
    assert "its questionnaire can no longer be changed" in response.content.decode()
    question.refresh_from_db()
    assert question.code == "plans"


def test_a_round_opened_between_the_forms_check_and_the_save_shows_the_services_reason(admin_en, survey_round):
    """`round_update` refuses what its round's state made history even when the form's check
    (`round_check_update`) did not run: the refusal is shown under the field."""
    data = {
        "year": str(survey_round.year),
        "semester": str(survey_round.semester),
        "opens_on": str(survey_round.opens_on - DAY),
        "closes_on": str(survey_round.closes_on),
        "reminder_days": str(survey_round.reminder_days),
        "intro_es": "",
        "intro_en": "",
    }
    with mock.patch("surveys.services.round_check_update"):  # the form's check only
        response = admin_en.post(f"/admin/survey_rounds/edit/{survey_round.pk}/", data)
    assert response.status_code == 200
    assert "that day cannot change" in response.content.decode()
    assert response.context["form"].errors["opens_on"]
    opens_on = survey_round.opens_on
    survey_round.refresh_from_db()
    assert survey_round.opens_on == opens_on


def test_a_question_of_a_future_round_still_opens_as_a_form(admin_en, future_round):
    question = QuestionFactory(round=future_round)
    html = admin_en.get(f"/admin/survey_questions/edit/{question.pk}/").content.decode()
    assert 'id="w-editor-form"' in html and 'name="label_es"' in html


def test_a_locked_question_cannot_be_deleted(admin_en, questionnaire):
    question = questionnaire["plans"]
    response = admin_en.post(f"/admin/survey_questions/delete/{question.pk}/", follow=True)
    assert Question.objects.filter(pk=question.pk).exists()
    assert any("can no longer be changed" in message for message in messages_of(response))


def test_deleting_a_question_says_so_in_a_whole_sentence(admin_en, future_round):
    question = QuestionFactory(round=future_round, code="gone")
    response = admin_en.post(f"/admin/survey_questions/delete/{question.pk}/", follow=True)
    assert messages_of(response) == ["Question gone of round 2027-S1 deleted."]


def test_deleting_a_locked_question_is_not_offered(admin_en, questionnaire):
    question = questionnaire["plans"]
    response = admin_en.get(f"/admin/survey_questions/delete/{question.pk}/", follow=True)
    assert response.redirect_chain == [(f"/admin/survey_questions/edit/{question.pk}/", 302)]
    assert any("can no longer be changed" in message for message in messages_of(response))


@pytest.mark.parametrize("value", ["²", "abc", "-1", "99999999999999999999", "999999"])
def test_an_odd_round_filter_starts_an_ordinary_new_question(admin_en, two_rounds, value):
    response = admin_en.get("/admin/survey_questions/new/", {"round": value})
    assert response.status_code == 200
    assert f"2026-S2 · plans — {two_rounds['elsewhere'].label_en}" in select_options(
        response.content.decode(), "show_if_question"
    )
