"""A round's life: draft → scheduled → open → closed → results published.

Each change of state is one service here, checked against the round as it is in the
database (under a row lock) and recorded in the round's history.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    Round,
    RoundEventKind,
    RoundState,
)
from .common import locked_round, log_round_event, moment, require_staff, resolve_today
from .invitations import invitation_issue


def _refuse_state(survey_round: Round, allowed: tuple[str, ...], doing: str) -> None:
    """Refuse a change the round's state does not allow, saying where the round is."""
    if survey_round.state in allowed:
        return
    where = {
        RoundState.DRAFT: _("Round %(round)s is a draft."),
        RoundState.SCHEDULED: _("Round %(round)s is scheduled to open on %(opens)s."),
        RoundState.OPEN: _("Round %(round)s is open."),
        RoundState.CLOSED: _("Round %(round)s is closed."),
        RoundState.RESULTS_PUBLISHED: _("Round %(round)s is closed and its results are published."),
    }[survey_round.state] % {"round": survey_round.code, "opens": date_format(survey_round.opens_on)}
    raise ValidationError(f"{where} {doing}", code="wrong_state")


def _require_questions(survey_round: Round) -> None:
    if not survey_round.questions.exists():
        raise ValidationError(
            _("Round %(round)s has no questions yet: add its questionnaire first.") % {"round": survey_round.code},
            code="no_questions",
        )


def _apply(survey_round: Round, locked: Round, **changes) -> None:
    """Save the changed fields (and only those) on the locked row, and on the caller's instance."""
    for name, value in changes.items():
        setattr(locked, name, value)
        setattr(survey_round, name, value)
    locked.full_clean(exclude=["year", "semester"])
    locked.save(update_fields=list(changes))


@transaction.atomic
def round_schedule(*, survey_round: Round, user, today: datetime.date | None = None) -> None:
    """A draft round is scheduled to open on its `opens_on`: the scheduler opens it then and
    sends the invitations recorded meanwhile. Its questionnaire can still be changed."""
    require_staff(user)
    today = resolve_today(today)
    locked = locked_round(survey_round)
    _refuse_state(locked, (RoundState.DRAFT,), _("Only a draft can be scheduled."))
    _require_questions(locked)
    if locked.opens_on < today:
        raise ValidationError(
            {
                "opens_on": ValidationError(
                    _(
                        "Round %(round)s would open on %(date)s, which has passed: set an opening date from "
                        "today on, or open it now."
                    )
                    % {"round": locked.code, "date": date_format(locked.opens_on)},
                    code="opens_in_past",
                )
            }
        )
    _apply(survey_round, locked, state=RoundState.SCHEDULED)
    log_round_event(locked, RoundEventKind.SCHEDULED, user=user)


@transaction.atomic
def round_unschedule(*, survey_round: Round, user) -> None:
    """A scheduled round goes back to draft: it will not open by itself. Recorded invitations stay."""
    require_staff(user)
    locked = locked_round(survey_round)
    _refuse_state(locked, (RoundState.SCHEDULED,), _("Only a scheduled round can go back to draft."))
    _apply(survey_round, locked, state=RoundState.DRAFT)
    log_round_event(locked, RoundEventKind.UNSCHEDULED, user=user)


@transaction.atomic
def round_open(*, survey_round: Round, user=None, today: datetime.date | None = None) -> int:
    """Open a round: members may answer, the questionnaire is fixed, and every recorded
    invitation whose e-mail has not gone is sent now (sent_at stamped).

    The scheduler (`user` None) opens scheduled rounds on their opening date; staff may
    open a draft or scheduled round earlier, and its opening date becomes today, so that
    the dates say what happened. Returns how many invitation e-mails were queued.
    """
    if user is not None:
        require_staff(user)
    today = resolve_today(today)
    locked = locked_round(survey_round)
    _refuse_state(locked, (RoundState.DRAFT, RoundState.SCHEDULED), _("Only a draft or scheduled round can open."))
    _require_questions(locked)
    if locked.closes_on < today:
        raise ValidationError(
            {
                "closes_on": ValidationError(
                    _("Round %(round)s was to close on %(date)s, which has passed: change its closing date first.")
                    % {"round": locked.code, "date": date_format(locked.closes_on)},
                    code="closes_in_past",
                )
            }
        )
    changes = {"state": RoundState.OPEN}
    note = ""
    if locked.opens_on > today:
        note = _("Opened early; it was to open on %(date)s.") % {"date": date_format(locked.opens_on)}
        changes["opens_on"] = today
    _apply(survey_round, locked, **changes)
    log_round_event(locked, RoundEventKind.OPENED, user=user, note=note)
    now = timezone.now() if today == timezone.localdate() else moment(today)
    pending = locked.invitations.filter(sent_at__isnull=True).select_related("institution").order_by("pk")
    return sum(invitation_issue(invitation, user=user, now=now) for invitation in pending)


@transaction.atomic
def round_close(*, survey_round: Round, user=None, today: datetime.date | None = None) -> None:
    """Close an open round: nobody can submit or save any more, drafts stay unsubmitted.

    The scheduler (`user` None) closes rounds the day after `closes_on`; staff may close
    earlier, and the closing date becomes today."""
    if user is not None:
        require_staff(user)
    today = resolve_today(today)
    locked = locked_round(survey_round)
    _refuse_state(locked, (RoundState.OPEN,), _("Only an open round can close."))
    changes = {"state": RoundState.CLOSED}
    note = ""
    if locked.closes_on > today:
        note = _("Closed early; it was to close on %(date)s.") % {"date": date_format(locked.closes_on)}
        changes["closes_on"] = today
    _apply(survey_round, locked, **changes)
    log_round_event(locked, RoundEventKind.CLOSED, user=user, note=note)


@transaction.atomic
def round_publish_results(*, survey_round: Round, user) -> None:
    """Members who answered see the network's results (their comparison page, the API).
    Only once the round is closed, so that results no longer move; it cannot be undone."""
    require_staff(user)
    locked = locked_round(survey_round)
    _refuse_state(locked, (RoundState.CLOSED,), _("Results are published once the round is closed."))
    _apply(survey_round, locked, state=RoundState.RESULTS_PUBLISHED)
    log_round_event(locked, RoundEventKind.RESULTS_PUBLISHED, user=user)


def rounds_open_and_close_due(*, today: datetime.date | None = None) -> tuple[list[Round], list[Round]]:
    """The scheduler's daily work: open the scheduled rounds whose opening date has come and
    close the open rounds whose last day has passed. Idempotent: a round already opened or
    closed is not touched again. A scheduled round whose closing date has also passed is not
    opened (its invitations would arrive after the end); staff see it on its status page.
    Returns (opened, closed)."""
    today = resolve_today(today)
    opened = []
    for survey_round in Round.objects.filter(
        state=RoundState.SCHEDULED, opens_on__lte=today, closes_on__gte=today
    ).order_by("opens_on", "pk"):
        round_open(survey_round=survey_round, today=today)
        opened.append(survey_round)
    closed = []
    for survey_round in Round.objects.filter(state=RoundState.OPEN, closes_on__lt=today).order_by("closes_on", "pk"):
        round_close(survey_round=survey_round, today=today)
        closed.append(survey_round)
    return opened, closed
