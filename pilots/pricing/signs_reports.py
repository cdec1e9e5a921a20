"""Standard 6C's warning signs on a participating MFI, from its approved financial reports first
(issue 28; `pilots.benchmarking`), from the ratios staff entered when it has none.

Which figures a sign reads, per institution:

- its **latest approved semiannual report**, when it has one and staff entered no ratios for a
  later year (ratios of 2012 are newer than a report of July–December 2011). The ratios are
  the portal's (`pilots.benchmarking.ratios.ratios_of`), its peers those of
  `pilots.benchmarking.peers` (approved reports only, the same peer group a member sees on
  its "where you stand" page: the smallest group shown with that ratio among its country and
  size, its region and size, its region, all members);
- otherwise the **ratios staff entered** (`InstitutionRatio`, "entered by staff"), with the
  rules of `signs_institution`, unchanged.

The rules on a report (each message names the rule, the source "approved financial report,
January–June 2011" and the date it was approved):

- **OSS** below 100 % without an upward trend over three years: the latest semester and the
  same half of the two years before, each above the one before (January–June 2009, 2010,
  2011); a missing semester is no trend;
- **loan-loss expense ratio** (provision ÷ average gross portfolio × 2): the standard's rule,
  above 5 % or exactly 0 %, always; and far outside its peers' range — beyond 1.5 times the
  spread of their middle half (q3 − q1) below q1 or above q3, Tukey's fences: the middle half
  alone would flag half of every peer group by construction;
- **ROA** above its peers' top quartile (q3); where no peer group can be shown, above 7.5 %;
- **ROE** above 30 % (`ROE_CEILING`), as for staff's ratios;
- **operating expense ratio** above the "maximum expected for the institution" in the latest
  ratios staff entered with one (a report has no such figure; without it, no sign);
- the **insurance claims ratio** is not in a report: it still comes from staff's latest ratios.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .signs_institution import (
    LOAN_LOSS_CEILING,
    OSS_FLOOR,
    ROA_CEILING,
    ROE_CEILING,
    TREND_YEARS,
    institution_facts,
)
from .signs_text import fact, pct

PEER_RATIOS = ("loan_loss_ratio", "roa")  # the rules that compare with peers
PEER_GROUP_DIMENSIONS = ("country_size", "region_size", "region", "all")  # as `peers.where_you_stand`


def signs_by_institution(institutions: dict[int, object]) -> dict[int, list[dict]]:
    """The facts of every institution's signs (by pk), in three queries plus one per distinct
    semester that is some institution's latest approved one (for its peers' quartiles)."""
    from ..models import InstitutionRatio

    staff: dict[int, list] = defaultdict(list)
    for ratio in InstitutionRatio.objects.filter(institution_id__in=institutions).order_by("year"):
        staff[ratio.institution_id].append(ratio)
    reports = _approved_reports(institutions)
    latest = {pk: rows[-1] for pk, rows in reports.items() if _reports_are_newer(rows[-1], staff[pk])}
    ranges = _peer_ranges(list(latest.values()))
    out = {}
    for pk, institution in institutions.items():
        if pk in latest:
            claims = [f for f in institution_facts(institution, staff[pk]) if f["rule"] == "claims"]
            out[pk] = report_facts(institution, reports[pk], ranges.get(pk, {}), staff[pk]) + claims
        else:
            out[pk] = institution_facts(institution, staff[pk])
    return out


def _approved_reports(institution_ids) -> dict[int, list[dict]]:
    """Each institution's approved reports with their ratios, oldest first, in one query."""
    from ..benchmarking.ratios import ratios_of
    from ..models import FIGURE_NAMES, FinancialReport, ReportState

    rows = (
        FinancialReport.objects.filter(institution_id__in=institution_ids, state=ReportState.APPROVED)
        .order_by("period_start")
        .values("institution_id", "period_start", "reviewed_at", "institution__country", *FIGURE_NAMES)
    )
    reports: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        row["ratios"] = ratios_of({name: row[name] for name in FIGURE_NAMES})
        reports[row["institution_id"]].append(row)
    return reports


