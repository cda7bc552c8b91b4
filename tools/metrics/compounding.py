"""Compounding a rate over periods: the arithmetic behind "2% a month is 26.82% a year"."""

from __future__ import annotations

from tools.figure import Figure


def compound_return(rate_percent: float, periods: int) -> float:
    """Total growth in percent of `rate_percent` compounded over `periods`."""
    if periods < 1:
        raise ValueError(f"periods must be at least 1, not {periods}")
    if rate_percent <= -100:
        raise ValueError(f"a rate of {rate_percent}% per period would wipe out the capital")
    return ((1 + rate_percent / 100) ** periods - 1) * 100


def compound_figures(rate_percent: float, periods: int) -> tuple[Figure, Figure]:
    """The compounded total and, for contrast, the simple sum, each with its formula."""
    r = rate_percent / 100
    total = Figure(
        metric="compound_return",
        symbol="-",
        value=compound_return(rate_percent, periods),
        unit="%",
        convention="compound",
        params={"rate_percent": rate_percent, "periods": periods},
        provider="arithmetic",
        formula=f"(1 + {r:g})^{periods} - 1",
    )
    simple = Figure(
        metric="compound_return",
        symbol="-",
        value=rate_percent * periods,
        unit="%",
        convention="simple",
        params={"rate_percent": rate_percent, "periods": periods},
        provider="arithmetic",
        formula=f"{r:g} x {periods}",
    )
    return total, simple
