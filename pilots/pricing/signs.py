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

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext as _

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
    variant, cost, peer = priced.variant, priced.cost, priced.peer
    if cost is None or cost.apr is None:
        return []
    signs = []
    name = variant.display_name
    apr = Decimal(str(cost.apr))
    if peer is not None and apr > peer.apr * PEER_MARGIN:
        signs.append(
            Sign(
                "apr_above_peers",
                name,
                _(
                    "APR %(apr)s %% is more than 15 %% above the peer average of %(peer)s %% (limit %(limit)s %%; "
                    "%(source)s, %(date)s)."
                )
                % {
                    "apr": pct(apr),
                    "peer": pct(peer.apr),
                    "limit": pct(peer.apr * PEER_MARGIN),
                    "source": peer.source,
                    "date": date_format(peer.as_of),
                },
            )
        )
    if variant.method == "flat":
        signs.append(
            Sign(
                "flat_rate",
                name,
                _(
                    "Quoted at a flat %(rate)s %% per period on the amount lent: the real APR is %(apr)s %% "
                    "(effective %(effective)s %% a year)."
                )
                % {"rate": pct(variant.rate), "apr": pct(apr), "effective": pct(cost.effective)},
            )
        )
    return signs


def institution_signs(institution, ratios: list) -> list[Sign]:
    """Signs of one MFI from its yearly ratios (any order)."""
    if not ratios:
        return []
    ratios = sorted(ratios, key=lambda r: r.year)
    latest = ratios[-1]
    name = institution.name
    signs = []
    if latest.oss is not None and latest.oss < OSS_FLOOR:
        series = [r for r in ratios if r.oss is not None and r.year > latest.year - TREND_YEARS]
        rising = len(series) == TREND_YEARS and all(a.oss < b.oss for a, b in zip(series, series[1:], strict=False))
        if not rising:
            signs.append(
                Sign(
                    "oss",
                    name,
                    _(
                        "Operational self-sufficiency %(oss)s %% in %(year)s: below 100 %% without an upward trend "
                        "over three years (%(series)s)."
                    )
                    % {
                        "oss": pct(latest.oss, 1),
                        "year": latest.year,
                        "series": ", ".join(f"{r.year}: {pct(r.oss, 1)} %" for r in series),
                    },
                )
            )
    if latest.loan_loss_expense is not None:
        if latest.loan_loss_expense > LOAN_LOSS_CEILING:
            signs.append(
                Sign(
                    "loan_loss",
                    name,
                    _("Loan-loss expense ratio %(value)s %% in %(year)s: above 5 %%.")
                    % {"value": pct(latest.loan_loss_expense, 1), "year": latest.year},
                )
            )
        elif latest.loan_loss_expense == 0:
            signs.append(
                Sign(
                    "loan_loss",
                    name,
                    _("Loan-loss expense ratio exactly 0 %% in %(year)s: are losses recognised?")
                    % {"year": latest.year},
                )
            )
    if latest.return_on_assets is not None and latest.return_on_assets > ROA_CEILING:
        signs.append(
            Sign(
                "roa",
                name,
                _("Return on assets %(value)s %% in %(year)s: above 7.5 %%.")
                % {"value": pct(latest.return_on_assets, 1), "year": latest.year},
            )
        )
    if latest.claims_ratio is not None and latest.claims_ratio < CLAIMS_FLOOR:
        signs.append(
            Sign(
                "claims",
                name,
                _("Insurance claims ratio %(value)s %% in %(year)s: below 30 %%, little value for clients.")
                % {"value": pct(latest.claims_ratio, 1), "year": latest.year},
            )
        )
    return signs


def pricing_of(innovations) -> dict[int, dict]:
    """For each innovation: its priced variants (schedule, APR, effective rate, peer) and every
    warning sign, in a fixed number of queries whatever the number of innovations."""
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
        signs = [sign for item in priced for sign in variant_signs(item)]
        for institution in institutions[innovation.pk]:
            signs += institution_signs(institution, list(institution.ratios.all()))
        out[innovation.pk] = {"variants": priced, "signs": signs}
    return out
