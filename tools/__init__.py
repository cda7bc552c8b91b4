"""Market data and metrics: symbols, the NYSE calendar, price sources, metrics, `Figure`s.

Names load on first use (as in `assistant/__init__.py`): importing one module of the package, say
`tools.figure`, does not import pandas through the calendar.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tools.calendar import (
        CalendarError,
        EmptyWindowError,
        FutureDateError,
        OutOfRangeError,
        ReversedWindowError,
        Window,
        is_session,
        next_session,
        normalise_window,
        previous_session,
        session_on_or_after,
        session_on_or_before,
        sessions_between,
    )
    from tools.figure import METRICS, Figure, Metric
    from tools.market import Market
    from tools.metrics import CONVENTIONS, MetricError
    from tools.prices.base import (
        BadRequest,
        NoData,
        PriceError,
        PriceHistory,
        PriceSource,
        RateLimited,
        SourceUnavailable,
        UnknownSymbol,
    )
    from tools.prices.cached import CachedSource
    from tools.prices.csv_import import (
        CsvError,
        CsvPrices,
        ImportResult,
        csv_files,
        import_csv,
        read_price_csv,
    )
    from tools.prices.fake import FailingSource, FakeSource, HangingSource, synthetic_ohlcv
    from tools.prices.store import PriceStore
    from tools.symbols import (
        SECTOR_SYMBOLS,
        SECTORS,
        Sector,
        SymbolError,
        find_symbols,
        resolve_symbol,
        symbol_name,
        symbol_spans,
    )

_WHERE = {
    "CalendarError": "tools.calendar",
    "EmptyWindowError": "tools.calendar",
    "FutureDateError": "tools.calendar",
    "OutOfRangeError": "tools.calendar",
    "ReversedWindowError": "tools.calendar",
    "Window": "tools.calendar",
    "is_session": "tools.calendar",
    "next_session": "tools.calendar",
    "normalise_window": "tools.calendar",
    "previous_session": "tools.calendar",
    "session_on_or_after": "tools.calendar",
    "session_on_or_before": "tools.calendar",
    "sessions_between": "tools.calendar",
    "Figure": "tools.figure",
    "METRICS": "tools.figure",
    "Metric": "tools.figure",
    "Market": "tools.market",
    "CONVENTIONS": "tools.metrics",
    "MetricError": "tools.metrics",
    "BadRequest": "tools.prices.base",
    "NoData": "tools.prices.base",
    "PriceError": "tools.prices.base",
    "PriceHistory": "tools.prices.base",
    "PriceSource": "tools.prices.base",
    "RateLimited": "tools.prices.base",
    "SourceUnavailable": "tools.prices.base",
    "UnknownSymbol": "tools.prices.base",
    "CachedSource": "tools.prices.cached",
    "CsvError": "tools.prices.csv_import",
    "CsvPrices": "tools.prices.csv_import",
    "ImportResult": "tools.prices.csv_import",
    "csv_files": "tools.prices.csv_import",
    "import_csv": "tools.prices.csv_import",
    "read_price_csv": "tools.prices.csv_import",
    "FailingSource": "tools.prices.fake",
    "FakeSource": "tools.prices.fake",
    "HangingSource": "tools.prices.fake",
    "synthetic_ohlcv": "tools.prices.fake",
    "PriceStore": "tools.prices.store",
    "SECTORS": "tools.symbols",
    "SECTOR_SYMBOLS": "tools.symbols",
    "Sector": "tools.symbols",
    "SymbolError": "tools.symbols",
    "find_symbols": "tools.symbols",
    "resolve_symbol": "tools.symbols",
    "symbol_name": "tools.symbols",
    "symbol_spans": "tools.symbols",
}

__all__ = [
    "CONVENTIONS",
    "METRICS",
    "SECTORS",
    "SECTOR_SYMBOLS",
    "BadRequest",
    "CachedSource",
    "CalendarError",
    "CsvError",
    "CsvPrices",
    "EmptyWindowError",
    "FailingSource",
    "FakeSource",
    "Figure",
    "FutureDateError",
    "HangingSource",
    "ImportResult",
    "Market",
    "Metric",
    "MetricError",
    "NoData",
    "OutOfRangeError",
    "PriceError",
    "PriceHistory",
    "PriceSource",
    "PriceStore",
    "RateLimited",
    "ReversedWindowError",
    "Sector",
    "SourceUnavailable",
    "SymbolError",
    "UnknownSymbol",
    "Window",
    "csv_files",
    "find_symbols",
    "import_csv",
    "is_session",
    "next_session",
    "normalise_window",
    "previous_session",
    "read_price_csv",
    "resolve_symbol",
    "session_on_or_after",
    "session_on_or_before",
    "sessions_between",
    "symbol_name",
    "symbol_spans",
    "synthetic_ohlcv",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'tools' has no attribute {name!r}")
