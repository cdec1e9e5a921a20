"""Reads of the stored progress (`IndicatorProgress`, kept current by `pilots.progress`):
an indicator's `Progress` as stored, and the prefetches and rows lists and the dashboard read.
See docs/stored-progress.md."""

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from ..models import Contribution, Indicator, IndicatorProgress, Innovation, Status
from .projection import Projection
from .results import Overdue, Progress


def _from_row(indicator: Indicator, row: IndicatorProgress | None) -> Progress:
    """The `Progress` a stored row keeps, judged today (`pilots.progress.ensure_current` keeps
    the rows computed today): without the series, its pace or the rule that made the actual."""
    today = timezone.localdate()
    if row is None:  # written since the stored progress was brought up to date: not counted yet
        return Progress(indicator, None, None, None, None, Status.NO_DATA, as_of=today)
    course = None
    if row.projected is not None or row.reached_on is not None:
        course = Projection(
            pace_per_day=None,
            line=[],
            at_due=row.projected,
            reached_on=row.reached_on,
            due_date=row.target.due_date if row.target else None,
            as_of=today,
        )
    overdue = None
    if row.overdue_kind:
        overdue = Overdue(row.overdue_kind, row.overdue_since, tuple(row.overdue_institutions))
    return Progress(
        indicator,
        row.target,
        row.actual,
        row.actual_date,
        row.percent,
        row.status,
        projection=course,
        as_of=today,
        overdue=overdue,
    )


def stored_progress(indicator: Indicator) -> Progress:
    """The indicator's progress as `pilots.progress` stored it (no measurements read)."""
    return _from_row(indicator, getattr(indicator, "current_progress", None))


def with_stored_progress(queryset: QuerySet[Innovation]) -> QuerySet[Innovation]:
    """Prefetch what lists show of each innovation: its stored health, its indicators with
    their stored progress and target, and its funders, in a fixed number of queries."""
    return queryset.select_related("product_line", "current_progress").prefetch_related(
        Prefetch("indicators", queryset=Indicator.objects.select_related("current_progress__target")),
        Prefetch("contributions", queryset=Contribution.objects.select_related("funder")),
    )


def portfolio_targets(visible: QuerySet[Innovation]) -> QuerySet:
    """Every indicator with a target, target against actual, in the dashboard's order: one
    stored row each, ready to page through (`Progress` objects via `stored_progress`)."""
    return (
        IndicatorProgress.objects.filter(innovation__in=visible, target__isnull=False)
        .select_related("innovation", "indicator", "target")
        .order_by("innovation__title", "innovation_id", "indicator__order", "indicator_id")
    )


def target_row(row) -> dict:
    """One dashboard row from a stored `IndicatorProgress`: the innovation and its `Progress`."""
    return {"innovation": row.innovation, "progress": _from_row(row.indicator, row)}