def _reports_are_newer(report: dict, staff_ratios: list) -> bool:
    """True unless staff entered ratios for a year after the report's semester."""
    return not staff_ratios or staff_ratios[-1].year <= report["period_start"].year


def _peer_ranges(reports: list[dict]) -> dict[int, dict[str, dict]]:
    """For each institution of `reports` (its latest approved one), the q1 and q3 of its peer
    group for the ratios compared with peers, with the group's keys, where a group is shown."""
    from ..benchmarking.peers import REGION_OF, peer_rows, size_band

    ranges: dict[int, dict[str, dict]] = defaultdict(dict)
    for period_start in sorted({report["period_start"] for report in reports}):
        rows = {(row.dimension, row.group): row for row in peer_rows(period_start)}
        for report in (r for r in reports if r["period_start"] == period_start):
            country = report["institution__country"]
            region, size = REGION_OF.get(country, "other"), size_band(report["gross_portfolio_end"])
            groups = {
                "country_size": f"{country}:{size}",
                "region_size": f"{region}:{size}",
                "region": region,
                "all": "all",
            }
            candidates = [rows.get((dimension, groups[dimension])) for dimension in PEER_GROUP_DIMENSIONS]
            for key in PEER_RATIOS:
                shown = [row for row in candidates if row and not row.cells[key].suppressed]
                group = min(shown, key=lambda row: row.n, default=None)  # min keeps the first of equals
                if group:
                    cell = group.cells[key]
                    ranges[report["institution_id"]][key] = {
                        "q1": str(cell.q1),
                        "q3": str(cell.q3),
                        "dimension": group.dimension,
                        "group": group.group,
                    }
    return ranges


def report_facts(institution, reports: list[dict], ranges: dict[str, dict], staff_ratios: list) -> list[dict]:
    """The facts of one MFI's signs from its approved reports (oldest first; see the module)."""
    latest = reports[-1]
    ratios = latest["ratios"]
    reviewed = latest["reviewed_at"]
    approved = timezone.localdate(reviewed).isoformat() if reviewed else ""
    cited = {"period": latest["period_start"].isoformat(), "approved": approved}
    facts: list[dict] = []

    def found(rule: str, **values) -> None:
        facts.append(fact(rule, institution.name, **values, **cited))

    oss = ratios["oss"]
    if oss is not None and oss < OSS_FLOOR:
        start = latest["period_start"]
        same_half = {r["period_start"]: r["ratios"]["oss"] for r in reports}
        series = [
            (day, same_half.get(day))
            for years_before in range(TREND_YEARS - 1, -1, -1)
            for day in [start.replace(year=start.year - years_before)]
        ]
        known = [(day, value) for day, value in series if value is not None]
        rising = len(known) == TREND_YEARS and all(a[1] < b[1] for a, b in zip(known, known[1:], strict=False))
        if not rising:
            found("oss", oss=str(oss), series=[[day.isoformat(), str(value)] for day, value in known])
    loss = ratios["loan_loss_ratio"]
    if loss is not None:
        peers = ranges.get("loan_loss_ratio")
        if loss > LOAN_LOSS_CEILING or loss == 0:
            found("loan_loss", value=str(loss))
        elif peers and _far_outside(loss, Decimal(peers["q1"]), Decimal(peers["q3"])):
            found("loan_loss", value=str(loss), **peers)
    roa = ratios["roa"]
    if roa is not None:
        peers = ranges.get("roa")
        if peers and roa > Decimal(peers["q3"]):
            found("roa", value=str(roa), **peers)
        elif not peers and roa > ROA_CEILING:
            found("roa", value=str(roa))
    if ratios["roe"] is not None and ratios["roe"] > ROE_CEILING:
        found("roe", value=str(ratios["roe"]))
    ceilings = [r for r in staff_ratios if r.operating_expense_ceiling is not None]
    oer = ratios["operating_expense_ratio"]
    if oer is not None and ceilings and oer > ceilings[-1].operating_expense_ceiling:
        ceiling = ceilings[-1]
        found("oer", value=str(oer), ceiling=str(ceiling.operating_expense_ceiling), ceiling_year=ceiling.year)
    return facts


