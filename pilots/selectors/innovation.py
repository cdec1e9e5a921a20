"""Reads of one innovation: its progress today or on a past day, and everything its page, its
API detail, its downloads and its period reports show, prefetched in a fixed number of queries."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Contribution, Indicator, Innovation, Measurement, Milestone, StageChange
from .actual import Row
from .measurements import MEASUREMENT_RELATIONS
from .overdue import overdue_reports, participations_with_reports
from .results import Progress
from .status import indicator_progress


def stage_on(innovation: Innovation, day: datetime.date) -> str:
    """The stage the innovation was in on `day`, from its stage decisions (prefetched)."""
    changes = sorted(innovation.stage_changes.all(), key=lambda c: (c.decided_on, c.created_at))
    before = [c for c in changes if c.decided_on <= day]
    if before:
        return before[-1].to_stage
    return changes[0].from_stage or changes[0].to_stage if changes else innovation.stage


def progress_as_of(innovation: Innovation, day: datetime.date) -> list[Progress]:
    """Every indicator's progress as it stood on `day`, against the target of the stage of that
    day: judged on that day (its age, what was overdue then), not today."""
    stage = stage_on(innovation, day)
    due = overdue_reports(innovation, today=day)
    return [
        indicator_progress(
            indicator, stage=stage, started_on=innovation.started_on, as_of=day, reports_due=due.get(indicator.pk)
        )
        for indicator in innovation.indicators.all()
    ]


def innovation_progress(
    innovation: Innovation, *, today=None, rows: dict[int, list[Row]] | None = None
) -> list[Progress]:
    """Every indicator's progress, from its prefetched measurements or from `rows`
    (`measurement_rows`), with what is overdue (`overdue_reports`)."""
    today = today or timezone.localdate()
    due = overdue_reports(innovation, today=today)
    return [
        indicator_progress(
            indicator,
            stage=innovation.stage,
            started_on=innovation.started_on,
            today=today,
            rows=None if rows is None else rows.get(indicator.pk, []),
            reports_due=due.get(indicator.pk),
        )
        for indicator in innovation.indicators.all()
    ]


def innovations_with_progress_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch what the progress rule reads of each innovation besides its measurements
    (see `measurement_rows`): its indicators and their targets, its reporting plan and participations."""
    return queryset.select_related("reporting_plan").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.prefetch_related("targets")), participations_with_reports()
    )


def innovation_for_page(queryset: QuerySet[Innovation], slug: str) -> Innovation:
    """One innovation with everything its page shows, in a fixed number of queries,
    including all its measurements as models (its downloads and period reports read them)."""
    return with_page_data(queryset).get(slug=slug)


def with_page_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch everything an innovation's page (or its API detail) shows, every measurement included."""
    measurements = Measurement.objects.order_by("measured_on", "created_at").select_related(*MEASUREMENT_RELATIONS)
    indicators = Indicator.objects.prefetch_related("targets", Prefetch("measurements", queryset=measurements))
    return _with_page_parts(queryset, indicators)


def innovation_for_detail(queryset: QuerySet[Innovation], slug: str) -> Innovation:
    """One innovation with what its own page shows besides its measurements, which the page
    reads without loading them all as models (`page_measurements`)."""
    return with_detail_data(queryset).get(slug=slug)


def with_detail_data(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch what an innovation's page (or its API detail) shows besides its measurements."""
    return _with_page_parts(queryset, Indicator.objects.prefetch_related("targets"))


def _with_page_parts(queryset: QuerySet[Innovation], indicators: QuerySet[Indicator]) -> QuerySet[Innovation]:
    return queryset.select_related("product_line", "lead", "reporting_plan").prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("contributions", queryset=Contribution.objects.select_related("funder")),
        Prefetch("stage_changes", queryset=StageChange.objects.select_related("decided_by")),
        "checklist",
        "lessons",
        "evaluation_answers",
        Prefetch("milestones", queryset=Milestone.objects.order_by("planned_date", "id")),
        participations_with_reports(),
    )


def participants_over_time(innovation: Innovation, today: datetime.date) -> list[tuple[datetime.date, int]]:
    """How many member institutions were taking part over time (prefetched participations):
    none when the innovation started, one step up on each date some joined, level until today.
    The steps of the "participants joining over time" chart; empty without participants."""
    joined: dict[datetime.date, int] = defaultdict(int)
    for participation in innovation.participations.all():
        joined[participation.since] += 1
    if not joined:
        return []
    first = min(joined)
    total, points = 0, [] if innovation.started_on >= first else [(innovation.started_on, 0)]
    for day in sorted(joined):
        total += joined[day]
        points.append((day, total))
    if today > points[-1][0]:
        points.append((today, total))
    return points
