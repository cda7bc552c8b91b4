"""The standard metrics for many symbols at once, on aligned session x symbol frames."""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.metrics.base import TRADING_DAYS, MetricError
from tools.metrics.returns import check_convention

STANDARD_COLUMNS = (
    "return",
    "change_points",
    "volatility_daily",
    "volatility_annual",
    "sma",
    "sma_distance",
    "high_52w",
    "low_52w",
    "max_drawdown",
    "beta",
    "correlation",
    "last_close",
    "day_change",
    "high_52w_close",
    "low_52w_close",
)


@dataclass(frozen=True)
class Panel:
    """Open, High, Low and Close as session x symbol frames on one shared index."""

    open: pd.DataFrame
    high: pd.DataFrame
    low: pd.DataFrame
    close: pd.DataFrame

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> Panel:
        """Align per-symbol OHLCV frames on the union of their sessions."""
        fields = {
            name: pd.DataFrame(
                {symbol: frame[name] for symbol, frame in frames.items()}
            ).sort_index()
            for name in ("Open", "High", "Low", "Close")
        }
        return cls(fields["Open"], fields["High"], fields["Low"], fields["Close"])

    @property
    def symbols(self) -> pd.Index:
        """Return the symbols, in column order."""
        return self.close.columns


def _rows(index: pd.Index, start: dt.date, end: dt.date) -> tuple[int, int]:
    """Return the positions [first, stop) of the sessions from `start` to `end`."""
    first = int(index.searchsorted(pd.Timestamp(start), side="left"))
    stop = int(index.searchsorted(pd.Timestamp(end), side="right"))
    if stop <= first:
        raise MetricError(f"No sessions between {start} and {end} in the panel.")
    return first, stop


def _returns(close: np.ndarray) -> np.ndarray:
    return close[1:] / close[:-1] - 1


def _beta_correlation(mine: np.ndarray, bench: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return beta and correlation per column on the rows where both returns exist."""
    both = np.isfinite(mine) & np.isfinite(bench[:, None])
    if both.all():  # the common case: one matrix-vector product does the covariances
        n = len(bench)
        dx = bench - bench.mean()
        dy = mine - mine.mean(axis=0)
        cov, var_x = dx @ dy, float(dx @ dx)
        var_y = np.einsum("ij,ij->j", dy, dy)
        if n < 2 or var_x <= 0:
            nothing = np.full(mine.shape[1], np.nan)
            return nothing, nothing.copy()
        corr = np.where(var_y > 0, cov / np.sqrt(var_x * np.where(var_y > 0, var_y, 1.0)), np.nan)
        return cov / var_x, corr
    count = both.sum(axis=0)
    x = np.where(both, bench[:, None], 0.0)
    y = np.where(both, mine, 0.0)
    x_mean, y_mean = x.sum(axis=0) / count, y.sum(axis=0) / count
    dx, dy = np.where(both, x - x_mean, 0.0), np.where(both, y - y_mean, 0.0)
    cov = (dx * dy).sum(axis=0)
    var_x, var_y = (dx * dx).sum(axis=0), (dy * dy).sum(axis=0)
    beta = np.where((count >= 2) & (var_x > 0), cov / var_x, np.nan)
    corr = np.where((count >= 2) & (var_x > 0) & (var_y > 0), cov / np.sqrt(var_x * var_y), np.nan)
    return beta, corr


def standard_set_many(
    panel: Panel,
    start: dt.date,
    end: dt.date,
    convention: str = "prev_close",
    benchmark: pd.Series | None = None,
    ddof: int = 1,
    sma_window: int = 20,
    range_window: int = 252,
) -> pd.DataFrame:
    """Return one row per symbol and one column per standard metric (fractions, not percent).

    Same definitions as the one-symbol functions: returns under `convention` over the window,
    volatility and drawdown on the window's closes, SMA and the high/low (intraday, and on
    closes in the `_close` columns) over the sessions ending at the window's last session, day
    change into that session. NaN where a symbol's data cannot answer.
    """
    convention = check_convention(convention)
    index = panel.close.index
    first, stop = _rows(index, start, end)
    last = stop - 1
    close = panel.close.to_numpy(dtype="float64")
    window_close = close[first:stop]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN columns become NaN results
        final = close[last]
        if convention == "prev_close":
            base = close[first - 1] if first > 0 else np.full(close.shape[1], np.nan)
        elif convention == "open":
            base = panel.open.to_numpy(dtype="float64")[first]
        else:
            base = close[first]

        returns = _returns(window_close)
        finite = np.isfinite(returns)
        if finite.all():
            daily_vol = (
                returns.std(axis=0, ddof=ddof)
                if len(returns) > ddof
                else np.full(returns.shape[1], np.nan)
            )
        else:
            daily_vol = np.nanstd(returns, axis=0, ddof=ddof)
            daily_vol = np.where(finite.sum(axis=0) > ddof, daily_vol, np.nan)

        sma = np.nanmean(close[max(0, stop - sma_window) : stop], axis=0)
        if stop < sma_window:
            sma[:] = np.nan

        range_from = max(0, stop - range_window)
        high = np.nanmax(panel.high.to_numpy(dtype="float64")[range_from:stop], axis=0)
        low = np.nanmin(panel.low.to_numpy(dtype="float64")[range_from:stop], axis=0)
        high_close = np.nanmax(close[range_from:stop], axis=0)
        low_close = np.nanmin(close[range_from:stop], axis=0)

        peaks = np.fmax.accumulate(window_close, axis=0)
        drawdown = np.nanmin(window_close / peaks - 1, axis=0)

        if benchmark is not None:
            bench = benchmark.reindex(index).to_numpy(dtype="float64")[first:stop]
            beta, corr = _beta_correlation(returns, _returns(bench))
        else:
            beta = corr = np.full(close.shape[1], np.nan)

        previous = close[last - 1] if last > 0 else np.full(close.shape[1], np.nan)

    data = {
        "return": final / base - 1,
        "change_points": final - base,
        "volatility_daily": daily_vol,
        "volatility_annual": daily_vol * math.sqrt(TRADING_DAYS),
        "sma": sma,
        "sma_distance": final / sma - 1,
        "high_52w": high,
        "low_52w": low,
        "max_drawdown": drawdown,
        "beta": beta,
        "correlation": corr,
        "last_close": final,
        "day_change": final / previous - 1,
        "high_52w_close": high_close,
        "low_52w_close": low_close,
    }
    return pd.DataFrame(data, index=panel.symbols, columns=list(STANDARD_COLUMNS))
