"""What a member sees: its invitations, its own answers written out, and its answers beside the network's."""

import re

from portal.numbers import format_number

from ..answers import visible_question_ids
from ..models import (
    Invitation,
    Question,
    QuestionType,
)
from .aggregations import MIN_GROUP_SIZE, TOP_N
from .results import round_questions, round_results


def display_value(question: Question, value) -> str:
    """An answer as a person reads it: option labels, ranking in order, number with its unit."""
    if value is None or value == "" or value == []:
        return ""
    labels = {option.code: option.label for option in question.options.all()}
    if question.kind == QuestionType.RANKING and isinstance(value, list):
        return " › ".join(f"{place}. {labels.get(code, code)}" for place, code in enumerate(value, 1) if code)
    if isinstance(value, list):
        return ", ".join(labels.get(code, code) for code in value)
    if question.kind == QuestionType.SINGLE:
        return labels.get(value, value)
    if question.kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE) and isinstance(value, int | float):
        value = format_number(value)
    if question.kind == QuestionType.PERCENTAGE:
        return f"{value} %"
    if question.kind == QuestionType.NUMBER and question.unit:
        return f"{value} {question.unit}"
    return str(value)


def answers_for_display(*, invitation: Invitation) -> list[dict]:
    questions = round_questions(survey_round=invitation.round)
    values = dict(invitation.answers.values_list("question_id", "value"))
    shown = visible_question_ids(questions, values)
    return [
        {
            "question": question,
            "value": values.get(question.pk),
            "display": display_value(question, values.get(question.pk)),
        }
        for question in questions
        if question.pk in shown
    ]


# What `models.new_token` issues (URL-safe base64) within the column's length.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,64}")


def invitation_for_token(*, token: str) -> Invitation | None:
    """The invitation of a personal link, or None when there is none.

    A token that could never have been issued (other characters, too long,
    a NUL byte pasted into the URL) is not looked up at all: it is simply not
    a valid link, and PostgreSQL would refuse to compare it.
    """
    if not TOKEN_PATTERN.fullmatch(token):
        return None
    return Invitation.objects.select_related("round", "institution").filter(token=token).first()


def member_invitation(*, round_id: int, institution_id: int) -> Invitation | None:
    """A member institution's invitation to a round, or None when it was not invited.

    The round is matched on its own key (`round__pk`, not `round_id`): Django
    then treats a number beyond the column's range as matching nothing, where
    the foreign-key lookup hands it to the database (SQLite overflows).
    """
    return (
        Invitation.objects.select_related("round", "institution")
        .filter(round__pk=round_id, institution_id=institution_id)
        .first()
    )


def member_invitations(*, institution_id: int) -> list[Invitation]:
    return list(
        Invitation.objects.filter(institution_id=institution_id)
        .select_related("round")
        .order_by("-round__year", "-round__semester")
    )


def member_comparison(*, invitation: Invitation) -> list[dict]:
    """The member's answers next to the network's aggregate for the same questions.

    The network aggregate is shown only when at least MIN_GROUP_SIZE members
    submitted, so that it never reveals another single member's answer.
    """
    results = {item["question"].pk: item for item in round_results(survey_round=invitation.round)["questions"]}
    rows = []
    for item in answers_for_display(invitation=invitation):
        question = item["question"]
        result = results.get(question.pk, {})
        row = {**item, "n": result.get("n", 0), "hidden": result.get("n", 0) < MIN_GROUP_SIZE}
        if not row["hidden"]:
            labels = {option.code: option.label for option in question.options.all()}
            if "ranking" in result:
                row["network"] = [
                    {
                        "label": labels.get(r["code"], r["code"]),
                        "rank": r["rank"],
                        "mine": r["code"] in (item["value"] or [])[:TOP_N],
                    }
                    for r in result["ranking"][:TOP_N]
                ]
                mine = item["value"] or []
                row["my_top"] = [labels.get(code, code) for code in mine[:TOP_N]]
            elif "shares" in result:
                chosen = item["value"] if isinstance(item["value"], list) else [item["value"]]
                row["shares"] = [
                    {"label": labels.get(s["code"], s["code"]), "share": s["share"], "mine": s["code"] in chosen}
                    for s in result["shares"]
                ]
            elif "numbers" in result:
                row["numbers"] = result["numbers"]
        rows.append(row)
    return rows
