"""Which reports an innovation's reporting plan expected and did not get (see *Overdue* in
`status`), and the prefetch that lets its pages read that without a query per MFI."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch

from ..models import Indicator, Innovation, MFIReport, Participation, ReportState
from ..reporting.periods import overdue_periods_of
from .results import Overdue

RECEIVED = (ReportState.SUBMITTED, ReportState.APPROVED)  # a report in these states has come


def overdue_reports(innovation: Innovation, *, today: datetime.date) -> dict[int, Overdue]:
    """Per indicator id: the reports its reporting plan expected by `today` that have not come.

    A participant MFI reports the indicators it is set to report (`reported_indicators`) for
    every period of the plan that ended since it joined; a period's report is due
    `days_to_report` days after the period ends. One still without a submitted or approved
    report (submitted by `today`) once that day has passed is overdue. Reads the innovation's
    `reporting_plan` and its participations (prefetched by `innovations_with_progress_data` and
    `with_page_data`)."""
    plan = getattr(innovation, "reporting_plan", None)
    if plan is None:
        return {}
    missing: dict[int, dict[str, datetime.date]] = defaultdict(dict)
    for participation in innovation.participations.all():
        indicators = [indicator.pk for indicator in participation.reported_indicators.all()]
        if not indicators:
            continue
        reports = getattr(participation, "received_reports", None)  # prefetched by `participations_with_reports`
        if reports is None:
            reports = participation.reports.filter(state__in=RECEIVED)
        late = [
            due_on
            for _period, due_on in overdue_periods_of(
                plan,
                since=participation.since,
                received=((report.period_start, report.submitted_at) for report in reports),
                today=today,
            )
        ]
        if late:
            for indicator_id in indicators:
                missing[indicator_id][participation.institution.name] = min(late)
    return {  # the MFIs in the order of the participants' list (since, name)
        indicator_id: Overdue(Overdue.REPORT, min(by_mfi.values()), tuple(by_mfi))
        for indicator_id, by_mfi in missing.items()
    }


def participations_with_reports() -> Prefetch:
    """An innovation's participations with what `overdue_reports` (and the page) read of them:
    the MFI, its selection criteria, the indicators it reports, the reports that have come."""
    received = MFIReport.objects.filter(state__in=RECEIVED).only(
        "pk", "participation_id", "period_start", "submitted_at"
    )
    return Prefetch(
        "participations",
        queryset=Participation.objects.select_related("institution").prefetch_related(
            "criteria",
            Prefetch("reported_indicators", queryset=Indicator.objects.only("pk")),
            Prefetch("reports", queryset=received, to_attr="received_reports"),
        ),
    )
