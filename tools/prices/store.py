"""The local price store: one Parquet file per symbol, merged and written atomically."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tools.prices.base import (
    INDEX_NAME,
    OHLCV,
    BadRequest,
    NoData,
    PriceHistory,
    empty_frame,
    last_session,
    missing_data_hint,
    tidy_frame,
    window,
)
from tools.symbols import is_valid_symbol


@dataclass(frozen=True)
class SavedRows:
    """What one write changed."""

    symbol: str
    added: int
    replaced: int
    total: int


class PriceStore:
    """Daily prices kept as `<folder>/<SYMBOL>.parquet`, each row with its provider and fetch time."""

    provider = "local store"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        # Parsed files keyed by (path, mtime, size): a rewrite (always by rename) changes the key.
        self._cache: dict[Path, tuple[tuple[int, int], pd.DataFrame]] = {}

    def path_for(self, symbol: str) -> Path:
        """Return the file for a symbol; refuse anything that is not a canonical symbol."""
        if not is_valid_symbol(symbol):
            raise BadRequest(f"Not a symbol: {symbol!r}.", "Use a ticker such as SPY or ^GSPC.")
        path = self.folder / f"{symbol}.parquet"
        if path.resolve().parent != self.folder.resolve():
            raise BadRequest(f"Not a symbol: {symbol!r}.", "Use a ticker such as SPY or ^GSPC.")
        return path

    def symbols(self) -> list[str]:
        """Return the symbols that have a file, sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.parquet") if is_valid_symbol(p.stem))

    def is_empty(self) -> bool:
        """Tell whether the store holds no symbol at all."""
        return not self.symbols()

    def load(self, symbol: str) -> pd.DataFrame:
        """Return every stored row of a symbol (OHLCV, provider, fetched_at); empty if none."""
        path = self.path_for(symbol)
        if not path.is_file():
            frame = empty_frame()
            frame["provider"] = pd.Series(dtype="string")
            frame["fetched_at"] = pd.Series(dtype="datetime64[us, UTC]")
            return frame
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1].copy()
        frame = pd.read_parquet(path, engine="pyarrow")
        frame.index = pd.DatetimeIndex(frame.index).astype("datetime64[ns]").rename(INDEX_NAME)
        self._cache[path] = (key, frame)
        return frame.copy()

    def last_session(self, symbol: str) -> dt.date | None:
        """Return the last stored session of a symbol, or None."""
        return last_session(self.load(symbol))

    def save(
        self, symbol: str, frame: pd.DataFrame, provider: str, fetched_at: dt.datetime
    ) -> SavedRows:
        """Merge rows into a symbol's file (new rows win on the same date), atomically."""
        path = self.path_for(symbol)
        new = tidy_frame(frame)
        new["provider"] = pd.Series(provider, index=new.index, dtype="string")
        stamp = pd.Timestamp(fetched_at)
        stamp = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
        new["fetched_at"] = pd.Series(stamp, index=new.index).astype("datetime64[us, UTC]")
        old = self.load(symbol)
        replaced = int(old.index.isin(new.index).sum())
        merged = pd.concat([old[~old.index.isin(new.index)], new]).sort_index()
        self._write_atomically(path, merged)
        return SavedRows(symbol, len(new) - replaced, replaced, len(merged))

    def _write_atomically(self, path: Path, frame: pd.DataFrame) -> None:
        """Write to a temporary file beside `path`, then rename it over `path`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.stem}.", suffix=".tmp")
        os.close(fd)
        try:
            frame.to_parquet(temp, engine="pyarrow")
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        """Return the stored rows from `start` to `end`; raise `NoData` when there are none."""
        stored = self.load(symbol)
        rows = window(stored, start, end)
        if rows.empty:
            held = (
                f" (the store holds {stored.index[0].date()} to {stored.index[-1].date()})"
                if not stored.empty
                else ""
            )
            raise NoData(
                f"No stored prices for {symbol} from {start} to {end}{held}.",
                missing_data_hint(symbol),
            )
        providers = list(dict.fromkeys(rows["provider"].dropna().astype(str)))
        fetched = rows["fetched_at"].dropna()
        return PriceHistory(
            symbol=symbol,
            frame=rows[list(OHLCV)].copy(),
            provider=" + ".join(providers) or self.provider,
            fetched_at=fetched.max().to_pydatetime() if not fetched.empty else None,
            as_of=last_session(rows),
        )
