"""Who changed what in the tracker, and when: the historical records django-simple-history
keeps for innovations, stage decisions, milestones, targets, measurements, period
reports and the MFIs' reports and their values (`history = HistoricalRecords()` on each model; the user comes from the request,
`simple_history.middleware.HistoryRequestMiddleware`). Staff read them on the innovation
page and in the admin (Innovation tracker → Change history); nothing else writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import (
    Indicator,
    Innovation,
    Measurement,
    MFIReport,
    MFIReportValue,
    Milestone,
    Participation,
    PeriodReport,
    StageChange,
    Target,
)

TRACKED = (Innovation, StageChange, Milestone, Target, Measurement, PeriodReport, MFIReport, MFIReportValue)
# bookkeeping, not what anyone changed
IGNORED = ("updated_at", "created_at", "logged_at", "submission_key", "version", "updated_by")
KINDS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}


@dataclass
class Change:
    when: datetime
    who: str
    what: str  # the model, e.g. "measurement"
    item: str  # the object, as it reads
    kind: str  # created / changed / deleted
    kind_code: str  # +, ~, -
    fields: list[tuple[str, str, str]]  # (field, before, after)
    reason: str = ""  # why, where one was required (a value that counted, deleted)


def _records(model, innovation: Innovation | None, limit: int):
    records = model.history.select_related("history_user").order_by("-history_date", "-history_id")
    if innovation is not None:
        if model is Innovation:
            records = records.filter(id=innovation.pk)
        elif model in (Target, Measurement):
            # A subquery, not a list read first: deleted rows keep their indicator's id.
            records = records.filter(indicator_id__in=Indicator.objects.filter(innovation=innovation).values("pk"))
        elif model is MFIReport:
            records = records.filter(participation__innovation=innovation)
        elif model is MFIReportValue:
            reports = MFIReport.objects.filter(participation__innovation=innovation).values("pk")
            records = records.filter(report_id__in=reports)
        else:
            records = records.filter(innovation_id=innovation.pk)
    return list(records[:limit])


def _previous(model, records) -> dict[int, object]:
    """Each record's previous version, in one query per model."""
    if not records:
        return {}
    earlier = model.history.filter(
        id__in={record.id for record in records}, history_date__lte=records[0].history_date
    ).order_by("id", "history_date", "history_id")
    previous, last_by_object = {}, {}
    for record in earlier:
        previous[record.history_id] = last_by_object.get(record.id)
        last_by_object[record.id] = record
    return previous


def _label(field, value) -> str:
    if value in (None, ""):
        return "—"
    choices = dict(getattr(field, "flatchoices", None) or ())
    return str(choices.get(value, value))


def _item(model, record, indicators: dict[int, str], mfis: dict[int, str]) -> str:
    """What the record is about, from its own columns (no query per record)."""
    if model is MFIReport:
        return f"{mfis.get(record.participation_id, '—')} {record.period_start:%Y-%m}"
    if model is MFIReportValue:
        return f"{indicators.get(record.indicator_id, f'#{record.indicator_id}')}: {record.value}"
    if model is Innovation:
        return record.title
    if model is StageChange:
        return f"{record.from_stage or '—'} → {record.to_stage} ({record.decided_on})"
    if model is Milestone:
        return record.title
    if model is PeriodReport:
        return f"{record.year}-S{record.semester}"
    name = indicators.get(record.indicator_id, f"#{record.indicator_id}")
    if model is Target:
        return f"{name}: {record.value} ({record.due_date})"
    return f"{name}: {record.value} ({record.measured_on})"


def changes(*, innovation: Innovation | None = None, limit: int = 50) -> list[Change]:
    """The latest changes, newest first: of one innovation and what belongs to it, or of all."""
    found = []
    indicators = dict(
        (Indicator.objects.filter(innovation=innovation) if innovation else Indicator.objects.all()).values_list(
            "pk", "name"
        )
    )
    participations = Participation.objects.filter(innovation=innovation) if innovation else Participation.objects.all()
    mfis = dict(participations.values_list("pk", "institution__name"))
    for model in TRACKED:
        records = _records(model, innovation, limit)
        previous = _previous(model, records)
        fields = {field.name: field for field in model._meta.concrete_fields}
        for record in records:
            before = previous.get(record.history_id)
            rows = []
            if record.history_type == "~" and before is not None:
                delta = record.diff_against(before, excluded_fields=IGNORED)
                rows = [
                    (str(fields[c.field].verbose_name), _label(fields[c.field], c.old), _label(fields[c.field], c.new))
                    for c in delta.changes
                    if c.field in fields
                ]
            user = record.history_user
            found.append(
                Change(
                    when=record.history_date,
                    who=(user.get_full_name() or user.username) if user else _("the system (demo data, imports)"),
                    what=str(model._meta.verbose_name),
                    item=_item(model, record, indicators, mfis),
                    kind=str(KINDS.get(record.history_type, record.history_type)),
                    kind_code=record.history_type,
                    fields=rows,
                    reason=record.history_change_reason or "",
                )
            )
    found.sort(key=lambda change: change.when, reverse=True)
    return found[:limit]
