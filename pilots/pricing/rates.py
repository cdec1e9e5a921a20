"""The rate that makes a client's cash flows balance (their internal rate of return).

Equally spaced flows (the usual schedule, up to 120 instalments) go to `numpy_financial.irr`,
which finds every root of the NPV polynomial and keeps the one closest to zero. Flows whose
first instalment is offset from disbursement fall at times t1, t1 + 1, t1 + 2, ... periods
(t1 not a whole number): their NPV is no polynomial, so its changes of sign are bracketed on
a grid of rates and each root found by `scipy.optimize.brentq`; again the one closest to zero
is kept. Longer schedules (hundreds of daily or weekly instalments) are solved the same way:
the polynomial's roots would take a second, the brackets a few milliseconds, and both agree
to 1e-14.
"""

from __future__ import annotations

import math

import numpy
import numpy_financial
from scipy.optimize import brentq

# numpy_financial.irr finds the roots of a polynomial of degree len(flows) − 1 (an eigenvalue
# problem, n³): 0.6 s for 730 daily instalments. Longer schedules are bracketed as offset ones.
MOST_POLYNOMIAL_FLOWS = 121
# Rates per period where the NPV of spaced flows is looked at for a change of sign: from
# −99.9999 % to +1,000 %, dense near zero (daily rates are hundredths of a percent).
_SCALES = numpy.logspace(-9, 1, 201)
GRID = numpy.unique(numpy.concatenate(([0.0], _SCALES, -_SCALES[_SCALES < 1], [-0.999, -0.9999, -0.999999])))


def sign_changes(flows: list[float]) -> int:
    """How many times the flows change sign (zeros skipped): more than one, more than one rate may balance them."""
    signs = [flow > 0 for flow in flows if flow != 0]
    return sum(1 for a, b in zip(signs, signs[1:], strict=False) if a != b)


def npv(rate: float, flows: list[float], times: list[float]) -> float:
    """Net present value at `rate` per period of `flows` falling at `times` (in periods)."""
    with numpy.errstate(over="ignore", invalid="ignore"):
        return float(numpy.sum(numpy.asarray(flows) * (1 + rate) ** -numpy.asarray(times)))


def _spaced_irr(flows: list[float], times: list[float]) -> float | None:
    values, when = numpy.asarray(flows), numpy.asarray(times)
    curve = [npv(rate, values, when) for rate in GRID]
    roots = []
    for low, high, at_low, at_high in zip(GRID, GRID[1:], curve, curve[1:], strict=False):
        if not (math.isfinite(at_low) and math.isfinite(at_high)):
            continue
        if at_low == 0:
            roots.append(float(low))
        elif at_low * at_high < 0:
            roots.append(brentq(npv, low, high, args=(values, when), xtol=1e-14, rtol=1e-14))
    return min(roots, key=abs) if roots else None


def internal_rate(flows: list[float], times: list[float] | None = None) -> float | None:
    """The periodic rate r (a fraction) at which the flows' NPV is zero, the one closest to zero
    if several; None when no rate does. `times` in periods; None: 0, 1, 2, ..."""
    if not sign_changes(flows):
        return None
    equally_spaced = times is None or all(time == index for index, time in enumerate(times))
    if equally_spaced and len(flows) <= MOST_POLYNOMIAL_FLOWS:
        rate = float(numpy_financial.irr(flows))
        return None if math.isnan(rate) else rate
    return _spaced_irr(flows, list(range(len(flows))) if times is None else times)
