"""Every write of the demand survey that has rules.

Views, admin hooks, tasks and the demo loader call these; they hold no rules of
their own. Each refusal is a `ValidationError` (or `PermissionDenied` for who
may act) with a message a member or staff person can act on, and a `code` the
views use to pick the right HTTP status.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import MemberInstitution
from portal.accounts.people import display_person

from .answers import UNSTORABLE, contains_unstorable, draft_value, normalise_raw, unstorable_error, validate_all
from .models import (
    CHOICE_TYPES,
    Answer,
    EventKind,
    Invitation,
    InvitationEvent,
    Opportunity,
    Option,
    Question,
    QuestionType,
    ResponseStatus,
    Round,
    RoundEvent,
    RoundEventKind,
    RoundState,
)


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _moment(day: datetime.date) -> datetime.datetime:
    """The present time of day on `day` (services accept a `today` for schedules and tests)."""
    return timezone.make_aware(datetime.datetime.combine(day, timezone.localtime().time()))


# --- Rounds and questionnaires -------------------------------------------------------------


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
    today = _today(today)
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
    locked = _locked(survey_round)
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


# --- A round's life: draft → scheduled → open → closed → results published ---------------------


def _locked(survey_round: Round) -> Round:
    """The round read again under a row lock: two clicks (or the scheduler and a person)
    changing it at once are served one after the other, the second seeing the first's result."""
    return Round.objects.select_for_update().get(pk=survey_round.pk)


def _round_log(survey_round: Round, kind: str, *, user=None, institution=None, note: str = "") -> None:
    event = RoundEvent(
        round=survey_round,
        kind=kind,
        by=user if _is_user(user) else None,
        by_scheduler=user is None,
        institution=institution,
        note=note,
    )
    event.full_clean(exclude=["round", "by", "institution"])
    event.save()


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
    _require_staff(user)
    today = _today(today)
    locked = _locked(survey_round)
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
    _round_log(locked, RoundEventKind.SCHEDULED, user=user)


@transaction.atomic
def round_unschedule(*, survey_round: Round, user) -> None:
    """A scheduled round goes back to draft: it will not open by itself. Recorded invitations stay."""
    _require_staff(user)
    locked = _locked(survey_round)
    _refuse_state(locked, (RoundState.SCHEDULED,), _("Only a scheduled round can go back to draft."))
    _apply(survey_round, locked, state=RoundState.DRAFT)
    _round_log(locked, RoundEventKind.UNSCHEDULED, user=user)


@transaction.atomic
def round_open(*, survey_round: Round, user=None, today: datetime.date | None = None) -> int:
    """Open a round: members may answer, the questionnaire is fixed, and every recorded
    invitation whose e-mail has not gone is sent now (sent_at stamped).

    The scheduler (`user` None) opens scheduled rounds on their opening date; staff may
    open a draft or scheduled round earlier, and its opening date becomes today, so that
    the dates say what happened. Returns how many invitation e-mails were queued.
    """
    if user is not None:
        _require_staff(user)
    today = _today(today)
    locked = _locked(survey_round)
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
    _round_log(locked, RoundEventKind.OPENED, user=user, note=note)
    now = timezone.now() if today == timezone.localdate() else _moment(today)
    pending = locked.invitations.filter(sent_at__isnull=True).select_related("institution").order_by("pk")
    return sum(_invitation_issue(invitation, user=user, now=now) for invitation in pending)


@transaction.atomic
def round_close(*, survey_round: Round, user=None, today: datetime.date | None = None) -> None:
    """Close an open round: nobody can submit or save any more, drafts stay unsubmitted.

    The scheduler (`user` None) closes rounds the day after `closes_on`; staff may close
    earlier, and the closing date becomes today."""
    if user is not None:
        _require_staff(user)
    today = _today(today)
    locked = _locked(survey_round)
    _refuse_state(locked, (RoundState.OPEN,), _("Only an open round can close."))
    changes = {"state": RoundState.CLOSED}
    note = ""
    if locked.closes_on > today:
        note = _("Closed early; it was to close on %(date)s.") % {"date": date_format(locked.closes_on)}
        changes["closes_on"] = today
    _apply(survey_round, locked, **changes)
    _round_log(locked, RoundEventKind.CLOSED, user=user, note=note)


