"""Who changed what in the tracker, and when: the historical records django-simple-history
keeps for innovations, stage decisions, milestones, targets, measurements, period
reports and the MFIs' reports and their values (`history = change_history()` on each model,
`pilots.models.tracking`; the user comes from the request,
`simple_history.middleware.HistoryRequestMiddleware`). Staff read them on the innovation
page and in the admin (Innovation tracker → Change history); nothing else writes them.

Everything is shown as the page's reader reads it, not as it is stored: people by name
("former user" for a deleted account, `portal.accounts.people`), other linked records by
their name (the MFI, the indicator), choices by their label in the page's language
("Piloto → Evaluación", not "pilot → evaluate"), numbers as the language writes them
("8.600", not "8600.00"), dates and times in the portal's time zone to the minute, and
attachments by the file's name ("respaldo.pdf", not "mfi-reports/2026/12/respaldo_34UchMg.pdf").
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.people import display_person
from portal.i18n import in_reader_language
from portal.numbers import format_number

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
from .models.reporting import period_label

TRACKED = (Innovation, StageChange, Milestone, Target, Measurement, PeriodReport, MFIReport, MFIReportValue)
# bookkeeping, not what anyone changed
IGNORED = ("updated_at", "created_at", "logged_at", "submission_key", "version", "updated_by")
KINDS = {"+": gettext_lazy("created"), "~": gettext_lazy("changed"), "-": gettext_lazy("deleted")}
EMPTY = "—"


@dataclass
class Change:
    when: datetime
    who: str
    what: str  # the model, e.g. "measurement"
    item: str  # the object, as it reads
    kind: str  # created / changed / deleted
    kind_code: str  # +, ~, -
    fields: list[tuple[str, str, str]]  # (field, before, after), as the reader reads them
    reason: str = ""  # why, where one was required (a value that counted, deleted)


def _records(model, innovation: Innovation | None, limit: int):
    records = model.history.order_by("-history_date", "-history_id")
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


# --- How a stored value reads ----------------------------------------------------------------


def _day(value: date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else EMPTY


def _moment(value: datetime) -> str:
    """In the portal's time zone, to the minute, as the page's language writes it."""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATETIME_FORMAT")


def _file_name(record, field, value) -> str:
    """The file's own name: the original one where the model keeps it (`attachment_name`),
    else the stored name without its folders."""
    kept = getattr(record, f"{field.name}_name", "") if record is not None else ""
    return kept or os.path.basename(str(getattr(value, "name", value)))


def _shown(field, value, *, record=None, names: dict | None = None) -> str:
    """A field's stored value as the reader reads it (see the module's docstring)."""
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, list | tuple):  # a field of several values (an innovation's countries)
        return ", ".join(_shown(field, item, names=names) for item in value)
    choices = getattr(field, "flatchoices", None)
    if choices:
        labels = dict(choices)
        if value in labels:
            return str(labels[value])
    if isinstance(field, models.ForeignKey):
        related = field.related_model
        label = (names or {}).get((related, value))
        if label is not None:
            return label
        return display_person(None) if related is get_user_model() else f"#{value}"
    if isinstance(field, models.FileField):
        return _file_name(record, field, value)
    if isinstance(field, models.DateTimeField):
        return _moment(value)
    if isinstance(field, models.DateField):
        return _day(value)
    if isinstance(field, models.DecimalField | models.FloatField):
        return format_number(value)
    return str(value)


def _kept_names(model) -> set[str]:
    """`attachment_name` beside `attachment`: shown as the file's name, not as a change of its own."""
    return {f"{field.name}_name" for field in model._meta.concrete_fields if isinstance(field, models.FileField)}


# --- Names of what changes link to, read once for the whole history ---------------------------


def _related_names(wanted: dict[type, set], indicators: dict[int, str], mfis: dict[int, str]) -> dict:
    """The name of every linked record the changes mention, in one query per kind of record
    (people by `display_person`). A person no longer there reads "former user" and any other
    record no longer there its id ("#12"), in `_shown`."""
    names: dict[tuple[type, object], str] = {}
    user_model = get_user_model()
    for related, ids in wanted.items():
        ids = {pk for pk in ids if pk is not None}
        if not ids:
            continue
        if related is Indicator and ids <= indicators.keys():
            names.update({(Indicator, pk): indicators[pk] for pk in ids})
        elif related is Participation and ids <= mfis.keys():
            names.update({(Participation, pk): mfis[pk] for pk in ids})
        elif related is user_model:
            names.update(
                {(related, user.pk): display_person(user) for user in related._base_manager.filter(pk__in=ids)}
            )
        elif related is MFIReport:
            for report in MFIReport._base_manager.filter(pk__in=ids).select_related("participation__institution"):
                names[(MFIReport, report.pk)] = _report_name(report.participation.institution.name, report)
        else:
            for obj in related._base_manager.filter(pk__in=ids):
                names[(related, obj.pk)] = str(
                    getattr(obj, "display_title", None) or getattr(obj, "display_name", None) or obj
                )
    return names


