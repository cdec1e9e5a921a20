"""What every survey service shares: the day it acts on, who acts, the row lock and the histories."""

import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.permissions import is_staff

from ..models import (
    Invitation,
    InvitationEvent,
    Round,
    RoundEvent,
)


def resolve_today(today: datetime.date | None) -> datetime.date:
    """The day a service acts on: `today` when given (the scheduler, tests), else the local date."""
    return today or timezone.localdate()


def moment(day: datetime.date) -> datetime.datetime:
    """The present time of day on `day` (services accept a `today` for schedules and tests)."""
    return timezone.make_aware(datetime.datetime.combine(day, timezone.localtime().time()))


def locked_round(survey_round: Round) -> Round:
    """The round read again under a row lock: two clicks (or the scheduler and a person)
    changing it at once are served one after the other, the second seeing the first's result."""
    return Round.objects.select_for_update().get(pk=survey_round.pk)


def log_round_event(survey_round: Round, kind: str, *, user=None, institution=None, note: str = "") -> None:
    event = RoundEvent(
        round=survey_round,
        kind=kind,
        by=user if is_user(user) else None,
        by_scheduler=user is None,
        institution=institution,
        note=note,
    )
    event.full_clean(exclude=["round", "by", "institution"])
    event.save()


def log_invitation_event(invitation: Invitation, kind: str, *, user=None, reason: str = "") -> None:
    event = InvitationEvent(invitation=invitation, kind=kind, by=user if is_user(user) else None, reason=reason)
    event.full_clean(exclude=["invitation", "by"])
    event.save()


def is_user(user) -> bool:
    """Whether a person is signed in (the scheduler and a personal link act without one)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def require_staff(user) -> None:
    """Refuse anyone but association staff (`portal.permissions.is_staff`)."""
    if not is_staff(user):
        raise PermissionDenied(_("Only association staff can do this."))
