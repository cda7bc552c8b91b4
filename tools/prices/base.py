"""The price-source interface, the shape it returns and the errors it raises."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

import pandas as pd

from tools.prices.records import Adjustment

OHLCV: tuple[str, ...] = ("Open", "High", "Low", "Close", "Volume")
INDEX_NAME = "Date"


class PriceError(Exception):
    """A price lookup that failed; the message says what happened and what to do."""

    def __init__(
        self,
        message: str,
        hint: str = "",
        *,
        symbol: str = "",
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> None:
        self.message = message
        self.hint = hint
        # what was asked, so a page can word the problem itself instead of showing `message`
        self.symbol = symbol
        self.start = start
        self.end = end
        super().__init__(f"{message} {hint}".strip())


class UnknownSymbol(PriceError):
    """The provider does not know the symbol."""


class NoData(PriceError):
    """The symbol exists but there are no prices for the window asked about."""


class RateLimited(PriceError):
    """The provider refused because of too many requests."""


class SourceUnavailable(PriceError):
    """The provider could not be reached in time (network down, timeout, outage)."""


class BadRequest(PriceError):
    """The request itself was wrong (bad symbol, window or file)."""


@dataclass(frozen=True, eq=False)
class PriceHistory:
    """Daily OHLCV rows indexed by session date, and where they came from."""

    symbol: str
    frame: pd.DataFrame
    provider: str
    fetched_at: dt.datetime | None = None
    stale: bool = False
    as_of: dt.date | None = None
    notes: tuple[str, ...] = field(default=())
    # Steps applied to (or, unresolved, seen in) the rows, each dated inside the frame.
    adjustments: tuple[Adjustment, ...] = field(default=())
    # Splits the provider reports, by session (shares after per share before; 0 where none).
    splits: pd.Series | None = None

    @property
    def empty(self) -> bool:
        """Tell whether there are no rows."""
        return self.frame.empty


@runtime_checkable
class PriceSource(Protocol):
    """Anything that returns daily prices for a symbol and a window of dates."""

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Return the daily rows from `start` to `end`, both included."""
        ...


def empty_frame() -> pd.DataFrame:
    """Return an OHLCV frame with no rows."""
    index = pd.DatetimeIndex([], name=INDEX_NAME, dtype="datetime64[ns]")
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in OHLCV}, index=index)


def tidy_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return OHLCV columns as floats on a sorted, tz-naive, midnight session index."""
    out = frame.reindex(columns=list(OHLCV)).astype("float64")
    index = pd.DatetimeIndex(out.index)
    if index.tz is not None:
        index = index.tz_localize(None)
    out.index = index.normalize().astype("datetime64[ns]").rename(INDEX_NAME)
    out = out[~out.index.duplicated(keep="last")]
    return out.sort_index()


def window(frame: pd.DataFrame, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Return the rows from `start` to `end`, both included."""
    return frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]


def last_session(frame: pd.DataFrame) -> dt.date | None:
    """Return the last session in a frame, or None if it is empty."""
    return None if frame.empty else pd.Timestamp(frame.index[-1]).date()


def missing_data_hint(symbol: str) -> str:
    """Say how to get prices for a symbol."""
    return (
        f"Import a CSV with `footnote prices import PATH` (Date,Open,High,Low,Close,Volume), "
        f"or connect to the internet and run `footnote prices update {symbol}`."
    )
