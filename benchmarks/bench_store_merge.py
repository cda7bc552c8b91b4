"""A price save that keeps the stored sessions its rows lack: alternate days and a gappy re-import."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.runner import Measure, check, median

if TYPE_CHECKING:
    import pandas as pd

NAME = "store_merge"
DESCRIPTION = (
    "Save ~6,500 generated sessions (2000-2025) as alternate days, then the days between (every "
    "stored day is kept: ~3,300 kept groups); and re-save the whole span with one day in ten "
    "missing. CPU seconds of the second save, median of 3 (target <= 2 s each)"
)
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _second_save(parts: list[pd.DataFrame]) -> tuple[float, int]:
    """CPU seconds of saving the last part into a store holding the others; rows kept."""
    from tools.prices.store import PriceStore

    with tempfile.TemporaryDirectory() as folder:
        store = PriceStore(Path(folder))
        for part in parts[:-1]:
            store.save("X", part, "earlier", AT)
        began = time.process_time()
        store.save("X", parts[-1], "last", AT)
        spent = time.process_time() - began
        return spent, len(store.load("X"))


def run() -> list[Measure]:
    from tools import calendar
    from tools.prices.fake import synthetic_ohlcv

    sessions = calendar.sessions_between(dt.date(2000, 1, 3), dt.date(2025, 12, 31))
    frame = synthetic_ohlcv(["X"], sessions, seed=3)["X"]
    cases = {
        "alternate": [frame.iloc[::2], frame.iloc[1::2]],
        "gaps": [frame, frame.drop(frame.index[::10])],
        "plain": [frame, frame],
    }
    spent: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(3):
        for name, parts in cases.items():
            seconds, rows = _second_save(parts)
            assert rows == len(sessions), (name, rows)  # no stored session lost
            spent[name].append(seconds)
    return [
        Measure("sessions", len(sessions), "rows"),
        check(
            "alternate days, second save", round(median(spent["alternate"]), 3), "cpu s", "<=", 2.0
        ),
        check("one day in ten missing", round(median(spent["gaps"]), 3), "cpu s", "<=", 2.0),
        Measure("the same span with nothing missing", round(median(spent["plain"]), 3), "cpu s"),
    ]
