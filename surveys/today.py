"""The survey's line of staff's "Para hoy" (`portal.today`): rounds open today, the soonest
to close first, each with its response rate."""

import datetime

from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.numbers import format_number
from portal.today import ITEMS_SHOWN, Item, Line

from .models import Round
from .selectors import response_rates


def lines(user, today: datetime.date) -> list[Line]:
    open_rounds = Round.objects.filter(opens_on__lte=today, closes_on__gte=today).order_by("closes_on", "pk")
    shown = list(open_rounds[:ITEMS_SHOWN])
    open_count = open_rounds.count()
    rates = response_rates(rounds=[r.pk for r in shown])
    items = []
    for survey_round in shown:
        rate = rates.get(survey_round.pk, {"rate": 0.0, "submitted": 0, "invited": 0})
        note = _("closes %(date)s · %(rate)s %% answered (%(submitted)s of %(invited)s)") % {
            "date": formats.date_format(survey_round.closes_on, "SHORT_DATE_FORMAT"),
            "rate": format_number(rate["rate"], places=1),
            "submitted": rate["submitted"],
            "invited": rate["invited"],
        }
        items.append(Item(survey_round.code, reverse("surveys:status", args=[survey_round.pk]), note))
    return [
        Line(
            key="rounds-open",
            label=ngettext("Survey round open", "Survey rounds open", open_count),
            count=open_count,
            url=items[0].url if len(items) == 1 else reverse("surveys:home"),
            items=items,
            order=40,
        )
    ]
