"""Reads of MFI reporting: what an MFI has to report, what waits for review, where a figure comes from."""

import datetime
from collections import defaultdict

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from portal.accounts.people import display_person

from ..models import Indicator, Innovation, Measurement, MFIReport, MFIReportValue, Participation, ReportState
from ..models.reporting import period_label
from ..selectors import RECEIVED, contributing, indicator_rule
from .periods import Period, ended_periods, overdue_periods_of

PERIODS_SHOWN = 12  # the most recent open periods listed per innovation; older ones are counted


def report_url(innovation: Innovation, period: Period | datetime.date) -> str:
    start = period.start if isinstance(period, Period) else period
    return reverse("pilots:mfi_report", kwargs={"slug": innovation.slug, "period": f"{start:%Y-%m}"})


def reporting_participations(*, institution_id: int, innovation: Innovation | None = None) -> QuerySet[Participation]:
    """The institution's participations in innovations with a reporting plan, with what it reports."""
    participations = (
        Participation.objects.filter(institution_id=institution_id, innovation__reporting_plan__isnull=False)
        .select_related("innovation__reporting_plan")
        .prefetch_related(Prefetch("reported_indicators", queryset=Indicator.objects.order_by("order", "pk")))
        .order_by("innovation__title")
    )
    return participations.filter(innovation=innovation) if innovation is not None else participations


def last_values(
    participation_ids, indicator_ids, *, before: datetime.date | None = None
) -> dict[tuple[int, int], Measurement]:
    """Each (MFI, indicator)'s latest counted value (dated before `before`): the reference shown
    next to a report."""
    latest: dict[tuple[int, int], Measurement] = {}
    measurements = Measurement.objects.filter(participation_id__in=participation_ids, indicator_id__in=indicator_ids)
    if before is not None:
        measurements = measurements.filter(measured_on__lt=before)
    for measurement in measurements.order_by("measured_on", "created_at", "pk"):
        latest[(measurement.participation_id, measurement.indicator_id)] = measurement
    return latest


def to_report(*, user, today: datetime.date, innovation: Innovation | None = None) -> list[dict]:
    """For a member user: each innovation its MFI reports on, with the periods still to report
    (ended, not yet submitted: new, draft or returned), those awaiting review, the indicators
    and their last counted values. Empty for anyone else."""
    if not (user and user.is_authenticated and getattr(user, "is_member", False)):
        return []
    participations = [
        p
        for p in reporting_participations(institution_id=user.institution_id, innovation=innovation)
        if p.reported_indicators.all()
    ]
    if not participations:
        return []
    reports = {
        (r.participation_id, r.period_start): r
        for r in MFIReport.objects.filter(participation__in=participations).only(
            "pk", "participation_id", "period_start", "state", "review_comment"
        )
    }
    latest = last_values(
        [p.pk for p in participations], [i.pk for p in participations for i in p.reported_indicators.all()]
    )
    out = []
    for participation in participations:
        innovation_ = participation.innovation
        plan = innovation_.reporting_plan
        periods = ended_periods(plan, today=today, since=participation.since)
        rows = [
            {
                "period": period,
                "report": reports.get((participation.pk, period.start)),
                "url": report_url(innovation_, period),
            }
            for period in reversed(periods)
        ]
        open_ = [r for r in rows if r["report"] is None or r["report"].is_editable]
        out.append(
            {
                "innovation": innovation_,
                "participation": participation,
                "plan": plan,
                "open": open_[:PERIODS_SHOWN],
                "open_count": len(open_),
                "awaiting": [r for r in rows if r["report"] and r["report"].state == ReportState.SUBMITTED],
                "indicators": [
                    {"indicator": i, "last": latest.get((participation.pk, i.pk))}
                    for i in participation.reported_indicators.all()
                ],
            }
        )
    return out


def review_queue() -> QuerySet[MFIReport]:
    """Every report but the drafts (which are the MFI's own until submitted), oldest waiting first."""
    return (
        MFIReport.objects.exclude(state=ReportState.DRAFT)
        .select_related("participation__institution", "participation__innovation", "submitted_by", "reviewed_by")
        .order_by("period_start", "submitted_at", "pk")
    )


def awaiting_review() -> QuerySet[MFIReport]:
    """Submitted reports waiting for staff, the longest-waiting first."""
    return (
        MFIReport.objects.filter(state=ReportState.SUBMITTED)
        .select_related("participation__institution", "participation__innovation")
        .order_by("submitted_at", "period_start", "pk")
    )


