"""The Parquet store: round trip, merge, atomic writes, no file names from bad symbols."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tools.prices.base import BadRequest, NoData
from tools.prices.fake import synthetic_ohlcv
from tools.prices.store import PriceStore

AT = dt.datetime(2026, 1, 26, 21, 0, tzinfo=dt.UTC)


def frames(n: int = 10, seed: int = 3) -> pd.DataFrame:
    return synthetic_ohlcv(["X"], pd.bdate_range("2026-01-05", periods=n), seed=seed)["X"]


def test_round_trip_keeps_rows_provider_and_fetch_time(tmp_path: Path) -> None:
    store = PriceStore(tmp_path)
    frame = frames()
    saved = store.save("^RUT", frame, "Yahoo Finance", AT)
    assert (saved.added, saved.replaced, saved.total) == (10, 0, 10)
    assert store.symbols() == ["^RUT"]
    history = store.history("^RUT", dt.date(2026, 1, 5), dt.date(2026, 1, 16))
    pd.testing.assert_frame_equal(
        history.frame, frame, check_freq=False, check_names=False, check_index_type=False
    )
    assert (history.provider, history.fetched_at, history.as_of) == (
        "Yahoo Finance",
        AT,
        dt.date(2026, 1, 16),
    )


def test_new_rows_win_on_the_same_date(tmp_path: Path) -> None:
    store = PriceStore(tmp_path)
    store.save("SPY", frames(10, seed=1), "old", AT)
    newer = frames(5, seed=2).iloc[3:]  # two overlapping dates ...
    newer.index = frames(12).index[8:10]
    saved = store.save("SPY", newer, "new", AT)
    assert (saved.added, saved.replaced, saved.total) == (0, 2, 10)
    stored = store.load("SPY")
    assert list(stored["provider"].iloc[-2:]) == ["new", "new"]
    assert stored["Close"].iloc[-1] == newer["Close"].iloc[-1]


def test_a_crash_while_writing_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PriceStore(tmp_path)
    store.save("SPY", frames(), "first", AT)
    before = (tmp_path / "SPY.parquet").read_bytes()

    import pyarrow.parquet as pq

    def explode(table: object, path: str, **kwargs: object) -> None:
        Path(path).write_bytes(b"half a parq")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", explode)
    with pytest.raises(OSError, match="disk full"):
        store.save("SPY", frames(20), "second", AT)
    assert (tmp_path / "SPY.parquet").read_bytes() == before
    # no temporary file left; the symbol's lock file stays (it is reused, never rewritten)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".SPY.lock", "SPY.parquet"]


@pytest.mark.parametrize(
    "bad", ["../../etc/passwd", "AAPL; rm -rf /", "spy", "", "a/b", "..", "SPY.parquet/.."]
)
def test_bad_symbols_never_become_file_names(tmp_path: Path, bad: str) -> None:
    store = PriceStore(tmp_path / "prices")
    with pytest.raises(BadRequest, match="Not a symbol"):
        store.save(bad, frames(), "x", AT)
    assert not (tmp_path / "prices").exists()


def test_empty_store_and_missing_window_say_how_to_get_data(tmp_path: Path) -> None:
    store = PriceStore(tmp_path / "none")
    assert store.is_empty()
    assert store.symbols() == []
    with pytest.raises(NoData, match="footnote prices import"):
        store.history("SPY", dt.date(2026, 1, 5), dt.date(2026, 1, 9))
    store.save("SPY", frames(), "x", AT)
    with pytest.raises(NoData, match="store holds 2026-01-05 to 2026-01-16"):
        store.history("SPY", dt.date(2025, 1, 5), dt.date(2025, 1, 9))
