"""What the chat assistant and the research service share: the market and the knowledge store
opened from settings on first use (tests inject their own), and the as-of session."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from assistant.settings import Settings
from knowledge.documents import Document
from tools import calendar as nyse
from tools.prices.base import PriceError


class Wired:
    """Lazily opened market and library, and the reference day answers are computed at."""

    settings: Settings
    _market: Any | None
    _library: Any | None

    @property
    def market(self) -> Any:
        if self._market is None:
            from assistant.data.market import open_market

            self._market = open_market(self.settings)
        return self._market

    @property
    def library(self) -> Any:
        if self._library is None:
            from assistant.data.library import open_library

            self._library = open_library(self.settings)
        return self._library

    def as_of(self, news: Document | None, symbols: list[str]) -> date:
        """The last session before the news date, or else the latest session with data."""
        if news is not None and news.published:
            return nyse.previous_session(news.published)
        for symbol in dict.fromkeys([*symbols, "^GSPC", "^RUT"]):
            try:
                figures = self.market.quote(symbol)
            except (PriceError, ValueError):
                continue
            if figures and figures[0].as_of:
                return figures[0].as_of
        today = self.market.today() if hasattr(self.market, "today") else date.today()
        return nyse.session_on_or_before(today - timedelta(days=1))
