"""Keeping the stored progress (`InnovationProgress`, `IndicatorProgress`) current.

The progress rule lives in `pilots.selectors`; this module only decides *when* its
results are stored, so that lists, the dashboard and the progress filter read one
row per indicator and per innovation instead of every measurement (docs/stored-progress.md).

- **A write marks the innovation out of date.** Saving or deleting an innovation, an
  indicator, a target or a measurement, and what says which reports are overdue (its
  reporting plan, a participant, the indicators it reports, an MFI report changing state)
  — through the services, the admin or anything else that saves a model — deletes the
  innovation's `InnovationProgress` row (see `connect`). It costs one short query and is
  safe inside cascading deletes. Writes that bypass the models' signals (bulk imports) are
  followed by `manage.py refresh_progress --all` (`mark_all_out_of_date`).
- **A read brings it up to date.** `ensure_current()` is called before progress is
  read: it finds the innovations with no row, or a row computed before today, and
  recomputes them. Statuses depend on the date — "on track" means "as far as it should be
  by now", a figure grows too old to judge by (*no recent data*), a report falls overdue —
  so a row is only good for the day it was computed on.
- **Usually without a query.** Looking for stale rows means a query over every innovation,
  so each process remembers the last time it found none: the day, and the *generation* it
  read from the cache just before looking (one `cache.get`, no query). `mark_out_of_date`
  replaces the generation (with a value never used before) when it deletes a row, so a
  process looks again after any write anywhere, and on a new day. Without the cache — Redis
  unreachable, the key evicted — there is no generation to trust, and every read looks, as
  before: a stale row is never served for want of a cache. The generation must live in a
  cache the processes share (Redis in production), like `portal.cache`'s data version. A
  replacement lost because only the writer's process could not reach Redis is made good
  when that process reaches it again: `ResilientRedisCache` then forgets every key, the
  generation with them, so every process looks.
- **Warning signs are stored with the progress.** The Standard 6C signs
  (`pilots.pricing.signs`) read an innovation's product terms, those of the other innovations
  of its product line (members' peer APRs), the peer averages of its product line, the ratios
  staff entered for its participating MFIs and their approved financial reports (with the
  quartiles of their semester's peers); a write to any of them — a report only when it is
  approved — marks the innovations they concern out of date, and the recompute stores their signs again, so
  the dashboard reads them instead of pricing the whole portfolio.
- **A change of the rule forgets them all.** A migration that changes the progress rule
  (or what is stored) deletes every `InnovationProgress` row (e.g. `0005_status_missed`,
  `0018_progress_speed`), so nothing computed by the old rule is shown after the upgrade;
  processes start afresh after a deploy, so none remembers a look from before it.
- **The scheduler keeps days fresh.** `manage.py refresh_progress` (run by
  `run_scheduler`) does the same in the background, so the first visitor after
  midnight does not pay for the whole portfolio.

Concurrency: a writer marks the innovation out of date under a lock on its row, and a
reader recomputes under the same lock. If a measurement commits while a reader is
recomputing, the writer waits for the reader and then marks its (already stale)
result out of date again; if the writer holds the lock first, the reader waits and
then reads the committed measurement. A stored value is never newer-looking than
the data it came from.

The generation is replaced when the writer deletes the row and again when its
transaction commits, and a reader reads it *before* looking for stale rows. A reader
that read the generation after the commit's replacement looks after the commit, so it
sees the deleted row; one that read it earlier remembers an older generation, which the
commit has already replaced, so its next read looks again. (The first replacement makes
the writer's own connection, which sees its uncommitted delete, look at once.)
"""

from __future__ import annotations

import datetime
import secrets
from itertools import batched

from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

from .models import (
    FinancialReport,
    Indicator,
    IndicatorProgress,
    Innovation,
    InnovationProgress,
    InstitutionRatio,
    Measurement,
    MFIReport,
    Participation,
    PeerAverage,
    ProductTerms,
    ReportingPlan,
    ReportState,
    Target,
)
from .pricing.signs import warning_sign_facts
from .selectors import innovation_progress, innovations_with_progress_data, measurement_rows, overall_status

BATCH = 200
GENERATION_KEY = "pilots:progress-generation"
# (day, generation) of this process's last look that found every innovation current
_found_current: tuple[datetime.date, str] | None = None


def out_of_date(today: datetime.date) -> list[int]:
    """Innovations whose stored progress is missing or was computed before `today`."""
    return list(Innovation.objects.exclude(current_progress__computed_on=today).values_list("pk", flat=True))


def ensure_current(today: datetime.date | None = None) -> int:
    """Recompute the stored progress of every innovation that needs it; how many did.

    No query when this process already found everything current today and nothing has been
    marked out of date since (the generation in the cache is the one it read then)."""
    global _found_current
    today = today or timezone.localdate()
    generation = _generation()
    if generation is not None and _found_current == (today, generation):
        return 0
    stale = out_of_date(today)
    for chunk in batched(stale, BATCH, strict=False):  # the last chunk may be shorter
        recompute(chunk, today=today)
    # Everything is current as of the generation read before looking (a write since has replaced it).
    _found_current = None if generation is None else (today, generation)
    return len(stale)


