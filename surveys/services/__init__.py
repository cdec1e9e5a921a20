"""Every write of the demand survey that has rules.

Views, admin hooks, tasks and the demo loader call these; they hold no rules of
their own. Each refusal is a `ValidationError` (or `PermissionDenied` for who
may act) with a message a member or staff person can act on, and a `code` the
views use to pick the right HTTP status.

- `rounds`: create, change and delete a round;
- `lifecycle`: its changes of state (schedule, open, close, publish) and the scheduler's run;
- `questionnaire`: copying and editing its questions until it opens;
- `invitations`: inviting, withdrawing and reminding members;
- `answering`: who may answer, drafts, submission, reopening;
- `opportunities`: linking an innovation to the question that revealed it;
- `common`: what they share (the day, who acts, the row lock, the histories).
"""

from .answering import (
    PostedAnswers,
    answers_read_posted,
    answers_save_draft,
    invitation_check_access,
    invitation_check_can_answer,
    parse_posted_answers,
    response_reopen,
    response_submit,
)
from .invitations import invitation_withdraw, invitations_send, reminders_send, reminders_send_due
from .lifecycle import (
    round_close,
    round_open,
    round_publish_results,
    round_schedule,
    round_unschedule,
    rounds_open_and_close_due,
)
from .opportunities import opportunity_link
from .questionnaire import (
    question_check,
    question_delete,
    question_save,
    questionnaire_check_editable,
    questionnaire_copy,
)
from .rounds import ROUND_DETAILS, previous_round, round_check_update, round_create, round_delete, round_update

__all__ = [
    "ROUND_DETAILS",
    "PostedAnswers",
    "answers_read_posted",
    "answers_save_draft",
    "invitation_check_access",
    "invitation_check_can_answer",
    "invitation_withdraw",
    "invitations_send",
    "opportunity_link",
    "parse_posted_answers",
    "previous_round",
    "question_check",
    "question_delete",
    "question_save",
    "questionnaire_check_editable",
    "questionnaire_copy",
    "reminders_send",
    "reminders_send_due",
    "response_reopen",
    "response_submit",
    "round_check_update",
    "round_close",
    "round_create",
    "round_delete",
    "round_open",
    "round_publish_results",
    "round_schedule",
    "round_unschedule",
    "round_update",
    "rounds_open_and_close_due",
]
