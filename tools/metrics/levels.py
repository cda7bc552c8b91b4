"""Moving averages and N-session highs and lows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from tools.figure import Figure
from tools.metrics.base import MetricError, day

Basis = Literal["intraday", "close"]
BASES: tuple[Basis, ...] = ("intraday", "close")


@dataclass(frozen=True)
class MovingAverage:
    """The mean close of the last N sessions at a session, and that session's close."""

    value: float
    window: int
    first: dt.date
    last: dt.date
    close: float

    @property
    def distance(self) -> float:
        """Return how far the close is above (+) or below (-) the average, as a fraction."""
        return self.close / self.value - 1


@dataclass(frozen=True)
class HighLow:
    """The highest and lowest price over the last N sessions, and where they occurred."""

    high: float
    high_session: dt.date
    low: float
    low_session: dt.date
    basis: Basis
    window: int
    rows: int
    first: dt.date
    last: dt.date


def sma(close: pd.Series, at: dt.date, window: int = 20) -> MovingAverage:
    """Return the simple moving average of the `window` closes ending on or before `at`."""
    if window < 1:
        raise MetricError(f"A moving average needs a window of 1 or more sessions, not {window}.")
    rows = close.loc[: pd.Timestamp(at)].dropna().tail(window)
    if len(rows) < window:
        raise MetricError(
            f"A {window}-session average at {at} needs {window} closes; there are {len(rows)}."
        )
    return MovingAverage(
        float(rows.mean()), window, day(rows.index[0]), day(rows.index[-1]), float(rows.iloc[-1])
    )


def high_low(
    frame: pd.DataFrame, at: dt.date, window: int = 252, basis: str = "intraday"
) -> HighLow:
    """Return the high and low of the `window` sessions ending on or before `at`."""
    if basis not in BASES:
        raise MetricError(f"Unknown basis {basis!r}: use intraday or close.")
    if window < 1:
        raise MetricError(f"A high/low needs a window of 1 or more sessions, not {window}.")
    rows = frame.loc[: pd.Timestamp(at)].tail(window)
    highs = rows["High" if basis == "intraday" else "Close"].dropna()
    lows = rows["Low" if basis == "intraday" else "Close"].dropna()
    if highs.empty or lows.empty:
        raise MetricError(f"No prices on or before {at}.")
    return HighLow(
        float(highs.max()),
        day(highs.idxmax()),
        float(lows.min()),
        day(lows.idxmin()),
        basis,
        window,
        len(rows),
        day(rows.index[0]),
        day(rows.index[-1]),
    )


def distance_to_target(close: Figure, target: float, horizon: dt.date) -> Figure:
    """How far a forecast level is from a close: `target / close - 1`, in percent (positive:
    the target is above the close). `close` is a `last_close` figure; the receipt keeps both."""
    if close.metric != "last_close" or close.value <= 0 or target <= 0:
        raise MetricError("a target distance needs a positive last close and target")
    d = close.end or close.as_of
    return Figure(
        metric="target_distance",
        symbol=close.symbol,
        value=(target / close.value - 1) * 100,
        unit="%",
        start=d,
        end=d,
        as_of=close.as_of,
        provider=close.provider,
        fetched_at=close.fetched_at,
        stale=close.stale,
        formula=f"{target:,.2f} / Close[{d}] - 1",
        params={"target": target, "horizon": horizon.isoformat()},
        inputs={f"Close[{d}]": close.value},
        label="forecast target vs close",
    )


def period_high_low(
    frame: pd.DataFrame, start: dt.date, end: dt.date, basis: str = "close"
) -> HighLow:
    """Return the high and low of the sessions from `start` to `end` (both included), on closes
    or on intraday highs and lows, with the sessions they occurred (the first one on a tie)."""
    if basis not in BASES:
        raise MetricError(f"Unknown basis {basis!r}: use intraday or close.")
    if start > end:
        raise MetricError(f"The period starts ({start}) after it ends ({end}).")
    rows = frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]
    highs = rows["High" if basis == "intraday" else "Close"].dropna()
    lows = rows["Low" if basis == "intraday" else "Close"].dropna()
    if highs.empty or lows.empty:
        raise MetricError(f"No prices from {start} to {end}.")
    return HighLow(
        float(highs.max()),
        day(highs.idxmax()),
        float(lows.min()),
        day(lows.idxmin()),
        basis,
        len(rows),
        len(rows),
        day(rows.index[0]),
        day(rows.index[-1]),
    )