def overdue_periods(*, today: datetime.date) -> list[dict]:
    """Every period an MFI should have reported by `today` and has not, oldest due first: the
    queue's "due, not submitted" and staff's "Para hoy". The rule is `overdue_reports`'s,
    across every innovation: a period of the plan that ended since the MFI joined, for an MFI
    set to report some indicator, is due `days_to_report` days after it ends; it is overdue
    once that day has passed without a submitted or approved report. An MFI on a monthly plan
    from January 2011, 10 days to report, that reported January only: on 2011-04-05 February
    (due 2011-03-10) is overdue; March (due 2011-04-10) is not yet. Two queries whatever the
    number of MFIs, innovations and periods."""
    participations = list(
        Participation.objects.filter(innovation__reporting_plan__isnull=False)
        .filter(Exists(Participation.reported_indicators.through.objects.filter(participation_id=OuterRef("pk"))))
        .select_related("institution", "innovation__reporting_plan")
    )
    received = defaultdict(list)
    for participation_id, start, submitted_at in MFIReport.objects.filter(
        participation__in=[p.pk for p in participations], state__in=RECEIVED
    ).values_list("participation_id", "period_start", "submitted_at"):
        received[participation_id].append((start, submitted_at))
    rows = []
    for participation in participations:
        innovation = participation.innovation
        for period, due_on in overdue_periods_of(
            innovation.reporting_plan, since=participation.since, received=received[participation.pk], today=today
        ):
            rows.append(
                {
                    "institution": participation.institution,
                    "innovation": innovation,
                    "period": period,
                    "due_on": due_on,
                    "url": innovation.get_absolute_url(),
                }
            )
    return sorted(rows, key=lambda row: (row["due_on"], row["institution"].name, row["innovation"].title))


def pending_for(innovation: Innovation) -> list[MFIReport]:
    """Submitted reports of an innovation, with their values: shown to staff as pending, not counted."""
    return list(
        MFIReport.objects.filter(participation__innovation=innovation, state=ReportState.SUBMITTED)
        .select_related("participation__institution", "submitted_by")
        .prefetch_related(
            Prefetch(
                "values",
                queryset=MFIReportValue.objects.select_related("indicator").order_by(
                    "indicator__order", "indicator_id"
                ),
            )
        )
        .order_by("period_start", "participation__institution__name")
    )


def sources_of(measurements: list[Measurement], *, rule=None) -> dict:
    """Where a figure comes from, for the trust signals: the values behind it, each with its
    reporting MFI, its date and the period it covers (an MFI report's month or quarter; None
    for a figure staff logged on a date), which part of the progress rule combined them
    (`rule`, an `ActualRule`, when known) and, once for each distinct one, their source, who
    approved them and when. A staff measurement is recorded by the association (who logged it
    is shown to staff only, on the measurements table)."""
    if not measurements:
        return {}
    values = [
        {
            "mfi": m.participation.institution.name if m.participation_id else None,
            "value": m.value,
            "on": m.measured_on,
            "period": period_label(m.report.period_start, m.report.period_end) if m.report_id else None,
        }
        for m in measurements
    ]
    approvals: dict[tuple, dict] = {}
    for m in measurements:
        # Approved by someone (an MFI's report), even an account since deleted; else staff's own figure.
        approved_by = display_person(m.approved_by) if m.approved_at else None
        when = m.approved_at or m.created_at
        approved_on = timezone.localdate(when) if when else None
        key = (m.display_source, approved_by, approved_on)
        approvals.setdefault(key, {"source": key[0], "approved_by": approved_by, "approved_on": approved_on})
    return {"values": values, "rule": rule, "approvals": list(approvals.values())}


def sources_for(indicator: Indicator) -> dict:
    """Where an indicator's actual comes from, from its prefetched measurements (`with_page_data`):
    the innovation's page and its API detail."""
    return sources_of(contributing(indicator, list(indicator.measurements.all())), rule=indicator_rule(indicator))


def sources_by_indicator(progress: list) -> dict[int, dict]:
    """The trust signals of several indicators' actuals (`Progress` rows) in one query, for the
    dashboard: the measurements dated on each actual's date — the latest figures behind it —
    without reading every measurement of every indicator."""
    dated = [(p.indicator.pk, p.actual_date) for p in progress if p.actual_date]
    by_indicator: dict[int, list[Measurement]] = defaultdict(list)
    if dated:
        condition = Q()
        for indicator_id, day in dated:
            condition |= Q(indicator_id=indicator_id, measured_on=day)
        for m in (
            Measurement.objects.filter(condition)
            .select_related("participation__institution", "approved_by", "report")
            .order_by("participation__institution__name", "created_at", "pk")
        ):
            by_indicator[m.indicator_id].append(m)
    return {p.indicator.pk: sources_of(by_indicator[p.indicator.pk]) for p in progress}
