"""Wire the market tools to the settings: the configured price source, store and `Market`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.ports import Market as MarketPort
    from knowledge.documents import Document
    from tools.figure import Figure
    from tools.market import Market
    from tools.prices.cached import CachedSource
    from tools.prices.csv_import import ImportResult
    from tools.prices.records import Finding
    from tools.prices.store import PriceStore

DEMO_PROVIDER = "Yahoo Finance (third-party snapshot)"
# Older first, so the newer folder's rows win where they overlap (the older one ends with an
# intraday snapshot on 2026-02-23).
DEMO_FOLDERS = ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03")
UPDATE_YEARS_BACK = 2


def price_store(settings: Settings) -> PriceStore:
    """Return the Parquet price store under FOOTNOTE_HOME."""
    from tools.prices.store import PriceStore

    return PriceStore(settings.prices_dir, lock_timeout_s=settings.store_lock_s)


def price_source(settings: Settings) -> CachedSource:
    """Return the configured source: the store, plus Yahoo unless the price mode is local."""
    from tools.prices.cached import CachedSource
    from tools.prices.yahoo import YahooSource

    live = (
        None if settings.price_mode == "local" else YahooSource(deadline_s=settings.live_deadline_s)
    )
    return CachedSource(
        price_store(settings), live, mode=settings.price_mode, deadline_s=settings.live_deadline_s
    )


def open_market(settings: Settings) -> Market:
    """Return the `Market` service over the configured price source."""
    from tools.market import Market

    return Market(price_source(settings))


def as_of_session(market: MarketPort, news: Document | None, symbols: Sequence[str]) -> dt.date:
    """The last session before the news date, or else the latest session with data."""
    return reference_session(market, news, symbols)[0]


def reference_session(
    market: MarketPort, news: Document | None, symbols: Sequence[str]
) -> tuple[dt.date, Figure | None]:
    """`as_of_session` with the quote it was read from (None for a news date or no data): a
    stale quote means the answer's "today" is the latest stored session, not the live one."""
    from tools import calendar as nyse
    from tools.prices.base import PriceError

    if news is not None and news.published:
        return nyse.previous_session(news.published), None
    for symbol in dict.fromkeys([*symbols, "^GSPC", "^RUT"]):
        try:
            figures = market.quote(symbol)
        except (PriceError, ValueError):
            continue
        if figures and figures[0].as_of:
            return figures[0].as_of, figures[0]
    return nyse.session_on_or_before(market.today() - dt.timedelta(days=1)), None


@dataclass(frozen=True)
class StoredSymbol:
    """What the store holds for one symbol."""

    symbol: str
    rows: int
    first: dt.date
    last: dt.date
    providers: str


def stored_prices(settings: Settings) -> list[StoredSymbol]:
    """Return one line per stored symbol: rows, first and last session, providers."""
    from tools.prices.store import DamagedFile

    store = price_store(settings)
    found = []
    for symbol in store.symbols():
        try:
            frame = store.load(symbol)
        except DamagedFile:
            continue  # `footnote doctor` and `prices check` report it with the fix
        if frame.empty:
            continue
        providers = ", ".join(dict.fromkeys(frame["provider"].dropna().astype(str)))
        found.append(
            StoredSymbol(
                symbol, len(frame), frame.index[0].date(), frame.index[-1].date(), providers
            )
        )
    return found


def check_prices(
    settings: Settings, symbols: Sequence[str] = (), today: dt.date | None = None
) -> list[Finding]:
    """Return the data-health findings of stored symbols (all of them when none are named)."""
    from tools import calendar
    from tools.prices.health import check_stored
    from tools.prices.records import Finding
    from tools.prices.store import DamagedFile
    from tools.symbols import resolve_symbol

    store = price_store(settings)
    wanted = [resolve_symbol(s) for s in symbols] or store.symbols()
    day = today or calendar.today()
    found: list[Finding] = []
    for symbol in dict.fromkeys(wanted):
        try:
            frame = store.load(symbol)
        except DamagedFile as exc:
            found.append(Finding(symbol, "damaged", (), exc.message, exc.hint))
            continue
        found.extend(check_stored(symbol, frame, store.adjustments(symbol), day))
    return found


