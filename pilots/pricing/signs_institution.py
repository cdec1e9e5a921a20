"""Standard 6C's warning signs on a participating MFI, from the latest year of ratios staff
recorded (`InstitutionRatio`); each message names its rule, its source and its year.

- operational self-sufficiency below 100 % without an upward trend over the last three
  years (each year above the one before; fewer than three years recorded is no trend);
- loan-loss expense ratio above 5 %, or exactly 0 % (losses not recognised);
- return on assets above 7.5 %;
- return on equity above 30 % (`ROE_CEILING`, derived from the ROA ceiling);
- operating expense ratio above the "maximum expected for the institution" staff recorded
  with it (no ceiling recorded: the ratio cannot be judged, no sign);
- insurance claims ratio below 30 % (the cover gives clients little value).
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from .signs_text import fact, pct

OSS_FLOOR = Decimal(100)
LOAN_LOSS_CEILING = Decimal(5)
ROA_CEILING = Decimal("7.5")
ROE_CEILING = Decimal(30)
"""Return on equity above which a regulated MFI earns more than Standard 6C allows.

The seed names no ROE ceiling, so it is derived: ROE = ROA × assets / equity, and at the
typical leverage of a regulated MFI, equity a quarter of its assets, ROA's 7.5 % ceiling
is an ROE of 7.5 × 4 = 30 %."""
CLAIMS_FLOOR = Decimal(30)
TREND_YEARS = 3
INSTITUTION_RULES = ("oss", "loan_loss", "roa", "roe", "oer", "claims")


def institution_facts(institution, ratios: list) -> list[dict]:
    """The facts behind the signs of one MFI, from its yearly ratios (any order)."""
    if not ratios:
        return []
    ratios = sorted(ratios, key=lambda r: r.year)
    latest = ratios[-1]
    name = institution.name

    def found(rule: str, **values) -> None:
        facts.append(fact(rule, name, **values, year=latest.year, source=latest.source))

    facts: list[dict] = []
    if latest.oss is not None and latest.oss < OSS_FLOOR:
        series = [r for r in ratios if r.oss is not None and r.year > latest.year - TREND_YEARS]
        rising = len(series) == TREND_YEARS and all(a.oss < b.oss for a, b in zip(series, series[1:], strict=False))
        if not rising:
            found("oss", oss=str(latest.oss), series=[[r.year, str(r.oss)] for r in series])
    if latest.loan_loss_expense is not None:
        if latest.loan_loss_expense > LOAN_LOSS_CEILING:
            found("loan_loss", value=str(latest.loan_loss_expense))
        elif latest.loan_loss_expense == 0:
            found("loan_loss", value="0")
    if latest.return_on_assets is not None and latest.return_on_assets > ROA_CEILING:
        found("roa", value=str(latest.return_on_assets))
    if latest.return_on_equity is not None and latest.return_on_equity > ROE_CEILING:
        found("roe", value=str(latest.return_on_equity))
    oer, ceiling = latest.operating_expense_ratio, latest.operating_expense_ceiling
    if oer is not None and ceiling is not None and oer > ceiling:
        found("oer", value=str(oer), ceiling=str(ceiling))
    if latest.claims_ratio is not None and latest.claims_ratio < CLAIMS_FLOOR:
        found("claims", value=str(latest.claims_ratio))
    return facts


def _cited(v: dict) -> str:
    """The rule's standard, the figures' source and their year: facts stored before the source
    was kept (older progress rows) give the standard and the year only."""
    if v.get("source"):
        return _("Standard 6C; source: %(source)s, %(year)s") % {"source": v["source"], "year": v["year"]}
    return _("Standard 6C, %(year)s") % {"year": v["year"]}


def institution_message(rule: str, v: dict) -> str:
    """The message of an MFI's sign, in the current language."""
    figures = {"year": v["year"], "cited": _cited(v)}
    if rule == "oss":
        return _(
            "Operational self-sufficiency %(oss)s %% in %(year)s: below 100 %% without an upward trend "
            "over three years (%(series)s; %(cited)s)."
        ) % {
            **figures,
            "oss": pct(v["oss"], 1),
            "series": ", ".join(f"{year}: {pct(oss, 1)} %" for year, oss in v["series"]),
        }
    figures["value"] = pct(v["value"], 1)
    if rule == "loan_loss" and Decimal(v["value"]) == 0:
        return _("Loan-loss expense ratio exactly 0 %% in %(year)s: are losses recognised? (%(cited)s)") % figures
    if rule == "loan_loss":
        return _("Loan-loss expense ratio %(value)s %% in %(year)s: above 5 %% (%(cited)s).") % figures
    if rule == "roa":
        return _("Return on assets %(value)s %% in %(year)s: above 7.5 %% (%(cited)s).") % figures
    if rule == "roe":
        return _(
            "Return on equity %(value)s %% in %(year)s: above %(ceiling)s %%, the 7.5 %% return on assets "
            "of equity a quarter of assets (%(cited)s)."
        ) % {**figures, "ceiling": pct(ROE_CEILING, 1)}
    if rule == "oer":
        return _(
            "Operating expense ratio %(value)s %% in %(year)s: above %(ceiling)s %%, the maximum expected for "
            "this institution (%(cited)s)."
        ) % {**figures, "ceiling": pct(v["ceiling"], 1)}
    return (
        _(  # claims
            "Insurance claims ratio %(value)s %% in %(year)s: below 30 %%, little value for clients (%(cited)s)."
        )
        % figures
    )
