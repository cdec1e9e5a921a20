"""Illustrative semiannual financial reports (issue 28), written from the profiles in
`benchmarking.toml` through the reports' services, as a member and staff would: saved,
submitted and approved, every report marked illustrative. The demo member's last semester
is left unreported, for it to report.

Idempotent: a semester an institution has already reported is left as it is.
"""

import datetime
import tomllib
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.utils import timezone

from portal.accounts.models import MemberInstitution, User

from ..benchmarking import services
from ..models import FinancialReport

PROFILES = Path(__file__).with_name("benchmarking.toml")
DOLLAR = Decimal(1)


def _dollars(value: Decimal) -> Decimal:
    return value.quantize(DOLLAR, rounding=ROUND_HALF_UP)


def figures(profile: dict, semester: int, oer_step: float = 0) -> dict:
    """The figures of the `semester`-th semester (0 = the first) of an institution's profile;
    its operating expense ratio moves `oer_step` points a semester against its growth."""
    p = {key: Decimal(str(value)) for key, value in profile.items() if key not in ("name", "founded")}
    step = Decimal(str(oer_step)) * semester
    p["oer"] += -step if p["growth"] > 0 else step
    start = p["portfolio"] * (1 + p["growth"] / 100) ** semester
    end = start * (1 + p["growth"] / 100)
    average = (start + end) / 2
    half_year = average / 100 / 2  # a % a year of the average portfolio, for one semester
    borrowers = int(_dollars(end / p["loan"]))
    revenue, funding = half_year * p["yield"], half_year * p["funding"]
    provision, operating = half_year * p["provision"], half_year * p["oer"]
    assets = average * p["assets"]
    values = {
        "gross_portfolio_start": start,
        "gross_portfolio_end": end,
        "portfolio_at_risk_30": end * (p["par30"] + p["par_step"] * semester) / 100,
        "write_offs": average * p["write_offs"] / 100,
        "loan_revenue": revenue,
        "financial_expense": funding,
        "loan_loss_provision": provision,
        "operating_expense": operating,
        "average_assets": assets,
        "average_equity": assets * p["equity"] / 100,
        "net_operating_income": revenue - funding - provision - operating,
    }
    return {name: _dollars(value) for name, value in values.items()} | {
        "active_borrowers": borrowers,
        "loan_officers": max(1, round(borrowers / p["per_officer"])),
    }


def load(staff: User) -> int:
    """Write every profile's reports not written yet; returns how many were written."""
    data = tomllib.loads(PROFILES.read_text(encoding="utf-8"))
    member = User.objects.filter(username="member").select_related("institution").first()
    written = 0
    for profile in data["profiles"]:
        institution = MemberInstitution.objects.filter(name=profile["name"]).first()
        if institution is None:
            continue
        if institution.founded is None:
            institution.founded = profile["founded"]
            institution.save(update_fields=["founded"])
        is_member = member is not None and member.institution_id == institution.pk
        for number, semester in enumerate(data["semesters"]):
            if is_member and semester == data["member_unreported"]:
                continue
            if FinancialReport.objects.filter(institution=institution, period_start=semester).exists():
                continue
            values = figures(profile, number, data["oer_step"])
            report = _report(institution, semester, values, member if is_member else staff, staff)
            ended = datetime.datetime.combine(
                report.period_end, datetime.time(12), tzinfo=timezone.get_default_timezone()
            )
            FinancialReport.objects.filter(pk=report.pk).update(  # written when it would have been
                illustrative=True,
                submitted_at=ended + datetime.timedelta(days=data["submitted_after"]),
                reviewed_at=ended + datetime.timedelta(days=data["approved_after"]),
            )
            written += 1
    return written


def _report(institution, semester: datetime.date, values: dict, reporter: User, staff: User) -> FinancialReport:
    report = services.financial_report_save(
        institution=institution, period_start=semester, values=values, comment="", version=None, user=reporter
    )
    report = services.financial_report_submit(report=report, version=report.version, user=reporter)
    return services.financial_report_approve(report=report, user=staff)
