"""The local price store: one Parquet file per symbol, merged and written atomically.

Every file carries a SHA-256 of its rows in the Parquet footer (and page CRCs), checked when
read: a damaged file is reported with the command that rebuilds it, never read silently.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tools.prices.adjust import FACTOR, FILE, adjusted, merge_part
from tools.prices.base import (
    INDEX_NAME,
    OHLCV,
    BadRequest,
    NoData,
    PriceError,
    PriceHistory,
    empty_frame,
    last_session,
    missing_data_hint,
    tidy_frame,
    window,
)
from tools.prices.records import Adjustment, Finding
from tools.symbols import is_valid_symbol

CHECKSUM_KEY = b"footnote.rows.sha256"


class StoreBusy(PriceError):
    """Another process has held a symbol's write lock longer than this one would wait."""


class DamagedFile(PriceError):
    """A stored price file that fails its checksum or cannot be parsed; nothing from it is used."""


def rows_digest(frame: pd.DataFrame) -> str:
    """A SHA-256 over the index and every column's values, independent of Parquet's encoding."""
    digest = hashlib.sha256()
    index = pd.DatetimeIndex(frame.index).as_unit("ns")
    digest.update(index.asi8.tobytes())
    for column in sorted(map(str, frame.columns)):
        values = frame[column]
        digest.update(column.encode("utf-8") + b"\x00")
        if pd.api.types.is_float_dtype(values) or pd.api.types.is_integer_dtype(values):
            digest.update(values.to_numpy(dtype="float64", na_value=float("nan")).tobytes())
        elif pd.api.types.is_datetime64_any_dtype(values):
            digest.update(
                pd.to_datetime(values, utc=True)
                .astype("datetime64[ns, UTC]")
                .astype("int64")
                .to_numpy()
                .tobytes()
            )
        else:
            digest.update("\x1f".join("" if pd.isna(v) else str(v) for v in values).encode())
    return digest.hexdigest()


def _rebuild_hint(symbol: str) -> str:
    return (
        f"Rebuild it: `footnote prices import <the CSV it came from>` (or "
        f"`footnote prices update {symbol}` for live data); the damaged file is set aside."
    )


@dataclass(frozen=True)
class SavedRows:
    """What one write changed."""

    symbol: str
    added: int
    replaced: int
    total: int
    adjustments: tuple[Adjustment, ...] = ()  # steps recorded by this write
    findings: tuple[Finding, ...] = ()


