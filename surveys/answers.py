"""What a valid answer is, per question type, and which questions are shown.

Pure functions over questions and raw values, shared by the services (which
enforce them) and the views (which show the problems next to each question).

A *raw* value is what the form posts: a string for single choice, number,
percentage, scale and text; a list of strings for multiple choice and ranking
(ranking lists option codes in order of preference, blanks for empty places).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from portal.numbers import parse_number

from .models import QuestionType

TEXT_MAX_LENGTH = 2000
UNSTORABLE = "\x00"  # the NUL character: PostgreSQL keeps it neither in text nor in JSON
LARGEST_DIGITS = 15  # 10^15 is beyond any count or amount a member reports; keeps stored numbers sane
PERCENT_PLACES = 2
LIST_TYPES = {QuestionType.MULTIPLE, QuestionType.RANKING}


def normalise_raw(question, values: list[str]):
    """Turn the list of posted strings for a field into the stored draft value (None when empty)."""
    values = [str(value).strip() for value in values]
    if question.kind in LIST_TYPES:
        if question.kind == QuestionType.RANKING:
            while values and not values[-1]:
                values.pop()
        else:
            values = [value for value in values if value]
        return values or None
    value = values[-1] if values else ""
    return draft_value(question, value or None)


def contains_unstorable(value) -> bool:
    """Whether a raw or draft value holds a character the database cannot keep (NUL)."""
    if isinstance(value, list):
        return any(contains_unstorable(item) for item in value)
    return isinstance(value, str) and UNSTORABLE in value


def unstorable_error() -> ValidationError:
    return ValidationError(
        _(
            "This answer contained a null character, which cannot be saved. "
            "It was removed: check the answer and save again."
        ),
        code="invalid_character",
    )


def is_empty(value) -> bool:
    if value is None or value == "":
        return True
    return isinstance(value, list) and not any(value)


def _number(question, raw, *, minimum=None, maximum=None, places=None):
    """A number answer read as the page's language writes it (`portal.numbers`): stored as a
    JSON number, whole when it is whole."""
    number = parse_number(raw, places=places, minimum=minimum, maximum=maximum, max_digits=LARGEST_DIGITS)
    return int(number) if number == number.to_integral_value() else float(number)


def draft_value(question, value):
    """A numeric draft answer as a number when it reads as one in the page's language (so a
    page in the other language shows and submits the same number), else as typed."""
    if value is None or question.kind not in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        return value
    try:
        return clean_answer(question, value)
    except ValidationError:
        return value


def clean_answer(question, raw):
    """Return the cleaned value of a raw answer, or raise ValidationError with a message for the member.

    Empty answers return None (the caller decides whether the question was required).
    """
    if is_empty(raw):
        return None
    codes = [option.code for option in question.options.all()]
    kind = question.kind
    if kind == QuestionType.SINGLE:
        if isinstance(raw, list) or raw not in codes:
            raise ValidationError(_("Choose one of the options."), code="invalid_choice")
        return raw
    if kind == QuestionType.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        if any(value not in codes for value in values):
            raise ValidationError(_("Choose among the options shown."), code="invalid_choice")
        values = list(dict.fromkeys(values))
        if question.max_choices and len(values) > question.max_choices:
            raise ValidationError(
                _("Choose at most %(count)s options.") % {"count": question.max_choices}, code="too_many"
            )
        return [code for code in codes if code in values]
    if kind == QuestionType.RANKING:
        values = raw if isinstance(raw, list) else [raw]
        if any(value and value not in codes for value in values):
            raise ValidationError(_("Rank only the options shown."), code="invalid_choice")
        filled = [value for value in values if value]
        if len(set(filled)) != len(filled):
            raise ValidationError(_("Each option can take only one place in the ranking."), code="duplicate")
        positions = question.positions
        if len(filled) != len(values) or len(filled) < positions:
            raise ValidationError(
                _("Fill every place of the ranking, from 1 to %(count)s.") % {"count": positions}, code="incomplete"
            )
        if len(filled) > positions:
            raise ValidationError(_("Rank at most %(count)s options.") % {"count": positions}, code="too_many")
        return filled
    if kind == QuestionType.NUMBER:
        return _number(question, raw, minimum=question.min_value, maximum=question.max_value, places=question.decimals)
    if kind == QuestionType.PERCENTAGE:
        return _number(question, raw, minimum=Decimal(0), maximum=Decimal(100), places=PERCENT_PLACES)
    if kind == QuestionType.SCALE:
        try:
            value = _number(question, raw, minimum=Decimal(1), maximum=Decimal(5), places=0)
        except ValidationError:
            raise ValidationError(_("Choose a value from 1 to 5."), code="invalid") from None
        return value
    if kind == QuestionType.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(
                _("Keep the answer under %(count)s characters.") % {"count": TEXT_MAX_LENGTH}, code="too_long"
            )
        return text
    raise ValidationError(_("Unknown question type."), code="invalid")  # pragma: no cover - constraint


def _contains(value, option_code: str) -> bool:
    if isinstance(value, list):
        return option_code in value
    return value == option_code


def visible_question_ids(questions, values: dict[int, object]) -> set[int]:
    """The questions a member sees given its answers so far.

    A conditional question shows only when its controlling question is itself
    shown and its answer is (or, for multiple choice, includes) the option code.
    `questions` must be in questionnaire order; `values` maps question id to value.
    """
    visible: set[int] = set()
    for question in questions:
        parent_id = question.show_if_question_id
        if parent_id is None or (parent_id in visible and _contains(values.get(parent_id), question.show_if_option)):
            visible.add(question.pk)
    return visible


def validate_all(questions, values: dict[int, object]) -> tuple[dict[int, object], dict[str, list[str]]]:
    """Clean every shown answer; return (cleaned values of shown questions, errors by field name)."""
    cleaned: dict[int, object] = {}
    errors: dict[str, list[str]] = {}
    shown = visible_question_ids(questions, values)
    for question in questions:
        if question.pk not in shown:
            continue
        try:
            value = clean_answer(question, values.get(question.pk))
        except ValidationError as error:
            errors[question.field_name] = error.messages
            continue
        if value is None or value == "":
            if question.required:
                errors[question.field_name] = [_("This question is required.")]
            continue
        cleaned[question.pk] = value
    return cleaned, errors
