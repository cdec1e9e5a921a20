"""The peer APR a product variant is compared with (Standard 6C's "APR above peers" sign).

The portal prefers what members themselves recorded: the APRs of the product terms of other
innovations sold in the same country, for the same product line and loan size band. When at
least `MIN_MEMBER_VARIANTS` such variants can be priced, their plain average APR is the peer
average (`MemberPeers`, "the average of 4 similar products of other members in the portal").
Otherwise the latest peer average staff recorded (`PeerAverage`, with its published source)
is used, as before; with neither there is no peer to compare with and no sign.

What counts as "other": a variant of another innovation (the variants of the same innovation
are the same product, a pilot and its scale-up, and never each other's peers). Illustrative
variants — made up for the demo — count only for other illustrative variants, so a real
product is never compared with made-up terms.

Worked example (tests/pilots/test_benchmarking_signs.py): three other members' loans in Peru,
same line and band, at APRs of 40 %, 45 % and 50 % → member average 45.00 %, limit
45 × 1.15 = 51.75 %; a flat 3 % a month loan at an APR of 77.38 % is above it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone
from django.utils.translation import ngettext

MIN_MEMBER_VARIANTS = 3
CENT = Decimal("0.01")


@dataclass(frozen=True)
class MemberPeers:
    """The average APR of other members' similar products, shown like a `PeerAverage`
    (`apr`, `source`, `as_of`): `count` variants, the latest of them saved on `as_of`."""

    apr: Decimal
    count: int
    as_of: datetime.date

    @property
    def source(self) -> str:
        return member_peers_source(self.count)


def member_peers_source(count: int) -> str:
    """Where a members' peer average comes from, in the current language."""
    return ngettext(
        "average of %(count)s similar product of other members in the portal",
        "average of %(count)s similar products of other members in the portal",
        count,
    ) % {"count": count}


def member_peers(variant, line_id, candidates) -> MemberPeers | None:
    """The members' peer average for `variant` (of product line `line_id`) from `candidates`,
    (variant, line id, APR or None) of every variant of that line, or None when fewer than
    `MIN_MEMBER_VARIANTS` other innovations' variants have an APR."""
    peers = [
        (other, apr)
        for other, other_line, apr in candidates
        if apr is not None
        and other_line == line_id
        and other.innovation_id != variant.innovation_id
        and other.country == variant.country
        and other.size_band == variant.size_band
        and (variant.illustrative or not other.illustrative)
    ]
    if len(peers) < MIN_MEMBER_VARIANTS:
        return None
    average = sum((apr for _other, apr in peers), Decimal(0)) / len(peers)
    latest = max(other.updated_at for other, _apr in peers)
    return MemberPeers(
        apr=average.quantize(CENT, rounding=ROUND_HALF_UP),
        count=len(peers),
        as_of=timezone.localdate(latest) if timezone.is_aware(latest) else latest.date(),
    )


def staff_peer(variant, line_id, peer_averages) -> object | None:
    """The latest `PeerAverage` staff recorded for the variant's country, line and band."""
    matching = [
        p
        for p in peer_averages
        if p.country == variant.country and p.product_line_id == line_id and p.size_band == variant.size_band
    ]
    return max(matching, key=lambda p: p.as_of) if matching else None