FENCE = Decimal("1.5")  # Tukey's: how many times the middle half's spread counts as far


def _far_outside(value: Decimal, q1: Decimal, q3: Decimal) -> bool:
    """Below q1 or above q3 by more than 1.5 times q3 − q1 (peers' loan-loss 2, 2.2, 2.4, 4.9 %:
    q1 2.15, q3 3.03, fences 0.84 and 4.34 — 4.9 % is far above)."""
    spread = q3 - q1
    return value < q1 - FENCE * spread or value > q3 + FENCE * spread


def semester_text(period_start: datetime.date) -> str:
    """ "January–June 2011" / "July–December 2011", in the current language."""
    if period_start.month < 7:
        return _("January–June %(year)s") % {"year": period_start.year}
    return _("July–December %(year)s") % {"year": period_start.year}


def _peers_text(v: dict) -> str:
    from ..benchmarking.peers import group_label

    return group_label(v["dimension"], v["group"])


def report_message(rule: str, v: dict) -> str:
    """The message of an MFI's sign found in an approved report, in the current language."""
    period = semester_text(datetime.date.fromisoformat(v["period"]))
    source = _("approved financial report, %(period)s") % {"period": period}
    if v.get("approved"):
        source = _("%(source)s, approved on %(date)s") % {
            "source": source,
            "date": date_format(datetime.date.fromisoformat(v["approved"])),
        }
    figures = {"period": period, "cited": _("Standard 6C; source: %(source)s") % {"source": source}}
    if rule == "oss":
        series = (f"{semester_text(datetime.date.fromisoformat(day))}: {pct(oss, 1)} %" for day, oss in v["series"])
        return _(
            "Operational self-sufficiency %(oss)s %% in %(period)s: below 100 %% without an upward trend over "
            "three years (%(series)s; %(cited)s)."
        ) % {**figures, "oss": pct(v["oss"], 1), "series": ", ".join(series)}
    figures["value"] = pct(v["value"], 1)
    if "q3" in v:
        figures |= {"q1": pct(v["q1"]), "q3": pct(v["q3"]), "peers": _peers_text(v)}
    if rule == "loan_loss" and "q3" in v:
        return (
            _(
                "Loan-loss expense ratio %(value)s %% in %(period)s: far outside its peers (%(peers)s), whose "
                "middle half is %(q1)s %% to %(q3)s %% (%(cited)s)."
            )
            % figures
        )
    if rule == "loan_loss" and Decimal(v["value"]) == 0:
        return _("Loan-loss expense ratio exactly 0 %% in %(period)s: are losses recognised? (%(cited)s)") % figures
    if rule == "loan_loss":
        return _("Loan-loss expense ratio %(value)s %% in %(period)s: above 5 %% (%(cited)s).") % figures
    if rule == "roa" and "q3" in v:
        return (
            _(
                "Return on assets %(value)s %% in %(period)s: above %(q3)s %%, the top quartile of its peers "
                "(%(peers)s) (%(cited)s)."
            )
            % figures
        )
    if rule == "roa":
        return _("Return on assets %(value)s %% in %(period)s: above 7.5 %% (%(cited)s).") % figures
    if rule == "roe":
        return _(
            "Return on equity %(value)s %% in %(period)s: above %(ceiling)s %%, the 7.5 %% return on assets "
            "of equity a quarter of assets (%(cited)s)."
        ) % {**figures, "ceiling": pct(ROE_CEILING, 1)}
    return _(  # oer
        "Operating expense ratio %(value)s %% in %(period)s: above %(ceiling)s %%, the maximum expected for "
        "this institution entered by staff for %(year)s (%(cited)s)."
    ) % {**figures, "ceiling": pct(v["ceiling"], 1), "year": v["ceiling_year"]}
