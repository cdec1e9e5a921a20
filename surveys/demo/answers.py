"""Plausible answers of one member to one round, generated from a seeded `random.Random` so
that they are the same on every run. `step` counts rounds from the first; demand for
micro-insurance, and its offer, climb with it, as in RFR's experience (DESIGN.md)."""

import random

from portal.accounts.models import MemberInstitution

from .files import survey


def answers(rng: random.Random, institution: MemberInstitution, step: int) -> dict[str, object]:
    lines = survey()["lines"]
    weights = {
        "working-capital": 8.0,
        "savings": 6.0,
        "micro-insurance": 3.0 + 1.6 * step,
        "micro-pensions": 2.0 + 0.3 * step,
        "remittances": 4.2,
        "payments": 4.5,
        "housing": 3.8,
        "education": 2.5,
    }
    ranking = sorted(lines, key=lambda code: -(weights[code] + rng.gauss(0, 1.4)))[:5]
    offer_rate = {
        "working-capital": 0.95,
        "savings": 0.8,
        "micro-insurance": 0.12 + 0.06 * step,
        "micro-pensions": 0.03,
        "remittances": 0.35,
        "payments": 0.3,
        "housing": 0.4,
        "education": 0.2,
    }
    offered = [code for code in lines if rng.random() < offer_rate[code]] or ["working-capital"]
    plans = "yes" if rng.random() < 0.45 + 0.05 * step else "no"
    result = {
        "demand-ranking": ranking,
        "products-offered": offered,
        "plans-new-product": plans,
        "clients-served": (institution.clients_served or 10_000) + rng.randint(-500, 1_500) * step,
        "women-share": rng.randint(45, 78),
        "insurance-interest": max(1, min(5, round(2 + 0.7 * step + rng.gauss(0, 0.8)))),
    }
    if plans == "yes":
        result["new-product-line"] = next((code for code in ranking if code not in offered), ranking[0])
    if rng.random() < 0.15:
        result["comments"] = rng.choice(survey()["comments"])
    return result