@transaction.atomic
def round_publish_results(*, survey_round: Round, user) -> None:
    """Members who answered see the network's results (their comparison page, the API).
    Only once the round is closed, so that results no longer move; it cannot be undone."""
    _require_staff(user)
    locked = _locked(survey_round)
    _refuse_state(locked, (RoundState.CLOSED,), _("Results are published once the round is closed."))
    _apply(survey_round, locked, state=RoundState.RESULTS_PUBLISHED)
    _round_log(locked, RoundEventKind.RESULTS_PUBLISHED, user=user)


def rounds_open_and_close_due(*, today: datetime.date | None = None) -> tuple[list[Round], list[Round]]:
    """The scheduler's daily work: open the scheduled rounds whose opening date has come and
    close the open rounds whose last day has passed. Idempotent: a round already opened or
    closed is not touched again. A scheduled round whose closing date has also passed is not
    opened (its invitations would arrive after the end); staff see it on its status page.
    Returns (opened, closed)."""
    today = _today(today)
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


def questionnaire_copy(*, source: Round, target: Round) -> None:
    """Copy every question and option of `source` into `target`, keeping codes and conditions."""
    by_old_id: dict[int, Question] = {}
    questions = list(source.questions.prefetch_related("options").order_by("position", "pk"))
    for question in questions:
        copy = Question(
            round=target,
            code=question.code,
            position=question.position,
            kind=question.kind,
            label_es=question.label_es,
            label_en=question.label_en,
            help_es=question.help_es,
            help_en=question.help_en,
            required=question.required,
            min_value=question.min_value,
            max_value=question.max_value,
            unit=question.unit,
            decimals=question.decimals,
            max_choices=question.max_choices,
            measures=question.measures,
            show_if_option=question.show_if_option,
            show_if_question=by_old_id.get(question.show_if_question_id),
        )
        if copy.show_if_question is None:
            copy.show_if_option = ""
        copy.save()
        by_old_id[question.pk] = copy
        Option.objects.bulk_create(
            Option(
                question=copy,
                code=option.code,
                label_es=option.label_es,
                label_en=option.label_en,
                product_line_id=option.product_line_id,
                position=option.position,
            )
            for option in question.options.all()
        )


def questionnaire_check_editable(*, survey_round: Round, today: datetime.date | None = None) -> None:
    """Staff may change a questionnaire only until the round opens: answers must mean one thing."""
    if survey_round.has_opened(_today(today)):
        raise ValidationError(
            _("Round %(round)s opened on %(date)s: its questionnaire can no longer be changed.")
            % {"round": survey_round.code, "date": date_format(survey_round.opens_on)},
            code="questionnaire_locked",
        )


def question_check(*, question: Question) -> None:
    """Rules that span fields: the condition points at an earlier choice question of the same round."""
    parent = question.show_if_question
    if parent is None:
        return
    if parent.round_id != question.round_id or parent.pk == question.pk:
        raise ValidationError(
            {"show_if_question": _("A question can only depend on another question of the same round.")}
        )
    if parent.kind not in {QuestionType.SINGLE, QuestionType.MULTIPLE}:
        raise ValidationError({"show_if_question": _("A question can only depend on a single or multiple choice.")})
    if not question.show_if_option:
        raise ValidationError({"show_if_option": _("Say which answer makes this question appear.")})
    if parent.pk and not parent.options.filter(code=question.show_if_option).exists():
        raise ValidationError({"show_if_option": _("That question has no option with this code.")})


@transaction.atomic
def question_save(*, question: Question, today: datetime.date | None = None) -> Question:
    """Create or change a question (and, for admin forms, its options) before the round opens."""
    questionnaire_check_editable(survey_round=question.round, today=today)
    if question.pk:
        stored = Question.objects.filter(pk=question.pk).values_list("round_id", flat=True).first()
        if stored and stored != question.round_id:
            questionnaire_check_editable(survey_round=Round.objects.get(pk=stored), today=today)
    if question.kind not in CHOICE_TYPES:
        question.max_choices = question.max_choices if question.kind == QuestionType.MULTIPLE else None
    question.full_clean()
    question_check(question=question)
    question.save()
    return question


@transaction.atomic
def question_delete(*, question: Question, today: datetime.date | None = None) -> None:
    questionnaire_check_editable(survey_round=question.round, today=today)
    question.delete()


# --- Invitations and reminders ---------------------------------------------------------------


def _log(invitation: Invitation, kind: str, *, user=None, reason: str = "") -> None:
    event = InvitationEvent(invitation=invitation, kind=kind, by=user if _is_user(user) else None, reason=reason)
    event.full_clean(exclude=["invitation", "by"])
    event.save()


