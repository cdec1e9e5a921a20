"""Staff "try it as a member": a round's questionnaire as members see it, and nothing is saved."""

import re

import pytest

from surveys.models import Answer, Invitation, InvitationEvent

from .factories import RoundFactory


def preview_url(survey_round, language: str = "en") -> str:
    prefix = "/en" if language == "en" else ""
    return f"{prefix}/surveys/rounds/{survey_round.pk}/preview/"


def test_staff_see_every_question_of_the_round_as_a_member_would(staff_client, questionnaire, survey_round):
    response = staff_client.get(preview_url(survey_round))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Preview: nothing you type is saved." in html
    for question in questionnaire.values():
        assert question.label_en in html
        assert f'id="wrap-{question.field_name}"' in html  # the member's own question markup
    # The conditional question is hidden until its parent is answered, as on the member's page.
    assert re.search(rf'id="wrap-{questionnaire["which"].field_name}"[^>]* hidden>', html)
    form = re.search(r'<form method="post" id="survey-form".*?</form>', html, re.S).group(0)
    buttons = re.findall(r"<button[^>]*>", form)
    assert len(buttons) == 2 and all(" disabled" in button for button in buttons)
    assert f'href="/admin/survey_rounds/edit/{survey_round.pk}/"' in html


def test_the_preview_follows_the_page_language(staff_client, questionnaire, survey_round):
    html = staff_client.get(preview_url(survey_round, "es")).content.decode()
    assert '<html lang="es"' in html
    for question in questionnaire.values():
        assert question.label_es in html
    assert questionnaire["plans"].label_en not in html


def test_a_round_without_questions_says_so(staff_client, db):
    html = staff_client.get(preview_url(RoundFactory())).content.decode()
    assert "This round has no questions yet." in html
    assert 'id="survey-form"' not in html


def test_an_unknown_round_is_404(staff_client, db):
    assert staff_client.get("/en/surveys/rounds/999999/preview/").status_code == 404


def test_posting_to_the_preview_saves_nothing(staff_client, invitation, questionnaire, survey_round):
    before = (Answer.objects.count(), Invitation.objects.count(), InvitationEvent.objects.count())
    invitation_version = invitation.version
    data = {
        "version": "0",
        "action": "submit",
        f"q-{questionnaire['plans'].pk}": "yes",
        f"q-{questionnaire['comments'].pk}": "Hello",
    }
    response = staff_client.post(preview_url(survey_round), data)
    assert response.status_code == 200
    assert response.json() == {"ok": False, "code": "preview", "error": "Preview: nothing you type is saved."}
    assert (Answer.objects.count(), Invitation.objects.count(), InvitationEvent.objects.count()) == before
    invitation.refresh_from_db()
    assert invitation.version == invitation_version


@pytest.mark.parametrize("role", ["member_client", "donor_client"])
def test_members_and_donors_cannot_preview(request, role, survey_round):
    client = request.getfixturevalue(role)
    response = client.get(preview_url(survey_round))
    assert response.status_code == 403
    assert "Only association staff can see this page." in response.content.decode()
    assert client.post(preview_url(survey_round), {"version": "0"}).status_code == 403


def test_an_invited_members_user_cannot_preview_either(client, institution_member, survey_round):
    client.force_login(institution_member)
    assert client.get(preview_url(survey_round)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, survey_round):
    response = client.get(preview_url(survey_round))
    assert response.status_code == 302
    assert response["Location"].startswith("/en/accounts/login/")
    assert client.post(preview_url(survey_round), {"version": "0"}).status_code == 302
