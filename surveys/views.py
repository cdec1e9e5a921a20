"""Pages of the demand survey. Thin: permissions, then a service or a selector, then a template.

Roles: staff (`user.is_association_staff`) run rounds and read results; a member
answers for its own institution (personal link or signed in) and compares with
the network; nobody else sees answers.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from pilots.models import Innovation
from portal.cache import CSRF_PLACEHOLDER, portfolio, render_cached
from portal.cache import subject as cache_subject
from portal.downloads import download
from portal.numbers import format_number

from . import charts, selectors, services
from .answers import visible_question_ids
from .exports import non_respondents_dataset, results_dataset, round_dataset, trend_dataset
from .filters import InvitationFilter
from .forms import AnswersPostForm, InviteForm, OpportunityForm, RemindForm, ReopenForm, WithdrawForm
from .models import Invitation, Opportunity, QuestionType, ResponseStatus, Round


def refused(request, message: str, status: int = 403) -> HttpResponse:
    return render(request, "surveys/refused.html", {"message": message}, status=status)


def staff_required(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('login')}?next={request.get_full_path()}")
        if not request.user.is_association_staff:
            return refused(request, _("Only association staff can see this page."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# --- Home -----------------------------------------------------------------------------------


def home(request):
    """Staff: every round with its response rate. Members: their invitations. Others: what the survey is."""
    context = {}
    user = request.user
    if user.is_authenticated and user.is_association_staff:
        rounds = list(Round.objects.all())
        rates = selectors.response_rates(rounds=rounds)
        context["rounds"] = [{"round": r, "rate": rates.get(r.pk)} for r in rounds]
        context["today"] = timezone.localdate()
    elif user.is_authenticated and user.is_member:
        context["invitations"] = selectors.member_invitations(institution_id=user.institution_id)
        context["today"] = timezone.localdate()
    return render(request, "surveys/home.html", context)


# --- Answering ------------------------------------------------------------------------------


def _get_invitation_by_token(token: str) -> Invitation:
    invitation = selectors.invitation_for_token(token=token)
    if invitation is None:
        raise Http404(_("This survey link is not valid. Check that you copied the whole link from the e-mail."))
    return invitation


def _member_invitation(request, pk: int) -> Invitation:
    if not request.user.is_member:
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
        if question.kind == QuestionType.RANKING:
            ranked = value if isinstance(value, list) else []
            item["places"] = [
                {"number": place, "value": ranked[place - 1] if place <= len(ranked) else ""}
                for place in range(1, question.positions + 1)
            ]
        elif question.kind == QuestionType.MULTIPLE:
            item["chosen"] = value if isinstance(value, list) else []
        elif question.kind == QuestionType.SCALE:
            item["scale"] = [str(number) for number in range(1, 6)]
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


# --- Staff: status, reminders, reopening --------------------------------------------------


@staff_required
def round_status(request, pk: int):
    """Who has not started, has a draft or has submitted, by country and type, with the response rate;
    the round's state in words, the changes of state it allows (each asks for a confirmation),
    and its history."""
    survey_round = get_object_or_404(Round, pk=pk)
    invitations = survey_round.invitations.select_related("institution").order_by("institution__name")
    filterset = InvitationFilter(request.GET, queryset=invitations)
    today = timezone.localdate()
    is_closed = survey_round.is_closed(today)
    counts = selectors.invitation_counts(survey_round=survey_round)
    context = {
        "round": survey_round,
        "when": selectors.round_when(survey_round=survey_round, today=today, staff=True),
        "actions": [
            selectors.round_transition(survey_round=survey_round, action=action, today=today, counts=counts)
            for action in selectors.round_actions(survey_round=survey_round)
        ],
        "rate": counts,
        "breakdown": selectors.status_breakdown(survey_round=survey_round),
        "filter": filterset,
        "invitations": filterset.qs,
        "is_open": survey_round.is_open(today),
        "is_closed": is_closed,
        "can_withdraw": not is_closed,
        "history": survey_round.events.select_related("by", "institution"),
    }
    return render(request, "surveys/status.html", context)


ROUND_SERVICES = {
    "schedule": lambda survey_round, user: services.round_schedule(survey_round=survey_round, user=user),
    "unschedule": lambda survey_round, user: services.round_unschedule(survey_round=survey_round, user=user),
    "open": lambda survey_round, user: services.round_open(survey_round=survey_round, user=user),
    "close": lambda survey_round, user: services.round_close(survey_round=survey_round, user=user),
    "publish": lambda survey_round, user: services.round_publish_results(survey_round=survey_round, user=user),
}


def _done_message(action: str, survey_round: Round, result) -> str:
    values = {"round": survey_round.code, "opens": date_format(survey_round.opens_on)}
    if action == "open":
        return ngettext(
            "Round %(round)s is open: %(count)s invitation sent.",
            "Round %(round)s is open: %(count)s invitations sent.",
            result,
        ) % (values | {"count": result})
    return {
        "schedule": _("Round %(round)s is scheduled to open on %(opens)s."),
        "unschedule": _("Round %(round)s is a draft again."),
        "close": _("Round %(round)s is closed."),
        "publish": _("The results of round %(round)s are published to the members who answered."),
    }[action] % values


@staff_required
def round_state_change(request, pk: int, action: str):
    """GET: what the change would do, in plain words, and a button to confirm. POST: do it."""
    survey_round = get_object_or_404(Round, pk=pk)
    if action not in selectors.TRANSITION_ACTIONS:
        raise Http404
    if request.method == "POST":
        try:
            result = ROUND_SERVICES[action](survey_round, request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _done_message(action, survey_round, result))
        return redirect("surveys:status", pk=pk)
    if action not in selectors.round_actions(survey_round=survey_round):
        messages.info(
            request,
            _("This change does not apply to round %(round)s as it is now: %(when)s")
            % {"round": survey_round.code, "when": selectors.round_when(survey_round=survey_round, staff=True)},
        )
        return redirect("surveys:status", pk=pk)
    context = {
        "round": survey_round,
        "when": selectors.round_when(survey_round=survey_round, staff=True),
        "transition": selectors.round_transition(survey_round=survey_round, action=action),
    }
    return render(request, "surveys/confirm_state.html", context)


@staff_required
def round_invite(request, pk: int):
    """GET: who would be invited (with and without an e-mail, and when the e-mails go), and a
    confirmation with the choice to leave out those without an e-mail. POST: invite them."""
    survey_round = get_object_or_404(Round, pk=pk)
    preview = selectors.invite_preview(survey_round=survey_round)
    form = InviteForm(
        request.POST if request.method == "POST" else None,
        institutions=preview["with_email"] + preview["without_email"],
    )
    if request.method == "POST" and form.is_valid():
        only_with_email = form.cleaned_data["who"] == InviteForm.WITH_EMAIL
        try:
            count = services.invitations_send(
                survey_round=survey_round,
                user=request.user,
                institutions=form.cleaned_data["institution"],
                only_with_email=only_with_email,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            values = {"count": count, "date": date_format(survey_round.opens_on)}
            if count == 0:
                messages.info(request, _("Nobody was invited: every institution listed was already invited."))
            elif preview["sends_now"]:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s member institution invited; the e-mail goes now.",
                        "%(count)s member institutions invited; the e-mails go now.",
                        count,
                    )
                    % values,
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)s member institution invited; its e-mail goes out when the round opens "
                        "(planned for %(date)s).",
                        "%(count)s member institutions invited; their e-mails go out when the round opens "
                        "(planned for %(date)s).",
                        count,
                    )
                    % values,
                )
        return redirect("surveys:status", pk=pk)
    context = {
        "round": survey_round,
        "when": selectors.round_when(survey_round=survey_round, staff=True),
        "form": form,
        **preview,
    }
    return render(request, "surveys/invite.html", context, status=400 if form.is_bound else 200)


@staff_required
def invitation_withdraw(request, pk: int):
    """GET: what withdrawing means, and a confirmation. POST: withdraw (refused once started)."""
    invitation = get_object_or_404(Invitation.objects.select_related("round", "institution"), pk=pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_withdraw(invitation=invitation, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("The invitation of %(institution)s was withdrawn; its personal link no longer works.")
                % {"institution": invitation.institution.name},
            )
        return redirect("surveys:status", pk=invitation.round_id)
    context = {"invitation": invitation, "round": invitation.round, "form": form}
    return render(request, "surveys/confirm_withdraw.html", context, status=400 if form.is_bound else 200)


@require_POST
@staff_required
def round_remind(request, pk: int):
    survey_round = get_object_or_404(Round, pk=pk)
    form = RemindForm(request.POST, survey_round=survey_round)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("surveys:status", pk=pk)
    try:
        count = services.reminders_send(
            survey_round=survey_round, user=request.user, invitations=form.cleaned_data["invitation"] or None
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request, ngettext("%(count)s reminder sent.", "%(count)s reminders sent.", count) % {"count": count}
        )
    return redirect("surveys:status", pk=pk)


@staff_required
def invitation_detail(request, pk: int):
    """One member's answers and history; staff may reopen a submitted response with a reason."""
    invitation = get_object_or_404(Invitation.objects.select_related("round", "institution"), pk=pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.response_reopen(invitation=invitation, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, field_errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, field_errors)
            else:
                form.add_error(None, error.messages)
        else:
            messages.success(request, _("The response was reopened as a draft."))
            return redirect("surveys:invitation", pk=pk)
    context = {
        "invitation": invitation,
        "round": invitation.round,
        "answers": selectors.answers_for_display(invitation=invitation),
        "history": invitation.events.select_related("by"),
        "form": form,
    }
    return render(request, "surveys/invitation.html", context)


# --- Staff: results, trends, export ----------------------------------------------------------


def _with_figures(results: dict) -> dict:
    for item in results["questions"]:
        if item["n"] == 0:
            continue
        if "ranking" in item:
            item["figure"] = charts.ranking_figure(item)
        elif "shares" in item:
            item["figure"] = charts.shares_figure(item)
        elif "numbers" in item:
            item["figure"] = charts.numbers_figure(item)
        labels = {option.code: option.label for option in item["question"].options.all()}
        for key in ("ranking", "shares"):
            for row in item.get(key, []):
                row["label"] = labels.get(row["code"], row["code"])
        item["columns"] = [{"code": code, "label": label} for code, label in labels.items()]
        for group in item.get("by_country", []) + item.get("by_type", []):
            if "ranking" in group:
                group["cells"] = _cells(group["ranking"], labels, "average")
            elif "shares" in group:
                group["cells"] = _cells(group["shares"], labels, "share")
    if results["gap"] and results["gap"]["rows"]:
        results["gap_figure"] = charts.gap_figure(results["gap"])
    return results


def _cells(rows: list[dict], labels: dict, field: str) -> list:
    by_code = {row["code"]: row[field] for row in rows}
    return [by_code.get(code) for code in labels]


@staff_required
def round_results(request, pk: int):
    survey_round = get_object_or_404(Round, pk=pk)
    find = request.GET.get("find", "")
    form = OpportunityForm(request.POST or None, survey_round=survey_round, find=find)
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_link(
                innovation=form.cleaned_data["innovation"],
                question=form.cleaned_data["question"],
                note=form.cleaned_data["note"],
                user=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The innovation is now linked to the question that revealed it."))
            return redirect("surveys:results", pk=pk)
    if request.GET.get("format") == "csv":
        results = selectors.round_results(survey_round=survey_round)
        return download(
            results_dataset(results=results), filename=f"demand-survey-{survey_round.code}-results", fmt="csv"
        )

    def context() -> dict:
        results = _with_figures(selectors.round_results(survey_round=survey_round))
        return {
            **results,
            "form": form,
            "find": find,
            "has_innovations": Innovation.objects.exists(),
            "opportunities": Opportunity.objects.filter(question__round=survey_round).select_related(
                "innovation", "question"
            ),
        }

    if form.is_bound:  # a refused link: the form shows what is wrong, with what was typed
        return render(request, "surveys/results.html", context())
    # Results change when a member submits or is reopened, or the round changes (its version),
    # the network (the "surveys" namespace); linked innovations with the viewer's portfolio.
    return render_cached(
        request,
        name="survey-results",
        page_template="surveys/results.html",
        body_template="surveys/includes/results_body.html",
        params={"round": pk, "find": find},
        depends=[*portfolio(request.user), cache_subject("round", pk)],
        context=lambda: {**context(), "csrf_token": CSRF_PLACEHOLDER, "round_code": survey_round.code},
        keep=("round_code",),
        fill={CSRF_PLACEHOLDER: lambda: get_token(request)},
        namespace="surveys",
    )


@staff_required
def trends(request):
    """How each product line's demand rank moves across rounds."""
    codes = selectors.ranking_question_codes()
    code = request.GET.get("code") or ("demand-ranking" if "demand-ranking" in codes else (codes[0] if codes else ""))
    if code and code not in codes:
        return refused(request, _("There is no ranking question with this code."), status=404)
    trend = selectors.demand_trend(code=code) if code else None
    if trend and request.GET.get("format") == "csv":
        return download(trend_dataset(trend=trend), filename=f"demand-trend-{code}", fmt="csv")
    context = {"codes": codes, "code": code, "trend": trend}
    if trend and trend["rounds"]:
        context["figure"] = charts.trend_figure(trend)
    return render(request, "surveys/trends.html", context)


@staff_required
def round_export(request, pk: int, fmt: str):
    survey_round = get_object_or_404(Round, pk=pk)
    anonymised = request.GET.get("anonymised") in {"1", "true", "on"}
    free_text = request.GET.get("free_text") in {"1", "true", "on"}
    data = round_dataset(survey_round=survey_round, anonymised=anonymised, free_text=free_text)
    suffix = "-anonymised" if anonymised else ""
    return download(data, filename=f"demand-survey-{survey_round.code}{suffix}", fmt=fmt)


@staff_required
def round_non_respondents(request, pk: int, fmt: str):
    """Who has not submitted yet, with the contact e-mail and reminders: the list staff chase."""
    survey_round = get_object_or_404(Round, pk=pk)
    data = non_respondents_dataset(survey_round=survey_round)
    return download(data, filename=f"demand-survey-{survey_round.code}-not-answered", fmt=fmt)
