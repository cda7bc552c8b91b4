"""What every metric function shares: its error and small helpers."""

from __future__ import annotations

import datetime as dt

import pandas as pd

TRADING_DAYS = 252


class MetricError(ValueError):
    """The data given cannot answer the metric (too few rows, a missing session ...)."""


def day(value: object) -> dt.date:
    """Return an index label as a date."""
    return pd.Timestamp(value).date()  # type: ignore[arg-type]


def up_to(frame: pd.DataFrame | pd.Series, at: dt.date) -> pd.DataFrame | pd.Series:
    """Return the rows on or before `at`."""
    return frame.loc[: pd.Timestamp(at)]
