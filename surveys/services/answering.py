"""Answering: who may open an invitation, reading a post, saving drafts, submitting, reopening."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.people import display_person
from portal.locking import refuse_if_changed
from portal.permissions import is_member, is_staff

from ..answers import UNSTORABLE, contains_unstorable, draft_value, normalise_raw, unstorable_error, validate_all
from ..models import (
    Answer,
    EventKind,
    Invitation,
    ResponseStatus,
    Round,
)
from ..tasks import send_receipt_email
from .common import is_user, log_invitation_event, require_staff, resolve_today


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
    if not is_user(user):
        return
    if is_member(user) and user.institution_id != invitation.institution_id:
        raise PermissionDenied(_("This link belongs to another member institution. Use your own institution's link."))
    if is_member(user) or is_staff(user):
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
    if is_staff(user) and not is_member(user):
        raise PermissionDenied(_("Staff can read a member's answers but only the member can answer."))
    survey_round = invitation.round
    today = resolve_today(today)
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
    """Write only if nobody saved since `version` was read (`portal.locking.refuse_if_changed`;
    the caller's transaction holds the lock)."""
    current = Invitation.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=invitation.pk)
    refuse_if_changed(current, version, lambda: _conflict_message(current), token="version", strict=True)
    changes = {
        "version": F("version") + 1,
        "updated_at": timezone.now(),
        "updated_by": user if is_user(user) else None,
    }
    if status:
        changes["status"] = status
    changes |= extra
    Invitation.objects.filter(pk=invitation.pk).update(**changes)
    invitation.refresh_from_db()
    return invitation.version


def _conflict_message(current: Invitation) -> str:
    """Who of the institution saved the answers meanwhile, and when."""
    who = display_person(current.updated_by) if current.updated_by else None  # a link, or deleted
    when = date_format(timezone.localtime(current.updated_at), "DATETIME_FORMAT") if current.updated_at else ""
    if who:
        return _(
            "%(who)s, of your institution, changed these answers at %(when)s while you were editing. "
            "Reload the page to see their answers before you go on; yours were not saved."
        ) % {"who": who, "when": when}
    return _(
        "Someone else changed these answers at %(when)s while you were editing. "
        "Reload the page to see their answers before you go on; yours were not saved."
    ) % {"when": when}


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
        submitted_by=user if is_user(user) else None,
    )
    Answer.objects.filter(invitation=invitation).delete()
    Answer.objects.bulk_create(
        Answer(invitation=invitation, question_id=question_id, value=value) for question_id, value in cleaned.items()
    )
    log_invitation_event(invitation, EventKind.SUBMITTED, user=user)
    send_receipt_email.enqueue(
        invitation_id=invitation.pk,
        user_email=user.email if is_user(user) else "",
        user_language=(translation.get_language() or "")[:2] if is_user(user) else "",
    )


@transaction.atomic
def response_reopen(*, invitation: Invitation, user, reason: str, today: datetime.date | None = None) -> None:
    """Staff reopen one member's submitted answers as a draft; the reason stays in the history."""
    require_staff(user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the answers are reopened; the member and the history see it.")})
    if invitation.status != ResponseStatus.SUBMITTED:
        raise ValidationError(_("Only submitted answers can be reopened."), code="not_submitted")
    if invitation.round.is_closed(resolve_today(today)):
        raise ValidationError(_("This round has closed: its answers can no longer be reopened."), code="closed")
    Invitation.objects.filter(pk=invitation.pk).update(
        status=ResponseStatus.DRAFT, submitted_at=None, submitted_by=None, version=F("version") + 1
    )
    invitation.refresh_from_db()
    log_invitation_event(invitation, EventKind.REOPENED, user=user, reason=reason)
