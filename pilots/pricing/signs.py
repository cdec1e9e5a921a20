"""Standard 6C's warning signs (seed 003), each saying which rule and which figure fired it.

On a product variant:

- **APR above peers**: the APR is more than 15 % above the average APR of peer products
  in the same country, product line and loan size band (the latest `PeerAverage` staff
  recorded): APR > average × 1.15.
- **Flat rate**: interest quoted flat on the amount lent looks about half as expensive
  as it is; the sign gives the quoted rate and the real APR.

On each participating MFI, from the latest year of ratios staff recorded:

- operational self-sufficiency below 100 % without an upward trend over the last three
  years (each year above the one before; fewer than three years recorded is no trend);
- loan-loss expense ratio above 5 %, or exactly 0 % (losses not recognised);
- return on assets above 7.5 %;
- insurance claims ratio below 30 % (the cover gives clients little value).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.i18n import in_reader_language
from portal.numbers import format_number

from .cost import Cost, Terms, cost_of

PEER_MARGIN = Decimal("1.15")
OSS_FLOOR = Decimal(100)
LOAN_LOSS_CEILING = Decimal(5)
ROA_CEILING = Decimal("7.5")
CLAIMS_FLOOR = Decimal(30)
TREND_YEARS = 3


@dataclass(frozen=True)
class Sign:
    rule: str  # apr_above_peers, flat_rate, oss, loan_loss, roa, claims
    subject: str  # the variant or the institution
    message: str


@dataclass
class PricedVariant:
    variant: object  # ProductTerms
    cost: Cost | None
    error: str = ""
    peer: object | None = None  # PeerAverage

    @property
    def calculator_terms(self) -> dict[str, str]:
        """The terms as the calculator's parameters, in plain notation ("2.5"), for the API."""
        terms = self.variant.terms
        values = {"currency": self.variant.currency}
        for name in Terms.names():
            value = getattr(terms, name)
            if value not in (0, "") or name in ("amount", "term", "rate"):
                values[name] = format(value.normalize(), "f") if isinstance(value, Decimal) else value
        return {key: str(value) for key, value in values.items()}

    @property
    def calculator_query(self) -> str:
        """The calculator's address for these terms (the same computation, to explore), its
        numbers written as the page's language writes them, so the form reads them back."""
        terms = self.variant.terms
        return urlencode(
            {
                name: format_number(value, grouping=False) if isinstance(value, Decimal) else text
                for name, text in self.calculator_terms.items()
                for value in [getattr(terms, name, None)]
            }
        )


def pct(value, places: int = 2) -> str:
    """A rate as the page writes it, without trailing zeros: 77,38 · 3 · 45,5."""
    return format_number(Decimal(str(value)), places=places)


def price(variant) -> PricedVariant:
    try:
        return PricedVariant(variant=variant, cost=cost_of(variant.terms))
    except ValidationError as error:
        return PricedVariant(variant=variant, cost=None, error=" ".join(error.messages))


def _peer_for(variant, line_id, peers) -> object | None:
    matching = [
        p
        for p in peers
        if p.country == variant.country and p.product_line_id == line_id and p.size_band == variant.size_band
    ]
    return max(matching, key=lambda p: p.as_of) if matching else None


def variant_signs(priced: PricedVariant) -> list[Sign]:
    return [render(fact) for fact in variant_facts(priced)]


def institution_signs(institution, ratios: list) -> list[Sign]:
    """Signs of one MFI from its yearly ratios (any order)."""
    return [render(fact) for fact in institution_facts(institution, ratios)]


# A sign is first found as a *fact*: its rule, its subject and the figures that fired it, in plain
# JSON (numbers as exact decimal text, dates in ISO). That is what `pilots.progress` stores with an
# innovation's progress; `render` writes the message in the reader's language when it is shown, so
# a stored sign reads the same as one just computed, in Spanish and in English.


