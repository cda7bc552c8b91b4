"""Fixtures for tools tests: the shared Yahoo CSVs as frames, and a Market over them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from tools.market import Market
from tools.prices.csv_import import read_price_csv
from tools.prices.fake import FakeSource

TODAY = dt.date(2026, 3, 9)  # the Monday after the shared data's last session
FOLDERS = ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03")  # older first: newer rows win


@pytest.fixture(scope="session")
def real_frames(shared_prices: Path) -> dict[str, pd.DataFrame]:
    """Every shared CSV read through our importer, the newer folder winning on overlap."""
    frames: dict[str, pd.DataFrame] = {}
    for folder in FOLDERS:
        for path in sorted((shared_prices / folder).glob("*.csv")):
            parsed = read_price_csv(path)
            old = frames.get(parsed.symbol)
            new = parsed.frame
            if old is not None:
                new = pd.concat([old[~old.index.isin(new.index)], new]).sort_index()
            frames[parsed.symbol] = new
    return frames


@pytest.fixture(scope="session")
def real_market(real_frames: dict[str, pd.DataFrame]) -> Market:
    """A Market over the shared data, with today fixed just after its last session."""
    return Market(
        FakeSource(real_frames, provider="Yahoo Finance (third-party snapshot)"),
        today=lambda: TODAY,
    )
