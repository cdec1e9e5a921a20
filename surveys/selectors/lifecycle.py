"""A round's state in words, and what each change of state would do (for the confirmation page)."""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.numbers import format_number

from ..models import (
    Round,
    RoundState,
)
from .aggregations import MIN_GROUP_SIZE
from .participation import invitation_counts


def round_when(*, survey_round: Round, today=None, staff: bool = False) -> str:
    """The round's dates as a sentence that fits its state and today's date: a round not yet
    open says when it opens (never "open from…"), an open one until when, a past one that it
    closed. Staff get the state's name and what the scheduler will do."""
    today = today or timezone.localdate()
    values = {
        "opens": date_format(survey_round.opens_on),
        "closes": date_format(survey_round.closes_on),
    }
    state = survey_round.state
    if not staff:
        if survey_round.is_open(today):
            if survey_round.closes_on == today:
                return _("Open until today, %(closes)s.") % values
            return _("Open until %(closes)s.") % values
        if survey_round.has_opened():
            return _("Closed on %(closes)s.") % values
        return _("Opens on %(opens)s; answers are accepted until %(closes)s.") % values
    if state == RoundState.DRAFT:
        if survey_round.opens_on < today:
            return (
                _(
                    "Not scheduled, and its opening date, %(opens)s, has passed: change it in the admin "
                    "before scheduling, or open the round now."
                )
                % values
            )
        return _("Not scheduled: planned to open on %(opens)s and close on %(closes)s.") % values
    if state == RoundState.SCHEDULED:
        if survey_round.opens_on <= today:
            return _("Scheduled to open on %(opens)s: the scheduler opens it at its next run.") % values
        return _("Opens on %(opens)s; members answer until %(closes)s.") % values
    if state == RoundState.OPEN:
        if survey_round.closes_on < today:
            return (
                _(
                    "Open, but its last day, %(closes)s, has passed: answers are refused and the scheduler "
                    "closes it at its next run."
                )
                % values
            )
        if survey_round.closes_on == today:
            return _("Open since %(opens)s; today, %(closes)s, is the last day to answer.") % values
        return _("Open since %(opens)s; members answer until %(closes)s.") % values
    if state == RoundState.CLOSED:
        return _("Members answered from %(opens)s to %(closes)s. Results not yet published to members.") % values
    return _("Members answered from %(opens)s to %(closes)s. Results published to the members who answered.") % values


@dataclass(frozen=True)
class Transition:
    """A change of state as its confirmation page presents it."""

    action: str
    title: str
    button: str
    consequences: list[str]


TRANSITION_ACTIONS = ("schedule", "unschedule", "open", "close", "publish")


def round_actions(*, survey_round: Round) -> list[str]:
    """The changes of state staff may ask for now, in the order the status page shows them."""
    return {
        RoundState.DRAFT: ["schedule", "open"],
        RoundState.SCHEDULED: ["open", "unschedule"],
        RoundState.OPEN: ["close"],
        RoundState.CLOSED: ["publish"],
        RoundState.RESULTS_PUBLISHED: [],
    }[survey_round.state]