def _is_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _require_staff(user) -> None:
    if not (_is_user(user) and user.is_association_staff):
        raise PermissionDenied(_("Only association staff can do this."))


def _invitation_record(*, survey_round: Round, institution, user, send: bool, now) -> Invitation:
    invitation = Invitation(round=survey_round, institution=institution, sent_at=now if send else None)
    invitation.full_clean()
    invitation.save()
    if send:
        _invitation_issue(invitation, user=user, now=now, stamp=False)
    return invitation


def _invitation_issue(invitation: Invitation, *, user, now, stamp: bool = True) -> bool:
    """The invitation goes out: sent_at stamped, the history says so, and the e-mail is
    queued when the institution has an address. Returns whether an e-mail was queued."""
    from .tasks import send_invitation_email

    if stamp:
        invitation.sent_at = now
        invitation.save(update_fields=["sent_at"])
    _log(invitation, EventKind.INVITED, user=user)
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
    _require_staff(user)
    survey_round = _locked(survey_round)
    if survey_round.is_closed(_today(today)):
        raise ValidationError(_("This round has closed: invitations can no longer be sent."), code="closed")
    institutions = MemberInstitution.objects.all() if institutions is None else institutions
    existing = set(survey_round.invitations.values_list("institution_id", flat=True))
    send = survey_round.is_open(_today(today))
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
    _require_staff(user)
    invitation = Invitation.objects.select_for_update().select_related("round", "institution").get(pk=invitation.pk)
    if invitation.status != ResponseStatus.NOT_STARTED or invitation.answers.exists():
        raise ValidationError(
            _("%(institution)s has started answering: its invitation can no longer be withdrawn.")
            % {"institution": invitation.institution.name},
            code="started",
        )
    if invitation.round.is_closed():
        raise ValidationError(_("This round has closed: its invitations stay as they are."), code="closed")
    _round_log(
        invitation.round, RoundEventKind.WITHDRAWN, user=user, institution=invitation.institution, note=reason.strip()
    )
    invitation.delete()


@transaction.atomic
def reminders_send(*, survey_round: Round, user=None, invitations=None, today: datetime.date | None = None) -> int:
    """Remind those who have not submitted (all of them by default). `user` None means the automatic reminder."""
    from .tasks import send_invitation_email

    if user is not None:
        _require_staff(user)
    if not survey_round.is_open(_today(today)):
        raise ValidationError(_("Reminders can only be sent while the round is open."), code="not_open")
    pending = survey_round.invitations.exclude(status=ResponseStatus.SUBMITTED).select_related("institution")
    if invitations is not None:
        pending = pending.filter(pk__in=[invitation.pk for invitation in invitations])
    count = 0
    now = timezone.now() if today is None else _moment(today)
    for invitation in pending:
        invitation.reminded_at = now
        invitation.reminder_count += 1
        invitation.save(update_fields=["reminded_at", "reminder_count"])
        _log(invitation, EventKind.REMINDED, user=user)
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
    today = _today(today)
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


# --- Answering -------------------------------------------------------------------------------


def invitation_check_access(*, invitation: Invitation, user) -> None:
    """Who may open an invitation's personal link (and so read its answers, even once submitted).

    - Anonymous visitors: yes. The link was e-mailed to the institution's
      contact, who answers without an account; holding the link is the proof.
    - Signed-in members of that institution, and association staff (who read
      but do not answer, see `invitation_check_can_answer`): yes.
    - Any other signed-in person, a member of another institution, a donor or
      an account without a role: no. Their account says who they are and it is
      not that institution, so a forwarded or leaked link shows them nothing and
      cannot mix two institutions' answers. They can sign out to use the link.
    """
    if not _is_user(user):
        return
    if user.is_member and user.institution_id != invitation.institution_id:
        raise PermissionDenied(_("This link belongs to another member institution. Use your own institution's link."))
    if user.is_member or user.is_association_staff:
        return
    raise PermissionDenied(
        _(
            "This survey link belongs to a member institution and your account cannot open it. "
            "If you answer for that institution, sign out and open the link again."
        )
    )


