"""A round's questionnaire: copied from the previous round, editable only until the round opens."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    CHOICE_TYPES,
    Option,
    Question,
    QuestionType,
    Round,
)
from .common import resolve_today


def questionnaire_copy(*, source: Round, target: Round) -> None:
    """Copy every question and option of `source` into `target`, keeping codes and conditions."""
    by_old_id: dict[int, Question] = {}
    questions = list(source.questions.prefetch_related("options").order_by("position", "pk"))
    for question in questions:
        copy = Question(
            round=target,
            code=question.code,
            position=question.position,
            kind=question.kind,
            label_es=question.label_es,
            label_en=question.label_en,
            help_es=question.help_es,
            help_en=question.help_en,
            required=question.required,
            min_value=question.min_value,
            max_value=question.max_value,
            unit=question.unit,
            decimals=question.decimals,
            max_choices=question.max_choices,
            measures=question.measures,
            show_if_option=question.show_if_option,
            show_if_question=by_old_id.get(question.show_if_question_id),
        )
        if copy.show_if_question is None:
            copy.show_if_option = ""
        copy.save()
        by_old_id[question.pk] = copy
        Option.objects.bulk_create(
            Option(
                question=copy,
                code=option.code,
                label_es=option.label_es,
                label_en=option.label_en,
                product_line_id=option.product_line_id,
                position=option.position,
            )
            for option in question.options.all()
        )


def questionnaire_check_editable(*, survey_round: Round, today: datetime.date | None = None) -> None:
    """Staff may change a questionnaire only until the round opens: answers must mean one thing."""
    if survey_round.has_opened(resolve_today(today)):
        raise ValidationError(
            _("Round %(round)s opened on %(date)s: its questionnaire can no longer be changed.")
            % {"round": survey_round.code, "date": date_format(survey_round.opens_on)},
            code="questionnaire_locked",
        )


def question_check(*, question: Question) -> None:
    """Rules that span fields: the condition points at an earlier choice question of the same round."""
    parent = question.show_if_question
    if parent is None:
        return
    if parent.round_id != question.round_id or parent.pk == question.pk:
        raise ValidationError(
            {"show_if_question": _("A question can only depend on another question of the same round.")}
        )
    if parent.kind not in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
        raise ValidationError({"show_if_question": _("A question can only depend on a single or multiple choice.")})
    if not question.show_if_option:
        raise ValidationError({"show_if_option": _("Say which answer makes this question appear.")})
    if parent.pk and not parent.options.filter(code=question.show_if_option).exists():
        raise ValidationError({"show_if_option": _("That question has no option with this code.")})


@transaction.atomic
def question_save(*, question: Question, today: datetime.date | None = None) -> Question:
    """Create or change a question (and, for admin forms, its options) before the round opens."""
    questionnaire_check_editable(survey_round=question.round, today=today)
    if question.pk:
        stored = Question.objects.filter(pk=question.pk).values_list("round_id", flat=True).first()
        if stored and stored != question.round_id:
            questionnaire_check_editable(survey_round=Round.objects.get(pk=stored), today=today)
    if question.kind not in CHOICE_TYPES:
        question.max_choices = question.max_choices if question.kind == QuestionType.MULTIPLE else None
    question.full_clean()
    question_check(question=question)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, today: datetime.date | None = None) -> None:
    questionnaire_check_editable(survey_round=question.round, today=today)
    question.delete()