def _generation() -> str | None:
    """The cache's current generation, or None when the cache cannot vouch for one."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        fresh = secrets.token_hex(8)
        generation = fresh if cache.add(GENERATION_KEY, fresh, None) else None
    return generation


def _new_generation() -> None:
    """Make every process look for stale rows again at its next read."""
    global _found_current
    _found_current = None
    cache.set(GENERATION_KEY, secrets.token_hex(8), None)


def recompute(innovation_ids, *, today: datetime.date) -> None:
    """Compute and store the progress of these innovations with the progress rule."""
    with transaction.atomic():
        locked = Innovation.objects.select_for_update(of=("self",)).filter(pk__in=innovation_ids).order_by("pk")
        innovations = list(innovations_with_progress_data(locked))
        rows = measurement_rows([i.pk for innovation in innovations for i in innovation.indicators.all()])
        signs = warning_sign_facts(innovations)
        indicator_rows, innovation_rows = [], []
        for innovation in innovations:
            progress = innovation_progress(innovation, today=today, rows=rows)
            innovation_rows.append(
                InnovationProgress(
                    innovation=innovation,
                    status=overall_status(progress),
                    computed_on=today,
                    warning_signs=signs[innovation.pk],
                )
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
            update_fields=["status", "computed_on", "warning_signs"],
        )


def mark_out_of_date(innovation_id: int | None) -> None:
    if innovation_id is not None:
        mark_all_out_of_date(Innovation.objects.filter(pk=innovation_id))


def mark_all_out_of_date(innovations=None) -> None:
    """Delete the stored progress of these innovations (a queryset; all by default), under their
    row locks, and make every process look for stale rows again (see the module's docstring)."""
    innovations = Innovation.objects.all() if innovations is None else innovations
    with transaction.atomic():
        ids = list(innovations.select_for_update().order_by("pk").values_list("pk", flat=True))
        InnovationProgress.objects.filter(innovation_id__in=ids).delete()
        _new_generation()
        transaction.on_commit(_new_generation)


def _innovation_of(instance) -> int | None:
    if isinstance(instance, Innovation):
        return instance.pk
    if isinstance(instance, (Indicator, ReportingPlan, Participation, ProductTerms)):
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


def _on_pricing_write(sender, instance, **kwargs) -> None:
    """Ratios concern the innovations their MFI takes part in; a peer average or product terms
    (members' products are each other's peers), every innovation of the product line (any country
    and band: which peer applies is the pricing's rule)."""
    if kwargs.get("raw"):
        return
    if isinstance(instance, InstitutionRatio):
        concerned = Innovation.objects.filter(participations__institution_id=instance.institution_id)
    elif isinstance(instance, ProductTerms):  # the members' peer average of its line (`signs_peers`)
        lines = Innovation.objects.filter(pk=instance.innovation_id).values("product_line_id")
        concerned = Innovation.objects.filter(Q(pk=instance.innovation_id) | Q(product_line_id__in=lines))
    else:
        concerned = Innovation.objects.filter(product_line_id=instance.product_line_id)
    mark_all_out_of_date(Innovation.objects.filter(pk__in=concerned.values("pk")))


def _on_financial_report_write(sender, instance, **kwargs) -> None:
    """An approved financial report gives its MFI's signs their figures and its semester's peers
    their quartiles: the innovations of that MFI, and of every MFI with an approved report of the
    same semester, are out of date. Drafts, submissions and returns count nowhere."""
    if kwargs.get("raw") or instance.state != ReportState.APPROVED:
        return
    same_semester = FinancialReport.objects.filter(period_start=instance.period_start, state=ReportState.APPROVED)
    institutions = {instance.institution_id, *same_semester.values_list("institution_id", flat=True)}
    concerned = Innovation.objects.filter(participations__institution_id__in=institutions)
    mark_all_out_of_date(Innovation.objects.filter(pk__in=concerned.values("pk")))


def _on_institution_write(sender, instance, **kwargs) -> None:
    """An MFI's name is the subject of its warning signs."""
    if kwargs.get("raw") or kwargs.get("created"):
        return
    concerned = Innovation.objects.filter(participations__institution_id=instance.pk)
    mark_all_out_of_date(Innovation.objects.filter(pk__in=concerned.values("pk")))


def _on_reported_indicators(sender, instance, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        mark_out_of_date(_innovation_of(instance))


def connect() -> None:
    """What the progress rule reads: an innovation's stage and start, its indicators, targets,
    measurements, and what the reporting plan expects of whom (plan, participants, reports);
    and what its warning signs read: product terms (its own and its line's), peer averages, its
    MFIs' ratios, approved financial reports and names."""
    from portal.accounts.models import MemberInstitution

    for model in (Innovation, Indicator, Target, Measurement, ReportingPlan, Participation, MFIReport):
        uid = f"pilots-progress-{model._meta.model_name}"
        post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}-delete")
    for model in (InstitutionRatio, PeerAverage, ProductTerms):
        uid = f"pilots-progress-{model._meta.model_name}"
        post_save.connect(_on_pricing_write, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_on_pricing_write, sender=model, dispatch_uid=f"{uid}-delete")
    for signal, suffix in ((post_save, "save"), (post_delete, "delete")):
        signal.connect(_on_financial_report_write, sender=FinancialReport, dispatch_uid=f"pilots-progress-fr-{suffix}")
    post_save.connect(_on_institution_write, sender=MemberInstitution, dispatch_uid="pilots-progress-institution")
    m2m_changed.connect(
        _on_reported_indicators,
        sender=Participation.reported_indicators.through,
        dispatch_uid="pilots-progress-reported-indicators",
    )