def invitation_check_can_answer(*, invitation: Invitation, user=None, today: datetime.date | None = None) -> None:
    """Whether answers may change now: the round is open and the response not yet submitted."""
    invitation_check_access(invitation=invitation, user=user)
    if _is_user(user) and user.is_association_staff and not user.is_member:
        raise PermissionDenied(_("Staff can read a member's answers but only the member can answer."))
    survey_round = invitation.round
    today = _today(today)
    if survey_round.is_closed(today):
        raise ValidationError(
            _("This survey round closed on %(date)s: answers can no longer be changed.")
            % {"date": date_format(survey_round.closes_on)},
            code="closed",
        )
    if not survey_round.is_open(today):
        raise ValidationError(
            _("This survey opens on %(date)s.") % {"date": date_format(survey_round.opens_on)}, code="not_open"
        )
    if invitation.status == ResponseStatus.SUBMITTED:
        raise ValidationError(
            _(
                "These answers were submitted on %(date)s and are read-only. "
                "Ask the association to reopen them if something must change."
            )
            % {"date": date_format(timezone.localtime(invitation.submitted_at), "DATETIME_FORMAT")},
            code="submitted",
        )


def _bump_version(invitation: Invitation, version: int, *, user, status: str | None = None, **extra) -> int:
    """Optimistic concurrency: write only if nobody saved since `version` was read."""
    changes = {
        "version": F("version") + 1,
        "updated_at": timezone.now(),
        "updated_by": user if _is_user(user) else None,
    }
    if status:
        changes["status"] = status
    changes |= extra
    updated = Invitation.objects.filter(pk=invitation.pk, version=version).update(**changes)
    if not updated:
        current = Invitation.objects.select_related("updated_by").get(pk=invitation.pk)
        who = display_person(current.updated_by) if current.updated_by else None  # a link, or deleted
        when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT") if current.updated_at else ""
        if who:
            message = _(
                "%(who)s, of your institution, changed these answers at %(when)s while you were editing. "
                "Reload the page to see their answers before you go on; yours were not saved."
            ) % {"who": who, "when": when}
        else:
            message = _(
                "Someone else changed these answers at %(when)s while you were editing. "
                "Reload the page to see their answers before you go on; yours were not saved."
            ) % {"when": when}
        raise ValidationError(message, code="conflict")
    invitation.refresh_from_db()
    return invitation.version


@dataclass(frozen=True)
class PostedAnswers:
    """A questionnaire post read without trusting it.

    `values` has every question of the round with what was typed (None when not
    posted), null characters removed, so that a refused post can be shown again
    with nothing lost; `errors` says what is wrong with the post, by field name
    (`q-<id>`) or under NON_FIELD_ERRORS for the post as a whole. Nothing of a
    post with errors may be saved.
    """

    values: dict[int, object]
    errors: dict[str, list[ValidationError]] = field(default_factory=dict)


def answers_read_posted(*, survey_round: Round, posted) -> PostedAnswers:
    """Read the `q-<id>` fields of a QueryDict (or dict of lists) for `survey_round`.

    Refused, but kept for showing again: answers with a null character (which
    no browser sends on its own and PostgreSQL cannot store). Refused and left
    out: fields naming a question that is not part of the round (a forged or
    stale form). Other fields (version, action, csrf) are not read here.
    """
    questions = {question.pk: question for question in survey_round.questions.all()}
    values: dict[int, object] = dict.fromkeys(questions)
    errors: dict[str, list[ValidationError]] = {}
    for key in posted:
        if not key.startswith("q-"):
            continue
        try:
            question_id = int(key[2:])
        except ValueError:
            question_id = None
        if question_id not in questions:
            errors[NON_FIELD_ERRORS] = [
                ValidationError(
                    _(
                        "The form contained an answer to a question that is not part of this survey round, "
                        "so nothing was saved."
                    ),
                    code="unknown_question",
                )
            ]
            continue
        raw = posted.getlist(key) if hasattr(posted, "getlist") else posted[key]
        raw = [str(value) for value in (raw if isinstance(raw, list | tuple) else [raw])]
        if contains_unstorable(raw):
            errors[questions[question_id].field_name] = [unstorable_error()]
            raw = [value.replace(UNSTORABLE, "") for value in raw]
        values[question_id] = normalise_raw(questions[question_id], raw)
    return PostedAnswers(values=values, errors=errors)


def parse_posted_answers(*, survey_round: Round, posted) -> dict[int, object]:
    """The answers of a post, or ValidationError (messages by field name) when anything is wrong with it.

    Every question of the round gets a value (None when not posted), because the
    form always posts the whole questionnaire. See `answers_read_posted`.
    """
    result = answers_read_posted(survey_round=survey_round, posted=posted)
    if result.errors:
        raise ValidationError(result.errors)
    return result.values


