"""The Yahoo Finance adapter: the only module that talks to Yahoo (and imports yfinance)."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial

import pandas as pd

from tools.prices.base import (
    NoData,
    PriceError,
    PriceHistory,
    RateLimited,
    SourceUnavailable,
    UnknownSymbol,
    last_session,
    missing_data_hint,
    tidy_frame,
)
from tools.prices.deadline import call_with_deadline

YAHOO_HOST = "https://query1.finance.yahoo.com/"
PROVIDER = "Yahoo Finance"
# Yahoo starts refusing at roughly 60 requests a minute; stay well below.
REQUESTS_PER_MINUTE = 45

Fetch = Callable[[str, dt.date, dt.date, float], pd.DataFrame]


def probe(timeout_s: float = 3.0) -> tuple[bool, str]:
    """Tell whether Yahoo's API host answers at all within `timeout_s`."""
    import httpx

    try:
        response = httpx.head(YAHOO_HOST, timeout=timeout_s, follow_redirects=False)
    except httpx.HTTPError as exc:
        return False, f"{type(exc).__name__}: {exc}".strip()[:160]
    except OSError as exc:
        return False, f"{type(exc).__name__}: {exc}"[:160]
    return True, f"HTTP {response.status_code} from {YAHOO_HOST}"


class RateLimiter:
    """Allow at most `per_minute` calls in any sixty seconds, waiting when needed."""

    def __init__(
        self, per_minute: int = REQUESTS_PER_MINUTE, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.per_minute = per_minute
        self._clock = clock
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self, give_up_at: float) -> None:
        """Wait for a free slot; raise `RateLimited` if none frees up before `give_up_at`."""
        while True:
            with self._lock:
                now = self._clock()
                while self._calls and now - self._calls[0] >= 60:
                    self._calls.popleft()
                if len(self._calls) < self.per_minute:
                    self._calls.append(now)
                    return
                free_at = self._calls[0] + 60
            if free_at > give_up_at:
                raise RateLimited(
                    f"Footnote's own limit of {self.per_minute} Yahoo requests a minute is reached.",
                    "Wait a minute and ask again; stored data is used where there is some.",
                )
            time.sleep(max(0.0, free_at - self._clock()))


_SHARED_LIMITER = RateLimiter()


def _yfinance_fetch(symbol: str, start: dt.date, end: dt.date, timeout_s: float) -> pd.DataFrame:
    """Ask yfinance for daily bars; its `end` is exclusive, ours is inclusive."""
    import logging

    import yfinance

    yfinance.config.debug.hide_exceptions = False  # raise instead of logging and returning empty
    # Failures come back to us as exceptions; yfinance's own log lines would only repeat them.
    logging.getLogger("yfinance").setLevel(logging.CRITICAL)
    ticker = yfinance.Ticker(symbol)
    return ticker.history(
        start=start.isoformat(),
        end=(end + dt.timedelta(days=1)).isoformat(),
        interval="1d",
        # Prices as traded (Yahoo back-adjusts them for splits, not for dividends) and the
        # corporate actions, so the store records each split with "provider" as its source.
        auto_adjust=False,
        actions=True,
        timeout=timeout_s,
    )


def _translate(exc: Exception, symbol: str) -> PriceError:
    """Turn whatever yfinance or the network raised into one of our typed errors."""
    if isinstance(exc, PriceError):
        return exc
    try:
        from yfinance import exceptions as yf_errors
    except ImportError:  # pragma: no cover - yfinance is a dependency
        yf_errors = None
    if yf_errors is not None:
        if isinstance(exc, yf_errors.YFRateLimitError):
            return RateLimited(
                "Yahoo Finance is rate limiting requests.",
                "Wait a minute and ask again; stored data is used where there is some.",
            )
        if isinstance(exc, yf_errors.YFPricesMissingError):
            return NoData(
                f"Yahoo Finance has no prices for {symbol} in that window.",
                missing_data_hint(symbol),
            )
        if isinstance(exc, yf_errors.YFTickerMissingError):
            return UnknownSymbol(
                f"Yahoo Finance does not know the symbol {symbol}.",
                "Check the ticker (Yahoo writes BRK-B, ^GSPC for the S&P 500).",
            )
    return SourceUnavailable(
        f"Yahoo Finance could not be reached ({type(exc).__name__}: {str(exc)[:120]}).",
        "Check the internet connection; stored data is used where there is some.",
    )


def _splits(raw: pd.DataFrame, sessions: pd.DatetimeIndex) -> pd.Series | None:
    """The provider's split ratios on `sessions` (0 where none), or None when it lists none."""
    if "Stock Splits" not in raw.columns:
        return None
    ratios = pd.Series(raw["Stock Splits"].to_numpy(dtype="float64"), index=tidy_frame(raw).index)
    ratios = ratios[~ratios.index.duplicated(keep="last")].reindex(sessions).fillna(0.0)
    return ratios if bool((ratios > 0).any()) else None


class YahooSource:
    """Daily prices from Yahoo Finance under a hard deadline, a rate limit and bounded retries."""

    provider = PROVIDER

    def __init__(
        self,
        deadline_s: float = 8.0,
        retries: int = 2,
        backoff_s: float = 1.0,
        limiter: RateLimiter | None = None,
        fetch: Fetch | None = None,
    ) -> None:
        self.deadline_s = deadline_s
        self.retries = retries
        self.backoff_s = backoff_s
        self._limiter = limiter or _SHARED_LIMITER
        self._fetch = fetch or _yfinance_fetch

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Return Yahoo's daily rows from `start` to `end`; raise a `PriceError` otherwise."""
        give_up_at = time.monotonic() + self.deadline_s
        for attempt in range(self.retries + 1):
            remaining = give_up_at - time.monotonic()
            if remaining <= 0:
                break
            self._limiter.acquire(give_up_at)
            try:
                raw = call_with_deadline(
                    partial(self._fetch, symbol, start, end, remaining),
                    give_up_at - time.monotonic(),
                    f"Yahoo Finance ({symbol})",
                )
            except Exception as exc:
                error = _translate(exc, symbol)
                pause = self.backoff_s * 2**attempt
                last_try = attempt == self.retries or time.monotonic() + pause >= give_up_at
                if not isinstance(error, RateLimited) or last_try:
                    raise error from None
                time.sleep(pause)
                continue
            return self._to_history(symbol, raw, start, end)
        raise SourceUnavailable(
            f"Yahoo Finance gave no usable answer for {symbol} within {self.deadline_s:g} s.",
            "Try again later; stored data is used where there is some.",
        )

    def _to_history(
        self, symbol: str, raw: pd.DataFrame, start: dt.date, end: dt.date
    ) -> PriceHistory:
        if raw is None or raw.empty:
            # yfinance often answers an unknown symbol or a closed window with an empty frame.
            raise NoData(
                f"Yahoo Finance returned no prices for {symbol} from {start} to {end}.",
                "Check the symbol and the dates. " + missing_data_hint(symbol),
            )
        frame = tidy_frame(raw).dropna(subset=["Close"])
        frame = frame.loc[pd.Timestamp(start) : pd.Timestamp(end)]
        if frame.empty:
            raise NoData(f"Yahoo Finance returned no prices for {symbol} from {start} to {end}.")
        return PriceHistory(
            symbol=symbol,
            frame=frame,
            provider=PROVIDER,
            fetched_at=dt.datetime.now(dt.UTC),
            as_of=last_session(frame),
            splits=_splits(raw, pd.DatetimeIndex(frame.index)),
        )
