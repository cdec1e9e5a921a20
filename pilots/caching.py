"""What a write to the innovation tracker retires from the cache (`portal.cache`).

Each innovation has its own version: a write to it or to anything that belongs to it (an
indicator, a target, a measurement, a milestone, a participant, an MFI's report) retires its
page, and the aggregates of the viewers whose portfolio includes it (`portfolio`), not the
rest of the portal. What an MFI types into a report that is still a draft retires nothing.
"""

from __future__ import annotations

from portal import cache

from .models import Contribution, Innovation, MFIReport, MFIReportValue, Participation, Visibility
from .models.reporting import EDITABLE_STATES, ReportState


def portfolio(pk: int, instance) -> set[str]:
    """The viewer scopes whose aggregates include innovation `pk`: staff's always; the public's
    when it is public (and on any write to the innovation itself, whose visibility may have just
    changed); otherwise its funders' and its participating MFIs'."""
    scopes = {cache.STAFF}
    visibility = Innovation.objects.filter(pk=pk).values_list("visibility", flat=True).first()
    if isinstance(instance, Innovation) or visibility in (None, Visibility.PUBLIC):
        scopes.add(cache.PUBLIC)
    if visibility != Visibility.PUBLIC:
        funders = Contribution.objects.filter(innovation_id=pk).values_list("funder_id", flat=True)
        members = Participation.objects.filter(innovation_id=pk).values_list("institution_id", flat=True)
        scopes |= {f"funder-{funder}" for funder in funders} | {f"member-{member}" for member in members}
    if isinstance(instance, Contribution):  # also the funder it no longer pays for
        scopes.add(f"funder-{instance.funder_id}")
    if isinstance(instance, Participation):
        scopes.add(f"member-{instance.institution_id}")
    return scopes


def _draft_saved(report: MFIReport, kwargs: dict) -> bool:
    """A draft saved again: its figures count nowhere until it is submitted. (Starting one
    does retire: the MFI's pages say "Finish the draft" instead of "Report the figures".)"""
    return kwargs.get("created") is False and report.state == ReportState.DRAFT


def _draft_figure(value: MFIReportValue, kwargs: dict) -> bool:
    """A figure typed into a report the MFI is still editing (a draft, or returned to it)."""
    state = MFIReport.objects.filter(pk=value.report_id).values_list("state", flat=True).first()
    return state in EDITABLE_STATES


def register() -> None:
    cache.register_subject(Innovation, name="innovation", portfolio=portfolio)
    cache.register_quiet(MFIReport, _draft_saved)
    cache.register_quiet(MFIReportValue, _draft_figure)
