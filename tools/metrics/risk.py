"""Volatility, maximum drawdown, and beta and correlation against a benchmark."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.metrics.base import TRADING_DAYS, MetricError, day


@dataclass(frozen=True)
class Volatility:
    """Standard deviation of daily close-to-close returns, and its annualised form."""

    daily: float
    annual: float
    ddof: int
    returns: int
    first: dt.date  # first session whose return is counted
    last: dt.date


@dataclass(frozen=True)
class Drawdown:
    """The largest fall from a running peak close to a later close."""

    value: float  # a fraction <= 0
    peak: dt.date
    trough: dt.date
    peak_close: float
    trough_close: float


@dataclass(frozen=True)
class BetaCorrelation:
    """Beta and correlation of daily returns on the sessions both series share."""

    beta: float
    correlation: float
    observations: int
    first: dt.date
    last: dt.date


def daily_returns(close: pd.Series) -> pd.Series:
    """Return close-to-close returns (the first row has none and is dropped)."""
    return close.pct_change(fill_method=None).iloc[1:]


def volatility(close: pd.Series, ddof: int = 1) -> Volatility:
    """Return the daily volatility of `close` and that times sqrt(252)."""
    if ddof < 0:
        raise MetricError(f"ddof must be 0 or more, not {ddof}.")
    returns = daily_returns(close.dropna())
    if len(returns) <= ddof:
        raise MetricError(
            f"Volatility with ddof={ddof} needs at least {ddof + 1} daily returns "
            f"({ddof + 2} closes); there are {len(returns)}."
        )
    daily = float(np.std(returns.to_numpy(), ddof=ddof))
    return Volatility(
        daily,
        daily * math.sqrt(TRADING_DAYS),
        ddof,
        len(returns),
        day(returns.index[0]),
        day(returns.index[-1]),
    )


def max_drawdown(close: pd.Series) -> Drawdown:
    """Return the deepest close-to-close fall from a running peak, with its sessions."""
    close = close.dropna()
    if close.empty:
        raise MetricError("Maximum drawdown needs at least one close.")
    values = close.to_numpy(dtype="float64")
    peaks = np.maximum.accumulate(values)
    drawdowns = values / peaks - 1
    trough = int(np.argmin(drawdowns))
    peak = int(np.argmax(values[: trough + 1]))
    return Drawdown(
        float(drawdowns[trough]),
        day(close.index[peak]),
        day(close.index[trough]),
        float(values[peak]),
        float(values[trough]),
    )


def beta_correlation(close: pd.Series, benchmark_close: pd.Series) -> BetaCorrelation:
    """Return beta (cov / var of the benchmark) and Pearson correlation of daily returns."""
    both = pd.concat([close, benchmark_close], axis=1, join="inner").dropna()
    returns = both.pct_change(fill_method=None).iloc[1:]
    if len(returns) < 2:
        raise MetricError(
            f"Beta needs at least 3 sessions shared with the benchmark; there are {len(both)}."
        )
    mine, bench = returns.iloc[:, 0].to_numpy(), returns.iloc[:, 1].to_numpy()
    bench_var = float(np.var(bench, ddof=1))
    if bench_var == 0 or float(np.var(mine, ddof=1)) == 0:
        raise MetricError("Beta and correlation are undefined when returns do not vary.")
    cov = float(np.cov(mine, bench, ddof=1)[0, 1])
    correlation = float(np.corrcoef(mine, bench)[0, 1])
    return BetaCorrelation(
        cov / bench_var, correlation, len(returns), day(returns.index[0]), day(returns.index[-1])
    )
