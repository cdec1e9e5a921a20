"""Creating, changing and deleting a round: what its state has made history cannot be edited."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ..models import (
    Round,
    RoundState,
)
from .common import locked_round, resolve_today
from .questionnaire import questionnaire_copy


def previous_round(*, year: int, semester: int) -> Round | None:
    """The latest round before year/semester: the one whose questionnaire a new round copies."""
    earlier = Round.objects.filter(year__lt=year) | Round.objects.filter(year=year, semester__lt=semester)
    return earlier.order_by("-year", "-semester").first()


@transaction.atomic
def round_create(
    *,
    year: int,
    semester: int,
    opens_on: datetime.date,
    closes_on: datetime.date,
    reminder_days: int = 7,
    intro_es: str = "",
    intro_en: str = "",
    copy_questionnaire: bool = True,
) -> Round:
    """Create a round; its questionnaire starts as a copy of the previous round's (same codes)."""
    survey_round = Round(
        year=year,
        semester=semester,
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_days=reminder_days,
        intro_es=intro_es,
        intro_en=intro_en,
    )
    if opens_on and closes_on and closes_on < opens_on:
        raise ValidationError({"closes_on": _("The round must close on or after the day it opens.")})
    survey_round.full_clean()
    survey_round.save()
    source = previous_round(year=year, semester=semester) if copy_questionnaire else None
    if source is not None:
        questionnaire_copy(source=source, target=survey_round)
    return survey_round


ROUND_DETAILS = ("year", "semester", "opens_on", "closes_on", "reminder_days", "intro_es", "intro_en")


def round_check_update(*, survey_round: Round, changes: dict, today: datetime.date | None = None) -> None:
    """What a round's state has made history cannot be edited (field-keyed errors):

    - year and semester name the round (its code in links, e-mails and exports): fixed once
      anybody is invited or the round has opened;
    - the opening date is fixed once the round has opened; a scheduled round's cannot move to
      a day that has passed (the scheduler would open it at once, without anyone deciding);
    - the closing date can move while the round is open (to extend it, or end it sooner, but
      not before today: closing now is the "Close" action); once closed it is fixed;
    - introductions and reminder days can always change.
    """
    today = resolve_today(today)
    errors: dict[str, str] = {}

    def changed(name: str) -> bool:
        return name in changes and changes[name] != getattr(survey_round, name)

    opened = survey_round.state in (RoundState.OPEN, RoundState.CLOSED, RoundState.RESULTS_PUBLISHED)
    closed = survey_round.state in (RoundState.CLOSED, RoundState.RESULTS_PUBLISHED)
    if (changed("year") or changed("semester")) and (opened or survey_round.invitations.exists()):
        errors["semester" if changed("semester") and not changed("year") else "year"] = _(
            "Round %(round)s has invited members: its year and semester name it in their links and e-mails "
            "and cannot change."
        ) % {"round": survey_round.code}
    if changed("opens_on"):
        if opened:
            errors["opens_on"] = _("Round %(round)s opened on %(date)s: that day cannot change.") % {
                "round": survey_round.code,
                "date": date_format(survey_round.opens_on),
            }
        elif survey_round.state == RoundState.SCHEDULED and changes["opens_on"] < today:
            errors["opens_on"] = _(
                "A scheduled round cannot open on a day that has passed: choose today or later, or open it now "
                "from its status page."
            )
    if changed("closes_on"):
        if closed:
            errors["closes_on"] = _("Round %(round)s closed on %(date)s: that day cannot change.") % {
                "round": survey_round.code,
                "date": date_format(survey_round.closes_on),
            }
        elif survey_round.state == RoundState.OPEN and changes["closes_on"] < today:
            errors["closes_on"] = _(
                "An open round cannot close on a day that has passed: choose today or later, or close it now "
                "from its status page."
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def round_update(*, survey_round: Round, today: datetime.date | None = None, **details) -> Round:
    """Save a round's details (`ROUND_DETAILS`) with the rules of `round_check_update`, checked
    against the round as it is now in the database (not as a form left it)."""
    unknown = set(details) - set(ROUND_DETAILS)
    if unknown:
        raise TypeError(f"round_update() got unexpected details: {', '.join(sorted(unknown))}")
    locked = locked_round(survey_round)
    round_check_update(survey_round=locked, changes=details, today=today)
    for name, value in details.items():
        setattr(locked, name, value)
    if locked.opens_on and locked.closes_on and locked.closes_on < locked.opens_on:
        raise ValidationError({"closes_on": _("The round must close on or after the day it opens.")})
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def round_delete(*, survey_round: Round) -> None:
    """Delete a round that nobody was invited to; once members are invited its answers are history."""
    if survey_round.invitations.exists():
        raise ValidationError(
            _("Round %(round)s has invitations: it cannot be deleted.") % {"round": survey_round.code},
            code="has_invitations",
        )
    survey_round.delete()
