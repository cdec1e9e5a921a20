"""Export a round's answers with tablib: one row per member, question codes as columns.

The anonymised export leaves out the institution's name, the person who
submitted and the exact time, and numbers respondents in an order derived from
their secret token (not from their name), so a row cannot be traced back
through its position. It is also **3-anonymous on country × institution type**
(`MIN_GROUP_SIZE`): a respondent whose country and type are shared by fewer than 3
others-or-itself loses its type (shown as "*"); if its country then still holds fewer
than 3 such respondents, it loses its country too; if fewer than 3 are left with
neither, they are left out. Exact figures that could single a member out are given
in bands (clients served 10 000–49 999; a share 60–69 %), and free-text answers are
left out unless staff ask for them.
"""

import hashlib

import tablib

from .models import Answer, QuestionType, ResponseStatus, Round
from .selectors import MIN_GROUP_SIZE, round_questions

HIDDEN = "*"  # a generalised country or institution type in the anonymised export
BOUNDS = [0, 100, 500, 1_000, 5_000, 10_000, 50_000, 100_000, 500_000, 1_000_000]


def band(value, kind: str) -> str:
    """An exact figure as a band: tens for a share (60–69 %), else the `BOUNDS` it falls between."""
    if value in (None, ""):
        return ""
    number = float(value)
    if kind == QuestionType.PERCENTAGE:
        low = min(int(number // 10) * 10, 100)
        return "100" if low >= 100 else f"{low}–{low + 9}"
    for low, high in zip(BOUNDS, BOUNDS[1:], strict=False):
        if number < high:
            return f"{low}–{high - 1}"
    return f"{BOUNDS[-1]}+"


def k_anonymous(rows: list[list], *, country: int, kind: int) -> list[list]:
    """Generalise (then drop) rows so that every country × type pair is shared by at least
    `MIN_GROUP_SIZE` rows (see the module's docstring); `country`, `kind`: column positions."""

    def counts(key):
        tally: dict = {}
        for row in rows:
            tally[key(row)] = tally.get(key(row), 0) + 1
        return tally

    pairs = counts(lambda row: (row[country], row[kind]))
    for row in rows:
        if pairs[(row[country], row[kind])] < MIN_GROUP_SIZE:
            row[kind] = HIDDEN
    pairs = counts(lambda row: (row[country], row[kind]))
    for row in rows:
        if row[kind] == HIDDEN and pairs[(row[country], HIDDEN)] < MIN_GROUP_SIZE:
            row[country] = HIDDEN
    pairs = counts(lambda row: (row[country], row[kind]))
    return [row for row in rows if pairs[(row[country], row[kind])] >= MIN_GROUP_SIZE]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value if item)
    return value


def round_dataset(*, survey_round: Round, anonymised: bool = False, free_text: bool = False) -> tablib.Dataset:
    """Submitted answers of a round. Ranking cells list option codes in order of preference.
    Anonymised: see the module's docstring (`free_text` keeps the free-text answers)."""
    questions = round_questions(survey_round=survey_round)
    if anonymised and not free_text:
        questions = [question for question in questions if question.kind != QuestionType.TEXT]
    invitations = list(
        survey_round.invitations.filter(status=ResponseStatus.SUBMITTED).select_related("institution", "submitted_by")
    )
    values: dict[tuple[int, int], object] = {
        (invitation_id, question_id): value
        for invitation_id, question_id, value in Answer.objects.filter(
            invitation__in=invitations, question__in=questions
        ).values_list("invitation_id", "question_id", "value")
    }
    codes = [question.code for question in questions]
    if anonymised:
        headers = ["respondent", "country", "institution_type", *codes]
        invitations.sort(key=lambda invitation: hashlib.sha256(invitation.token.encode()).hexdigest())
    else:
        headers = ["institution", "country", "institution_type", "submitted_at", *codes]
        invitations.sort(key=lambda invitation: invitation.institution.name)
    data = tablib.Dataset(headers=headers, title=survey_round.code)
    if anonymised:
        rows = []
        for invitation in invitations:
            institution = invitation.institution
            answers = [
                band(values.get((invitation.pk, question.pk)), question.kind)
                if question.kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE)
                else _cell(values.get((invitation.pk, question.pk)))
                for question in questions
            ]
            rows.append([str(institution.country), institution.institution_type, *answers])
        for number, row in enumerate(k_anonymous(rows, country=0, kind=1), start=1):
            data.append([f"R{number:03d}", *row])
        return data
    for invitation in invitations:
        institution = invitation.institution
        answers = [_cell(values.get((invitation.pk, question.pk))) for question in questions]
        row = [institution.name, str(institution.country), institution.institution_type]
        data.append([*row, invitation.submitted_at.isoformat(), *answers])
    return data


def results_dataset(*, results: dict) -> tablib.Dataset:
    """The numbers behind a round's result charts, one row per question, option and measure."""
    data = tablib.Dataset(headers=["question", "type", "option", "measure", "value"], title=results["round"].code)
    for item in results["questions"]:
        question = item["question"]
        data.append([question.code, question.kind, "", "respondents", item["n"]])
        for row in item.get("ranking", []):
            for measure in ("rank", "score", "average", "first_places"):
                data.append([question.code, question.kind, row["code"], measure, row[measure]])
        for row in item.get("shares", []):
            data.append([question.code, question.kind, row["code"], "count", row["count"]])
            data.append([question.code, question.kind, row["code"], "share", row["share"]])
        for measure, value in (item.get("numbers") or {}).items():
            if measure != "n":
                data.append([question.code, question.kind, "", measure, value])
    gap = results.get("gap")
    for row in gap["rows"] if gap else []:
        for measure in ("demand", "supply", "gap"):
            data.append(["gap", "", row["product_line"].code, measure, row[measure]])
    return data


def trend_dataset(*, trend: dict) -> tablib.Dataset:
    """The numbers behind the trend chart: each option's rank and average points per round."""
    data = tablib.Dataset(headers=["option", "round", "respondents", "rank", "average"], title=trend["code"][:31])
    for line in trend["lines"]:
        for item, point in zip(trend["rounds"], line["points"], strict=True):
            data.append(
                [
                    line["code"],
                    item["round"].code,
                    item["n"],
                    point["rank"] if point else "",
                    point["average"] if point else "",
                ]
            )
    return data