@transaction.atomic
def answers_save_draft(
    *,
    invitation: Invitation,
    values: dict[int, object],
    version: int,
    user=None,
    today: datetime.date | None = None,
) -> int:
    """Save a draft of the whole questionnaire as the member types. Returns the new version.

    Drafts keep even invalid values (nothing the member typed is lost); the
    checks run at submission. Refuses a stale `version` (someone else saved)
    and values the database cannot store (a null character).
    """
    invitation_check_can_answer(invitation=invitation, user=user, today=today)
    question_ids = set(invitation.round.questions.values_list("pk", flat=True))
    if not set(values) <= question_ids:
        raise ValidationError(
            _("The answers refer to a question that is not part of this survey round. Reload the page."),
            code="unknown_question",
        )
    unstorable = {
        f"q-{question_id}": [unstorable_error()] for question_id, value in values.items() if contains_unstorable(value)
    }
    if unstorable:
        raise ValidationError(unstorable)
    new_version = _bump_version(invitation, version, user=user, status=ResponseStatus.DRAFT)
    # A number typed on this page is kept as a number, so that it submits the same from a
    # page in the other language; what does not read as one is kept as typed.
    questions = {question.pk: question for question in invitation.round.questions.all()}
    Answer.objects.filter(invitation=invitation).delete()
    Answer.objects.bulk_create(
        Answer(invitation=invitation, question_id=question_id, value=draft_value(questions[question_id], value))
        for question_id, value in values.items()
        if value is not None
    )
    return new_version


@transaction.atomic
def response_submit(*, invitation: Invitation, version: int, user=None, today: datetime.date | None = None) -> None:
    """Submit the saved answers: every shown answer must be valid; then they are read-only.

    Raises ValidationError with a dict of messages by field name (`q-<id>`) when
    answers are missing or wrong. Hidden conditional answers are discarded. A
    receipt goes by e-mail to the institution's contact and the person submitting.
    """
    from .tasks import send_receipt_email

    invitation_check_can_answer(invitation=invitation, user=user, today=today)
    questions = list(invitation.round.questions.prefetch_related("options").order_by("position", "pk"))
    values = dict(invitation.answers.values_list("question_id", "value"))
    cleaned, errors = validate_all(questions, values)
    if errors:
        raise ValidationError(errors, code="invalid")
    _bump_version(
        invitation,
        version,
        user=user,
        status=ResponseStatus.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=user if _is_user(user) else None,
    )
    Answer.objects.filter(invitation=invitation).delete()
    Answer.objects.bulk_create(
        Answer(invitation=invitation, question_id=question_id, value=value) for question_id, value in cleaned.items()
    )
    _log(invitation, EventKind.SUBMITTED, user=user)
    send_receipt_email.enqueue(
        invitation_id=invitation.pk,
        user_email=user.email if _is_user(user) else "",
        user_language=(translation.get_language() or "")[:2] if _is_user(user) else "",
    )


@transaction.atomic
def response_reopen(*, invitation: Invitation, user, reason: str, today: datetime.date | None = None) -> None:
    """Staff reopen one member's submitted answers as a draft; the reason stays in the history."""
    _require_staff(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the answers are reopened; the member and the history see it.")})
    if invitation.status != ResponseStatus.SUBMITTED:
        raise ValidationError(_("Only submitted answers can be reopened."), code="not_submitted")
    if invitation.round.is_closed(_today(today)):
        raise ValidationError(_("This round has closed: its answers can no longer be reopened."), code="closed")
    Invitation.objects.filter(pk=invitation.pk).update(
        status=ResponseStatus.DRAFT, submitted_at=None, submitted_by=None, version=F("version") + 1
    )
    invitation.refresh_from_db()
    _log(invitation, EventKind.REOPENED, user=user, reason=reason)


# --- Opportunities ---------------------------------------------------------------------------


@transaction.atomic
def opportunity_link(*, innovation, question: Question, user, note: str = "") -> Opportunity:
    """Record that `question` of a round revealed the opportunity behind `innovation`."""
    _require_staff(user)
    if Opportunity.objects.filter(innovation=innovation, question=question).exists():
        raise ValidationError(_("This innovation is already linked to that question."), code="duplicate")
    opportunity = Opportunity(innovation=innovation, question=question, note=note.strip(), linked_by=user)
    opportunity.full_clean()
    opportunity.save()
    return opportunity
