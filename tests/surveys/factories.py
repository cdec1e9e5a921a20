"""Factories of the demand survey. A round built by RoundFactory is open today by default."""

import datetime

import factory
from django.utils import timezone

from surveys.models import Invitation, Option, Question, QuestionType, Round, RoundState
from tests.factories import MemberInstitutionFactory


def today() -> datetime.date:
    return timezone.localdate()


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    year = factory.Sequence(lambda n: 2100 + n // 2)  # clear of the years tests set explicitly
    semester = factory.Sequence(lambda n: 1 + n % 2)
    opens_on = factory.LazyFunction(lambda: today() - datetime.timedelta(days=5))
    closes_on = factory.LazyFunction(lambda: today() + datetime.timedelta(days=20))
    # The state its dates imply, as the migration gave existing rounds: not yet open → draft,
    # open today → open, past → results published.
    state = factory.LazyAttribute(
        lambda r: (
            RoundState.DRAFT
            if r.opens_on > today()
            else (RoundState.OPEN if r.closes_on >= today() else RoundState.RESULTS_PUBLISHED)
        )
    )


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    round = factory.SubFactory(RoundFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    position = factory.Sequence(lambda n: n)
    kind = QuestionType.TEXT
    label_es = factory.Sequence(lambda n: f"Pregunta {n}")
    label_en = factory.Sequence(lambda n: f"Question {n}")
    required = True


class OptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Option

    question = factory.SubFactory(QuestionFactory)
    code = factory.Sequence(lambda n: f"opt{n}")
    label_es = factory.LazyAttribute(lambda o: f"Opción {o.code}")
    label_en = factory.LazyAttribute(lambda o: f"Option {o.code}")
    position = factory.Sequence(lambda n: n)


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    round = factory.SubFactory(RoundFactory)
    institution = factory.SubFactory(
        MemberInstitutionFactory, contact_email=factory.Sequence(lambda n: f"imf{n}@example.org")
    )


def choice_question(survey_round, code, kind, option_codes, **extra) -> Question:
    """A choice or ranking question with options whose codes are `option_codes`."""
    question = QuestionFactory(round=survey_round, code=code, kind=kind, **extra)
    for position, option_code in enumerate(option_codes):
        OptionFactory(question=question, code=option_code, position=position)
    return question


def submitted_response(survey_round, answers: dict, institution=None, status="submitted") -> "Invitation":
    """An invitation whose answers (by question code, already clean) are stored as submitted."""
    from surveys.models import Answer

    invitation = InvitationFactory(
        round=survey_round,
        status=status,
        submitted_at=timezone.now() if status == "submitted" else None,
        **({"institution": institution} if institution else {}),
    )
    questions = {question.code: question for question in survey_round.questions.all()}
    Answer.objects.bulk_create(
        Answer(invitation=invitation, question=questions[code], value=value) for code, value in answers.items()
    )
    return invitation
