"""Market data and metrics: symbols, the NYSE calendar, price sources, metrics, `Figure`s."""

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
from tools.figure import METRICS, Figure
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
)

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
    "synthetic_ohlcv",
]
