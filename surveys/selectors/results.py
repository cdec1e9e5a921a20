"""A round's results and the demand across rounds, from submitted answers only.

Breakdowns by country and institution type hide every group with fewer than
`MIN_GROUP_SIZE` respondents, so that no single member's answers can be read off a table.
"""

from collections import Counter, defaultdict

from portal.suppression import hidden_groups

from ..models import (
    CHOICE_TYPES,
    Answer,
    Question,
    QuestionType,
    ResponseStatus,
    Round,
)
from .aggregations import MIN_GROUP_SIZE, TOP_N, borda_ranking, summarise
from .participation import country_name, response_rate, type_name


def round_questions(*, survey_round: Round) -> list[Question]:
    return list(survey_round.questions.select_related("round").prefetch_related("options").order_by("position", "pk"))


def _submitted_answers(question_ids) -> list[dict]:
    return list(
        Answer.objects.filter(question_id__in=question_ids, invitation__status=ResponseStatus.SUBMITTED).values(
            "question_id",
            "value",
            "invitation_id",
            "invitation__institution__country",
            "invitation__institution__institution_type",
        )
    )


def round_results(*, survey_round: Round) -> dict:
    """Everything the results page shows for one round, from a fixed number of queries."""
    questions = round_questions(survey_round=survey_round)
    answers = _submitted_answers([question.pk for question in questions])
    by_question: dict[int, list[dict]] = defaultdict(list)
    for answer in answers:
        by_question[answer["question_id"]].append(answer)
    results = []
    for question in questions:
        rows = by_question.get(question.pk, [])
        values = [row["value"] for row in rows]
        result = {"question": question, "n": len(values), **summarise(question, values)}
        if question.kind != QuestionType.TEXT:
            result["by_country"] = _breakdown(question, rows, "invitation__institution__country", country_name)
            result["by_type"] = _breakdown(question, rows, "invitation__institution__institution_type", type_name)
        results.append(result)
    return {
        "round": survey_round,
        "rate": response_rate(survey_round=survey_round),
        "questions": results,
        "gap": demand_supply_gap(questions=questions, answers=answers),
    }


def _breakdown(question: Question, rows: list[dict], field: str, label) -> list[dict]:
    """The answers by group (country, institution type), with small groups hidden.

    The rule is `portal.suppression.hidden_groups` (primary and complementary suppression,
    with its worked example): a group of fewer than `MIN_GROUP_SIZE` respondents is hidden,
    and so is the smallest shown group while the hidden ones could be got from the total.
    """
    grouped: dict[str, list] = defaultdict(list)
    for row in rows:
        grouped[row[field]].append(row["value"])
    hidden = hidden_groups({key: len(values) for key, values in grouped.items()})
    out = []
    for key, values in grouped.items():
        entry = {
            "key": key,
            "label": label(key),
            "n": len(values),
            "suppressed": key in hidden,
            "small": len(values) < MIN_GROUP_SIZE,
        }
        if not entry["suppressed"]:
            entry |= summarise(question, values)
        out.append(entry)
    return sorted(out, key=lambda entry: str(entry["label"]))


def _product_line_shares(question: Question, values: list) -> dict[int, float]:
    """Share of respondents naming each product line (for rankings: in the top TOP_N places)."""
    counts = Counter()
    by_code = {option.code: option.product_line_id for option in question.options.all() if option.product_line_id}
    for value in values:
        chosen = value[:TOP_N] if question.kind == QuestionType.RANKING else value
        for code in chosen if isinstance(chosen, list) else [chosen]:
            if code in by_code:
                counts[by_code[code]] += 1
    return {line_id: round(100 * counts[line_id] / len(values), 1) if values else 0.0 for line_id in by_code.values()}


def demand_supply_gap(*, questions: list[Question], answers: list[dict]) -> dict | None:
    """Demand against supply per product line: the opportunities of stage 1.

    Needs one question marked *demand* and one marked *supply* whose options are
    product lines. Demand share: respondents naming the line (in their top
    TOP_N when the demand question is a ranking); supply share: respondents
    offering it. Gap = demand − supply, in percentage points; the largest gaps
    are products members' clients want and few members offer.
    """
    demand = next((q for q in questions if q.measures == "demand" and q.kind in CHOICE_TYPES), None)
    supply = next((q for q in questions if q.measures == "supply" and q.kind in CHOICE_TYPES), None)
    if demand is None or supply is None:
        return None
    values = defaultdict(list)
    for answer in answers:
        if answer["question_id"] in (demand.pk, supply.pk):
            values[answer["question_id"]].append(answer["value"])
    demand_shares = _product_line_shares(demand, values[demand.pk])
    supply_shares = _product_line_shares(supply, values[supply.pk])
    lines = {option.product_line_id: option.product_line for option in demand.options.all() if option.product_line_id}
    rows = [
        {
            "product_line": line,
            "demand": demand_shares.get(line_id, 0.0),
            "supply": supply_shares.get(line_id, 0.0),
            "gap": round(demand_shares.get(line_id, 0.0) - supply_shares.get(line_id, 0.0), 1),
        }
        for line_id, line in lines.items()
    ]
    rows.sort(key=lambda row: -row["gap"])
    return {
        "demand_question": demand,
        "supply_question": supply,
        "n_demand": len(values[demand.pk]),
        "n_supply": len(values[supply.pk]),
        "rows": rows,
    }


# --- Across rounds ---------------------------------------------------------------------------


def ranking_question_codes() -> list[str]:
    return list(
        Question.objects.filter(kind=QuestionType.RANKING).order_by("code").values_list("code", flat=True).distinct()
    )


def demand_trend(*, code: str) -> dict:
    """Each option's Borda rank and average points in every round that asked ranking question `code`."""
    questions = list(
        Question.objects.filter(code=code, kind=QuestionType.RANKING)
        .select_related("round")
        .prefetch_related("options")
        .order_by("round__year", "round__semester")
    )
    answers = Answer.objects.filter(question__in=questions, invitation__status=ResponseStatus.SUBMITTED).values_list(
        "question_id", "value"
    )
    values = defaultdict(list)
    for question_id, value in answers:
        values[question_id].append(value)
    labels: dict[str, str] = {}
    rounds = []
    series: dict[str, list] = defaultdict(list)
    for question in questions:
        codes = [option.code for option in question.options.all()]
        labels |= {option.code: option.label for option in question.options.all()}
        ranking = {row["code"]: row for row in borda_ranking(values[question.pk], codes, question.positions)}
        rounds.append({"round": question.round, "n": len(values[question.pk])})
        for option_code in labels:
            row = ranking.get(option_code)
            series[option_code].append(
                {"rank": row["rank"], "average": row["average"]} if row and values[question.pk] else None
            )
    return {
        "code": code,
        "rounds": rounds,
        "lines": [{"code": c, "label": labels[c], "points": series[c]} for c in labels],
    }
