"""The semiannual member demand survey: rounds, questionnaires, invitations, answers.

A *round* is one semester's edition (2026-S1). Its questionnaire is a list of
questions with stable codes, so that answers compare across rounds. Each member
institution gets one *invitation* per round: it carries the unguessable personal
link, the state of the institution's response (not started, draft, submitted)
and a version number that detects two people editing at once. Answers hang off
the invitation, one per question.

- `rounds`: the round, its states (`RoundState`) and its history (`RoundEvent`);
- `questionnaire`: questions and their options;
- `responses`: invitations, answers and an invitation's history;
- `opportunities`: innovations a question revealed.

Writes with rules go through `surveys.services`; aggregating reads through
`surveys.selectors`. The database repeats the simplest invariants.
"""

from .opportunities import Opportunity
from .questionnaire import CHOICE_TYPES, NUMERIC_TYPES, Measures, Option, Question, QuestionType
from .responses import Answer, EventKind, Invitation, InvitationEvent, ResponseStatus, new_token
from .rounds import OPENED_STATES, Round, RoundEvent, RoundEventKind, RoundState, Semester

__all__ = [
    "CHOICE_TYPES",
    "NUMERIC_TYPES",
    "OPENED_STATES",
    "Answer",
    "EventKind",
    "Invitation",
    "InvitationEvent",
    "Measures",
    "Opportunity",
    "Option",
    "Question",
    "QuestionType",
    "ResponseStatus",
    "Round",
    "RoundEvent",
    "RoundEventKind",
    "RoundState",
    "Semester",
    "new_token",
]