def _report_name(mfi: str, report) -> str:
    return f"{mfi} · {period_label(report.period_start, report.period_end)}"


def _item(model, record, indicators: dict[int, str], mfis: dict[int, str]) -> str:
    """What the record is about, from its own columns (no query per record)."""
    if model is MFIReport:
        return _report_name(mfis.get(record.participation_id, EMPTY), record)
    indicator = indicators.get(getattr(record, "indicator_id", None), f"#{getattr(record, 'indicator_id', '')}")
    if model is MFIReportValue:
        return f"{indicator}: {_shown(model._meta.get_field('value'), record.value)}"
    if model in (Innovation, Milestone):
        return in_reader_language(record.title, record.title_en)
    if model is StageChange:
        stage = StageChange._meta.get_field("to_stage")
        moved = f"{_shown(stage, record.to_stage)} ({_day(record.decided_on)})"
        return f"{_shown(stage, record.from_stage)} → {moved}" if record.from_stage else moved
    if model is PeriodReport:
        return f"{record.year}-S{record.semester}"
    value = format_number(record.value)
    if model is Target:
        return f"{indicator}: {value} ({_day(record.due_date)})"
    return f"{indicator}: {value} ({_day(record.measured_on)})"


def changes(*, innovation: Innovation | None = None, limit: int = 50) -> list[Change]:
    """The latest changes, newest first: of one innovation and what belongs to it, or of all."""
    indicator_rows = (
        Indicator.objects.filter(innovation=innovation) if innovation else Indicator.objects.all()
    ).values_list("pk", "name", "name_en")
    indicators = {pk: in_reader_language(name, name_en) for pk, name, name_en in indicator_rows}
    participations = Participation.objects.filter(innovation=innovation) if innovation else Participation.objects.all()
    mfis = dict(participations.values_list("pk", "institution__name"))
    user_model = get_user_model()

    # First every record and what changed in it; then the names of everyone and everything
    # they link to, once; then the changes as they read.
    read = []
    wanted: dict[type, set] = defaultdict(set)
    for model in TRACKED:
        records = _records(model, innovation, limit)
        previous = _previous(model, records)
        fields = {field.name: field for field in model._meta.concrete_fields}
        skipped = _kept_names(model)
        for record in records:
            before = previous.get(record.history_id)
            delta = []
            if record.history_type == "~" and before is not None:
                delta = [
                    (fields[c.field], c.old, c.new, before)
                    for c in record.diff_against(before, excluded_fields=IGNORED).changes
                    if c.field in fields and c.field not in skipped
                ]
                for field, old, new, _before in delta:
                    if isinstance(field, models.ForeignKey):
                        wanted[field.related_model].update((old, new))
            wanted[user_model].add(record.history_user_id)
            read.append((model, record, delta))
    names = _related_names(wanted, indicators, mfis)

    found = []
    for model, record, delta in read:
        if record.history_user_id is None:
            who = _("the system (demo data, imports)")
        else:
            who = names.get((user_model, record.history_user_id)) or display_person(None)
        found.append(
            Change(
                when=record.history_date,
                who=who,
                what=str(model._meta.verbose_name),
                item=_item(model, record, indicators, mfis),
                kind=str(KINDS.get(record.history_type, record.history_type)),
                kind_code=record.history_type,
                fields=[
                    (
                        str(field.verbose_name),
                        _shown(field, old, record=before, names=names),
                        _shown(field, new, record=record, names=names),
                    )
                    for field, old, new, before in delta
                ],
                reason=record.history_change_reason or "",
            )
        )
    found.sort(key=lambda change: change.when, reverse=True)
    return found[:limit]


def report_history(report: MFIReport, *, limit: int = 20) -> list[dict]:
    """An MFI report's own history, newest first, for its review page: when, who, its state."""
    records = list(report.history.order_by("-history_date", "-history_id")[:limit])
    user_model = get_user_model()
    people = {
        user.pk: display_person(user)
        for user in user_model._base_manager.filter(pk__in={r.history_user_id for r in records} - {None})
    }
    return [
        {
            "when": record.history_date,
            "who": EMPTY
            if record.history_user_id is None
            else people.get(record.history_user_id, display_person(None)),
            "state": record.get_state_display(),
        }
        for record in records
    ]
