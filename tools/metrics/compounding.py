"""Hypothetical growth: a rate per period compounded, and the same rate added up simply."""

from __future__ import annotations

import math

from tools.figure import Figure
from tools.metrics.base import MetricError


def compound_figures(rate_percent: float, periods: int) -> tuple[Figure, Figure]:
    """Return (compounded, simple) growth in % of `rate_percent` per period over `periods`."""
    if not math.isfinite(rate_percent) or rate_percent <= -100:
        raise MetricError(f"A rate per period must be a number above -100%, not {rate_percent}.")
    if periods < 1:
        raise MetricError(f"Compounding needs at least one period, not {periods}.")
    rate = rate_percent / 100
    params = {"rate_percent": rate_percent, "periods": periods, "hypothetical": True}
    compounded = Figure(
        metric="compound_growth",
        symbol="hypothetical",
        value=((1 + rate) ** periods - 1) * 100,
        unit="%",
        convention="compounded",
        params=params,
        formula=f"(1 + {rate_percent:g}%)^{periods} - 1",
    )
    simple = Figure(
        metric="simple_growth",
        symbol="hypothetical",
        value=rate_percent * periods,
        unit="%",
        convention="simple",
        params=params,
        formula=f"{rate_percent:g}% x {periods}",
    )
    return compounded, simple
