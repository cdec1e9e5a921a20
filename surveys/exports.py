"""Export a round's answers with tablib: one row per member, question codes as columns.

The anonymised export leaves out the institution's name, the person who
submitted and the exact time, and numbers respondents in an order derived from
their secret token (not from their name), so a row cannot be traced back
through its position. Country and institution type stay, because breakdowns
need them.
"""

import hashlib

import tablib

from .models import Answer, ResponseStatus, Round
from .selectors import round_questions


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value if item)
    return value


def round_dataset(*, survey_round: Round, anonymised: bool = False) -> tablib.Dataset:
    """Submitted answers of a round. Ranking cells list option codes in order of preference."""
    questions = round_questions(survey_round=survey_round)
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
    for number, invitation in enumerate(invitations, start=1):
        institution = invitation.institution
        answers = [_cell(values.get((invitation.pk, question.pk))) for question in questions]
        if anonymised:
            row = [
                f"R{number:03d}",
                str(institution.country),
                institution.institution_type,
            ]
        else:
            row = [
                institution.name,
                str(institution.country),
                institution.institution_type,
                invitation.submitted_at.isoformat(),
            ]
        data.append([*row, *answers])
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
