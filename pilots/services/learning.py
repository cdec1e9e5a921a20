"""What staff record as an innovation goes: Table 1's checklist, lessons learned, and
the answers to stage 4's evaluation questions."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..cycle import ACTION_STAGE
from ..models import ChecklistItem, EvaluationAnswer, Innovation, Lesson
from .common import require_staff, today


@transaction.atomic
def checklist_tick(
    *, innovation: Innovation, action: str, done_on: datetime.date, user, evidence_url: str = ""
) -> ChecklistItem:
    """Tick one of Table 1's actions; ticking again updates the date and evidence."""
    require_staff(user)
    if action not in ACTION_STAGE:
        raise ValidationError({"action": _("Unknown action.")})
    if done_on > today():
        raise ValidationError({"done_on": _("An action cannot be ticked as done in the future.")})
    item, _created = ChecklistItem.objects.get_or_create(
        innovation=innovation, action=action, defaults={"done_on": done_on, "ticked_by": user}
    )
    item.done_on = done_on
    item.evidence_url = evidence_url
    item.ticked_by = user
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def lesson_record(
    *,
    innovation: Innovation,
    stage: str,
    kind: str,
    text: str,
    user,
    recorded_on: datetime.date | None = None,
    text_en: str = "",
) -> Lesson:
    require_staff(user)
    if not (text or "").strip():
        raise ValidationError({"text": _("Write the lesson.")})
    lesson = Lesson(
        innovation=innovation,
        stage=stage,
        kind=kind,
        text=text.strip(),
        text_en=(text_en or "").strip(),
        recorded_on=recorded_on or today(),
    )
    if lesson.recorded_on > today():
        raise ValidationError({"recorded_on": _("A lesson cannot be dated in the future.")})
    lesson.full_clean()
    lesson.save()
    return lesson


@transaction.atomic
def evaluation_answer_record(
    *, innovation: Innovation, question: str, answer: str, user, answer_en: str = ""
) -> EvaluationAnswer:
    """Answer (or revise the answer to) one of stage 4's evaluation questions."""
    require_staff(user)
    if not (answer or "").strip():
        raise ValidationError({"answer": _("Write the answer.")})
    record = EvaluationAnswer.objects.filter(innovation=innovation, question=question).first() or EvaluationAnswer(
        innovation=innovation, question=question
    )
    record.answer = answer.strip()
    record.answer_en = (answer_en or "").strip()
    record.full_clean(validate_unique=False)
    record.save()
    return record


@transaction.atomic
def lesson_update(*, lesson: Lesson, user, **changes) -> Lesson:
    require_staff(user)
    for field, value in changes.items():
        setattr(lesson, field, value)
    if not (lesson.text or "").strip():
        raise ValidationError({"text": _("Write the lesson.")})
    if lesson.recorded_on > today():
        raise ValidationError({"recorded_on": _("A lesson cannot be dated in the future.")})
    lesson.full_clean()
    lesson.save()
    return lesson
