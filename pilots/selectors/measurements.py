"""An indicator's measurements as the progress rule and the pages read them: every one as a
plain tuple (`measurement_rows`, `Row`), and as models only the few a page shows
(`page_measurements`), or one page at a time (`measurements_newest_first`)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet

from ..models import Indicator, Innovation, Measurement
from .actual import Row, behind_actual, contributing, each_mfi


def measurement_rows(indicator_ids) -> dict[int, list[Row]]:
    """The measurements of these indicators as the rule reads them (`Row`), in
    the order they were taken, grouped by indicator: plain tuples, not model instances."""
    rows: dict[int, list[Row]] = defaultdict(list)
    measurements = (
        Measurement.objects.filter(indicator_id__in=indicator_ids)
        .order_by("indicator_id", "measured_on", "created_at", "pk")
        .values_list("indicator_id", "measured_on", "participation_id", "value", "numerator", "denominator")
    )
    for indicator_id, *row in measurements.iterator(chunk_size=5000):
        rows[indicator_id].append(tuple(row))
    return rows


# What a measurements table shows of each measurement besides its own fields.
MEASUREMENT_RELATIONS = ("participation__institution", "logged_by", "approved_by", "report")
PAGE_MEASUREMENTS = 12  # the latest measurements of an indicator its innovation's page shows


@dataclass
class PageMeasurements:
    """One indicator's measurements as its innovation's page shows them. `rows`: every one as the
    progress rule reads them (`Row`, in the order taken), for its progress and chart; `count`: how
    many; `latest`: the latest few, newest first, for its tables (the rest are on its measurements
    page and in the downloads); `behind`: those behind its actual (`contributing`), for the trust
    signals; `by_participant`: each MFI's latest value or total (`latest_by_participant`)."""

    rows: list[Row]
    count: int
    latest: list[Measurement]
    behind: list[Measurement]
    by_participant: list[tuple[str, datetime.date, Decimal]]


def page_measurements(innovation: Innovation, *, latest: int = PAGE_MEASUREMENTS) -> dict[int, PageMeasurements]:
    """Per indicator id of the innovation (prefetched indicators): its `PageMeasurements`, in two
    queries however many measurements there are: every measurement as a plain tuple, then as models
    only the ones the page shows (the latest few, those behind the actual, each MFI's latest)."""
    indicators = list(innovation.indicators.all())
    taken: dict[int, list[tuple[int, Row]]] = defaultdict(list)  # indicator id: (pk, row), in the order taken
    measurements = (
        Measurement.objects.filter(indicator_id__in=[indicator.pk for indicator in indicators])
        .order_by("indicator_id", "measured_on", "created_at", "pk")
        .values_list("indicator_id", "pk", "measured_on", "participation_id", "value", "numerator", "denominator")
    )
    for indicator_id, pk, *row in measurements:
        taken[indicator_id].append((pk, tuple(row)))
    shown, behind, by_mfi = {}, {}, {}
    for indicator in indicators:
        pairs = taken[indicator.pk]
        shown[indicator.pk] = [pk for pk, _row in reversed(pairs[-latest:])] if latest > 0 else []
        behind[indicator.pk] = behind_actual(indicator, [(pk, row[1]) for pk, row in pairs])
        by_mfi[indicator.pk] = each_mfi(indicator, pairs)
    wanted = {pk for pks in (*shown.values(), *behind.values()) for pk in pks}
    wanted |= {pk for latest_of_each in by_mfi.values() for pk, _on, _value in latest_of_each}
    loaded = Measurement.objects.select_related(*MEASUREMENT_RELATIONS).in_bulk(wanted) if wanted else {}
    return {
        indicator.pk: PageMeasurements(
            rows=[row for _pk, row in taken[indicator.pk]],
            count=len(taken[indicator.pk]),
            latest=[loaded[pk] for pk in shown[indicator.pk]],
            behind=contributing(indicator, [loaded[pk] for pk in behind[indicator.pk]]),
            by_participant=sorted(
                (loaded[pk].participation.institution.name, on, value) for pk, on, value in by_mfi[indicator.pk]
            ),
        )
        for indicator in indicators
    }


def measurements_newest_first(indicator: Indicator) -> QuerySet[Measurement]:
    """Every measurement of an indicator, newest first (its measurements page, a page at a time)."""
    return indicator.measurements.select_related(*MEASUREMENT_RELATIONS).order_by("-measured_on", "-created_at", "-pk")
