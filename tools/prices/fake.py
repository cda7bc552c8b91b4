"""Price sources for tests and demos: frozen in-memory data, and sources that fail on purpose."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from tools.prices.base import (
    NoData,
    PriceError,
    PriceHistory,
    UnknownSymbol,
    last_session,
    tidy_frame,
    window,
)

FROZEN_AT = dt.datetime(2026, 1, 26, 21, 0, tzinfo=dt.UTC)


class FakeSource:
    """A frozen in-memory price source: the same rows every time, and a record of each call."""

    def __init__(
        self,
        frames: Mapping[str, pd.DataFrame],
        provider: str = "fake",
        fetched_at: dt.datetime = FROZEN_AT,
    ) -> None:
        self._frames = {symbol: tidy_frame(frame) for symbol, frame in frames.items()}
        self.provider = provider
        self.fetched_at = fetched_at
        self.calls: list[tuple[str, dt.date, dt.date]] = []

    def last_session(self, symbol: str) -> dt.date | None:
        """Return the last held session of a symbol, or None (as the cached source does)."""
        frame = self._frames.get(symbol)
        return None if frame is None else last_session(frame)

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Return the held rows from `start` to `end`."""
        self.calls.append((symbol, start, end))
        if symbol not in self._frames:
            raise UnknownSymbol(f"The fake source does not know {symbol}.")
        rows = window(self._frames[symbol], start, end)
        if rows.empty:
            raise NoData(f"The fake source has no prices for {symbol} from {start} to {end}.")
        return PriceHistory(
            symbol, rows.copy(), self.provider, self.fetched_at, as_of=last_session(rows)
        )


class FailingSource:
    """A source whose every call raises the given error (an outage, a rate limit ...)."""

    def __init__(self, error: PriceError) -> None:
        self.error = error
        self.calls = 0

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Raise the configured error."""
        self.calls += 1
        raise self.error


class HangingSource:
    """A source that never answers, like a call on a network that drops packets."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.calls = 0

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Block until released (tests release it when done)."""
        self.calls += 1
        self.release.wait(timeout=600)
        raise NoData("released")


def synthetic_ohlcv(
    symbols: Iterable[str], sessions: pd.DatetimeIndex, seed: int = 7, start_price: float = 100.0
) -> dict[str, pd.DataFrame]:
    """Return seeded random-walk OHLCV frames, one per symbol, on the given sessions."""
    rng = np.random.default_rng(seed)
    names = list(symbols)
    n = len(sessions)
    returns = rng.normal(0.0004, 0.012, size=(n, len(names)))
    close = start_price * np.cumprod(1 + returns, axis=0)
    open_ = close * (1 + rng.normal(0, 0.003, size=close.shape))
    high = np.maximum(open_, close) * (1 + np.abs(rng.normal(0, 0.004, size=close.shape)))
    low = np.minimum(open_, close) * (1 - np.abs(rng.normal(0, 0.004, size=close.shape)))
    volume = rng.integers(1_000_000, 5_000_000, size=close.shape).astype("float64")
    index = pd.DatetimeIndex(sessions, name="Date")
    return {
        name: pd.DataFrame(
            {
                "Open": open_[:, i],
                "High": high[:, i],
                "Low": low[:, i],
                "Close": close[:, i],
                "Volume": volume[:, i],
            },
            index=index,
        )
        for i, name in enumerate(names)
    }
