"""Pages of the demand survey. Thin: permissions, then a service or a selector, then a template.

Roles: staff (`portal.permissions.is_staff`) run rounds and read results; a member
answers for its own institution (personal link or signed in) and compares with
the network; nobody else sees answers.

- `home`: the landing page, by role;
- `answering`: the questionnaire, its autosave, a member's comparison;
- `rounds`: staff running a round (status, state changes, invitations, reminders, reopening);
- `results`: staff reading results and trends, and the exports;
- `refusals`: the refusal page and the staff-only decorator.
"""

from .answering import (
    answer_page,
    autosave,
    form_items,
    member_answer,
    member_autosave,
    member_compare,
    respond,
    respond_autosave,
)
from .home import home
from .refusals import refused, staff_only
from .results import round_export, round_non_respondents, round_results, trends
from .rounds import (
    ROUND_SERVICES,
    invitation_detail,
    invitation_withdraw,
    round_invite,
    round_remind,
    round_state_change,
    round_status,
)

__all__ = [
    "ROUND_SERVICES",
    "answer_page",
    "autosave",
    "form_items",
    "home",
    "invitation_detail",
    "invitation_withdraw",
    "member_answer",
    "member_autosave",
    "member_compare",
    "refused",
    "respond",
    "respond_autosave",
    "round_export",
    "round_invite",
    "round_non_respondents",
    "round_remind",
    "round_results",
    "round_state_change",
    "round_status",
    "staff_only",
    "trends",
]
