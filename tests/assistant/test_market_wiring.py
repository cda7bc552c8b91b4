"""The assistant's market wiring: settings to sources, and the demo price import."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.data.market import import_demo_prices, open_market, price_source
from assistant.settings import get_settings


def test_local_mode_has_no_live_source() -> None:
    source = price_source(get_settings())
    assert source.live is None
    assert source.mode == "local"


def test_auto_mode_wires_yahoo_with_the_configured_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FOOTNOTE_PRICE_MODE", "auto")
    monkeypatch.setenv("FOOTNOTE_LIVE_DEADLINE_S", "3.5")
    get_settings.cache_clear()
    source = price_source(get_settings())
    assert type(source.live).__name__ == "YahooSource"
    assert source.deadline_s == 3.5
    assert source.live.deadline_s == 3.5  # type: ignore[union-attr]


def test_demo_import_fills_an_empty_store_once_newer_rows_winning(
    shared_prices: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FOOTNOTE_DEMO_PRICES", str(shared_prices))
    get_settings.cache_clear()
    settings = get_settings()
    lines = list(import_demo_prices(settings))
    assert "imported 29 demo CSV files" in lines[0]
    stored = price_source(settings).store.load("^RUT")
    row = stored.loc["2026-02-23"]
    assert row["Volume"] > 0  # the newer folder's proper row replaced the intraday snapshot
    assert list(import_demo_prices(settings)) == ["Prices: 19 symbols already stored."]
    assert open_market(settings).close_on("^RUT", "2026-01-23").display() == "2,669.16"
