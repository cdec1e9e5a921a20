"""Inviting member institutions, withdrawing an invitation, and reminding those who have not submitted."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import MemberInstitution

from ..models import (
    EventKind,
    Invitation,
    ResponseStatus,
    Round,
    RoundEventKind,
    RoundState,
)
from ..tasks import send_invitation_email
from .common import locked_round, log_invitation_event, log_round_event, moment, require_staff, resolve_today


def _invitation_record(*, survey_round: Round, institution, user, send: bool, now) -> Invitation:
    invitation = Invitation(round=survey_round, institution=institution, sent_at=now if send else None)
    invitation.full_clean()
    invitation.save()
    if send:
        invitation_issue(invitation, user=user, now=now, stamp=False)
    return invitation


def invitation_issue(invitation: Invitation, *, user, now, stamp: bool = True) -> bool:
    """The invitation goes out: sent_at stamped, the history says so, and the e-mail is
    queued when the institution has an address. Returns whether an e-mail was queued."""

    if stamp:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    log_invitation_event(invitation, EventKind.INVITED, user=user)
    if invitation.institution.contact_email:
        send_invitation_email.enqueue(invitation_id=invitation.pk, reminder=False)
        return True
    return False


@transaction.atomic
def invitations_send(
    *,
    survey_round: Round,
    user,
    institutions=None,
    only_with_email: bool = False,
    today: datetime.date | None = None,
) -> int:
    """Invite member institutions (all of them by default); each gets one invitation per round.

    Invitations never go out before the round opens: on a draft or scheduled round they
    are recorded (`sent_at` empty, no e-mail) and `round_open` sends them; on an open
    round the e-mails go at once, through the tasks framework, queued in the same
    transaction. `only_with_email` leaves out institutions without a contact address
    (an invitation nobody receives only lowers the response rate). Members already
    invited are not invited twice, so a double submit invites nobody again. Returns how
    many were invited.
    """
    require_staff(user)
    survey_round = locked_round(survey_round)
    if survey_round.is_closed(resolve_today(today)):
        raise ValidationError(_("This round has closed: invitations can no longer be sent."), code="closed")
    institutions = MemberInstitution.objects.all() if institutions is None else institutions
    existing = set(survey_round.invitations.values_list("institution_id", flat=True))
    send = survey_round.is_open(resolve_today(today))
    now = timezone.now()
    invited = 0
    for institution in institutions:
        if institution.pk in existing or (only_with_email and not institution.contact_email):
            continue
        _invitation_record(survey_round=survey_round, institution=institution, user=user, send=send, now=now)
        existing.add(institution.pk)
        invited += 1
    return invited


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, user, reason: str = "") -> None:
    """Withdraw an invitation nobody has started to answer (an institution invited by mistake).

    The invitation is deleted rather than marked: every count of the round (invited,
    response rate, reminders, exports, the API) counts invitation rows, and one withdrawn
    must count nowhere; a kept row would need a filter in each of those reads, and a
    forgotten one would lower the response rate again. Deleting also retires its personal
    link, and the institution can be invited again later with a new one. The trace stays
    in the round's history (`RoundEvent` "withdrawn", with the institution, who and when).
    """
    require_staff(user)
    invitation = Invitation.objects.select_for_update().select_related("round", "institution").get(pk=invitation.pk)
    if invitation.status != ResponseStatus.NOT_STARTED or invitation.answers.exists():
        raise ValidationError(
            _("%(institution)s has started answering: its invitation can no longer be withdrawn.")
            % {"institution": invitation.institution.name},
            code="started",
        )
    if invitation.round.is_closed():
        raise ValidationError(_("This round has closed: its invitations stay as they are."), code="closed")
    log_round_event(
        invitation.round, RoundEventKind.WITHDRAWN, user=user, institution=invitation.institution, note=reason.strip()
    )
    invitation.delete()


@transaction.atomic
def reminders_send(*, survey_round: Round, user=None, invitations=None, today: datetime.date | None = None) -> int:
    """Remind those who have not submitted (all of them by default). `user` None means the automatic reminder."""

    if user is not None:
        require_staff(user)
    if not survey_round.is_open(resolve_today(today)):
        raise ValidationError(_("Reminders can only be sent while the round is open."), code="not_open")
    pending = survey_round.invitations.exclude(status=ResponseStatus.SUBMITTED).select_related("institution")
    if invitations is not None:
        pending = pending.filter(pk__in=[invitation.pk for invitation in invitations])
    count = 0
    now = timezone.now() if today is None else moment(today)
    for invitation in pending:
        invitation.reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["reminded_at", "reminder_count"])
        log_invitation_event(invitation, EventKind.REMINDED, user=user)
        if invitation.institution.contact_email:
            send_invitation_email.enqueue(
                invitation_id=invitation.pk, reminder=True, reminder_number=invitation.reminder_count
            )
        count += 1
    return count


def reminders_send_due(*, today: datetime.date | None = None) -> int:
    """The automatic reminder: for every open round within its reminder window, remind once.

    Idempotent: an invitation already reminded since the window began is skipped,
    so running it daily (cron or a scheduled task) sends one reminder per round.
    """
    today = resolve_today(today)
    count = 0
    for survey_round in Round.objects.filter(state=RoundState.OPEN, closes_on__gte=today):
        window_start = survey_round.closes_on - datetime.timedelta(days=survey_round.reminder_days)
        if today < window_start:
            continue
        start = timezone.make_aware(datetime.datetime.combine(window_start, datetime.time.min))
        due = [
            invitation
            for invitation in survey_round.invitations.exclude(status=ResponseStatus.SUBMITTED)
            if invitation.reminded_at is None or invitation.reminded_at < start
        ]
        if due:
            count += reminders_send(survey_round=survey_round, invitations=due, today=today)
    return count
