"""Answering: the questionnaire page (personal link or signed-in member), its autosave, and a
member's comparison with the network.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.numbers import format_number
from portal.permissions import is_member

from .. import selectors, services
from ..answers import visible_question_ids
from ..forms import AnswersPostForm
from ..models import Invitation, QuestionType, ResponseStatus
from .refusals import refused


def _get_invitation_by_token(token: str) -> Invitation:
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        raise Http404(_("This survey link is not valid. Check that you copied the whole link from the e-mail."))
    return invitation


def _member_invitation(request, pk: int) -> Invitation:
    if not is_member(request.user):
        raise PermissionDenied(_("Only member institutions answer the survey."))
    invitation = selectors.member_invitation(round_id=pk, institution_id=request.user.institution_id)
    if invitation is None:
        raise Http404(_("Your institution was not invited to this survey round."))
    return invitation


def form_items(questions, values: dict, errors: dict) -> list[dict]:
    shown = visible_question_ids(questions, values)
    items = []
    number = 0  # questions are numbered as the member sees them: a hidden one takes no number
    for question in questions:
        value = values.get(question.pk)
        item = {
            "question": question,
            # A number saved in the draft, written as this page's language writes it ("18.500").
            "value": format_number(value)
            if question.kind in (QuestionType.NUMBER, QuestionType.PERCENTAGE) and isinstance(value, int | float)
            else value,
            "errors": errors.get(question.field_name, []),
            "hidden": question.pk not in shown,
            "options": list(question.options.all()),
        }
        if not item["hidden"]:
            number += 1
            item["number"] = number
        # What is ticked or selected: `chosen` holds the codes (the scale's numbers as text).
        if question.kind == QuestionType.RANKING:
            ranked = value if isinstance(value, list) else []
            item["places"] = []
            for place in range(1, question.positions + 1):
                placed = ranked[place - 1] if place <= len(ranked) else ""
                item["places"].append({"number": place, "value": placed, "chosen": [placed]})
        elif question.kind == QuestionType.SINGLE:
            item["chosen"] = [value]
        elif question.kind == QuestionType.MULTIPLE:
            item["chosen"] = value if isinstance(value, list) else []
        elif question.kind == QuestionType.SCALE:
            item["scale"] = [str(number) for number in range(1, 6)]
            item["chosen"] = [str(value)]
        items.append(item)
    return items


def _problems(post_errors: list, items: list[dict]) -> list[tuple[str, str, str]]:
    """The error summary's lines: (input id, label, message), the post's own problems first
    (no input of their own), then each question's, linked to its first input (`q-<id>`)."""
    problems = [("", "", message) for message in post_errors]
    for item in items:
        if item["errors"]:
            question = item["question"]
            target = "" if item["hidden"] else question.field_name
            problems.append((target, question.label, " ".join(str(error) for error in item["errors"])))
    return problems


def answer_page(request, invitation: Invitation, *, autosave_url: str):
    """The questionnaire of one invitation: GET shows it (editable or read-only), POST saves or submits.

    A post that cannot be saved as it is (see `AnswersPostForm`) is answered 400
    with the questionnaire shown again as the member typed it, and the reasons.
    """
    user = request.user
    try:
        services.invitation_check_access(invitation=invitation, user=user)
    except PermissionDenied as error:
        return refused(request, str(error))
    questions = selectors.round_questions(survey_round=invitation.round)
    locked_reason = None
    try:
        services.invitation_check_can_answer(invitation=invitation, user=user)
    except (ValidationError, PermissionDenied) as error:
        locked_reason = error.messages[0] if isinstance(error, ValidationError) else str(error)

    errors: dict = {}
    post_errors: list = []
    typed = version = None
    conflict = None
    unsaved: list = []
    status = 200
    if request.method == "POST":
        if locked_reason:
            return refused(request, locked_reason, status=409 if invitation.status == ResponseStatus.SUBMITTED else 403)
        form = AnswersPostForm(request.POST, survey_round=invitation.round)
        if not form.is_valid():
            typed, errors, post_errors, status = form.values, form.answer_errors, form.summary_errors, 400
            # The version the member was editing, when it came through: a later save still detects a conflict.
            version = form.cleaned_data.get("version")
        else:
            values = form.values
            try:
                version = services.answers_save_draft(
                    invitation=invitation, values=values, version=form.cleaned_data["version"], user=user
                )
                if request.POST.get("action") == "submit":
                    services.response_submit(invitation=invitation, version=version, user=user)
                    messages.success(
                        request, _("Thank you: your answers were submitted. A receipt was sent by e-mail.")
                    )
                    return redirect(request.path)
                messages.success(request, _("Draft saved."))
                return redirect(request.path)
            except ValidationError as error:
                invitation.refresh_from_db()
                if getattr(error, "code", None) == "conflict":
                    conflict = error.messages[0]
                    unsaved = [
                        {"question": q, "display": selectors.display_value(q, values.get(q.pk))}
                        for q in questions
                        if values.get(q.pk) is not None
                    ]
                    status = 409
                elif hasattr(error, "error_dict"):
                    errors = {
                        key: [str(m) for e in value for m in e.messages] for key, value in error.error_dict.items()
                    }
                else:
                    return refused(request, error.messages[0], status=409)

    invitation.refresh_from_db()
    if typed is None:
        typed = dict(invitation.answers.values_list("question_id", "value"))
    context = {
        "invitation": invitation,
        "round": invitation.round,
        "when": selectors.round_when(survey_round=invitation.round),
        "locked_reason": locked_reason,
        "conflict": conflict,
        "unsaved": unsaved,
        "version": invitation.version if version is None else version,
        "autosave_url": autosave_url,
    }
    if locked_reason:
        context["answers"] = selectors.answers_for_display(invitation=invitation)
        context["history"] = invitation.events.select_related("by")
    else:
        context["items"] = form_items(questions, typed, errors)
        context["errors"] = errors
        context["problems"] = _problems(post_errors, context["items"])
    return render(request, "surveys/respond.html", context, status=status)


