"""What the templates ask of the models: the decisions they no longer spell out themselves."""

import datetime

import pytest
from django.utils import timezone

from surveys import services
from surveys.models import QuestionType, ResponseStatus, RoundState

from .factories import InvitationFactory, QuestionFactory, RoundFactory, today

DAY = datetime.timedelta(days=1)


@pytest.mark.django_db
class TestInvitation:
    def test_answers_are_final_once_submitted_or_once_the_round_is_over(self):
        open_round = RoundFactory(year=2026, semester=1)
        assert not InvitationFactory(round=open_round).answers_are_final
        submitted = InvitationFactory(round=open_round, status=ResponseStatus.SUBMITTED, submitted_at=timezone.now())
        assert submitted.answers_are_final
        past = RoundFactory(year=2025, semester=1, opens_on=today() - 40 * DAY, closes_on=today() - DAY)
        assert past.state == RoundState.RESULTS_PUBLISHED
        assert InvitationFactory(round=past).answers_are_final
        # Open, but past its last day: the scheduler has not closed it yet, answers are over anyway.
        late = RoundFactory(
            year=2025, semester=2, opens_on=today() - 40 * DAY, closes_on=today() - DAY, state=RoundState.OPEN
        )
        assert InvitationFactory(round=late).answers_are_final

    def test_was_reopened_only_for_a_draft_whose_last_event_is_the_reopening(self, staff_user):
        invitation = InvitationFactory(status=ResponseStatus.SUBMITTED, submitted_at=timezone.now())
        assert not invitation.was_reopened
        services.response_reopen(invitation=invitation, user=staff_user, reason="A typo in the clients")
        assert invitation.was_reopened
        assert not InvitationFactory(status=ResponseStatus.DRAFT).was_reopened  # a draft with no history


@pytest.mark.django_db
class TestQuestionWidgets:
    def test_each_kind_draws_one_widget(self):
        kinds = {
            QuestionType.SINGLE: "is_single_choice",
            QuestionType.MULTIPLE: "is_multiple_choice",
            QuestionType.RANKING: "is_ranking",
            QuestionType.SCALE: "is_scale",
            QuestionType.PERCENTAGE: "is_percentage",
        }
        for kind, name in kinds.items():
            question = QuestionFactory.build(kind=kind)
            assert [other for other in kinds.values() if getattr(question, other)] == [name]
        assert QuestionFactory.build(kind=QuestionType.NUMBER).is_typed_number
        assert QuestionFactory.build(kind=QuestionType.PERCENTAGE).is_typed_number
        assert not QuestionFactory.build(kind=QuestionType.TEXT).is_typed_number

    def test_only_a_number_with_a_limit_states_its_limits(self):
        assert not QuestionFactory.build(kind=QuestionType.NUMBER).states_its_limits
        assert QuestionFactory.build(kind=QuestionType.NUMBER, min_value=0).states_its_limits
        assert QuestionFactory.build(kind=QuestionType.NUMBER, max_value=10).states_its_limits
        assert not QuestionFactory.build(kind=QuestionType.PERCENTAGE, min_value=0).states_its_limits
