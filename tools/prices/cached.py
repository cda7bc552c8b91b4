"""Store first, live when the store is missing or behind, stored data marked stale when live fails."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable
from typing import Literal

import pandas as pd

from tools import calendar
from tools.prices.base import (
    NoData,
    PriceError,
    PriceHistory,
    PriceSource,
    RateLimited,
    SourceUnavailable,
    UnknownSymbol,
    missing_data_hint,
    window,
)
from tools.prices.budget import current_budget
from tools.prices.deadline import call_with_deadline
from tools.prices.store import PriceStore
from tools.symbols import resolve_symbol

Mode = Literal["auto", "live", "local"]
# The NYSE closes at 16:00 New York time; a day's final bar is settled a little later.
_SETTLED = dt.time(16, 30)
# After the live source could not be reached, it is not asked again for this long: offline, every
# lookup would wait for its own failure, and a burst of failures would end on Footnote's request
# limit, a wrong cause for a network that is down.


def _now_in_new_york() -> dt.datetime:
    return dt.datetime.now(calendar.NEW_YORK)


def expected_last_session(end: dt.date, now: dt.datetime) -> dt.date | None:
    """Return the last session up to `end` whose close should be known at `now`."""
    today = now.date()
    last = calendar.session_on_or_before(min(end, today))
    if last == today and now.time() < _SETTLED:
        last = calendar.previous_session(today)
    return last


class CachedSource:
    """A price source over a local store and an optional live source."""

    def __init__(
        self,
        store: PriceStore,
        live: PriceSource | None = None,
        mode: Mode = "auto",
        deadline_s: float = 8.0,
        now: Callable[[], dt.datetime] = _now_in_new_york,
        retry_after_s: float = 60.0,
    ) -> None:
        self.store = store
        self.live = live
        self.mode: Mode = mode if live is not None else "local"
        self.deadline_s = deadline_s
        self._now = now
        # After the live source times out or refuses, stored data is served without asking it
        # again for `retry_after_s`: one answer's five lookups wait for one deadline, not five.
        self.retry_after_s = retry_after_s
        self._down_until = 0.0
        self._down_reason = ""
        self._down_lock = threading.Lock()

    @property
    def provider(self) -> str:
        """Name the sources behind this one."""
        live = getattr(self.live, "provider", "none")
        return f"local store + {live} ({self.mode})"

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Return daily rows from `start` to `end`, from the store or the live source."""
        symbol = resolve_symbol(symbol)
        stored = window(self.store.load(symbol), start, end)
        behind = self._behind(stored, end)
        complete = not behind and self._reaches_start(stored, start)
        if self.live is None or self.mode == "local" or (self.mode == "auto" and complete):
            return self._from_store(symbol, start, end, behind, "price mode is local")
        live_source = self.live
        try:
            with self._down_lock:
                down = time.monotonic() < self._down_until
                reason = self._down_reason
            if down:
                raise SourceUnavailable(f"live data unavailable ({reason})")
            deadline_s = self.deadline_s
            budget = current_budget()
            if budget is not None:
                left, spent = budget.take()
                if spent:
                    down = True  # the answer's allowance, not the network: no pause follows
                    raise SourceUnavailable(f"live data not asked: {spent}")
                deadline_s = min(deadline_s, left)
                # cut short by the answer's deadline: a timeout then says nothing of the network
                down = deadline_s < self.deadline_s
            live = call_with_deadline(
                lambda: live_source.history(symbol, start, end),
                deadline_s,
                f"The live price source ({symbol})",
            )
        except PriceError as exc:
            if isinstance(exc, SourceUnavailable | RateLimited) and not down:
                with self._down_lock:
                    self._down_until = time.monotonic() + self.retry_after_s
                    self._down_reason = exc.message.rstrip(".")
            if stored.empty:
                if isinstance(exc, UnknownSymbol):
                    raise
                raise type(exc)(
                    f"No prices for {symbol} from {start} to {end}: none stored, and the live "
                    f"source failed: {exc.message}",
                    missing_data_hint(symbol),
                    symbol=symbol,
                    start=start,
                    end=end,
                ) from None
            return self._from_store(
                symbol, start, end, behind, f"live source failed: {exc.message}"
            )
        self.store.save(
            symbol,
            live.frame,
            live.provider,
            live.fetched_at or dt.datetime.now(dt.UTC),
            splits=live.splits,
        )
        return self.store.history(symbol, start, end)

    def last_session(self, symbol: str) -> dt.date | None:
        """Return the last stored session of a symbol, or None."""
        return self.store.last_session(resolve_symbol(symbol))

    def _behind(self, rows: pd.DataFrame, end: dt.date) -> bool:
        """Tell whether the stored rows stop before the last session that should be settled."""
        return rows.empty or rows.index[-1].date() < expected_last_session(end, self._now())

    def _reaches_start(self, rows: pd.DataFrame, start: dt.date) -> bool:
        return not rows.empty and rows.index[0].date() <= calendar.session_on_or_after(start)

    def _from_store(
        self, symbol: str, start: dt.date, end: dt.date, stale: bool, reason: str
    ) -> PriceHistory:
        try:
            history = self.store.history(symbol, start, end)
        except NoData as exc:
            raise NoData(
                exc.message.replace("No stored prices", "No prices"),
                missing_data_hint(symbol),
                symbol=symbol,
                start=start,
                end=end,
            ) from None
        if stale:
            note = (
                f"Prices after {history.as_of} are not available ({reason}); "
                f"serving stored prices as of {history.as_of}."
            )
        elif reason.startswith("live source failed"):
            note = f"Stored prices only ({reason})."
        else:
            return history
        return PriceHistory(
            symbol=history.symbol,
            frame=history.frame,
            provider=history.provider,
            fetched_at=history.fetched_at,
            stale=stale,
            as_of=history.as_of,
            notes=(*history.notes, note),
            adjustments=history.adjustments,
        )