def _fact(rule: str, subject, **values) -> dict:
    return {"rule": rule, "subject": subject, "values": values}


def variant_facts(priced: PricedVariant) -> list[dict]:
    variant, cost, peer = priced.variant, priced.cost, priced.peer
    if cost is None or cost.apr is None:
        return []
    facts = []
    name = [variant.name, variant.name_en]  # shown in the reader's language
    apr = Decimal(str(cost.apr))
    if peer is not None and apr > peer.apr * PEER_MARGIN:
        facts.append(
            _fact(
                "apr_above_peers",
                name,
                apr=str(apr),
                peer=str(peer.apr),
                limit=str(peer.apr * PEER_MARGIN),
                source=peer.source,
                date=peer.as_of.isoformat(),
            )
        )
    if variant.method == "flat":
        facts.append(_fact("flat_rate", name, rate=str(variant.rate), apr=str(apr), effective=str(cost.effective)))
    return facts


def institution_facts(institution, ratios: list) -> list[dict]:
    """The facts behind the signs of one MFI, from its yearly ratios (any order)."""
    if not ratios:
        return []
    ratios = sorted(ratios, key=lambda r: r.year)
    latest = ratios[-1]
    name, year = institution.name, latest.year
    facts = []
    if latest.oss is not None and latest.oss < OSS_FLOOR:
        series = [r for r in ratios if r.oss is not None and r.year > latest.year - TREND_YEARS]
        rising = len(series) == TREND_YEARS and all(a.oss < b.oss for a, b in zip(series, series[1:], strict=False))
        if not rising:
            facts.append(
                _fact("oss", name, oss=str(latest.oss), year=year, series=[[r.year, str(r.oss)] for r in series])
            )
    if latest.loan_loss_expense is not None:
        if latest.loan_loss_expense > LOAN_LOSS_CEILING:
            facts.append(_fact("loan_loss", name, value=str(latest.loan_loss_expense), year=year))
        elif latest.loan_loss_expense == 0:
            facts.append(_fact("loan_loss", name, value="0", year=year))
    if latest.return_on_assets is not None and latest.return_on_assets > ROA_CEILING:
        facts.append(_fact("roa", name, value=str(latest.return_on_assets), year=year))
    if latest.claims_ratio is not None and latest.claims_ratio < CLAIMS_FLOOR:
        facts.append(_fact("claims", name, value=str(latest.claims_ratio), year=year))
    return facts


def render(fact: dict) -> Sign:
    """The sign a fact stands for, its message in the current language."""
    rule, subject, v = fact["rule"], fact["subject"], fact["values"]
    if isinstance(subject, list):
        subject = in_reader_language(*subject)
    if rule == "apr_above_peers":
        message = _(
            "APR %(apr)s %% is more than 15 %% above the peer average of %(peer)s %% (limit %(limit)s %%; "
            "%(source)s, %(date)s)."
        ) % {
            "apr": pct(v["apr"]),
            "peer": pct(v["peer"]),
            "limit": pct(v["limit"]),
            "source": v["source"],
            "date": date_format(datetime.date.fromisoformat(v["date"])),
        }
    elif rule == "flat_rate":
        message = _(
            "Quoted at a flat %(rate)s %% per period on the amount lent: the real APR is %(apr)s %% "
            "(effective %(effective)s %% a year)."
        ) % {"rate": pct(v["rate"]), "apr": pct(v["apr"]), "effective": pct(v["effective"])}
    elif rule == "oss":
        message = _(
            "Operational self-sufficiency %(oss)s %% in %(year)s: below 100 %% without an upward trend "
            "over three years (%(series)s)."
        ) % {
            "oss": pct(v["oss"], 1),
            "year": v["year"],
            "series": ", ".join(f"{year}: {pct(oss, 1)} %" for year, oss in v["series"]),
        }
    elif rule == "loan_loss" and Decimal(v["value"]) == 0:
        message = _("Loan-loss expense ratio exactly 0 %% in %(year)s: are losses recognised?") % {"year": v["year"]}
    elif rule == "loan_loss":
        message = _("Loan-loss expense ratio %(value)s %% in %(year)s: above 5 %%.") % {
            "value": pct(v["value"], 1),
            "year": v["year"],
        }
    elif rule == "roa":
        message = _("Return on assets %(value)s %% in %(year)s: above 7.5 %%.") % {
            "value": pct(v["value"], 1),
            "year": v["year"],
        }
    else:  # claims
        message = _("Insurance claims ratio %(value)s %% in %(year)s: below 30 %%, little value for clients.") % {
            "value": pct(v["value"], 1),
            "year": v["year"],
        }
    return Sign(rule, subject, message)