class PriceStore:
    """Daily prices kept as `<folder>/<SYMBOL>.parquet`, each row with its provider and fetch time.

    Rows keep their raw prices; a `factor` column puts them on one basis (split- and
    seam-adjusted) and `<SYMBOL>.adjustments.json` records every step, active or superseded.
    `history` serves the adjusted prices.
    """

    provider = "local store"

    def __init__(self, folder: Path, lock_timeout_s: float = 600.0) -> None:
        self.folder = Path(folder)
        self.lock_timeout_s = lock_timeout_s
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
            frame[FACTOR] = pd.Series(dtype="float64")
            frame[FILE] = pd.Series(dtype="string")
            return frame
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self._cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1].copy()
        frame = self._read_verified(symbol, path)
        frame.index = pd.DatetimeIndex(frame.index).astype("datetime64[ns]").rename(INDEX_NAME)
        if FACTOR not in frame:  # written before adjustments existed
            frame[FACTOR] = 1.0
        if FILE not in frame:
            frame[FILE] = frame["provider"]
        self._cache[path] = (key, frame)
        return frame.copy()

    def _read_verified(self, symbol: str, path: Path) -> pd.DataFrame:
        """Read a file and check its rows against the checksum it carries."""
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(path, page_checksum_verification=True)
            stored = (table.schema.metadata or {}).get(CHECKSUM_KEY)
            frame = table.to_pandas()
        except Exception as exc:  # any failure to parse the file is damage: never half-read it
            reason = "it is empty" if path.stat().st_size == 0 else f"it cannot be read ({exc})"
            raise DamagedFile(
                f"The stored prices of {symbol} ({path.name}) are damaged: {reason}"[:300] + ".",
                _rebuild_hint(symbol),
            ) from None
        if stored is not None and stored.decode("ascii", "replace") != rows_digest(frame):
            raise DamagedFile(
                f"The stored prices of {symbol} ({path.name}) are damaged: the rows do not "
                "match their checksum, so they are not used.",
                _rebuild_hint(symbol),
            )
        return frame

    def verify(self, symbol: str) -> str | None:
        """Why a symbol's file cannot be trusted, or None when it reads and matches its checksum
        (files written before checksums existed pass when they parse)."""
        path = self.path_for(symbol)
        if not path.is_file():
            return None
        try:
            self._read_verified(symbol, path)
        except DamagedFile as exc:
            return exc.message
        return None

    def set_aside(self, symbol: str) -> Path | None:
        """Move a damaged file out of the way (kept for inspection); where it went."""
        path = self.path_for(symbol)
        if not path.is_file():
            return None
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
        aside = path.with_name(f"{path.stem}.damaged-{stamp}")
        os.replace(path, aside)
        self._cache.pop(path, None)
        return aside

    def last_session(self, symbol: str) -> dt.date | None:
        """Return the last stored session of a symbol, or None."""
        return last_session(self.load(symbol))

    def log_path(self, symbol: str) -> Path:
        """Return the file that records a symbol's adjustments."""
        return self.path_for(symbol).with_suffix(".adjustments.json")

    def adjustments(self, symbol: str) -> tuple[Adjustment, ...]:
        """Return every adjustment recorded for a symbol, superseded ones included."""
        path = self.log_path(symbol)
        if not path.is_file():
            return ()
        return tuple(Adjustment.from_json(a) for a in json.loads(path.read_text("utf-8")))

    def raw(self, symbol: str) -> pd.DataFrame:
        """Return the stored OHLCV exactly as it came in, before any adjustment."""
        return self.load(symbol)[list(OHLCV)]

    def save(
        self,
        symbol: str,
        frame: pd.DataFrame,
        provider: str,
        fetched_at: dt.datetime,
        file: str | None = None,
        splits: pd.Series | None = None,
        reference: pd.Series | None = None,
    ) -> SavedRows:
        """Merge rows into a symbol's file (new rows win on the same date, stored rows they lack
        are kept), atomically.

        Splits inside the new rows and steps where they meet the stored ones are measured or
        inferred and recorded; `splits` lists provider splits (shares after per share before).
        """
        path = self.path_for(symbol)
        with self._writing(symbol):
            return self._save(symbol, path, frame, provider, fetched_at, file, splits, reference)

    @contextlib.contextmanager
    def _writing(self, symbol: str) -> Iterator[None]:
        """Hold the symbol's write lock: several processes (two app servers, the CLI) may share
        this folder, and a save reads the stored rows, merges and writes them back, so a second
        writer between the read and the write would lose the first one's rows."""
        from filelock import FileLock, Timeout

        self.folder.mkdir(parents=True, exist_ok=True)
        lock = FileLock(self.folder / f".{symbol}.lock", timeout=self.lock_timeout_s)
        try:
            lock.acquire()
        except Timeout:
            raise StoreBusy(
                f"Another process has been writing the prices of {symbol} for more than "
                f"{self.lock_timeout_s:g} s.",
                "Try again when it is done (FOOTNOTE_STORE_LOCK_S sets how long to wait).",
                symbol=symbol,
            ) from None
        try:
            yield
        finally:
            lock.release()

    def _save(
        self,
        symbol: str,
        path: Path,
        frame: pd.DataFrame,
        provider: str,
        fetched_at: dt.datetime,
        file: str | None,
        splits: pd.Series | None,
        reference: pd.Series | None,
    ) -> SavedRows:
        new = tidy_frame(frame)
        new["provider"] = pd.Series(provider, index=new.index, dtype="string")
        stamp = pd.Timestamp(fetched_at)
        stamp = stamp.tz_convert("UTC") if stamp.tzinfo else stamp.tz_localize("UTC")
        new["fetched_at"] = pd.Series(stamp, index=new.index).astype("datetime64[us, UTC]")
        new[FILE] = pd.Series(file or provider, index=new.index, dtype="string")
        try:
            old = self.load(symbol)
        except DamagedFile:
            # The new rows rebuild the file: keep the damaged one aside, never merge with it.
            self.set_aside(symbol)
            old = self.load(symbol)
        log = self.adjustments(symbol)
        replaced = int(old.index.isin(new.index).sum())
        merge = merge_part(symbol, old, log, new, file or provider, splits, reference)
        self._write_atomically(path, merge.frame)
        if merge.log or log:
            self._write_log(symbol, merge.log)
        added = tuple(a for a in merge.log if a not in log)
        return SavedRows(
            symbol, len(new) - replaced, replaced, len(merge.frame), added, merge.findings
        )

    def _write_log(self, symbol: str, log: tuple[Adjustment, ...]) -> None:
        path = self.log_path(symbol)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump([a.to_json() for a in log], handle, indent=1)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise

    def _write_atomically(self, path: Path, frame: pd.DataFrame) -> None:
        """Write to a temporary file beside `path`, then rename it over `path`."""
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=self.folder, prefix=f".{path.stem}.", suffix=".tmp")
        os.close(fd)
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(frame)
            metadata = dict(table.schema.metadata or {})
            metadata[CHECKSUM_KEY] = rows_digest(frame).encode("ascii")
            pq.write_table(table.replace_schema_metadata(metadata), temp, write_page_checksum=True)
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
                symbol=symbol,
                start=start,
                end=end,
            )
        providers = list(dict.fromkeys(rows["provider"].dropna().astype(str)))
        fetched = rows["fetched_at"].dropna()
        first, last = rows.index[0], rows.index[-1]
        steps = tuple(
            a for a in self.adjustments(symbol) if a.active and first < pd.Timestamp(a.date) <= last
        )
        return PriceHistory(
            symbol=symbol,
            frame=adjusted(rows),
            provider=" + ".join(providers) or self.provider,
            fetched_at=fetched.max().to_pydatetime() if not fetched.empty else None,
            as_of=last_session(rows),
            adjustments=steps,
        )
