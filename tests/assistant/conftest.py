"""Fixtures for the assistant: the real Market on ../shared prices, the demo library, threads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from assistant.chat.service import Assistant
from assistant.settings import get_settings
from assistant.store import ThreadStore
from knowledge.library import Library
from tools.market import Market
from tools.prices.csv_import import read_price_csv
from tools.prices.fake import FakeSource

TODAY = dt.date(2026, 3, 9)  # the Monday after the shared data's last session


def load_shared_frames(prices: Path) -> dict[str, pd.DataFrame]:
    """Every shared CSV, the newer folder's rows winning where the two overlap."""
    frames: dict[str, pd.DataFrame] = {}
    for folder in ("yahoo-2024_2026-02", "yahoo-2025-09_2026-03"):
        for path in sorted((prices / folder).glob("*.csv")):
            parsed = read_price_csv(path)
            old = frames.get(parsed.symbol)
            frame = parsed.frame
            if old is not None:
                frame = pd.concat([old[~old.index.isin(frame.index)], frame]).sort_index()
            frames[parsed.symbol] = frame
    return frames


@pytest.fixture(scope="session")
def shared_frames(shared_prices: Path) -> dict[str, pd.DataFrame]:
    return load_shared_frames(shared_prices)


@pytest.fixture(scope="session")
def market(shared_frames: dict[str, pd.DataFrame]) -> Market:
    return Market(
        FakeSource(shared_frames, provider="Yahoo Finance (third-party snapshot)"),
        today=lambda: TODAY,
    )


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    lib = Library(tmp_path_factory.mktemp("library"))
    lib.ensure_demo()
    return lib


@pytest.fixture
def make_assistant(market: Market, library: Library, tmp_path: Path) -> Callable[..., Assistant]:
    def make(**kwargs: object) -> Assistant:
        kwargs.setdefault("market", market)
        kwargs.setdefault("library", library)
        kwargs.setdefault("threads", ThreadStore(tmp_path / "threads.sqlite"))
        return Assistant(get_settings(), **kwargs)  # type: ignore[arg-type]

    return make
