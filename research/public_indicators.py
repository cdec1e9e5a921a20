"""The pilot figures a research page may show: indicators of public innovations, judged as
their innovation's own page judges them.

Research pages are for anyone; a chart on one shows the same figures to every reader, so a
restricted innovation's figures stay off research pages also for its funders and staff.
This module reads only the tracker (`pilots.public`), so the body's chart block and the
chart (`charts`) can use it without depending on the research models.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from pilots.public import Indicator, Innovation, Progress, indicator_progress, measurement_rows


def public_indicators():
    """Indicators of the innovations the public may see (`Innovation.objects.visible_to` an
    anonymous reader): the only ones a research page's chart draws."""
    return Indicator.objects.filter(innovation__in=Innovation.objects.visible_to(AnonymousUser()))


def chart_progress(indicator_id) -> Progress | None:
    """A public innovation's indicator as its innovation's page judges it today — the same
    actual (`pilots.selectors.indicator_progress`, one rule for every chart), current target
    and series — or None when the indicator no longer exists or its innovation is not public
    (`public_indicators`). Three queries: the indicator, its targets, its measurements."""
    try:
        indicator = (
            public_indicators().select_related("innovation").prefetch_related("targets").get(pk=int(indicator_id))
        )
    except (Indicator.DoesNotExist, TypeError, ValueError):
        return None
    innovation = indicator.innovation
    return indicator_progress(
        indicator,
        stage=innovation.stage,
        started_on=innovation.started_on,
        today=timezone.localdate(),
        rows=measurement_rows([indicator.pk]).get(indicator.pk, []),
    )
