"""Period returns under an explicit convention, point changes and day changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from tools.metrics.base import MetricError, day

Convention = Literal["prev_close", "open", "start_close"]
CONVENTIONS: tuple[Convention, ...] = ("prev_close", "open", "start_close")


@dataclass(frozen=True)
class PeriodChange:
    """From a base price on one session to a close on another."""

    base: float
    base_field: str  # "Close" or "Open"
    base_session: dt.date
    final: float
    final_session: dt.date
    first_session: dt.date  # first session inside the window
    rows: int  # rows inside the window

    @property
    def ratio(self) -> float:
        """Return the change as a fraction (0.0753 for +7.53%)."""
        return self.final / self.base - 1

    @property
    def points(self) -> float:
        """Return the change in price units."""
        return self.final - self.base

    def formula(self, kind: str = "return") -> str:
        """Say how the change was computed."""
        base = f"{self.base_field}[{self.base_session}]"
        final = f"Close[{self.final_session}]"
        return f"{final} - {base}" if kind == "points" else f"{final} / {base} - 1"


def check_convention(convention: str) -> Convention:
    """Return the convention, or raise `MetricError` listing the valid ones."""
    if convention not in CONVENTIONS:
        raise MetricError(
            f"Unknown return convention {convention!r}: use one of {', '.join(CONVENTIONS)}."
        )
    return convention


def period_change(
    frame: pd.DataFrame, start: dt.date, end: dt.date, convention: str = "prev_close"
) -> PeriodChange:
    """Return the change from the convention's base price to the last close in the window.

    prev_close: close of the row before `start`; open: open of the first row;
    start_close: close of the first row. The end is always the last close on or before `end`.
    """
    convention = check_convention(convention)
    rows = frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]
    if rows.empty:
        raise MetricError(f"No prices between {start} and {end}.")
    final, final_session = float(rows["Close"].iloc[-1]), day(rows.index[-1])
    if convention == "prev_close":
        before = frame.loc[: pd.Timestamp(start) - pd.Timedelta(days=1)]
        if before.empty:
            raise MetricError(
                f"A return from the previous close needs the close before {start}, and the data "
                'start on that day: ask for it from the open ("from the open", "按开盘价") or '
                "from the first day's close, or import earlier prices."
            )
        base, field, session = float(before["Close"].iloc[-1]), "Close", day(before.index[-1])
    elif convention == "open":
        base, field, session = float(rows["Open"].iloc[0]), "Open", day(rows.index[0])
    else:
        base, field, session = float(rows["Close"].iloc[0]), "Close", day(rows.index[0])
    if not base > 0:
        raise MetricError(f"The base price {field}[{session}] is {base}, not a positive price.")
    return PeriodChange(base, field, session, final, final_session, day(rows.index[0]), len(rows))


def day_change(frame: pd.DataFrame, on: dt.date) -> PeriodChange:
    """Return the change from the previous row's close to the close of the last row on or before `on`."""
    rows = frame.loc[: pd.Timestamp(on)]
    if rows.empty:
        raise MetricError(f"No prices on or before {on}.")
    last = day(rows.index[-1])
    return period_change(frame, last, last, "prev_close")
