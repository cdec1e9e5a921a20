"""Standard 6C's warning signs (seed 003), each saying which rule and which figure fired it.

On a product variant:

- **APR above peers**: the APR is more than 15 % above the average APR of peer products
  in the same country, product line and loan size band: APR > average × 1.15. The average
  is the members' own (other innovations' product terms, at least three) where enough exist,
  else the latest `PeerAverage` staff recorded (`signs_peers`).
- **Flat rate**: interest quoted flat on the amount lent looks about half as expensive
  as it is; the sign gives the quoted rate and the real APR.
- **Penalties and prepayment fees** (`signs_penalties`): a penalty for one instalment one
  period late above 10 % of the instalment, a penalty charged on the whole balance owed,
  a prepayment fee above one instalment.

On each participating MFI, from its latest approved financial report, its peers' quartiles
and its own trend (`signs_reports`), or, without one, from the latest year of ratios staff
entered (`signs_institution`): OSS, loan-loss expense, ROA, ROE, operating expense ratio and
insurance claims ratio, each message naming its rule, source and period.

A sign is first found as a *fact* (`signs_text`) that `pilots.progress` stores; `render`
writes its message in the reader's language when it is shown.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.i18n import in_reader_language
from portal.numbers import format_number

from .cost import Cost, Terms, cost_of
from .signs_institution import (  # noqa: F401 (importable from here)
    CLAIMS_FLOOR,
    INSTITUTION_RULES,
    LOAN_LOSS_CEILING,
    OSS_FLOOR,
    ROA_CEILING,
    ROE_CEILING,
    TREND_YEARS,
    institution_facts,
    institution_message,
)
from .signs_peers import MemberPeers, member_peers, member_peers_source, staff_peer
from .signs_penalties import (  # noqa: F401 (importable from here)
    LATE_FEE_LIMIT,
    PENALTY_RULES,
    PREPAYMENT_LIMIT,
    late_penalty,
    penalty_facts,
    penalty_message,
    prepayment_charge,
)
from .signs_reports import report_message, signs_by_institution
from .signs_text import amount, fact, pct  # noqa: F401 (importable from here)

PEER_MARGIN = Decimal("1.15")


@dataclass(frozen=True)
class Sign:
    rule: str  # apr_above_peers, flat_rate, late_fee_excessive, ..., oss, loan_loss, roa, roe, oer, claims
    subject: str  # the variant or the institution
    message: str


@dataclass
class PricedVariant:
    variant: object  # ProductTerms
    cost: Cost | None
    error: str = ""
    peer: object | None = None  # MemberPeers, or the PeerAverage staff recorded

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


def price(variant) -> PricedVariant:
    try:
        return PricedVariant(variant=variant, cost=cost_of(variant.terms))
    except ValidationError as error:
        return PricedVariant(variant=variant, cost=None, error=" ".join(error.messages))


def variant_signs(priced: PricedVariant) -> list[Sign]:
    return [render(fact) for fact in variant_facts(priced)]


def institution_signs(institution, ratios: list) -> list[Sign]:
    """Signs of one MFI from its yearly ratios (any order)."""
    return [render(fact) for fact in institution_facts(institution, ratios)]


def variant_facts(priced: PricedVariant) -> list[dict]:
    variant, cost, peer = priced.variant, priced.cost, priced.peer
    if cost is None:
        return []
    facts = []
    name = [variant.name, variant.name_en]  # shown in the reader's language
    if cost.apr is not None:
        apr = Decimal(str(cost.apr))
        if peer is not None and apr > peer.apr * PEER_MARGIN:
            # members' products: the count, so that the source is written in the reader's language
            source = {"source": "", "peers": peer.count} if isinstance(peer, MemberPeers) else {"source": peer.source}
            facts.append(
                fact(
                    "apr_above_peers",
                    name,
                    apr=str(apr),
                    peer=str(peer.apr),
                    limit=str(peer.apr * PEER_MARGIN),
                    date=peer.as_of.isoformat(),
                    **source,
                )
            )
        if variant.method == "flat":
            facts.append(fact("flat_rate", name, rate=str(variant.rate), apr=str(apr), effective=str(cost.effective)))
    return facts + penalty_facts(name, cost, variant.currency)


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
            "source": member_peers_source(v["peers"]) if v.get("peers") else v["source"],
            "date": date_format(datetime.date.fromisoformat(v["date"])),
        }
    elif rule == "flat_rate":
        message = _(
            "Quoted at a flat %(rate)s %% per period on the amount lent: the real APR is %(apr)s %% "
            "(effective %(effective)s %% a year)."
        ) % {"rate": pct(v["rate"]), "apr": pct(v["apr"]), "effective": pct(v["effective"])}
    elif rule in PENALTY_RULES:
        message = penalty_message(rule, v)
    elif "period" in v:  # oss, loan_loss, roa, roe, oer from an approved financial report
        message = report_message(rule, v)
    else:  # oss, loan_loss, roa, roe, oer, claims from the ratios staff entered
        message = institution_message(rule, v)
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
    from ..models import Participation, PeerAverage, ProductTerms

    innovations = list(innovations)
    ids = [innovation.pk for innovation in innovations]
    lines = {innovation.product_line_id for innovation in innovations}
    # the innovations' variants and, in the same query, their product lines' (the members' peers)
    every = ProductTerms.objects.filter(Q(innovation_id__in=ids) | Q(innovation__product_line_id__in=lines))
    every = list(every.annotate(line_id=F("innovation__product_line_id")).order_by("position", "pk"))
    priced_by_pk = {variant.pk: price(variant) for variant in every}
    candidates = [(v, v.line_id, _apr(priced_by_pk[v.pk])) for v in every]
    variants: dict[int, list] = {pk: [] for pk in ids}
    for variant in every:
        if variant.innovation_id in variants:
            variants[variant.innovation_id].append(variant)
    peers = list(PeerAverage.objects.filter(product_line_id__in=lines))
    participations = Participation.objects.filter(innovation_id__in=ids).select_related("institution")
    institutions: dict[int, list] = {pk: [] for pk in ids}
    for participation in participations:
        institutions[participation.innovation_id].append(participation.institution)
    institution_signs_of = signs_by_institution({i.pk: i for each in institutions.values() for i in each})
    out = {}
    for innovation in innovations:
        priced = []
        for variant in variants[innovation.pk]:
            item = priced_by_pk[variant.pk]
            line = innovation.product_line_id
            item.peer = member_peers(variant, line, candidates) or staff_peer(variant, line, peers)
            priced.append(item)
        facts = [fact for item in priced for fact in variant_facts(item)]
        for institution in institutions[innovation.pk]:
            facts += institution_signs_of.get(institution.pk, [])
        out[innovation.pk] = (priced, facts)
    return out


def _apr(priced: PricedVariant) -> Decimal | None:
    return None if priced.cost is None or priced.cost.apr is None else Decimal(str(priced.cost.apr))
