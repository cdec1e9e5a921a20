"""The pure aggregations of answers: Borda ranking, choice shares, number summaries.

They take plain values and compute; no query. Every rule users argue about has its worked
example here and in its test.
"""

import statistics
from collections import Counter

from portal.suppression import MIN_GROUP_SIZE as MIN_GROUP_SIZE  # the rule is portal.suppression's

from ..models import (
    NUMERIC_TYPES,
    Question,
    QuestionType,
)

TOP_N = 3  # a ranked product line counts as "demanded" when placed in the first TOP_N places


def borda_ranking(rankings: list[list[str]], options: list[str], positions: int | None = None) -> list[dict]:
    """Demand ranking of options by Borda count.

    Each respondent orders up to K options (K = `positions`, all options by
    default). The option in place p (1 = most demanded) earns K − p + 1 points,
    so with K = 8 the first place earns 8 points and the eighth 1; options a
    respondent did not rank earn 0. An option's *score* is the sum of its points
    over respondents and its *average* the score divided by the number of
    respondents. Options are ordered by score, then by number of first places,
    then by questionnaire order; *rank* is the competition rank of the score
    (equal scores share a rank: 1, 2, 2, 4).

    Worked example (tests/surveys/test_selectors.py): options A, B, C, K = 3,
    rankings [A, B, C], [B, A, C], [A, C, B] → A = 3+2+3 = 8, B = 2+3+1 = 6,
    C = 1+1+2 = 4; ranks A 1, B 2, C 3.
    """
    positions = positions or len(options)
    scores = dict.fromkeys(options, 0)
    firsts = dict.fromkeys(options, 0)
    for ranking in rankings:
        for place, code in enumerate(ranking[:positions], start=1):
            if code in scores:
                scores[code] += positions - place + 1
                if place == 1:
                    firsts[code] += 1
    order = {code: index for index, code in enumerate(options)}
    ordered = sorted(options, key=lambda code: (-scores[code], -firsts[code], order[code]))
    rows = []
    for index, code in enumerate(ordered):
        rank = rows[-1]["rank"] if rows and rows[-1]["score"] == scores[code] else index + 1
        rows.append(
            {
                "code": code,
                "score": scores[code],
                "average": round(scores[code] / len(rankings), 2) if rankings else 0,
                "first_places": firsts[code],
                "rank": rank,
            }
        )
    return rows


def choice_shares(answers: list, options: list[str]) -> list[dict]:
    """Share of respondents choosing each option (multiple choice shares can add up to more than 100%)."""
    counts = Counter()
    for value in answers:
        for code in value if isinstance(value, list) else [value]:
            counts[code] += 1
    total = len(answers)
    return [
        {"code": code, "count": counts[code], "share": round(100 * counts[code] / total, 1) if total else 0.0}
        for code in options
    ]


def number_summary(values: list[float]) -> dict:
    """Median and quartiles (the 'inclusive' method: Q1 and Q3 are medians of the
    lower and upper halves interpolated like spreadsheet QUARTILE.INC)."""
    values = sorted(float(value) for value in values)
    if not values:
        return {"n": 0, "min": None, "q1": None, "median": None, "q3": None, "max": None, "mean": None}
    if len(values) == 1:
        q1 = q3 = values[0]
    else:
        q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {
        "n": len(values),
        "min": values[0],
        "q1": round(q1, 2),
        "median": round(statistics.median(values), 2),
        "q3": round(q3, 2),
        "max": values[-1],
        "mean": round(statistics.fmean(values), 2),
    }


def summarise(question: Question, values: list) -> dict:
    codes = [option.code for option in question.options.all()]
    if question.kind == QuestionType.RANKING:
        return {"ranking": borda_ranking(values, codes, question.positions)}
    if question.kind in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
        return {"shares": choice_shares(values, codes)}
    if question.kind in NUMERIC_TYPES:
        return {"numbers": number_summary(values)}
    return {"texts": sorted(str(value) for value in values)}
