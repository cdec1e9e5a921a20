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
