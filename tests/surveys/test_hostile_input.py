"""Hostile or broken input to the questionnaire: never a 500, never lost typing, never another's answers.

Run on SQLite and on PostgreSQL: PostgreSQL refuses the NUL character in text and
JSON, SQLite stores it silently, so only PostgreSQL shows what a NUL would break.
"""

from urllib.parse import urlencode

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from surveys import services
from surveys.models import ResponseStatus
from tests.factories import DonorFactory, UserFactory

from .conftest import as_post, full_answers
from .factories import InvitationFactory, submitted_response

NUL = "\x00"


def text(response) -> str:
    return response.content.decode()


def block(page: str, question) -> str:
    """The HTML of one question's fieldset."""
    return page.split(f'id="wrap-{question.field_name}"')[1].split("</fieldset>")[0]


def respond_url(invitation) -> str:
    return reverse("surveys:respond", kwargs={"token": invitation.token})


def autosave_url(invitation) -> str:
    return reverse("surveys:autosave", kwargs={"token": invitation.token})


def member_url(invitation) -> str:
    return reverse("surveys:member_answer", kwargs={"pk": invitation.round_id})


def member_autosave_url(invitation) -> str:
    return reverse("surveys:member_autosave", kwargs={"pk": invitation.round_id})


def typed(questionnaire) -> dict:
    """A half-filled questionnaire as a member would post it, with a NUL pasted into the comment."""
    return {
        "version": "0",
        "action": "save",
        questionnaire["clients"].field_name: "120",
        questionnaire["women"].field_name: "65.5",
        questionnaire["plans"].field_name: "yes",
        questionnaire["comments"].field_name: f"Need{NUL} more credit",
    }


def assert_typing_kept(page: str, questionnaire) -> None:
    assert 'value="120"' in block(page, questionnaire["clients"])
    assert 'value="65.5"' in block(page, questionnaire["women"])
    assert 'value="yes" checked' in block(page, questionnaire["plans"])


@pytest.fixture(params=["token link", "signed-in member"])
def answer_client(request, client, invitation, institution_member):
    """The questionnaire's two doors, as (client, page URL, autosave URL)."""
    if request.param == "token link":
        return client, respond_url(invitation), autosave_url(invitation)
    client.force_login(institution_member)
    return client, member_url(invitation), member_autosave_url(invitation)


class TestNulInAnAnswer:
    def test_the_page_is_shown_again_with_everything_typed_and_the_questions_error(
        self, answer_client, invitation, questionnaire
    ):
        client, url, _autosave = answer_client
        response = client.post(url, typed(questionnaire))
        assert response.status_code == 400
        page = text(response)
        assert 'id="survey-form"' in page
        assert "There is a problem: 1 answer needs your attention" in page  # the error summary
        assert f'href="#{questionnaire["comments"].field_name}"' in page
        assert "Your answers are shown again below as you typed them" in page
        comments = block(page, questionnaire["comments"])
        assert "This answer contained a null character, which cannot be saved." in comments
        assert "Need more credit</textarea>" in comments  # the rest of the answer is kept
        assert "null character" not in block(page, questionnaire["clients"])
        assert_typing_kept(page, questionnaire)
        assert 'name="version" value="0"' in page
        invitation.refresh_from_db()
        assert (invitation.version, invitation.answers.count()) == (0, 0)  # nothing half-saved

    def test_after_checking_the_member_saves_the_cleaned_answer(self, answer_client, invitation, questionnaire):
        client, url, _autosave = answer_client
        client.post(url, typed(questionnaire))
        response = client.post(url, typed(questionnaire) | {questionnaire["comments"].field_name: "Need more credit"})
        assert response.status_code == 302
        assert invitation.answers.get(question=questionnaire["comments"]).value == "Need more credit"

    def test_a_nul_in_a_choice_or_a_ranking_place_is_refused_too(self, answer_client, invitation, questionnaire):
        client, url, _autosave = answer_client
        data = typed(questionnaire) | {
            questionnaire["comments"].field_name: "fine",
            questionnaire["rank"].field_name: ["credit", f"sav{NUL}ings", ""],
            questionnaire["offer"].field_name: [NUL],
        }
        response = client.post(url, data)
        assert response.status_code == 400
        page = text(response)
        assert "null character" in block(page, questionnaire["rank"])
        assert "null character" in block(page, questionnaire["offer"])
        assert "fine</textarea>" in block(page, questionnaire["comments"])
        assert not invitation.answers.exists()

    def test_autosave_answers_400_json_with_the_error_by_question(self, answer_client, invitation, questionnaire):
        client, _url, autosave = answer_client
        response = client.post(autosave, typed(questionnaire))
        assert response.status_code == 400
        body = response.json()
        assert body["ok"] is False and body["code"] == "invalid_character"
        assert "Some answers need your attention" in body["error"]
        assert list(body["errors"]) == [questionnaire["comments"].field_name]
        assert "null character" in body["errors"][questionnaire["comments"].field_name][0]
        assert not invitation.answers.exists()

    def test_a_nul_in_a_field_name_is_an_unknown_question(self, answer_client, invitation, questionnaire):
        client, url, autosave = answer_client
        data = typed(questionnaire) | {questionnaire["comments"].field_name: "ok", f"q-1{NUL}": "x"}
        assert client.post(url, data).status_code == 400
        assert client.post(autosave, data).json()["code"] == "unknown_question"


