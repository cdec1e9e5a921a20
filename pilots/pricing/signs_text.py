"""How a warning sign's figures are kept and written (shared by `pilots.pricing.signs` and its
`signs_*` parts).

A sign is first found as a *fact*: its rule, its subject and the figures that fired it, in plain
JSON (numbers as exact decimal text, dates in ISO). That is what `pilots.progress` stores with an
innovation's progress; the message is written in the reader's language only when it is shown.
"""

from __future__ import annotations

from decimal import Decimal

from portal.numbers import format_number


def fact(rule: str, subject, **values) -> dict:
    """A sign's fact: what `render` turns into a message, in plain JSON."""
    return {"rule": rule, "subject": subject, "values": values}


def pct(value, places: int = 2) -> str:
    """A rate as the page writes it, without trailing zeros: 77,38 · 3 · 45,5."""
    return format_number(Decimal(str(value)), places=places)


def amount(value, currency: str) -> str:
    """Money as the page writes it, with its currency's cents: "PEN 11.33" / "PEN 1.000,00"."""
    return f"{currency} {format_number(Decimal(str(value)), places=2, fixed=True)}"
