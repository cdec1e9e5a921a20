"""What an innovation lacks to be published in IATI, in words staff can act on.

`missing` lists what keeps it out of every file (no identifier for the association, no sector
for its product line, no country, staff-only visibility); `advice` what a donor's system would
miss although the file is valid (a funder without its IATI identifier, an indicator without a
target or without any figure that counts, a contribution whose amount is not public).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import Innovation, Visibility
from .activity import Publisher


@dataclass
class Readiness:
    innovation: Innovation
    missing: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)

    @property
    def publishable(self) -> bool:
        return not self.missing


def publisher_missing(publisher: Publisher) -> list[str]:
    """What the association's settings lack: without them no activity can be written."""
    found = []
    if not publisher.ref:
        found.append(_("The association has no IATI organisation identifier (Settings → Association)."))
    if not publisher.type:
        found.append(_("The association has no IATI organisation type (Settings → Association)."))
    if not publisher.name:
        found.append(_("The association has no name (Settings → Association)."))
    return found


def readiness(innovation: Innovation, publisher: Publisher, *, has_figures: set[int]) -> Readiness:
    """What keeps `innovation` (loaded by `with_activity_data`) out of IATI files, and what a
    reader of its activity would miss; `has_figures`: ids of indicators with a figure that counts."""
    found = Readiness(innovation, missing=publisher_missing(publisher))
    if innovation.visibility == Visibility.STAFF:
        found.missing.append(_("It is visible to staff only: make it public, or visible to its funders."))
    line = innovation.product_line
    if not line.dac_sector:
        found.missing.append(
            _("Its product line (%(line)s) has no DAC sector (Network → Product lines).") % {"line": line}
        )
    if not innovation.countries:
        found.missing.append(_("It names no country."))
    if innovation.slug == "activities":  # /api/v1/iati/activities.xml is the portfolio's file
        found.missing.append(_("Its slug, “activities”, is the name of the file of all innovations: change it."))
    if not innovation.title_en or not innovation.summary_en:
        found.advice.append(_("It has no English title or summary: the file carries the Spanish only."))
    funders = {c.funder_id: c.funder for c in innovation.contributions.all()}
    if not funders:
        found.advice.append(_("No funder is recorded: the file names the association alone."))
    for funder in sorted(funders.values(), key=lambda f: f.name):
        if not funder.iati_ref or not funder.iati_type:
            found.advice.append(
                _("%(funder)s has no IATI organisation identifier or type (Network → Funders).")
                % {"funder": funder.display_name}
            )
    if any(c.amount is None for c in innovation.contributions.all()):
        found.advice.append(_("Contributions whose amount is not public are not in the file's transactions."))
    for indicator in innovation.indicators.all():
        if not indicator.targets.all():
            found.advice.append(_("%(indicator)s has no target.") % {"indicator": indicator.display_name})
        if indicator.pk not in has_figures:
            found.advice.append(
                _("%(indicator)s has no figure that counts yet (measured, or from an approved report).")
                % {"indicator": indicator.display_name}
            )
    if not innovation.indicators.all():
        found.advice.append(_("It has no indicators: the file carries no results."))
    return found