class TestBrokenVersion:
    @pytest.mark.parametrize("version", [None, "", "x", "-1", "1.5", "9" * 40, "1e3", NUL, "٣"])
    def test_the_page_is_shown_again_with_the_typing_and_a_message(
        self, answer_client, invitation, questionnaire, version
    ):
        client, url, autosave = answer_client
        data = typed(questionnaire) | {questionnaire["comments"].field_name: "Need more credit"}
        if version is None:
            del data["version"]
        else:
            data["version"] = version
        response = client.post(url, data)
        if version == "٣":  # Arabic-Indic three: Django's IntegerField reads it as 3, a stale version
            assert response.status_code == 409
            return
        assert response.status_code == 400
        page = text(response)
        assert "The form was incomplete (the version of the answers was missing or wrong)" in page
        assert_typing_kept(page, questionnaire)
        assert "Need more credit</textarea>" in block(page, questionnaire["comments"])
        assert 'name="version" value="0"' in page  # the stored version, to save again
        response = client.post(autosave, data)
        assert response.status_code == 400
        assert response.json()["code"] == "invalid"
        assert "version of the answers" in response.json()["error"]
        invitation.refresh_from_db()
        assert (invitation.version, invitation.answers.count()) == (0, 0)

    def test_a_huge_version_is_a_conflict_or_a_400_never_a_500(self, answer_client, invitation, questionnaire):
        client, url, autosave = answer_client
        for version in (str(2**31 - 1), str(2**31), str(2**63), str(10**100)):
            data = typed(questionnaire) | {"version": version, questionnaire["comments"].field_name: "ok"}
            assert client.post(url, data).status_code in (400, 409)
            assert client.post(autosave, data).status_code in (400, 409)
        assert not invitation.answers.exists()


class TestUnknownField:
    @pytest.mark.parametrize("name", ["q-999999", "q-abc", "q-", "q--1", "q-" + "9" * 5000])
    def test_the_page_is_shown_again_with_the_typing_and_a_message(
        self, answer_client, invitation, questionnaire, name
    ):
        client, url, autosave = answer_client
        data = typed(questionnaire) | {questionnaire["comments"].field_name: "Need more credit", name: "forged"}
        # As a browser posts a form (urlencoded): a 5,000-digit name in a multipart part header
        # is refused by Django's parser before the view runs.
        body, kind = urlencode(data, doseq=True), "application/x-www-form-urlencoded"
        response = client.post(url, body, content_type=kind)
        assert response.status_code == 400
        page = text(response)
        assert "not part of this survey round, so nothing was saved" in page
        assert_typing_kept(page, questionnaire)
        assert "Need more credit</textarea>" in block(page, questionnaire["comments"])
        assert "forged" not in page
        response = client.post(autosave, body, content_type=kind)
        assert response.status_code == 400 and response.json()["code"] == "unknown_question"
        assert not invitation.answers.exists()


class TestJunkToken:
    @pytest.mark.parametrize("token", ["%00", "abc%00def", "a" * 65, "%C3%B1and%C3%BA", "%20", "x'%20OR%201=1--"])
    def test_the_link_is_not_valid_never_a_500(self, client, invitation, token):
        response = client.get(f"/en/surveys/respond/{token}/")
        assert response.status_code == 404
        assert "This survey link is not valid" in text(response)
        response = client.post(f"/en/surveys/respond/{token}/", {"version": "0"})
        assert response.status_code == 404
        response = client.post(f"/en/surveys/respond/{token}/autosave/", {"version": "0"})
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


