"""The RFR pilot's monthly reports from its ten MFIs (the `[reporting]` table of `cases/rfr.toml`).

The MFIs' users submit, staff approve, and the approved figures add up to the seed's 51,000
clients and, weighted by clients surveyed, 87 % satisfaction. One report is returned with a
comment and corrected; one waits for staff's review. Loaded once: not over a reporting plan
that already exists.
"""

import datetime
from decimal import Decimal

from django.db import transaction

from portal.accounts.models import Role, User

from ..models import Indicator, Innovation, Measurement, MFIReport
from ..reporting import services
from ..reporting.services import Entry
from . import files


def _reporter(participation, n: int, first_name: str) -> User:
    """The MFI's user who reports: the demo member for its cooperative, an illustrative one otherwise."""
    existing = User.objects.filter(role=Role.MEMBER, institution=participation.institution).order_by("pk").first()
    if existing:
        return existing
    user = User(
        username=f"imf-ecuador-{n}",
        role=Role.MEMBER,
        institution=participation.institution,
        first_name=first_name,
        last_name=f"IMF {n}",
    )
    user.set_unusable_password()
    user.save()
    return user


def _clients(march: int, share: str) -> Decimal:
    """A month's insured clients: a share of March's, rounded to tens."""
    return (march * Decimal(share) / 10).quantize(Decimal(1)) * 10


def _sent(period_end: datetime.date) -> datetime.datetime:
    """The demo's reports were sent in 2011, six days after their period, not on the day it was loaded."""
    return datetime.datetime.combine(period_end + datetime.timedelta(days=6), datetime.time(10), datetime.UTC)


def _backdate(report: MFIReport) -> None:
    submitted = _sent(report.period_end)
    approved = submitted + datetime.timedelta(days=3)
    MFIReport.objects.filter(pk=report.pk).update(submitted_at=submitted, reviewed_at=approved)
    Measurement.objects.filter(report=report).update(approved_at=approved)


def _submit(participation, start, entries, reporter, *, version=None, comment="") -> MFIReport:
    report = services.report_save_draft(
        participation=participation,
        period_start=start,
        entries=entries,
        comment=comment,
        version=version,
        user=reporter,
    )
    return services.report_submit(report=report, version=report.version, user=reporter)


@transaction.atomic
def load(staff: User) -> None:
    rfr = files.case("rfr")
    plan = rfr["reporting"]
    innovation = Innovation.objects.filter(slug=rfr["slug"]).first()
    if innovation is None or hasattr(innovation, "reporting_plan"):
        return
    services.reporting_plan_save(
        innovation=innovation,
        user=staff,
        **{field: plan[field] for field in ("frequency", "first_period", "last_period", "days_to_report")},
    )
    clients = Indicator.objects.get(innovation=innovation, name=plan["clients_indicator"])
    satisfaction = Indicator.objects.get(innovation=innovation, name=plan["satisfaction_indicator"])
    participations = list(innovation.participations.order_by("since", "pk"))

    def entries(n: int, share: str, *, clients_factor: int = 1) -> dict:
        return {
            clients.pk: Entry(value=_clients(plan["march_clients"][n - 1], share) * clients_factor),
            satisfaction.pk: Entry(
                numerator=Decimal(plan["satisfied"][n - 1]), denominator=Decimal(plan["surveyed"][n - 1])
            ),
        }

    returned = plan["returned"]
    for n, participation in enumerate(participations, start=1):
        services.reported_indicators_set(participation=participation, indicators=[clients, satisfaction], user=staff)
        reporter = _reporter(participation, n, plan["reporter_first_name"])
        for month in plan["months"]:
            start, share = month["period"], month["share_of_march"]
            if (n, start) == (returned["mfi"], returned["period"]):
                report = _submit(participation, start, entries(n, share, clients_factor=10), reporter)
                services.report_return(report=report, user=staff, comment=returned["comment"])
                report.refresh_from_db()
                report = _submit(
                    participation,
                    start,
                    entries(n, share),
                    reporter,
                    version=report.version,
                    comment=returned["correction"],
                )
            else:
                report = _submit(participation, start, entries(n, share), reporter)
            services.report_approve(report=report, user=staff)
            _backdate(report)
    waiting = plan["awaiting_review"]
    n = len(participations)
    report = _submit(
        participations[-1],
        waiting["period"],
        entries(n, waiting["share_of_march"]),
        _reporter(participations[-1], n, plan["reporter_first_name"]),
    )
    MFIReport.objects.filter(pk=report.pk).update(submitted_at=_sent(report.period_end))
