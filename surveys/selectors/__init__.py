"""Reads of the demand survey that aggregate: response rates, rankings, shares, trends, gaps.

They return plain data (dicts and lists) for templates, charts and exports, and
use a fixed number of queries whatever the number of members and rounds: the
answers of a round come in one query and are summarised in Python.

Only *submitted* answers count in results. Breakdowns by country and
institution type hide every group with fewer than `MIN_GROUP_SIZE` respondents,
so that no single member's answers can be read off a table.

- `aggregations`: the pure rules (Borda ranking, shares, number summaries);
- `participation`: response rates, status by group, who has not answered;
- `results`: a round's results, the demand–supply gap, the demand trend across rounds;
- `member`: what a member sees (its invitations, its answers, its comparison);
- `lifecycle`: a round's state in words and what a change of state would do.
"""

from .aggregations import MIN_GROUP_SIZE, TOP_N, borda_ranking, choice_shares, number_summary
from .lifecycle import TRANSITION_ACTIONS, Transition, round_actions, round_transition, round_when
from .member import (
    TOKEN_PATTERN,
    answers_for_display,
    display_value,
    invitation_for_token,
    member_comparison,
    member_invitation,
    member_invitations,
)
from .participation import (
    country_name,
    invitation_counts,
    invite_preview,
    non_respondents,
    response_rate,
    response_rates,
    status_breakdown,
    type_name,
)
from .results import demand_supply_gap, demand_trend, ranking_question_codes, round_questions, round_results

__all__ = [
    "MIN_GROUP_SIZE",
    "TOKEN_PATTERN",
    "TOP_N",
    "TRANSITION_ACTIONS",
    "Transition",
    "answers_for_display",
    "borda_ranking",
    "choice_shares",
    "country_name",
    "demand_supply_gap",
    "demand_trend",
    "display_value",
    "invitation_counts",
    "invitation_for_token",
    "invite_preview",
    "member_comparison",
    "member_invitation",
    "member_invitations",
    "non_respondents",
    "number_summary",
    "ranking_question_codes",
    "response_rate",
    "response_rates",
    "round_actions",
    "round_questions",
    "round_results",
    "round_transition",
    "round_when",
    "status_breakdown",
    "type_name",
]
