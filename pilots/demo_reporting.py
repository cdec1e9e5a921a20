"""The RFR pilot's monthly reports from its ten MFIs (January to March 2011).

SEEP (2011) gives the total — in March 2011, 10 MFIs reached 51,000 insured clients,
and client satisfaction was 87 % — but not each MFI's share: the split below is
illustrative, as are nine of the MFIs (the first is the demo member's cooperative).
The MFIs' users submit, staff approve, and the approved figures add up to the seed's
51,000 clients and, weighted by clients surveyed, 87 % satisfaction. One report
(MFI 3, February) is returned with a comment and corrected. April to June 2011 stay
open, so that the demo member has periods to report; MFI 10 has sent April, which waits
for staff's review (the first line of staff's "Para hoy").
"""

import datetime
from decimal import Decimal

from django.db import transaction

from portal.accounts.models import Role, User

from .models import Indicator, Innovation, Measurement, MFIReport, ReportingFrequency
from .reporting import services
from .reporting.services import Entry

D = datetime.date
MARCH_CLIENTS = [8_200, 7_400, 6_900, 6_100, 5_300, 4_700, 4_100, 3_500, 2_800, 2_000]  # adds up to 51,000
SURVEYED = [80, 75, 70, 60, 55, 45, 40, 35, 25, 15]  # 500 clients surveyed
SATISFIED = [72, 66, 60, 52, 47, 39, 34, 30, 22, 13]  # 435 of 500 = 87 %
MONTHS = [(D(2011, 1, 1), Decimal("0.90")), (D(2011, 2, 1), Decimal("0.95")), (D(2011, 3, 1), Decimal("1"))]
RETURNED = (2, D(2011, 2, 1))  # (MFI index, period) of the report returned and corrected


def _reporter(participation, n: int) -> User:
    """The MFI's user who reports: the demo member for its cooperative, an illustrative one otherwise."""
    existing = User.objects.filter(role=Role.MEMBER, institution=participation.institution).order_by("pk").first()
    if existing:
        return existing
    user = User(
        username=f"imf-ecuador-{n}",
        role=Role.MEMBER,
        institution=participation.institution,
        first_name="Oficial ilustrativo",
        last_name=f"IMF {n}",
    )
    user.set_unusable_password()
    user.save()
    return user


def _clients(n: int, factor: Decimal) -> Decimal:
    return (MARCH_CLIENTS[n] * factor / 10).quantize(Decimal(1)) * 10


def _backdate(report: MFIReport, period_end: datetime.date) -> None:
    """The demo's reports were submitted and approved in 2011, not on the day it was loaded."""
    submitted = datetime.datetime.combine(period_end + datetime.timedelta(days=6), datetime.time(10), datetime.UTC)
    approved = submitted + datetime.timedelta(days=3)
    MFIReport.objects.filter(pk=report.pk).update(submitted_at=submitted, reviewed_at=approved)
    Measurement.objects.filter(report=report).update(approved_at=approved)


@transaction.atomic
def load(staff) -> None:
    innovation = Innovation.objects.filter(slug="rfr-microseguros").first()
    if innovation is None or hasattr(innovation, "reporting_plan"):
        return
    services.reporting_plan_save(
        innovation=innovation,
        user=staff,
        frequency=ReportingFrequency.MONTHLY,
        first_period=D(2011, 1, 1),
        last_period=D(2011, 6, 1),
        days_to_report=10,
    )
    clients = Indicator.objects.get(innovation=innovation, name="Clientes asegurados")
    satisfaction = Indicator.objects.get(innovation=innovation, name="Satisfacción de los clientes")
    participations = list(innovation.participations.order_by("since", "pk"))
    for n, participation in enumerate(participations):
        services.reported_indicators_set(participation=participation, indicators=[clients, satisfaction], user=staff)
        reporter = _reporter(participation, n + 1)
        for start, factor in MONTHS:
            entries = {
                clients.pk: Entry(value=_clients(n, factor)),
                satisfaction.pk: Entry(numerator=Decimal(SATISFIED[n]), denominator=Decimal(SURVEYED[n])),
            }
            if (n, start) == RETURNED:
                typo = {**entries, clients.pk: Entry(value=_clients(n, factor) * 10)}
                report = _submit(participation, start, typo, reporter)
                services.report_return(
                    report=report,
                    user=staff,
                    comment=(
                        "El número de clientes asegurados parece tener un cero de más: en enero reportaron "
                        f"{_clients(n, MONTHS[0][1]):,.0f}. ¿Pueden revisarlo?".replace(",", ".")
                    ),
                )
                report.refresh_from_db()
                report = _submit(
                    participation,
                    start,
                    entries,
                    reporter,
                    version=report.version,
                    comment=("Corregido: era un error de digitación."),
                )
            else:
                report = _submit(participation, start, entries, reporter)
            services.report_approve(report=report, user=staff)
            _backdate(report, report.period_end)
    _awaiting_review(participations[-1], len(participations), clients, satisfaction)


def _awaiting_review(participation, n: int, clients, satisfaction) -> None:
    """The last MFI's April report, submitted on 2011-05-06 and not yet reviewed."""
    entries = {
        clients.pk: Entry(value=_clients(n - 1, Decimal("1.02"))),
        satisfaction.pk: Entry(numerator=Decimal(SATISFIED[n - 1]), denominator=Decimal(SURVEYED[n - 1])),
    }
    report = _submit(participation, D(2011, 4, 1), entries, _reporter(participation, n))
    submitted = datetime.datetime.combine(
        report.period_end + datetime.timedelta(days=6), datetime.time(10), datetime.UTC
    )
    MFIReport.objects.filter(pk=report.pk).update(submitted_at=submitted)


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
