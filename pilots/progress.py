"""Keeping the stored progress (`InnovationProgress`, `IndicatorProgress`) current.

The progress rule lives in `pilots.selectors`; this module only decides *when* its
results are stored, so that lists, the dashboard and the progress filter read one
row per indicator and per innovation instead of every measurement.

- **A write marks the innovation out of date.** Saving or deleting an innovation, an
  indicator, a target or a measurement, and what says which reports are overdue (its
  reporting plan, a participant, the indicators it reports, an MFI report changing state)
  — through the services, the admin or anything else that saves a model — deletes the
  innovation's `InnovationProgress` row (see `connect`). It costs one short query and is
  safe inside cascading deletes.
- **A read brings it up to date.** `ensure_current()` is called before progress is
  read: it finds the innovations with no row, or a row computed before today, and
  recomputes them. Statuses depend on the date — "on track" means "as far as it should be
  by now", a figure grows too old to judge by (*no recent data*), a report falls overdue —
  so a row is only good for the day it was computed on. Usually it finds none, in one query.
- **A change of the rule forgets them all.** A migration that changes the progress rule
  deletes every `InnovationProgress` row (e.g. `0005_status_missed`), so nothing computed
  by the old rule is shown after the upgrade.
- **The scheduler keeps days fresh.** `manage.py refresh_progress` (run by
  `run_scheduler`) does the same in the background, so the first visitor after
  midnight does not pay for the whole portfolio.

Concurrency: a writer marks the innovation out of date under a lock on its row, and a
reader recomputes under the same lock. If a measurement commits while a reader is
recomputing, the writer waits for the reader and then marks its (already stale)
result out of date again; if the writer holds the lock first, the reader waits and
then reads the committed measurement. A stored value is never newer-looking than
the data it came from.
"""

from __future__ import annotations

import datetime
from itertools import batched

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import (
    Indicator,
    IndicatorProgress,
    Innovation,
    InnovationProgress,
    Measurement,
    MFIReport,
    Participation,
    ReportingPlan,
    Target,
)
from .selectors import innovation_progress, innovations_with_progress_data, measurement_rows, overall_status

BATCH = 200


def out_of_date(today: datetime.date) -> list[int]:
    """Innovations whose stored progress is missing or was computed before `today`."""
    return list(Innovation.objects.exclude(current_progress__computed_on=today).values_list("pk", flat=True))


def ensure_current(today: datetime.date | None = None) -> int:
    """Recompute the stored progress of every innovation that needs it; how many did."""
    today = today or timezone.localdate()
    stale = out_of_date(today)
    for chunk in batched(stale, BATCH, strict=False):  # the last chunk may be shorter
        recompute(chunk, today=today)
    return len(stale)


def recompute(innovation_ids, *, today: datetime.date) -> None:
    """Compute and store the progress of these innovations with the progress rule."""
    with transaction.atomic():
        locked = Innovation.objects.select_for_update(of=("self",)).filter(pk__in=innovation_ids).order_by("pk")
        innovations = list(innovations_with_progress_data(locked))
        rows = measurement_rows([i.pk for innovation in innovations for i in innovation.indicators.all()])
        indicator_rows, innovation_rows = [], []
        for innovation in innovations:
            progress = innovation_progress(innovation, today=today, rows=rows)
            innovation_rows.append(
                InnovationProgress(innovation=innovation, status=overall_status(progress), computed_on=today)
            )
            indicator_rows.extend(
                IndicatorProgress(
                    indicator=p.indicator,
                    innovation=innovation,
                    target=p.target,
                    actual=p.actual,
                    actual_date=p.actual_date,
                    percent=p.percent,
                    status=p.status,
                    projected=p.projection.at_due if p.projection else None,
                    reached_on=p.projection.reached_on if p.projection else None,
                    overdue_kind=p.overdue.kind if p.overdue else "",
                    overdue_since=p.overdue.since if p.overdue else None,
                    overdue_institutions=list(p.overdue.institutions) if p.overdue else [],
                )
                for p in progress
            )
        found = [innovation.pk for innovation in innovations]
        IndicatorProgress.objects.filter(innovation_id__in=found).delete()
        IndicatorProgress.objects.bulk_create(indicator_rows, batch_size=500)
        InnovationProgress.objects.bulk_create(
            innovation_rows,
            update_conflicts=True,
            unique_fields=["innovation"],
            update_fields=["status", "computed_on"],
        )


def mark_out_of_date(innovation_id: int | None) -> None:
    if innovation_id is None:
        return
    with transaction.atomic():
        list(Innovation.objects.select_for_update().filter(pk=innovation_id).values_list("pk"))
        InnovationProgress.objects.filter(innovation_id=innovation_id).delete()


def _innovation_of(instance) -> int | None:
    if isinstance(instance, Innovation):
        return instance.pk
    if isinstance(instance, (Indicator, ReportingPlan, Participation)):
        return instance.innovation_id
    if isinstance(instance, MFIReport):
        return (
            Participation.objects.filter(pk=instance.participation_id).values_list("innovation_id", flat=True).first()
        )
    return Indicator.objects.filter(pk=instance.indicator_id).values_list("innovation_id", flat=True).first()


def _on_write(sender, instance, **kwargs) -> None:
    if kwargs.get("raw"):
        return
    mark_out_of_date(_innovation_of(instance))


def _on_reported_indicators(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        mark_out_of_date(_innovation_of(instance))


def connect() -> None:
    """What the progress rule reads: an innovation's stage and start, its indicators, targets,
    measurements, and what the reporting plan expects of whom (plan, participants, reports)."""
    for model in (Innovation, Indicator, Target, Measurement, ReportingPlan, Participation, MFIReport):
        uid = f"pilots-progress-{model._meta.model_name}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _on_reported_indicators,
        sender=Participation.reported_indicators.through,
        dispatch_uid="pilots-progress-reported-indicators",
    )
