"""Validation per question type and conditional display (surveys.answers)."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from surveys.answers import clean_answer, normalise_raw, validate_all, visible_question_ids

from .conftest import full_answers


def messages_of(question, raw):
    with pytest.raises(ValidationError) as caught:
        clean_answer(question, raw)
    return caught.value.messages


class TestSingleChoice:
    def test_accepts_an_option_code(self, questionnaire):
        assert clean_answer(questionnaire["plans"], "yes") == "yes"

    def test_refuses_a_code_that_is_not_an_option(self, questionnaire):
        assert messages_of(questionnaire["plans"], "maybe") == ["Choose one of the options."]

    def test_refuses_several_values(self, questionnaire):
        assert messages_of(questionnaire["plans"], ["yes", "no"]) == ["Choose one of the options."]


class TestMultipleChoice:
    def test_keeps_questionnaire_order_and_drops_repeats(self, questionnaire):
        assert clean_answer(questionnaire["offer"], ["credit", "savings", "credit"]) == ["savings", "credit"]

    def test_refuses_more_than_max_choices(self, questionnaire):
        assert messages_of(questionnaire["offer"], ["savings", "insurance", "credit"]) == ["Choose at most 2 options."]

    def test_refuses_unknown_codes(self, questionnaire):
        assert messages_of(questionnaire["offer"], ["savings", "gold"]) == ["Choose among the options shown."]


class TestRanking:
    def test_accepts_a_complete_ranking_in_order(self, questionnaire):
        assert clean_answer(questionnaire["rank"], ["credit", "savings", "insurance"]) == [
            "credit",
            "savings",
            "insurance",
        ]

    def test_refuses_an_option_in_two_places(self, questionnaire):
        assert messages_of(questionnaire["rank"], ["credit", "credit", "savings"]) == [
            "Each option can take only one place in the ranking."
        ]

    def test_refuses_an_incomplete_ranking(self, questionnaire):
        assert messages_of(questionnaire["rank"], ["credit", "", "savings"]) == [
            "Fill every place of the ranking, from 1 to 3."
        ]
        assert messages_of(questionnaire["rank"], ["credit"]) == ["Fill every place of the ranking, from 1 to 3."]

    def test_a_limited_ranking_asks_only_for_its_places(self, questionnaire):
        question = questionnaire["rank"]
        question.max_choices = 2
        assert clean_answer(question, ["insurance", "credit"]) == ["insurance", "credit"]
        assert messages_of(question, ["insurance", "credit", "savings"]) == ["Rank at most 2 options."]


class TestNumbers:
    """Numbers as the page's language writes them (portal.numbers); tests run in English unless
    they say otherwise."""

    def test_a_count_takes_thousands_separators_in_each_language(self, questionnaire):
        clients = questionnaire["clients"]
        clients.max_value = None
        assert clean_answer(clients, "120") == 120
        assert clean_answer(clients, "18,500") == 18500
        with translation.override("es"):
            assert clean_answer(clients, "18.500") == 18500
            assert clean_answer(clients, "18 500") == 18500
            assert clean_answer(clients, "18500") == 18500

    def test_a_count_refuses_decimals_and_says_how_to_write_the_thousands(self, questionnaire):
        clients = questionnaire["clients"]
        clients.max_value = None
        with translation.override("es"):
            # "18,500" in Spanish is eighteen and a half: no count; the message offers 18.500.
            assert "18.500" in messages_of(clients, "18,500")[0]
            assert "número entero" in messages_of(clients, "12,5")[0]

    def test_decimals_where_the_question_allows_them(self, questionnaire):
        clients = questionnaire["clients"]
        clients.decimals = 1
        assert clean_answer(clients, "12.5") == 12.5
        with translation.override("es"):
            assert clean_answer(clients, "12,5") == 12.5
        assert messages_of(clients, "12.25") == ["Use at most 1 decimal."]

    def test_number_outside_limits(self, questionnaire):
        assert messages_of(questionnaire["clients"], "-1") == ["Enter a number of at least 0."]
        assert messages_of(questionnaire["clients"], "1001") == ["Enter a number of at most 1,000."]

    def test_number_that_is_not_a_number(self, questionnaire):
        assert messages_of(questionnaire["clients"], "many") == ["Enter a number, such as 18,500 or 62.5."]
        assert messages_of(questionnaire["clients"], "NaN") == ["Enter a number, such as 18,500 or 62.5."]

    def test_a_number_without_limits_still_refuses_absurd_values(self, questionnaire):
        question = questionnaire["clients"]
        question.min_value = question.max_value = None
        question.decimals = 1
        assert clean_answer(question, "-12.5") == -12.5
        assert messages_of(question, "1e999999") == ["Enter a number, such as 18,500 or 62.5."]
        assert messages_of(question, "9" * 5000) == ["This number is too large."]

    def test_percentage_is_between_0_and_100(self, questionnaire):
        assert clean_answer(questionnaire["women"], "100") == 100
        assert messages_of(questionnaire["women"], "100.5") == ["Enter a number of at most 100."]
        assert messages_of(questionnaire["women"], "-3") == ["Enter a number of at least 0."]
        with translation.override("es"):
            assert clean_answer(questionnaire["women"], "62,5") == 62.5
            # "1.234" reads as one thousand two hundred and thirty-four: refused, with the rule.
            (message,) = messages_of(questionnaire["women"], "1.234")
            assert "100" in message and "Aquí los decimales van después de una coma" in message

    def test_scale_is_a_whole_number_from_1_to_5(self, questionnaire):
        assert clean_answer(questionnaire["interest"], "5") == 5
        for bad in ["0", "6", "2.5", "high"]:
            assert messages_of(questionnaire["interest"], bad) == ["Choose a value from 1 to 5."]


class TestText:
    def test_text_is_stripped_and_limited(self, questionnaire):
        assert clean_answer(questionnaire["comments"], "  Más seguros  ") == "Más seguros"
        assert messages_of(questionnaire["comments"], "x" * 2001) == ["Keep the answer under 2000 characters."]


def test_posted_values_are_normalised_for_drafts(questionnaire):
    assert normalise_raw(questionnaire["rank"], ["credit", "", "savings", "", ""]) == ["credit", "", "savings"]
    assert normalise_raw(questionnaire["offer"], ["", "credit"]) == ["credit"]
    assert normalise_raw(questionnaire["clients"], [" 12 "]) == 12  # a number, whatever page submits it
    assert normalise_raw(questionnaire["clients"], ["12 clients"]) == "12 clients"  # kept as typed
    assert normalise_raw(questionnaire["clients"], [""]) is None
    with translation.override("es"):
        assert normalise_raw(questionnaire["women"], ["62,5"]) == 62.5


class TestConditionalQuestions:
    def test_the_dependant_shows_only_with_the_triggering_answer(self, questionnaire):
        questions = list(questionnaire.values())
        which = questionnaire["which"].pk
        assert which in visible_question_ids(questions, {questionnaire["plans"].pk: "yes"})
        assert which not in visible_question_ids(questions, {questionnaire["plans"].pk: "no"})
        assert which not in visible_question_ids(questions, {})

    def test_a_shown_dependant_is_required(self, questionnaire):
        questions = list(questionnaire.values())
        values = full_answers(questionnaire) | {questionnaire["which"].pk: None}
        _cleaned, errors = validate_all(questions, values)
        assert errors == {questionnaire["which"].field_name: ["This question is required."]}

    def test_a_hidden_dependant_is_neither_required_nor_kept(self, questionnaire):
        questions = list(questionnaire.values())
        values = full_answers(questionnaire) | {questionnaire["plans"].pk: "no"}
        cleaned, errors = validate_all(questions, values)
        assert errors == {}
        assert questionnaire["which"].pk not in cleaned

    def test_every_problem_is_reported_at_once_by_field(self, questionnaire):
        questions = list(questionnaire.values())
        values = full_answers(questionnaire) | {questionnaire["women"].pk: "140", questionnaire["rank"].pk: None}
        _cleaned, errors = validate_all(questions, values)
        assert errors == {
            questionnaire["women"].field_name: ["Enter a number of at most 100."],
            questionnaire["rank"].field_name: ["This question is required."],
        }
        assert questionnaire["comments"].field_name not in errors  # optional