def _json_refusal(error: PermissionDenied | ValidationError) -> JsonResponse:
    if isinstance(error, PermissionDenied):
        return JsonResponse({"ok": False, "code": "forbidden", "error": str(error)}, status=403)
    if hasattr(error, "error_dict"):  # answers the service refuses, by question
        return JsonResponse(
            {"ok": False, "code": "invalid", "error": error.messages[0], "errors": error.message_dict}, status=400
        )
    code = getattr(error, "code", None) or "invalid"
    status = {"conflict": 409, "unknown_question": 400}.get(code, 403)
    return JsonResponse({"ok": False, "code": code, "error": error.messages[0]}, status=status)


def autosave(request, invitation: Invitation):
    """Save the draft posted by static/js/survey.js; JSON back with the new version or the problem.

    Who may answer is checked before the post is read: a locked response is
    403 whatever was posted; a post that cannot be saved as it is, 400.
    """
    if request.method != "POST":
        return JsonResponse({"ok": False, "error": _("Use POST.")}, status=405)
    try:
        services.invitation_check_can_answer(invitation=invitation, user=request.user)
    except (PermissionDenied, ValidationError) as error:
        return _json_refusal(error)
    form = AnswersPostForm(request.POST, survey_round=invitation.round)
    if not form.is_valid():
        return JsonResponse(
            {"ok": False, "code": form.error_code, "error": " ".join(form.post_errors), "errors": form.answer_errors},
            status=400,
        )
    try:
        version = services.answers_save_draft(
            invitation=invitation, values=form.values, version=form.cleaned_data["version"], user=request.user
        )
    except (PermissionDenied, ValidationError) as error:
        return _json_refusal(error)
    saved_at = date_format(timezone.localtime(), "TIME_FORMAT")
    return JsonResponse({"ok": True, "version": version, "saved_at": saved_at})


def respond(request, token: str):
    """The personal link from the invitation e-mail."""
    try:
        invitation = _get_invitation_by_token(token)
    except Http404 as error:
        return refused(request, str(error), status=404)
    return answer_page(request, invitation, autosave_url=reverse("surveys:autosave", kwargs={"token": token}))


def respond_autosave(request, token: str):
    try:
        invitation = _get_invitation_by_token(token)
    except Http404 as error:
        return JsonResponse({"ok": False, "code": "not_found", "error": str(error)}, status=404)
    return autosave(request, invitation)


@login_required
def member_answer(request, pk: int):
    """The same questionnaire for a signed-in member user, found by its institution."""
    try:
        invitation = _member_invitation(request, pk)
    except PermissionDenied as error:
        return refused(request, str(error))
    except Http404 as error:
        return refused(request, str(error), status=404)
    return answer_page(request, invitation, autosave_url=reverse("surveys:member_autosave", kwargs={"pk": pk}))


@login_required
def member_autosave(request, pk: int):
    try:
        invitation = _member_invitation(request, pk)
    except (PermissionDenied, Http404) as error:
        return JsonResponse({"ok": False, "code": "forbidden", "error": str(error)}, status=403)
    return autosave(request, invitation)


@login_required
def member_compare(request, pk: int):
    """A member's own answers of a round next to the network's aggregate."""
    try:
        invitation = _member_invitation(request, pk)
    except PermissionDenied as error:
        return refused(request, str(error))
    except Http404 as error:
        return refused(request, str(error), status=404)
    if invitation.status != ResponseStatus.SUBMITTED:
        return refused(request, _("Your institution has not submitted answers to this round."), status=404)
    context = {
        "invitation": invitation,
        "round": invitation.round,
        "show_network": invitation.round.results_published,
    }
    context["rows"] = (
        selectors.member_comparison(invitation=invitation)
        if context["show_network"]
        else selectors.answers_for_display(invitation=invitation)
    )
    return render(request, "surveys/compare.html", context)
