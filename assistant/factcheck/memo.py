"""A price source that reads each symbol once per check and serves every window from memory."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from tools import calendar
from tools.market import Market
from tools.prices.base import NoData, PriceError, PriceHistory, PriceSource, last_session, window

if TYPE_CHECKING:
    from assistant.ports import Market as MarketPort

_LEAD = dt.timedelta(days=400)
_AHEAD = dt.timedelta(days=10)


class MemoSource:
    """Wrap a source: the first request for a symbol loads it, later ones slice what is held.

    A check asks for the same symbol dozens of times over overlapping windows; reading the store
    each time cost more than all the arithmetic.
    """

    def __init__(self, source: PriceSource) -> None:
        self.source = source
        self._held: dict[str, tuple[dt.date, dt.date, PriceHistory]] = {}

    def last_session(self, symbol: str) -> dt.date | None:
        """Return the inner source's last stored session for a symbol, when it can tell."""
        inner = getattr(self.source, "last_session", None)
        return inner(symbol) if inner else None

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Return the rows from `start` to `end`, loading the symbol only when it is not held."""
        held = self._held.get(symbol)
        if held is None or start < held[0] or end > held[1]:
            # Reach a year back at once: 52-week and moving-average questions will ask for it.
            lo = min(start - _LEAD, held[0]) if held else start - _LEAD
            # and a few sessions ahead, where neighbouring-day checks look (never past today).
            hi = max(min(end + _AHEAD, calendar.today()), end, held[1] if held else end)
            try:
                history = self.source.history(symbol, lo, hi)
            except PriceError:
                return self.source.history(symbol, start, end)
            held = (lo, hi, history)
            self._held[symbol] = held
        whole = held[2]
        rows = window(whole.frame, start, end)
        if rows.empty:
            raise NoData(f"No prices for {symbol} from {start} to {end}.")
        last = last_session(rows)
        return PriceHistory(
            symbol=whole.symbol,
            frame=rows.copy(),
            provider=whole.provider,
            fetched_at=whole.fetched_at,
            stale=whole.stale and last == whole.as_of,
            as_of=last,
            notes=whole.notes,
            adjustments=whole.adjustments,
        )


def memoised(market: MarketPort) -> MarketPort:
    """Return a Market over the same source and day, reading each symbol once."""
    if isinstance(market.source, MemoSource):
        return market
    return Market(MemoSource(market.source), today=market.today)  # keep the caller's "today"
