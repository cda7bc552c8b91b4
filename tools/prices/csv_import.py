"""Read daily price CSVs (yfinance's own layout or plain columns), validate them, store them."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from tools import calendar
from tools.prices.base import OHLCV, BadRequest
from tools.prices.store import PriceStore, SavedRows
from tools.symbols import SymbolError, resolve_symbol

REQUIRED = ("Date", "Open", "High", "Low", "Close")
SPLITS = "Stock Splits"  # yfinance's column when asked for actions
# Open or Close may sit a little outside High/Low in adjusted data; more than this is an error.
_RANGE_TOLERANCE = 0.01
_MAX_LISTED = 5
# Work one file may cause: bytes and rows (FOOTNOTE_MAX_CSV_MB, FOOTNOTE_MAX_CSV_ROWS). Daily rows
# since 1900 are about 32,000, so the row cap leaves room for minute data and stops a 2 GB file
# before pandas holds it in memory.
MAX_CSV_BYTES = 200_000_000
MAX_CSV_ROWS = 200_000
# A daily price above these is a unit or parsing mistake (the highest index level and the highest
# share price ever quoted are far below them), never a value to compute a return from.
MAX_INDEX_LEVEL = 1e7
MAX_SHARE_PRICE = 1e6


class CsvError(BadRequest):
    """A CSV file that cannot be imported at all; nothing from it is written."""


@dataclass(frozen=True)
class RejectedRow:
    """A row left out, and why."""

    line: int
    date: str
    reason: str


@dataclass(frozen=True)
class CsvPrices:
    """The valid rows of one CSV file, and what was left out or looks odd."""

    path: Path
    symbol: str
    layout: str  # "yfinance" (three header rows) or "plain"
    frame: pd.DataFrame
    rejected: tuple[RejectedRow, ...]
    warnings: tuple[str, ...]
    # The provider's split column when the file has one (shares after per share before, 0 = none).
    splits: pd.Series | None = None

    @property
    def file(self) -> str:
        """Name the file with its folder (`yahoo-2024_2026-02/XLK.csv`), as adjustments record it."""
        return (
            f"{self.path.parent.name}/{self.path.name}" if self.path.parent.name else self.path.name
        )


@dataclass(frozen=True)
class ImportResult:
    """One imported file: what was read and what the store now holds."""

    prices: CsvPrices
    saved: SavedRows


def csv_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their `*.csv` files (sorted); keep files as given."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.csv") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise CsvError(f"No such file or folder: {str(path)!r}.", "Check the path.")
    return found


def _header_rows(path: Path) -> list[list[str]]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            return [row for _, row in zip(range(3), reader, strict=False)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CsvError(f"{path.name} is not a readable text CSV ({exc}).", _HINT) from None


_HINT = "Expected columns Date,Open,High,Low,Close,Volume (any order) or a CSV saved by yfinance."


def _raw_table(
    path: Path, max_bytes: int = MAX_CSV_BYTES, max_rows: int = MAX_CSV_ROWS
) -> tuple[pd.DataFrame, str, int]:
    """Return the rows as text columns, the layout and the file line of the first row."""
    size = path.stat().st_size
    if size == 0:
        raise CsvError(f"{path.name} is empty.", _HINT)
    if size > max_bytes:
        raise CsvError(
            f"{path.name} is {size / 1e6:,.0f} MB, over the {max_bytes / 1e6:g} MB limit for one "
            "price file (FOOTNOTE_MAX_CSV_MB).",
            "Split the file, or raise the limit if it really holds daily prices.",
        )
    head = _header_rows(path)
    first = [cell.strip() for cell in head[0]] if head else []
    yfinance = (
        len(head) == 3
        and first[:1] == ["Price"]
        and head[1][:1] == ["Ticker"]
        and head[2][:1] == ["Date"]
    )
    skip = [1, 2] if yfinance else []
    try:
        raw = pd.read_csv(
            path,
            header=0,
            skiprows=skip,
            dtype=str,
            encoding="utf-8-sig",
            skipinitialspace=True,
            nrows=max_rows + 1,
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise CsvError(
            f"{path.name} could not be parsed as CSV ({exc}).".replace("\n", " "), _HINT
        ) from None
    if yfinance:
        raw = raw.rename(columns={"Price": "Date"})
    by_name = {str(c).strip().casefold(): c for c in raw.columns}
    missing = [c for c in REQUIRED if c.casefold() not in by_name]
    if missing:
        shown = ", ".join(str(c)[:20] for c in list(raw.columns)[:8])
        raise CsvError(
            f"{path.name} is not a price CSV: missing column(s) {', '.join(missing)} (found: {shown}).",
            _HINT,
        )
    wanted = [c for c in (*REQUIRED, "Volume", SPLITS) if c.casefold() in by_name]
    table = raw[[by_name[c.casefold()] for c in wanted]]
    table.columns = pd.Index(wanted)
    if table.empty:
        raise CsvError(f"{path.name} has a header but no rows.", _HINT)
    if len(table) > max_rows:
        raise CsvError(
            f"{path.name} has more than {max_rows:,} rows, the limit for one price file "
            "(FOOTNOTE_MAX_CSV_ROWS).",
            "Split the file by years and import the parts.",
        )
    return table, "yfinance" if yfinance else "plain", 4 if yfinance else 2


def _problems(dates: pd.Series, numbers: pd.DataFrame, symbol: str = "") -> pd.Series:
    """Say what is wrong with each row (the first problem found), or None."""
    prices = numbers[["Open", "High", "Low", "Close"]]
    ceiling = MAX_INDEX_LEVEL if symbol.startswith("^") else MAX_SHARE_PRICE
    what = "an index level" if symbol.startswith("^") else "a share price"
    absurd = prices.gt(ceiling)
    high, low = prices["High"], prices["Low"]
    known = dates.dropna()
    first = max(known.min().date(), calendar.FIRST_DAY) if not known.empty else None
    last = min(known.max().date(), calendar.today()) if not known.empty else None
    sessions = (
        calendar.sessions_between(first, last)
        if first and last and first <= last
        else pd.DatetimeIndex([])
    )
    top, bottom = prices[["Open", "Close"]].max(axis=1), prices[["Open", "Close"]].min(axis=1)
    positive = prices.gt(0)
    checks = [
        (dates.isna(), lambda i: "date is not YYYY-MM-DD"),
        (dates.dt.date > calendar.today(), lambda i: f"{dates[i].date()} is in the future"),
        (~dates.isin(sessions), lambda i: f"{dates[i].date()} is not an NYSE trading session"),
        (prices.isna().any(axis=1), lambda i: "missing or non-numeric price"),
        (
            ~positive.all(axis=1),
            lambda i: (
                "non-positive price in "
                + ", ".join(str(c) for c in prices.columns if not positive.at[i, c])
            ),
        ),
        (
            absurd.any(axis=1),
            lambda i: (
                f"{', '.join(str(c) for c in absurd.columns if absurd.at[i, c])} "
                f"above {ceiling:g}: not believable as {what}"
            ),
        ),
        (high < low, lambda i: f"High {high[i]:g} is below Low {low[i]:g}"),
        (
            (top > high * (1 + _RANGE_TOLERANCE)) | (bottom < low * (1 - _RANGE_TOLERANCE)),
            lambda i: "Open/Close outside the day's High-Low range",
        ),
        (numbers["Volume"] < 0, lambda i: "negative Volume"),
    ]
    problems = pd.Series([None] * len(dates), index=dates.index, dtype=object)
    for failed, reason in checks:
        for i in failed[failed & problems.isna()].index:
            problems[i] = reason(i)
    return problems


def _listed(dates: Iterable[object]) -> str:
    items = [str(d)[:10] for d in dates]
    more = f" and {len(items) - _MAX_LISTED} more" if len(items) > _MAX_LISTED else ""
    return ", ".join(items[:_MAX_LISTED]) + more


def read_price_csv(
    path: Path,
    symbol: str | None = None,
    *,
    max_bytes: int = MAX_CSV_BYTES,
    max_rows: int = MAX_CSV_ROWS,
) -> CsvPrices:
    """Read and validate one CSV; raise `CsvError` when the file as a whole is unusable."""
    path = Path(path)
    try:
        resolved = resolve_symbol(symbol if symbol is not None else path.stem)
    except SymbolError as exc:
        raise CsvError(
            f"Cannot tell the symbol of {path.name}: {exc}",
            "Name the file after the symbol (e.g. SPY.csv) or give the symbol explicitly.",
        ) from None
    table, layout, first_line = _raw_table(path, max_bytes, max_rows)
    dates = pd.to_datetime(table["Date"].str.strip().str[:10], format="%Y-%m-%d", errors="coerce")
    numbers = table.drop(columns="Date").apply(pd.to_numeric, errors="coerce")
    split_column = numbers.pop(SPLITS) if SPLITS in numbers else None
    if "Volume" not in numbers:
        numbers["Volume"] = float("nan")

    known = dates.dropna()
    duplicated = known[known.duplicated()]
    if not duplicated.empty:
        raise CsvError(
            f"{path.name} has duplicate dates: {_listed(duplicated.dt.date)}.",
            "Keep one row per date and import again.",
        )
    if not known.is_monotonic_increasing:
        raise CsvError(
            f"{path.name} has dates out of order.", "Sort the rows by Date and import again."
        )

    problems = _problems(dates, numbers, resolved)
    rejected = [
        RejectedRow(
            first_line + int(pos), str(table["Date"].iloc[pos])[:20], str(problems.iloc[pos])
        )
        for pos in range(len(problems))
        if problems.iloc[pos] is not None
    ]
    keep = [pos for pos in range(len(problems)) if problems.iloc[pos] is None]
    frame = numbers.iloc[keep].reindex(columns=list(OHLCV)).astype("float64")
    frame.index = pd.DatetimeIndex(dates.iloc[keep].to_numpy(), name="Date")
    if frame.empty:
        reasons = "; ".join(f"line {r.line}: {r.reason}" for r in rejected[:_MAX_LISTED])
        raise CsvError(f"{path.name} has no valid rows ({reasons}).", _HINT)

    warnings = []
    volume = frame["Volume"].dropna()
    if not volume.empty and volume.median() > 0 and (volume == 0).any():
        zero = volume.index[volume == 0]
        warnings.append(
            f"{len(zero)} row(s) with Volume 0 look like intraday snapshots, not final closes: "
            f"{_listed(zero.date[::-1])} (newest first)."
        )
    splits = None
    if split_column is not None:
        splits = pd.Series(split_column.iloc[keep].fillna(0.0).to_numpy(), index=frame.index)
    return CsvPrices(path, resolved, layout, frame, tuple(rejected), tuple(warnings), splits)


def import_csv(
    store: PriceStore,
    path: Path,
    symbol: str | None = None,
    provider: str | None = None,
    fetched_at: dt.datetime | None = None,
    reference: pd.Series | None = None,
    *,
    max_bytes: int = MAX_CSV_BYTES,
    max_rows: int = MAX_CSV_ROWS,
) -> ImportResult:
    """Validate one CSV and merge its valid rows into the store (its rows win on overlap).

    Splits in the file and seams with the stored rows are adjusted and recorded by the store
    (see `tools.prices.adjust`); import older files first so the newest basis wins.
    """
    prices = read_price_csv(path, symbol, max_bytes=max_bytes, max_rows=max_rows)
    saved = store.save(
        prices.symbol,
        prices.frame,
        provider or f"CSV import ({Path(path).name})",
        fetched_at or dt.datetime.now(dt.UTC),
        file=prices.file,
        splits=prices.splits,
        reference=reference,
    )
    return ImportResult(prices, saved)
