"""Staff running a round: its status, changes of state, invitations, reminders, reopening."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..filters import InvitationFilter
from ..forms import InviteForm, RemindForm, ReopenForm, WithdrawForm
from ..models import Invitation, Round
from .refusals import staff_only


@staff_only
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


@staff_only
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


@staff_only
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


@staff_only
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
@staff_only
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


@staff_only
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
