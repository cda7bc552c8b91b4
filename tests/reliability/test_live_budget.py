"""A dead live source costs one answer one deadline, and stored data says it is stored."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

from tests.reliability.conftest import record
from tests.reliability.test_price_integrity import write_csv
from tools.prices.base import PriceHistory
from tools.prices.cached import CachedSource
from tools.prices.csv_import import import_csv
from tools.prices.store import PriceStore


class HangingSource:
    """A live source on a network that never answers."""

    provider = "hanging"

    def __init__(self) -> None:
        self.calls = 0
        self._release = threading.Event()

    def history(self, symbol: str, start: dt.date, end: dt.date) -> PriceHistory:
        self.calls += 1
        self._release.wait(30)
        raise AssertionError("never answers in time")


def test_five_lookups_wait_for_one_deadline_and_are_labelled(tmp_path: Path) -> None:
    store = PriceStore(tmp_path / "prices")
    for symbol in ("SPY", "QQQ", "IWM", "DIA", "XLK"):
        import_csv(store, write_csv(tmp_path / f"{symbol}.csv"))
    live = HangingSource()
    source = CachedSource(
        store,
        live,  # type: ignore[arg-type]
        mode="live",
        deadline_s=0.5,
        now=lambda: dt.datetime(2026, 11, 30, 12, tzinfo=dt.UTC),
    )
    started = time.monotonic()
    histories = [
        source.history(symbol, dt.date(2025, 4, 1), dt.date(2025, 4, 30))
        for symbol in ("SPY", "QQQ", "IWM", "DIA", "XLK")
    ]
    elapsed = time.monotonic() - started
    live._release.set()
    record("5 live lookups, network hanging", seconds=round(elapsed, 2), live_calls=live.calls)
    assert live.calls == 1
    assert elapsed < 2.2  # one deadline (0.5 s) and stored reads, not five (2.5 s); busy cores
    for history in histories:
        assert any("live" in note and "fail" in note for note in history.notes), history.notes
        assert history.as_of == dt.date(2025, 4, 30)


def test_live_is_asked_again_after_the_pause(tmp_path: Path) -> None:
    store = PriceStore(tmp_path / "prices")
    import_csv(store, write_csv(tmp_path / "SPY.csv"))
    live = HangingSource()
    source = CachedSource(store, live, mode="live", deadline_s=0.2, retry_after_s=0.3)  # type: ignore[arg-type]
    source.history("SPY", dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    source.history("SPY", dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    assert live.calls == 1
    time.sleep(0.35)
    source.history("SPY", dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    live._release.set()
    assert live.calls == 2


def test_twenty_unknown_symbols_cost_one_deadline(tmp_path: Path) -> None:
    import pytest

    from tools.prices.base import PriceError

    live = HangingSource()
    source = CachedSource(PriceStore(tmp_path / "prices"), live, mode="auto", deadline_s=0.5)  # type: ignore[arg-type]
    started = time.monotonic()
    for n in range(20):
        with pytest.raises(PriceError, match="live"):
            source.history(f"ZZ{chr(65 + n)}", dt.date(2025, 4, 1), dt.date(2025, 4, 30))
    elapsed = time.monotonic() - started
    live._release.set()
    record("20 unknown symbols, network hanging", seconds=round(elapsed, 2), live_calls=live.calls)
    # one deadline (0.5 s) and quick refusals, not twenty (10 s); busy cores take their share
    assert live.calls == 1 and elapsed < 3