@dataclass(frozen=True)
class FileOutcome:
    """One CSV file's import: its result, or the error that stopped it."""

    path: Path
    result: ImportResult | None
    error: str | None


def import_price_files(
    settings: Settings,
    paths: Sequence[Path],
    symbol: str | None = None,
    provider: str | None = None,
) -> Iterator[FileOutcome]:
    """Import CSV files (folders expand to their CSVs) into the store, one outcome per file."""
    from tools.prices.base import PriceError
    from tools.prices.csv_import import csv_files, import_csv

    store = price_store(settings)
    for path in csv_files(paths):
        try:
            result = import_csv(
                store,
                path,
                symbol,
                provider,
                max_bytes=int(settings.max_csv_mb * 1_000_000),
                max_rows=settings.max_csv_rows,
            )
            yield FileOutcome(path, result, None)
        except PriceError as exc:
            yield FileOutcome(path, None, str(exc))


def count_price_files(paths: Sequence[Path]) -> int:
    """Return how many CSV files `paths` name (folders expand)."""
    from tools.prices.csv_import import csv_files

    return len(csv_files(paths))


@dataclass(frozen=True)
class UpdateOutcome:
    """One symbol's live update: rows now stored, or the error."""

    symbol: str
    rows: int
    last: dt.date | None
    error: str | None


# a failed update in the reader's words: the cause and the way on, never the transport's text
_UPDATE_FAILED = {
    "offline": "Yahoo Finance cannot be reached (this computer looks offline). Import a CSV "
    "instead with `footnote prices import PATH`, or run this again when online.",
    "rate_limited": "Yahoo Finance is refusing requests for the moment; try again in a minute.",
    "unknown_symbol": "Yahoo Finance does not know this symbol; check the ticker "
    "(^GSPC is the S&P 500, BRK-B Berkshire Hathaway).",
}


def update_prices(symbols: Sequence[str], settings: Settings) -> Iterator[UpdateOutcome]:
    """Fetch each symbol from Yahoo (from its last stored session on) into the store."""
    from assistant.errors import cause_of
    from tools import calendar
    from tools.prices.base import PriceError
    from tools.prices.yahoo import YahooSource
    from tools.symbols import SymbolError, resolve_symbol

    store = price_store(settings)
    live = YahooSource(deadline_s=settings.live_deadline_s)
    today = calendar.today()
    offline: str | None = None
    for text in symbols:
        if offline is not None:  # the others would only wait for the same failure
            yield UpdateOutcome(text, 0, None, offline)
            continue
        try:
            symbol = resolve_symbol(text)
            last = store.last_session(symbol)
            start = last or today.replace(year=today.year - UPDATE_YEARS_BACK)
            history = live.history(symbol, start, today)
            saved = store.save(
                symbol,
                history.frame,
                history.provider,
                history.fetched_at or dt.datetime.now(dt.UTC),
                splits=history.splits,
            )
            yield UpdateOutcome(symbol, saved.total, store.last_session(symbol), None)
        except SymbolError as exc:
            yield UpdateOutcome(text, 0, None, str(exc))
        except PriceError as exc:
            reason = _UPDATE_FAILED.get(cause_of(exc), exc.message)
            if cause_of(exc) == "offline":
                offline = reason
            yield UpdateOutcome(text, 0, None, reason)


def import_demo_prices(settings: Settings, lang: str = "en") -> Iterator[str]:
    """Fill an empty price store from the shared demo CSVs; do nothing when it holds data.
    Each line in `lang`."""
    from assistant.grounding.labels import word

    store = price_store(settings)
    if not store.is_empty():
        yield word("setup.stored", lang, n=len(store.symbols()))
        return
    shared = settings.shared_prices
    if shared is None:
        yield word("setup.no_demo", lang)
        return
    folders = [shared / name for name in DEMO_FOLDERS if (shared / name).is_dir()]
    folders += sorted(p for p in shared.iterdir() if p.is_dir() and p not in folders)
    imported, failed = 0, 0
    for folder in folders:
        for outcome in import_price_files(settings, [folder], provider=DEMO_PROVIDER):
            imported += outcome.result is not None
            failed += outcome.error is not None
    unread = word("setup.unread", lang, n=failed) if failed else ""
    yield word("setup.imported", lang, n=imported, path=shared, unread=unread)
