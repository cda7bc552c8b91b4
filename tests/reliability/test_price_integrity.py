"""Stored prices are never read silently when damaged, and absurd imports are refused by line."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pandas as pd
import pytest

from tests.reliability.conftest import record
from tools import calendar
from tools.prices.csv_import import import_csv, read_price_csv
from tools.prices.store import DamagedFile, PriceStore


def write_csv(path: Path, start: float = 100.0) -> Path:
    sessions = calendar.sessions_between(dt.date(2025, 1, 2), dt.date(2025, 4, 30))
    rng = random.Random(7)
    lines = ["Date,Open,High,Low,Close,Volume"]
    close = start
    for day in sessions:
        open_ = close
        close = round(open_ * (1 + rng.uniform(-0.02, 0.02)), 2)
        high, low = max(open_, close) * 1.005, min(open_, close) * 0.995
        lines.append(
            f"{day.date()},{open_:.2f},{high:.2f},{low:.2f},{close:.2f},{rng.randint(1, 9)}000"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def stored(tmp_path: Path) -> tuple[PriceStore, Path, pd.DataFrame]:
    store = PriceStore(tmp_path / "prices")
    csv = write_csv(tmp_path / "SPY.csv")
    import_csv(store, csv)
    return store, csv, store.load("SPY")


def test_single_byte_flips_never_change_numbers_silently(
    tmp_path: Path, stored: tuple[PriceStore, Path, pd.DataFrame]
) -> None:
    store, _, good = stored
    data = (store.folder / "SPY.parquet").read_bytes()
    rng = random.Random(17)
    silent = detected = unchanged = 0
    for position in rng.sample(range(len(data)), 300):
        flipped = bytearray(data)
        flipped[position] ^= 1 << rng.randrange(8)
        folder = tmp_path / "flip"
        folder.mkdir(exist_ok=True)
        (folder / "SPY.parquet").write_bytes(bytes(flipped))
        try:
            frame = PriceStore(folder).load("SPY")
        except DamagedFile:
            detected += 1
            continue
        if frame[list(good.columns)].equals(good):
            unchanged += 1  # e.g. a flip in padding or an unused statistic
        else:
            silent += 1
    record(
        "300 single-byte flips in a Parquet file",
        silent=silent,
        detected=detected,
        harmless=unchanged,
    )
    assert silent == 0
    assert detected > 200


@pytest.mark.parametrize("damage", ["zero bytes", "truncated"])
def test_empty_or_truncated_file_is_reported_and_reimport_repairs(
    stored: tuple[PriceStore, Path, pd.DataFrame], damage: str
) -> None:
    store, csv, good = stored
    path = store.folder / "SPY.parquet"
    path.write_bytes(
        b"" if damage == "zero bytes" else path.read_bytes()[: path.stat().st_size // 2]
    )
    fresh = PriceStore(store.folder)
    with pytest.raises(DamagedFile) as caught:
        fresh.load("SPY")
    assert "SPY" in caught.value.message and "damaged" in caught.value.message
    assert "footnote prices import" in caught.value.hint
    assert fresh.verify("SPY") is not None
    import_csv(fresh, csv)  # importing the CSV again rebuilds the file
    assert fresh.verify("SPY") is None
    assert (
        fresh.load("SPY")[list(good.columns)]
        .drop(columns="fetched_at")
        .equals(good.drop(columns="fetched_at"))
    )
    assert list(store.folder.glob("SPY.damaged-*"))


def test_a_file_written_before_checksums_still_reads(
    stored: tuple[PriceStore, Path, pd.DataFrame],
) -> None:
    store, _, good = stored
    good.to_parquet(store.folder / "SPY.parquet")  # no checksum in the footer
    assert PriceStore(store.folder).verify("SPY") is None


def prices_csv(tmp_path: Path, name: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("Date,Open,High,Low,Close,Volume\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_absurd_and_inconsistent_rows_are_rejected_with_line_numbers(tmp_path: Path) -> None:
    path = prices_csv(
        tmp_path,
        "SPY.csv",
        [
            "2025-01-02,100,101,99,100.5,1000",  # line 2: fine
            "2025-01-03,1e300,1e300,1e300,1e300,1000",  # line 3: absurd
            "2025-01-06,2000000,2000000,2000000,2000000,1",  # line 4: above 1e6 for a share
            "2025-01-07,-5,1,1,1,1",  # line 5: non-positive
            "2025-01-08,100,99,101,100,1",  # line 6: High below Low
            "2025-01-13,100,101,99,130,1",  # line 7: Close outside High-Low
            "2025-01-14,100,101,99,100,1",  # line 8: fine
        ],
    )
    prices = read_price_csv(path)
    reasons = {row.line: row.reason for row in prices.rejected}
    assert sorted(reasons) == [3, 4, 5, 6, 7]
    assert "not believable as a share price" in reasons[3]
    assert "above 1e+06" in reasons[4]
    assert "non-positive" in reasons[5]
    assert "below Low" in reasons[6]
    assert "outside" in reasons[7]
    assert len(prices.frame) == 2


def test_index_levels_have_their_own_ceiling(tmp_path: Path) -> None:
    path = prices_csv(
        tmp_path,
        "GSPC.csv",
        ["2025-01-02,5900000,5900000,5900000,5900000,1", "2025-01-03,2e7,2e7,2e7,2e7,1"],
    )
    prices = read_price_csv(path, "^GSPC")
    assert [r.line for r in prices.rejected] == [3]
    assert "index level" in prices.rejected[0].reason


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kill_9_during_imports_leaves_every_file_whole(tmp_path: Path, seed: int) -> None:
    import time

    from tests.reliability.conftest import spawn

    folder = tmp_path / "prices"
    csvs = [write_csv(tmp_path / f"{s}.csv", start=50.0 + i) for i, s in enumerate("ABCDEFGH")]
    code = (
        "import sys\nfrom pathlib import Path\nfrom tools.prices.store import PriceStore\n"
        "from tools.prices.csv_import import import_csv\n"
        f"store = PriceStore(Path({str(folder)!r}))\n"
        "for round in range(20):\n"
        f"    for csv in {[str(c) for c in csvs]!r}:\n"
        "        import_csv(store, Path(csv))\n"
        "        print('imported', flush=True)\n"
    )
    worker = spawn("-c", code)
    assert worker.stdout is not None and worker.stdout.readline().strip() == "imported"
    time.sleep(random.Random(seed).uniform(0.1, 2.0))  # then kill it anywhere in the loop
    worker.kill()
    worker.wait()
    store = PriceStore(folder)
    assert store.symbols()  # killed mid-way, not before the first file
    assert all(store.verify(symbol) is None for symbol in store.symbols())
    for symbol in store.symbols():
        assert len(store.load(symbol)) == 81  # every session of the CSV, never half a file
