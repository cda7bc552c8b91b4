"""Two processes updating the same symbol in one shared price folder lose no row: each save
reads, merges and writes under the symbol's lock file (temp file + rename inside it), and keeps
the stored sessions inside its span that it does not hold (the other writer's)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.reliability.conftest import spawn
from tools import calendar
from tools.prices.fake import synthetic_ohlcv
from tools.prices.store import PriceStore, StoreBusy

SESSIONS = calendar.sessions_between(dt.date(2025, 1, 2), dt.date(2025, 3, 31))

WRITER = """
import datetime as dt, json, sys
from pathlib import Path
from tools import calendar
from tools.prices.fake import synthetic_ohlcv
from tools.prices.store import PriceStore

folder, part, parts = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
sessions = calendar.sessions_between(dt.date(2025, 1, 2), dt.date(2025, 3, 31))
frame = synthetic_ohlcv(["SPY"], sessions)["SPY"]
store = PriceStore(folder)
rows = frame.iloc[part::parts]  # every other session: the two writers interleave day by day
mine = [rows.iloc[i:i + 3] for i in range(0, len(rows), 3)]
for chunk in mine:  # each save reads, merges and writes the whole file; its span holds the
    store.save("SPY", chunk, f"writer {part}", dt.datetime.now(dt.UTC))  # other's sessions
print(json.dumps({"saved": sum(len(c) for c in mine)}))
"""


def test_two_processes_saving_one_symbol_lose_no_row(tmp_path: Path) -> None:
    folder = tmp_path / "prices"
    writers = [spawn("-c", WRITER, str(folder), str(part), "2") for part in range(2)]
    saved = 0
    for writer in writers:
        out, err = writer.communicate(timeout=300)
        assert writer.returncode == 0, err[-2000:]
        saved += json.loads(out)["saved"]
    store = PriceStore(folder)
    assert saved == len(SESSIONS)
    stored = store.load("SPY")
    assert len(stored) == len(SESSIONS)  # no save overwrote the other process's rows
    assert [d.date() for d in stored.index] == [d.date() for d in SESSIONS]
    assert store.verify("SPY") is None  # the checksum matches: never half a file
    assert set(stored["provider"]) == {"writer 0", "writer 1"}
    assert not list(folder.glob(".*.tmp"))  # no temporary file left behind


def test_a_writer_that_waits_too_long_says_so(tmp_path: Path) -> None:
    from filelock import FileLock

    folder = tmp_path / "prices"
    folder.mkdir()
    frame = synthetic_ohlcv(["SPY"], SESSIONS[:5])["SPY"]
    store = PriceStore(folder, lock_timeout_s=0.2)
    with FileLock(folder / ".SPY.lock"), pytest.raises(StoreBusy) as caught:  # another writer
        store.save("SPY", frame, "test", dt.datetime.now(dt.UTC))
    assert "SPY" in caught.value.message and "FOOTNOTE_STORE_LOCK_S" in caught.value.hint
    assert store.load("SPY").empty
    store.save("SPY", frame, "test", dt.datetime.now(dt.UTC))  # the lock is free again
    assert len(store.load("SPY")) == 5