def pricing_of(innovations) -> dict[int, dict]:
    """For each innovation: its priced variants (schedule, APR, effective rate, peer) and every
    warning sign, in a fixed number of queries whatever the number of innovations."""
    return {
        pk: {"variants": priced, "signs": [render(fact) for fact in facts]}
        for pk, (priced, facts) in _priced(innovations).items()
    }


def priced(innovations) -> dict[int, tuple[list[PricedVariant], list[dict]]]:
    """For each innovation: its variants priced and the facts of its warning signs."""
    return _priced(innovations)


def warning_sign_facts(innovations) -> dict[int, list[dict]]:
    """For each innovation: the facts of its warning signs (what `pilots.progress` stores)."""
    return {pk: facts for pk, (_priced_variants, facts) in _priced(innovations).items()}


def warning_signs_of(innovations) -> list[tuple]:
    """The innovations (a queryset, in its order) that show a warning sign, each with its signs,
    read from the stored progress in one query instead of pricing every innovation. An innovation
    whose stored progress is missing (written since `ensure_current`) is priced on the spot."""
    shown = ("pk", "title", "title_en", "slug", "product_line_id", "current_progress__warning_signs")
    with_signs = Q(current_progress__isnull=True) | ~Q(current_progress__warning_signs=[])
    rows = list(innovations.filter(with_signs).select_related("current_progress").only(*shown))
    facts = {i.pk: i.current_progress.warning_signs for i in rows if hasattr(i, "current_progress")}
    missing = [i for i in rows if i.pk not in facts]
    if missing:
        facts |= warning_sign_facts(missing)
    return [(i, [render(fact) for fact in facts[i.pk]]) for i in rows if facts[i.pk]]


def _priced(innovations) -> dict[int, tuple[list[PricedVariant], list[dict]]]:
    from ..models import InstitutionRatio, Participation, PeerAverage, ProductTerms

    innovations = list(innovations)
    ids = [innovation.pk for innovation in innovations]
    variants: dict[int, list] = {pk: [] for pk in ids}
    for variant in ProductTerms.objects.filter(innovation_id__in=ids).order_by("position", "pk"):
        variants[variant.innovation_id].append(variant)
    lines = {innovation.product_line_id for innovation in innovations}
    peers = list(PeerAverage.objects.filter(product_line_id__in=lines))
    participations = (
        Participation.objects.filter(innovation_id__in=ids, institution__ratios__isnull=False)
        .distinct()
        .select_related("institution")
        .prefetch_related(Prefetch("institution__ratios", queryset=InstitutionRatio.objects.order_by("year")))
    )
    institutions: dict[int, list] = {pk: [] for pk in ids}
    for participation in participations:
        institutions[participation.innovation_id].append(participation.institution)
    out = {}
    for innovation in innovations:
        priced = []
        for variant in variants[innovation.pk]:
            item = price(variant)
            item.peer = _peer_for(variant, innovation.product_line_id, peers)
            priced.append(item)
        facts = [fact for item in priced for fact in variant_facts(item)]
        for institution in institutions[innovation.pk]:
            facts += institution_facts(institution, list(institution.ratios.all()))
        out[innovation.pk] = (priced, facts)
    return out
