"""Responsible pricing (Standard 6C) from the case files: KGFS's loans at their published
APRs (CGAP 2012, seed 002), an illustrative loan sold with RFR's micro-insurance, and an
illustrative communal-bank loan quoted flat whose APR is far higher than its 3 % a month
suggests; with the peers' average APRs and the institutions' ratios they are read against."""

from decimal import Decimal

from portal.accounts.models import MemberInstitution, User
from portal.demo import product_line

from .. import services
from ..models import Innovation, InstitutionRatio, PeerAverage

ILLUSTRATIVE_SOURCE = "Ilustrativo (demo) / Illustrative (demo)"
AMOUNTS = ("amount", "rate", "periodic_insurance", "upfront_fee", "upfront_savings", "late_fee", "prepayment_fee")


def _decimals(row: dict, fields) -> dict:
    return {field: Decimal(str(value)) if field in fields else value for field, value in row.items()}


def write(data: dict, user: User) -> None:
    _terms(Innovation.objects.filter(slug=data["slug"]).first(), user, data.get("product_terms", []))
    for peer in data.get("peers", []):
        PeerAverage.objects.get_or_create(
            country=peer["country"],
            product_line=product_line(peer["product_line"]),
            size_band=peer["size_band"],
            as_of=peer["as_of"],
            defaults={"apr": Decimal(peer["apr"]), "source": ILLUSTRATIVE_SOURCE},
        )
    for ratio in data.get("ratios", []):
        values = {field: value for field, value in ratio.items() if field not in ("institution", "year")}
        mfi = MemberInstitution.objects.filter(name=ratio["institution"]).first()
        if mfi is not None:  # a ratio of an institution this demo does not have
            InstitutionRatio.objects.get_or_create(
                institution=mfi,
                year=ratio["year"],
                defaults={**_decimals(values, values), "source": ILLUSTRATIVE_SOURCE},
            )


def _terms(innovation: Innovation | None, user: User, rows: list[dict]) -> None:
    """The product variants of an innovation, when it has none yet (also over an older demo)."""
    if innovation is None or innovation.product_terms.exists():
        return
    for position, row in enumerate(rows, start=1):
        services.product_terms_save(innovation=innovation, user=user, position=position, **_decimals(row, AMOUNTS))
