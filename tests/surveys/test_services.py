"""The rules of the survey's writes (surveys.services), including every refusal."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import translation

from surveys import services
from surveys.models import EventKind, Invitation, Option, Question, QuestionType, ResponseStatus, Round
from surveys.tasks import send_due_reminders
from tests.factories import MemberInstitutionFactory, MemberUserFactory

from .conftest import full_answers
from .factories import InvitationFactory, RoundFactory, choice_question, today

DAY = datetime.timedelta(days=1)


def save(invitation, values, user=None):
    return services.answers_save_draft(invitation=invitation, values=values, version=invitation.version, user=user)


def code_of(error: ValidationError) -> str:
    return error.code


class TestRounds:
    def test_a_new_round_copies_the_previous_questionnaire_with_its_codes_and_conditions(self, questionnaire):
        new = services.round_create(year=2027, semester=1, opens_on=today() + 30 * DAY, closes_on=today() + 60 * DAY)
        codes = list(new.questions.order_by("position").values_list("code", flat=True))
        assert codes == ["demand-ranking", "offered", "plans", "which", "clients", "women", "interest", "comments"]
        which = new.questions.get(code="which")
        assert which.show_if_question == new.questions.get(code="plans")
        assert which.show_if_option == "yes"
        assert list(new.questions.get(code="demand-ranking").options.values_list("code", flat=True)) == [
            "savings",
            "insurance",
            "credit",
        ]
        # The copy is independent: the old round keeps its own questions.
        assert Question.objects.filter(code="which").count() == 2

    def test_copies_the_latest_earlier_round_not_a_later_one(self, db):
        RoundFactory(year=2024, semester=2).questions.create(code="old", kind=QuestionType.TEXT, label_es="Vieja")
        RoundFactory(year=2030, semester=1).questions.create(code="future", kind=QuestionType.TEXT, label_es="Futura")
        new = services.round_create(year=2025, semester=1, opens_on=today(), closes_on=today() + DAY)
        assert list(new.questions.values_list("code", flat=True)) == ["old"]

    def test_year_and_semester_are_unique(self, survey_round):
        with pytest.raises(ValidationError) as caught:
            services.round_create(year=2026, semester=2, opens_on=today(), closes_on=today() + DAY)
        assert "There is already a round for this year and semester." in caught.value.messages

    def test_closing_before_opening_is_refused(self, db):
        with pytest.raises(ValidationError) as caught:
            services.round_create(year=2027, semester=1, opens_on=today(), closes_on=today() - DAY)
        assert caught.value.message_dict == {"closes_on": ["The round must close on or after the day it opens."]}

    def test_the_questionnaire_is_editable_until_the_round_opens(self, db):
        future = RoundFactory(opens_on=today() + 3 * DAY, closes_on=today() + 30 * DAY)
        question = Question(round=future, code="new", kind=QuestionType.TEXT, label_es="Nueva")
        services.question_save(question=question)
        assert future.questions.filter(code="new").exists()
        services.round_open(survey_round=future, today=future.opens_on)  # the scheduler, that day
        with pytest.raises(ValidationError) as caught:
            services.question_save(question=question, today=future.opens_on)
        assert code_of(caught.value) == "questionnaire_locked"
        assert "its questionnaire can no longer be changed" in caught.value.messages[0]
        with pytest.raises(ValidationError):
            services.question_delete(question=question, today=future.opens_on)

    def test_a_condition_must_point_at_a_choice_of_the_same_round(self, questionnaire, db):
        future = RoundFactory(opens_on=today() + 3 * DAY)
        question = Question(
            round=future,
            code="x",
            kind=QuestionType.TEXT,
            label_es="X",
            show_if_question=questionnaire["plans"],
            show_if_option="yes",
        )
        with pytest.raises(ValidationError) as caught:
            services.question_save(question=question)
        assert caught.value.message_dict == {
            "show_if_question": ["A question can only depend on another question of the same round."]
        }


class TestInvitationsAndReminders:
    def test_each_member_is_invited_once_by_email_with_a_personal_link(self, survey_round, staff_user):
        first = MemberInstitutionFactory(contact_email="a@example.org")
        MemberInstitutionFactory(contact_email="")
        assert services.invitations_send(survey_round=survey_round, user=staff_user) == 2
        assert services.invitations_send(survey_round=survey_round, user=staff_user) == 0
        assert len(mail.outbox) == 1  # the member without e-mail is invited but not mailed
        invitation = Invitation.objects.get(institution=first)
        assert mail.outbox[0].to == ["a@example.org"]
        assert f"/surveys/respond/{invitation.token}/" in mail.outbox[0].body
        assert invitation.events.get().kind == EventKind.INVITED

    def test_each_institution_is_written_to_in_its_language_with_links_in_that_language(self, survey_round, staff_user):
        """Spanish for Ecuador; English for India (by country) and for a Guatemalan MFI that chose English."""
        MemberInstitutionFactory(name="Ecuador", country="EC", contact_email="ec@example.org")
        MemberInstitutionFactory(name="India", country="IN", contact_email="in@example.org")
        MemberInstitutionFactory(name="Guatemala", country="GT", language="en", contact_email="gt@example.org")
        services.invitations_send(survey_round=survey_round, user=staff_user)
        by_address = {message.to[0]: message for message in mail.outbox}
        spanish, india, chose_english = (by_address[a] for a in ("ec@", "in@", "gt@") for a in [a + "example.org"])
        assert "/surveys/respond/" in spanish.body and "/en/surveys/respond/" not in spanish.body
        for english in (india, chose_english):
            assert "/en/surveys/respond/" in english.body
            assert "survey" in english.subject.lower() and "encuesta" not in english.body.lower()

    def test_tokens_are_long_random_and_distinct(self, survey_round, staff_user):
        for _index in range(5):
            MemberInstitutionFactory()
        services.invitations_send(survey_round=survey_round, user=staff_user)
        tokens = list(Invitation.objects.values_list("token", flat=True))
        assert len(set(tokens)) == 5
        assert all(len(token) >= 43 for token in tokens)  # 32 random bytes, base64

    def test_only_staff_invite(self, survey_round, member_user):
        with pytest.raises(PermissionDenied):
            services.invitations_send(survey_round=survey_round, user=member_user)

    def test_reminders_go_only_to_those_who_have_not_submitted(self, invitation, questionnaire, staff_user):
        done = InvitationFactory(round=invitation.round)
        save(done, full_answers(questionnaire))
        services.response_submit(invitation=done, version=done.version)
        mail.outbox.clear()
        assert services.reminders_send(survey_round=invitation.round, user=staff_user) == 1
        assert [message.to for message in mail.outbox] == [[invitation.institution.contact_email]]
        assert "Reminder" in mail.outbox[0].subject or "Recordatorio" in mail.outbox[0].subject
        invitation.refresh_from_db()
        assert invitation.reminder_count == 1

    def test_automatic_reminder_n_days_before_closing_once(self, invitation):
        survey_round = invitation.round
        survey_round.reminder_days = 7
        survey_round.save()
        before_window = survey_round.closes_on - 8 * DAY
        in_window = survey_round.closes_on - 7 * DAY
        assert services.reminders_send_due(today=before_window) == 0
        assert services.reminders_send_due(today=in_window) == 1
        assert services.reminders_send_due(today=in_window + DAY) == 0  # already reminded in this window
        assert len(mail.outbox) == 1

    def test_the_management_command_sends_due_reminders(self, invitation):
        closes = invitation.round.closes_on
        call_command("send_survey_reminders", today=closes - DAY)
        assert len(mail.outbox) == 1

    def test_the_scheduled_task_sends_due_reminders_and_says_how_many(self, invitation):
        survey_round = invitation.round
        survey_round.reminder_days = (survey_round.closes_on - today()).days  # today is in the window
        survey_round.save()
        assert send_due_reminders.module_path == "surveys.tasks.send_due_reminders"  # queued ones still run
        assert send_due_reminders.call() == 1
        assert len(mail.outbox) == 1


class TestDrafts:
    def test_a_draft_keeps_even_invalid_values_and_bumps_the_version(self, invitation, questionnaire):
        values = {questionnaire["clients"].pk: "lots", questionnaire["plans"].pk: "yes"}
        version = save(invitation, values)
        invitation.refresh_from_db()
        assert version == 1
        assert invitation.status == ResponseStatus.DRAFT
        assert dict(invitation.answers.values_list("question_id", "value")) == values

    def test_a_second_person_with_an_old_version_gets_a_conflict_not_an_overwrite(self, invitation, questionnaire):
        luis = MemberUserFactory(institution=invitation.institution, first_name="Luis", last_name="Andino")
        ana = MemberUserFactory(institution=invitation.institution)
        opened_version = invitation.version  # both open the page at version 0
        services.answers_save_draft(
            invitation=invitation, values={questionnaire["plans"].pk: "yes"}, version=opened_version, user=luis
        )
        with pytest.raises(ValidationError) as caught:
            services.answers_save_draft(
                invitation=invitation, values={questionnaire["plans"].pk: "no"}, version=opened_version, user=ana
            )
        assert code_of(caught.value) == "conflict"
        assert "Luis Andino, of your institution, changed these answers" in caught.value.messages[0]
        assert invitation.answers.get(question=questionnaire["plans"]).value == "yes"

    def test_a_forged_question_id_is_refused(self, invitation, questionnaire):
        foreign = choice_question(RoundFactory(), "elsewhere", QuestionType.SINGLE, ["a"])
        with pytest.raises(ValidationError) as caught:
            save(invitation, {foreign.pk: "a"})
        assert code_of(caught.value) == "unknown_question"
        assert caught.value.messages == [
            "The answers refer to a question that is not part of this survey round. Reload the page."
        ]
        assert not invitation.answers.exists()

    def test_posted_fields_of_another_round_are_refused_when_parsed(self, invitation, questionnaire):
        foreign = choice_question(RoundFactory(), "elsewhere", QuestionType.SINGLE, ["a"])
        with pytest.raises(ValidationError):
            services.parse_posted_answers(survey_round=invitation.round, posted={f"q-{foreign.pk}": ["a"]})
        with pytest.raises(ValidationError):
            services.parse_posted_answers(survey_round=invitation.round, posted={"q-abc": ["a"]})

    def test_no_answers_once_the_round_has_closed(self, invitation, questionnaire):
        after = invitation.round.closes_on + DAY
        with pytest.raises(ValidationError) as caught:
            services.answers_save_draft(invitation=invitation, values={}, version=0, today=after)
        assert code_of(caught.value) == "closed"
        assert "closed on" in caught.value.messages[0]

    def test_no_answers_before_the_round_opens(self, invitation):
        before = invitation.round.opens_on - DAY
        with pytest.raises(ValidationError) as caught:
            services.answers_save_draft(invitation=invitation, values={}, version=0, today=before)
        assert code_of(caught.value) == "not_open"

    def test_a_member_of_another_institution_cannot_use_the_link(self, invitation, other_member):
        with pytest.raises(PermissionDenied) as caught:
            services.answers_save_draft(invitation=invitation, values={}, version=0, user=other_member)
        assert "belongs to another member institution" in str(caught.value)

    def test_staff_read_but_do_not_answer(self, invitation, staff_user):
        with pytest.raises(PermissionDenied):
            services.answers_save_draft(invitation=invitation, values={}, version=0, user=staff_user)


class TestSubmit:
    def test_submit_with_errors_reports_each_question_and_stays_a_draft(self, invitation, questionnaire):
        values = full_answers(questionnaire) | {questionnaire["women"].pk: "140"}
        version = save(invitation, values)
        with pytest.raises(ValidationError) as caught:
            services.response_submit(invitation=invitation, version=version)
        assert caught.value.message_dict == {questionnaire["women"].field_name: ["Enter a number of at most 100."]}
        invitation.refresh_from_db()
        assert invitation.status == ResponseStatus.DRAFT

    def test_submit_cleans_answers_and_e_mails_a_receipt(self, invitation, questionnaire, institution_member):
        institution_member.email = "luis@example.org"
        institution_member.save()
        version = save(invitation, full_answers(questionnaire), user=institution_member)
        with translation.override(invitation.institution.email_language):
            services.response_submit(invitation=invitation, version=version, user=institution_member)
        invitation.refresh_from_db()
        assert invitation.status == ResponseStatus.SUBMITTED
        assert invitation.submitted_by == institution_member
        answers = {a.question.code: a.value for a in invitation.answers.select_related("question")}
        assert answers["clients"] == 120
        assert answers["women"] == 65.5
        assert answers["interest"] == 4
        assert answers["demand-ranking"] == ["insurance", "savings", "credit"]
        assert len(mail.outbox) == 1  # the member answered in its institution's language: one e-mail to both
        receipt = mail.outbox[0]
        assert sorted(receipt.to) == sorted([invitation.institution.contact_email, "luis@example.org"])
        assert invitation.receipt_number in receipt.subject
        assert "65,5 %" in receipt.body  # a Spanish e-mail writes a decimal comma
        # each answer under its question as the member read it, never under its code
        lines = [line.strip() for line in receipt.body.splitlines()]
        for question in questionnaire.values():
            assert question.label_es in lines and question.code not in lines

    def test_the_receipt_reaches_each_person_in_their_language(self, invitation, questionnaire, institution_member):
        """The contact of an Ecuadorian MFI reads Spanish; its officer who answered on the English
        pages gets the receipt in English, with links to the English pages."""
        invitation.institution.country = "EC"
        invitation.institution.language = ""
        invitation.institution.save()
        institution_member.email = "luis@example.org"
        institution_member.save()
        version = save(invitation, full_answers(questionnaire), user=institution_member)
        with translation.override("en"):
            services.response_submit(invitation=invitation, version=version, user=institution_member)
        by_recipient = {tuple(message.to): message for message in mail.outbox}
        assert set(by_recipient) == {("luis@example.org",), (invitation.institution.contact_email,)}
        english, spanish = by_recipient[("luis@example.org",)], by_recipient[(invitation.institution.contact_email,)]
        assert "/en/surveys/" in english.body and "/en/" not in spanish.body
        assert english.subject != spanish.subject and invitation.receipt_number in spanish.subject

    def test_hidden_conditional_answers_are_dropped_at_submission(self, invitation, questionnaire):
        values = full_answers(questionnaire) | {questionnaire["plans"].pk: "no"}
        version = save(invitation, values)
        services.response_submit(invitation=invitation, version=version)
        assert not invitation.answers.filter(question=questionnaire["which"]).exists()

    def test_a_submitted_response_is_read_only(self, invitation, questionnaire):
        version = save(invitation, full_answers(questionnaire))
        services.response_submit(invitation=invitation, version=version)
        invitation.refresh_from_db()
        for attempt in (
            lambda: services.response_submit(invitation=invitation, version=invitation.version),
            lambda: save(invitation, full_answers(questionnaire)),
        ):
            with pytest.raises(ValidationError) as caught:
                attempt()
            assert code_of(caught.value) == "submitted"
            assert "were submitted on" in caught.value.messages[0]

    def test_submit_with_a_stale_version_is_a_conflict(self, invitation, questionnaire):
        version = save(invitation, full_answers(questionnaire))
        with pytest.raises(ValidationError) as caught:
            services.response_submit(invitation=invitation, version=version - 1)
        assert code_of(caught.value) == "conflict"


class TestReopen:
    @pytest.fixture
    def submitted(self, invitation, questionnaire):
        version = save(invitation, full_answers(questionnaire))
        services.response_submit(invitation=invitation, version=version)
        invitation.refresh_from_db()
        return invitation

    def test_staff_reopen_with_a_reason_kept_in_the_history(self, submitted, staff_user):
        services.response_reopen(invitation=submitted, user=staff_user, reason="Cifra de clientes equivocada")
        submitted.refresh_from_db()
        assert submitted.status == ResponseStatus.DRAFT
        assert submitted.submitted_at is None
        kinds = list(submitted.events.values_list("kind", "reason"))
        assert kinds == [("submitted", ""), ("reopened", "Cifra de clientes equivocada")]
        # The member can now change the answers again.
        reopened_version = submitted.version
        assert save(submitted, {}) == reopened_version + 1

    def test_a_reason_is_required(self, submitted, staff_user):
        with pytest.raises(ValidationError) as caught:
            services.response_reopen(invitation=submitted, user=staff_user, reason="  ")
        assert "reason" in caught.value.message_dict

    def test_only_staff_reopen(self, submitted, institution_member):
        with pytest.raises(PermissionDenied):
            services.response_reopen(invitation=submitted, user=institution_member, reason="x")

    def test_only_submitted_answers_reopen(self, invitation, staff_user):
        with pytest.raises(ValidationError) as caught:
            services.response_reopen(invitation=invitation, user=staff_user, reason="x")
        assert code_of(caught.value) == "not_submitted"


def test_round_model_knows_when_it_is_open(db):
    survey_round = Round(year=2026, semester=1, opens_on=today(), closes_on=today() + DAY, state="open")
    assert survey_round.is_open() and survey_round.code == "2026-S1"
    assert survey_round.is_closed(today() + 2 * DAY)
    assert not survey_round.has_opened(today() - DAY)


def test_options_codes_are_unique_within_a_question(questionnaire):
    with pytest.raises(ValidationError):
        Option(question=questionnaire["plans"], code="yes", label_es="Sí otra vez").full_clean()
