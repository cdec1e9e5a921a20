"""The survey's refused pages say so at the top (an error summary: how many answers need attention,
each linked to its question's first input), a ranking keeps each option to one place on the server
whatever the browser sends, and a member's pages show no question codes."""

import re

from django.urls import reverse
from django.utils import translation

from surveys.models import ResponseStatus
from tests.pilots.factories import InnovationFactory

from .conftest import as_post, full_answers
from .factories import RoundFactory, submitted_response, today
from .test_views import DAY, autosave_url, respond_url, text


def summary(html: str) -> str:
    [box] = re.findall(r'<div class="error-summary".*?</div>', html, flags=re.S)
    return box


def answers(questionnaire) -> dict:
    """A complete, valid set of answers whose numbers read the same in any language."""
    return full_answers(questionnaire) | {questionnaire["women"].pk: "65"}


def member_url(invitation, lang: str = "en") -> str:
    with translation.override(lang):
        return reverse("surveys:member_answer", kwargs={"pk": invitation.round_id})


def test_a_refused_submission_lists_each_answer_to_fix_above_the_form(
    client, invitation, questionnaire, institution_member
):
    client.force_login(institution_member)
    q = questionnaire
    values = full_answers(q) | {q["women"].pk: "140", q["clients"].pk: None}
    response = client.post(member_url(invitation), as_post(values, 0))
    html = text(response)
    box = summary(html)
    assert html.index(box) < html.index('id="survey-form"')
    assert 'tabindex="-1"' in box and 'role="alert"' in box
    assert "There is a problem: 2 answers need your attention" in box
    assert f'<a href="#{q["clients"].field_name}">{q["clients"].label}: This question is required.</a>' in box
    assert f'<a href="#{q["women"].field_name}">{q["women"].label}: Enter a number of at most 100.</a>' in box
    # Each link leads to its question's first input.
    assert f'name="{q["clients"].field_name}" id="{q["clients"].field_name}"' in html
    assert f'name="{q["women"].field_name}" id="{q["women"].field_name}"' in html
    assert "Some answers need your attention" not in html  # the summary says it, once
    invitation.refresh_from_db()
    assert invitation.status == ResponseStatus.DRAFT


def test_a_post_refused_as_a_whole_is_listed_without_a_link(client, invitation, questionnaire):
    response = client.post(respond_url(invitation), {"action": "save", "version": "x"})
    assert response.status_code == 400
    box = summary(text(response))
    assert "There is 1 problem to fix" in box and "the version of the answers was missing or wrong" in box
    assert "href=" not in box


def test_every_input_of_a_question_can_be_reached_from_the_summary(client, invitation, questionnaire):
    html = text(client.get(respond_url(invitation)))
    for question in questionnaire.values():
        assert html.count(f'id="{question.field_name}"') == 1, question.code
    rank = questionnaire["rank"].field_name
    assert f'id="{rank}-2"' in html and f'id="{rank}-3"' in html  # the other places of the ranking
    assert 'class="error-summary"' not in html


def test_a_ranking_that_repeats_an_option_is_refused_on_submission(client, invitation, questionnaire):
    q = questionnaire
    values = answers(q) | {q["rank"].pk: ["savings", "savings", "credit"]}
    response = client.post(respond_url(invitation), as_post(values, 0))
    html = text(response)
    assert f'<a href="#{q["rank"].field_name}">{q["rank"].label}: Each option can take only one place' in summary(html)
    invitation.refresh_from_db()
    assert invitation.status == ResponseStatus.DRAFT


def test_the_autosave_keeps_a_repeated_option_as_typed_and_submitting_refuses_it(client, invitation, questionnaire):
    q = questionnaire
    draft = as_post(answers(q) | {q["rank"].pk: ["savings", "savings", "credit"]}, 0)
    draft.pop("action")
    saved = client.post(autosave_url(invitation), draft)
    assert saved.status_code == 200 and saved.json()["ok"] is True  # a draft keeps what was typed
    assert invitation.answers.get(question=q["rank"]).value == ["savings", "savings", "credit"]
    page = text(client.get(respond_url(invitation)))
    rank = page.split(f'id="wrap-{q["rank"].field_name}"')[1].split("</fieldset>")[0]
    assert rank.count('value="savings" selected') == 2  # shown as saved, so the member sees the repeat
    response = client.post(
        respond_url(invitation),
        {"version": "1", "action": "submit"} | {key: value for key, value in draft.items() if key != "version"},
    )
    assert "Each option can take only one place in the ranking." in summary(text(response))
    invitation.refresh_from_db()
    assert invitation.status == ResponseStatus.DRAFT


def test_the_members_pages_show_no_question_codes(client, invitation, questionnaire, institution_member):
    client.force_login(institution_member)
    form = text(client.get(member_url(invitation)))
    assert "demand-ranking" not in form and "data-code" not in form
    client.post(member_url(invitation), as_post(answers(questionnaire), 0))
    receipt = text(client.get(member_url(invitation)))
    assert 'id="receipt"' in receipt and "demand-ranking" not in receipt
    # Once the round has closed, the member's own answers next to the network's.
    past = RoundFactory(opens_on=today() - 60 * DAY, closes_on=today() - 30 * DAY)
    mine = submitted_response(past, {}, institution=invitation.institution)
    with translation.override("en"):
        compare = text(client.get(reverse("surveys:compare", kwargs={"pk": mine.round_id})))
    assert "survey-code" not in compare


def test_the_receipts_answer_column_is_the_noun(client, invitation, questionnaire, institution_member):
    client.force_login(institution_member)
    client.post(member_url(invitation), as_post(answers(questionnaire), 0))
    assert "<th>Answer</th>" in text(client.get(member_url(invitation)))
    spanish = text(client.get(member_url(invitation, "es")))
    assert "<th>Pregunta</th>" in spanish
    assert "Responder" not in spanish  # the verb; "Respuesta" once the lead merges msgctxt "noun"


def test_staff_forms_refused_are_summarised(staff_client, invitation, questionnaire):
    InnovationFactory()  # something to link to, so that the form is offered
    submitted = submitted_response(invitation.round, {"plans": "no"})
    with translation.override("en"):
        url = reverse("surveys:invitation", kwargs={"pk": submitted.pk})
        results = reverse("surveys:results", kwargs={"pk": invitation.round_id})
    box = summary(text(staff_client.post(url, {"reason": ""})))
    assert '<a href="#id_reason">Reason: This field is required.</a>' in box
    box = summary(text(staff_client.post(results, {"note": "x"})))
    assert "There are 2 problems to fix" in box
    assert 'href="#id_innovation"' in box and 'href="#id_question"' in box