class TestSubmittedAnswersBehindTheLink:
    """Who may read a submitted response through its personal link (see services.invitation_check_access)."""

    SECRET = "Our confidential expansion plan"

    @pytest.fixture
    def submitted(self, survey_round, questionnaire):
        return submitted_response(survey_round, {"plans": "no", "clients": 321, "comments": self.SECRET})

    @pytest.mark.parametrize("who", ["member of another institution", "donor", "account without a role"])
    def test_other_signed_in_people_see_none_of_the_answers(self, client, submitted, other_member, who):
        user = {
            "member of another institution": other_member,
            "donor": DonorFactory(),
            "account without a role": UserFactory(role="staff", is_staff=False),
        }[who]
        client.force_login(user)
        response = client.get(respond_url(submitted))
        assert response.status_code == 403
        page = text(response)
        assert self.SECRET not in page and "321" not in page
        assert submitted.institution.name not in page

    @pytest.mark.parametrize("who", ["donor", "account without a role"])
    def test_nor_can_they_write_a_draft_through_it(self, client, invitation, questionnaire, who):
        client.force_login(DonorFactory() if who == "donor" else UserFactory(role="staff", is_staff=False))
        page = client.get(respond_url(invitation))
        assert page.status_code == 403 and "sign out and open the link again" in text(page)
        assert client.post(respond_url(invitation), as_post(full_answers(questionnaire), 0)).status_code == 403
        response = client.post(autosave_url(invitation), {"version": "0", questionnaire["plans"].field_name: "no"})
        assert response.status_code == 403 and response.json()["code"] == "forbidden"
        assert not invitation.answers.exists()

    def test_the_anonymous_holder_of_the_link_is_the_institutions_contact_and_reads_them(self, client, submitted):
        response = client.get(respond_url(submitted))
        assert response.status_code == 200
        assert self.SECRET in text(response)

    def test_members_of_the_institution_and_staff_read_them(self, client, submitted, staff_user):
        from tests.factories import MemberUserFactory

        for user in (MemberUserFactory(institution=submitted.institution), staff_user):
            client.force_login(user)
            response = client.get(respond_url(submitted))
            assert response.status_code == 200
            assert self.SECRET in text(response)


class TestServices:
    def test_parse_refuses_a_nul_with_a_message_on_the_question(self, invitation, questionnaire):
        field = questionnaire["comments"].field_name
        with pytest.raises(ValidationError) as caught:
            services.parse_posted_answers(survey_round=invitation.round, posted={field: [f"a{NUL}b"]})
        assert list(caught.value.message_dict) == [field]
        assert "null character" in caught.value.message_dict[field][0]

    def test_read_keeps_what_was_typed_without_the_nul(self, invitation, questionnaire):
        posted = {questionnaire["comments"].field_name: [f"a{NUL}b"], questionnaire["clients"].field_name: ["7"]}
        result = services.answers_read_posted(survey_round=invitation.round, posted=posted)
        assert result.values[questionnaire["comments"].pk] == "ab"
        assert result.values[questionnaire["clients"].pk] == 7  # read as a number
        assert list(result.errors) == [questionnaire["comments"].field_name]

    def test_save_draft_refuses_a_nul_whoever_calls_it(self, invitation, questionnaire):
        with pytest.raises(ValidationError) as caught:
            services.answers_save_draft(
                invitation=invitation, values={questionnaire["offer"].pk: ["savings", f"x{NUL}"]}, version=0
            )
        assert list(caught.value.message_dict) == [questionnaire["offer"].field_name]
        invitation.refresh_from_db()
        assert invitation.version == 0 and invitation.status == ResponseStatus.NOT_STARTED

    def test_a_malformed_token_is_not_looked_up(self, invitation, django_assert_num_queries):
        from surveys.selectors import invitation_for_token

        with django_assert_num_queries(0):
            assert invitation_for_token(token=f"{invitation.token[:10]}{NUL}") is None
            assert invitation_for_token(token="") is None
        assert invitation_for_token(token=invitation.token) == invitation

    def test_the_new_messages_are_in_spanish(self, invitation, questionnaire):
        field = questionnaire["comments"].field_name
        with translation.override("es"), pytest.raises(ValidationError) as caught:
            services.parse_posted_answers(survey_round=invitation.round, posted={field: [NUL]})
        assert "carácter nulo" in caught.value.message_dict[field][0]


class TestNumbersInUrlsAndStaffForms:
    @pytest.mark.parametrize("pk", [2**31, 2**63, 10**30])
    def test_a_huge_round_number_is_a_404_not_an_overflow(self, client, invitation, institution_member, pk):
        client.force_login(institution_member)
        response = client.get(reverse("surveys:member_answer", kwargs={"pk": pk}))
        assert response.status_code == 404
        assert "Your institution was not invited to this survey round." in text(response)
        assert client.post(reverse("surveys:member_autosave", kwargs={"pk": pk}), {"version": "0"}).status_code == 403
        assert client.get(reverse("surveys:compare", kwargs={"pk": pk})).status_code == 404

    @pytest.mark.parametrize("value", ["²", "9" * 30, str(2**63), "abc", NUL, "-1"])
    def test_reminders_refuse_an_odd_invitation_value(self, staff_client, invitation, value):
        url = reverse("surveys:remind", kwargs={"pk": invitation.round_id})
        response = staff_client.post(url, {"invitation": value}, follow=True)
        assert response.status_code == 200
        assert "Select a valid choice." in text(response)
        assert len(mail.outbox) == 0
        invitation.refresh_from_db()
        assert invitation.reminder_count == 0

    def test_reminders_go_to_the_ticked_invitation_only(self, staff_client, invitation):
        InvitationFactory(round=invitation.round)
        url = reverse("surveys:remind", kwargs={"pk": invitation.round_id})
        response = staff_client.post(url, {"invitation": str(invitation.pk)}, follow=True)
        assert "1 reminder sent." in text(response)
        assert [message.to for message in mail.outbox] == [[invitation.institution.contact_email]]