def round_transition(*, survey_round: Round, action: str, today=None, counts: dict | None = None) -> Transition:
    """What `action` would do to the round, in plain words, with the numbers of today
    (`counts`: the round's `invitation_counts`, when the caller has them already)."""
    today = today or timezone.localdate()
    counts = counts or invitation_counts(survey_round=survey_round)
    values = {
        "round": survey_round.code,
        "opens": date_format(survey_round.opens_on),
        "closes": date_format(survey_round.closes_on),
    }
    lines: list[str] = []
    unmailed = counts["unsent_unmailed"]
    if action == "schedule":
        lines.append(
            _("Round %(round)s opens on %(opens)s: that day the scheduler opens it and sends the invitations.") % values
        )
        if counts["invited"]:
            lines.append(
                ngettext(
                    "%(count)s invitation is recorded: its e-mail goes out on %(opens)s, not before.",
                    "%(count)s invitations are recorded: their e-mails go out on %(opens)s, not before.",
                    counts["unsent_mailed"],
                )
                % (values | {"count": counts["unsent_mailed"]})
            )
        else:
            lines.append(
                _("Nobody is invited yet: invite the members now, and their e-mails go out on %(opens)s.") % values
            )
        questions = survey_round.questions.count()
        lines.append(
            ngettext(
                "Until then nobody can answer, and the questionnaire (%(count)s question) can still be changed.",
                "Until then nobody can answer, and the questionnaire (%(count)s questions) can still be changed.",
                questions,
            )
            % {"count": questions}
        )
        lines.append(_("Members answer until %(closes)s.") % values)
    elif action == "unschedule":
        lines.append(_("The round goes back to draft: it will not open on %(opens)s by itself.") % values)
        lines.append(
            ngettext(
                "The %(count)s recorded invitation stays; no e-mail goes out until the round is scheduled again "
                "or opened.",
                "The %(count)s recorded invitations stay; no e-mail goes out until the round is scheduled again "
                "or opened.",
                counts["invited"],
            )
            % {"count": counts["invited"]}
        )
    elif action == "open":
        if survey_round.opens_on > today:
            lines.append(_("The round opens today instead of %(opens)s.") % values)
        if counts["invited"]:
            lines.append(
                ngettext(
                    "Opening sends %(count)s invitation now.",
                    "Opening sends %(count)s invitations now.",
                    counts["unsent_mailed"],
                )
                % {"count": counts["unsent_mailed"]}
            )
        else:
            lines.append(_("Nobody is invited yet: once the round is open, inviting sends the e-mails at once."))
        lines.append(_("Members can answer until %(closes)s; the questionnaire can no longer be changed.") % values)
    elif action == "close":
        if survey_round.closes_on > today:
            lines.append(_("The round was to close on %(closes)s: closing now ends it early.") % values)
        lines.append(
            ngettext(
                "Closing stops %(count)s institution with a draft from submitting.",
                "Closing stops %(count)s institutions with drafts from submitting.",
                counts["draft"],
            )
            % {"count": counts["draft"]}
        )
        lines.append(
            ngettext(
                "%(count)s institution that has not started can no longer answer.",
                "%(count)s institutions that have not started can no longer answer.",
                counts["not_started"],
            )
            % {"count": counts["not_started"]}
        )
        lines.append(
            _("%(submitted)s of %(invited)s institutions submitted (%(rate)s %%).")
            % {
                "submitted": counts["submitted"],
                "invited": counts["invited"],
                "rate": format_number(counts["rate"], places=1),
            }
        )
        lines.append(_("Members do not see the network's results until you publish them."))
    elif action == "publish":
        lines.append(
            ngettext(
                "Publishing shows the network's results to the %(count)s member that answered, on its "
                "comparison page and through the API.",
                "Publishing shows the network's results to the %(count)s members that answered, on their "
                "comparison pages and through the API.",
                counts["submitted"],
            )
            % {"count": counts["submitted"]}
        )
        lines.append(
            _("Answers given by fewer than %(count)s members stay hidden. Publishing cannot be undone.")
            % {"count": MIN_GROUP_SIZE}
        )
    else:
        raise ValueError(f"Unknown round action: {action}")
    if action in ("schedule", "open") and unmailed:
        lines.append(
            ngettext(
                "%(count)s invited institution has no e-mail and gets none: add its address in the admin, "
                "or give it its personal link from its invitation page.",
                "%(count)s invited institutions have no e-mail and get none: add their addresses in the admin, "
                "or give them their personal links from their invitation pages.",
                unmailed,
            )
            % {"count": unmailed}
        )
    titles = {
        "schedule": (_("Schedule round %(round)s?"), _("Schedule")),
        "unschedule": (_("Put round %(round)s back to draft?"), _("Back to draft")),
        "open": (_("Open round %(round)s now?"), _("Open now")),
        "close": (_("Close round %(round)s now?"), _("Close now")),
        "publish": (_("Publish the results of round %(round)s?"), _("Publish results")),
    }
    title, button = titles[action]
    return Transition(action=action, title=title % values, button=str(button), consequences=lines)
