"""The survey's lines of staff's "Para hoy" (`portal.today`), all from the rounds' states:

- rounds open (the soonest to close first), each with its response rate;
- rounds scheduled to open within `OPENING_SOON_DAYS`, with how many invitations go out then;
- closed rounds whose results are not yet published to the members who answered.

Rounds are few (two a year), so the three lines come from one query of rounds and one of rates.
"""

import datetime

from django.db.models import Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.numbers import format_number
from portal.today import ITEMS_SHOWN, Item, Line

from .models import Round, RoundState
from .selectors import response_rates

OPENING_SOON_DAYS = 30


def _url(rounds: list[Round]) -> str:
    return reverse("surveys:status", args=[rounds[0].pk]) if len(rounds) == 1 else reverse("surveys:home")


def _short(day: datetime.date) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def lines(user, today: datetime.date) -> list[Line]:
    soon = today + datetime.timedelta(days=OPENING_SOON_DAYS)
    rounds = list(
        Round.objects.filter(
            Q(state=RoundState.OPEN) | Q(state=RoundState.SCHEDULED, opens_on__lte=soon) | Q(state=RoundState.CLOSED)
        ).order_by("closes_on", "opens_on", "pk")
    )
    open_rounds = [r for r in rounds if r.state == RoundState.OPEN]
    opening = sorted((r for r in rounds if r.state == RoundState.SCHEDULED), key=lambda r: (r.opens_on, r.pk))
    to_publish = [r for r in rounds if r.state == RoundState.CLOSED]
    rates = response_rates(rounds=[r.pk for r in open_rounds[:ITEMS_SHOWN] + opening[:ITEMS_SHOWN]])
    empty = {"rate": 0.0, "submitted": 0, "invited": 0}

    open_items = []
    for survey_round in open_rounds[:ITEMS_SHOWN]:
        rate = rates.get(survey_round.pk, empty)
        note = _("closes %(date)s · %(rate)s %% answered (%(submitted)s of %(invited)s)") % {
            "date": _short(survey_round.closes_on),
            "rate": format_number(rate["rate"], places=1),
            "submitted": rate["submitted"],
            "invited": rate["invited"],
        }
        open_items.append(Item(survey_round.code, reverse("surveys:status", args=[survey_round.pk]), note))
    opening_items = []
    for survey_round in opening[:ITEMS_SHOWN]:
        invited = rates.get(survey_round.pk, empty)["invited"]
        note = ngettext(
            "opens %(date)s · %(count)s invitation goes out then",
            "opens %(date)s · %(count)s invitations go out then",
            invited,
        ) % {"date": _short(survey_round.opens_on), "count": invited}
        opening_items.append(Item(survey_round.code, reverse("surveys:status", args=[survey_round.pk]), note))
    publish_items = [
        Item(
            survey_round.code,
            reverse("surveys:status", args=[survey_round.pk]),
            _("closed %(date)s") % {"date": _short(survey_round.closes_on)},
        )
        for survey_round in to_publish[:ITEMS_SHOWN]
    ]
    return [
        Line(
            key="rounds-open",
            label=ngettext("Survey round open", "Survey rounds open", len(open_rounds)),
            count=len(open_rounds),
            url=_url(open_rounds),
            items=open_items,
            order=40,
        ),
        Line(
            key="rounds-opening",
            label=ngettext(
                "Survey round opening within %(days)s days",
                "Survey rounds opening within %(days)s days",
                len(opening),
            )
            % {"days": OPENING_SOON_DAYS},
            count=len(opening),
            url=_url(opening),
            items=opening_items,
            order=41,
        ),
        Line(
            key="rounds-to-publish",
            label=ngettext(
                "Survey round closed, results not yet published",
                "Survey rounds closed, results not yet published",
                len(to_publish),
            ),
            count=len(to_publish),
            url=_url(to_publish),
            items=publish_items,
            order=42,
        ),
    ]
