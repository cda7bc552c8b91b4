"""Find split-like overnight moves in a price frame, and constant-ratio seams between two sources."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tools.prices.records import AdjustmentKind

# (new shares, old shares): a 2:1 split halves the price, a 1:10 reverse split multiplies it by 10.
SPLITS: tuple[tuple[int, int], ...] = (
    (3, 2),
    (2, 1),
    (3, 1),
    (4, 1),
    (5, 1),
    (8, 1),
    (10, 1),
    (20, 1),
    (1, 2),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 8),
    (1, 10),
    (1, 20),
)
TOLERANCE = 0.04  # |log(observed / split ratio)| allowed, after taking out the reference's move
_PREFILTER = 0.25  # no split moves a price by less than 3:2 does (|log| = 0.405)
SAME_BASIS = 0.001  # sources whose closes differ by less than 0.1% are on the same basis
DIVIDEND_STEP = (0.003, 0.015)  # a dividend re-adjustment moves older prices by 0.3-1.5%
RECONCILE = 0.005  # a shared day more than 0.5% off its neighbours' ratio is a finding
_LEVEL_WIDTH = 0.0005  # closes within 0.05% of a run's first ratio belong to that run
MIN_LEVEL_DAYS = 3


def split_price_ratio(split: tuple[int, int]) -> float:
    """Return what a split multiplies the price by (2:1 -> 0.5)."""
    new, old = split
    return old / new


def split_label(split: tuple[int, int]) -> str:
    """Write a split as 'new:old' (2:1)."""
    return f"{split[0]}:{split[1]}"


def nearest_split(ratio: float, tolerance: float = TOLERANCE) -> tuple[int, int] | None:
    """Return the split whose price ratio is within `tolerance` (in log terms) of `ratio`."""
    if not ratio > 0 or not math.isfinite(ratio):
        return None
    best = min(SPLITS, key=lambda s: abs(math.log(ratio / split_price_ratio(s))))
    return best if abs(math.log(ratio / split_price_ratio(best))) <= tolerance else None


def classify_step(ratio: float) -> AdjustmentKind | None:
    """Name a constant step between two bases: split, dividend, basis, unexplained; None if none."""
    size = abs(math.log(ratio))
    if size < SAME_BASIS:
        return None
    if nearest_split(ratio) is not None:
        return "split"
    low, high = DIVIDEND_STEP
    if low <= abs(ratio - 1) <= high:
        return "dividend"
    return "basis" if abs(ratio - 1) < low else "unexplained"


def can_split(symbol: str) -> bool:
    """Tell whether a symbol is a traded security (an index such as ^GSPC never splits)."""
    return not symbol.startswith("^")


@dataclass(frozen=True)
class Jump:
    """A close-to-close move that looks like a split."""

    date: dt.date  # first session on the new level
    previous: dt.date
    ratio: float  # Close[date] / Close[previous]
    split: tuple[int, int]
    reference_ratio: float | None  # the reference's move over the same two sessions
    reverts: bool  # the next close goes back to the old level: a bad print, not a split

    @property
    def factor(self) -> float:
        """Return the exact split ratio to apply to earlier prices."""
        return split_price_ratio(self.split)

    @property
    def label(self) -> str:
        """Return the split as text (2:1)."""
        return split_label(self.split)


def find_jumps(
    frame: pd.DataFrame, reference: pd.Series | None = None, tolerance: float = TOLERANCE
) -> list[Jump]:
    """Return close-to-close moves at a split ratio that the reference close does not share."""
    close = frame["Close"].dropna()
    if len(close) < 2:
        return []
    values = close.to_numpy(dtype="float64")
    logs = np.log(values[1:] / values[:-1])
    found = []
    for pos in (np.flatnonzero(np.abs(logs) > _PREFILTER) + 1).tolist():
        ratio = float(values[pos] / values[pos - 1])
        date, previous = close.index[pos], close.index[pos - 1]
        ref = _reference_ratio(reference, previous, date)
        split = nearest_split(ratio / (ref or 1.0), tolerance)
        if split is None:
            continue
        reverts = pos + 1 < len(values) and (
            abs(math.log(values[pos + 1] / values[pos - 1])) < abs(math.log(ratio)) / 2
        )
        found.append(
            Jump(
                pd.Timestamp(date).date(),
                pd.Timestamp(previous).date(),
                ratio,
                split,
                ref,
                bool(reverts),
            )
        )
    return found


def _reference_ratio(
    reference: pd.Series | None, previous: pd.Timestamp, date: pd.Timestamp
) -> float | None:
    if reference is None:
        return None
    before, after = reference.get(previous), reference.get(date)
    if before is None or after is None or not before > 0 or not after > 0:
        return None
    return float(after / before)


@dataclass(frozen=True)
class Level:
    """A run of shared sessions on which the newer closes are a constant multiple of the older."""

    first: dt.date
    last: dt.date
    ratio: float  # newer / older, median over the run
    days: int


@dataclass(frozen=True)
class Overlap:
    """How two sources compare on the sessions both hold."""

    shared: int
    levels: tuple[Level, ...]
    outliers: tuple[tuple[dt.date, float], ...]  # (session, newer / older) off every level
    skipped: tuple[dt.date, ...]  # zero-volume (intraday) rows left out of the comparison

    @property
    def start_ratio(self) -> float | None:
        """Return the ratio on the first run of shared sessions, or None if none is long enough."""
        return self.levels[0].ratio if self.levels else None

    @property
    def end_ratio(self) -> float | None:
        """Return the ratio on the last run of shared sessions, or None."""
        return self.levels[-1].ratio if self.levels else None


def _intraday(frame: pd.DataFrame) -> pd.Series:
    volume = frame["Volume"]
    typical = volume[volume > 0].median() if (volume > 0).any() else 0.0
    return (volume == 0) & (typical > 0)


def compare_overlap(older: pd.DataFrame, newer: pd.DataFrame) -> Overlap:
    """Compare closes on shared sessions; group them into constant-ratio runs and outliers."""
    shared = older.index.intersection(newer.index)
    if shared.empty:
        return Overlap(0, (), (), ())
    snapshot = (_intraday(older).reindex(shared) | _intraday(newer).reindex(shared)).to_numpy()
    skipped = tuple(pd.Timestamp(d).date() for d in shared[snapshot])
    used = shared[~snapshot]
    ratios = (newer["Close"].reindex(used) / older["Close"].reindex(used)).dropna()
    ratios = ratios[ratios > 0]
    runs: list[list[int]] = []
    logs = np.log(ratios.to_numpy(dtype="float64"))
    for i, value in enumerate(logs):
        if runs and abs(value - logs[runs[-1][0]]) < _LEVEL_WIDTH:
            runs[-1].append(i)
        else:
            runs.append([i])
    levels: list[Level] = []
    outliers: list[tuple[dt.date, float]] = []
    for run in runs:
        dates = [pd.Timestamp(ratios.index[i]).date() for i in run]
        if len(run) >= MIN_LEVEL_DAYS:
            levels.append(Level(dates[0], dates[-1], float(np.exp(np.median(logs[run]))), len(run)))
        else:
            outliers.extend((d, float(np.exp(logs[i]))) for d, i in zip(dates, run, strict=True))
    merged: list[Level] = []
    for level in levels:  # runs split only by outliers are one level
        if merged and abs(math.log(level.ratio / merged[-1].ratio)) < _LEVEL_WIDTH:
            prev = merged[-1]
            merged[-1] = Level(prev.first, level.last, prev.ratio, prev.days + level.days)
        else:
            merged.append(level)
    off = tuple(
        (d, r)
        for d, r in outliers
        if not merged or min(abs(r / lv.ratio - 1) for lv in merged) > RECONCILE
    )
    return Overlap(len(shared), tuple(merged), off, skipped)
