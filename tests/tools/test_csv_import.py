"""CSV import: both layouts, validation with reasons, intraday warnings, nothing written on error."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tools.prices.csv_import import CsvError, csv_files, import_csv, read_price_csv
from tools.prices.store import PriceStore

PLAIN = """Date,Open,High,Low,Close,Volume
2026-01-20,10,11,9.5,10.5,1000
2026-01-21,10.5,11.5,10,11,1200
2026-01-22,11,12,10.8,11.8,900
"""
YFINANCE = """Price,Close,High,Low,Open,Volume
Ticker,SPY,SPY,SPY,SPY,SPY
Date,,,,,
2026-01-20,10.5,11,9.5,10,1000
2026-01-21,11,11.5,10,10.5,1200
"""


def write(folder: Path, name: str, text: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


def test_plain_layout_in_any_column_order(tmp_path: Path) -> None:
    shuffled = "volume,close,DATE,low,open,high\n1000,10.5,2026-01-20,9.5,10,11\n"
    prices = read_price_csv(write(tmp_path, "IWM.csv", shuffled))
    assert (prices.symbol, prices.layout, len(prices.frame)) == ("IWM", "plain", 1)
    assert prices.frame.iloc[0].to_dict() == {
        "Open": 10,
        "High": 11,
        "Low": 9.5,
        "Close": 10.5,
        "Volume": 1000,
    }


def test_yfinance_layout_and_symbol_from_the_file_or_given(tmp_path: Path) -> None:
    path = write(tmp_path, "^rut.csv", YFINANCE)
    assert read_price_csv(path).symbol == "^RUT"
    prices = read_price_csv(path, symbol="spy")
    assert (prices.symbol, prices.layout, prices.frame.index[0].date()) == (
        "SPY",
        "yfinance",
        dt.date(2026, 1, 20),
    )


def test_real_yahoo_files_read_cleanly(shared_prices: Path) -> None:
    new = read_price_csv(shared_prices / "yahoo-2025-09_2026-03" / "^RUT.csv")
    old = read_price_csv(shared_prices / "yahoo-2024_2026-02" / "^RUT.csv")
    assert (new.layout, old.layout) == ("yfinance", "plain")
    assert new.rejected == ()
    assert len(new.frame) == 125
    assert any("2026-02-23" in w and "intraday" in w for w in old.warnings)
    vix = read_price_csv(shared_prices / "yahoo-2024_2026-02" / "^VIX.csv")
    assert [r.reason for r in vix.rejected] == ["2025-09-01 is not an NYSE trading session"]
    assert vix.warnings == ()  # an index with no volume at all is not an intraday snapshot


def test_bad_rows_are_rejected_with_reasons_the_rest_imported(tmp_path: Path) -> None:
    text = (
        PLAIN
        + "2026-01-23,12,11,10,-3,100\n2026-01-25,12,13,11,12,100\n2026-01-26,12,11,13,12,100\n2026-01-27,12,13,11,12.5,0\n"
    )
    store = PriceStore(tmp_path / "store")
    result = import_csv(store, write(tmp_path, "SPY.csv", text))
    reasons = {r.date: r.reason for r in result.prices.rejected}
    assert reasons == {
        "2026-01-23": "non-positive price in Close",
        "2026-01-25": "2026-01-25 is not an NYSE trading session",
        "2026-01-26": "High 11 is below Low 13",
    }
    assert result.saved.total == 4
    assert "2026-01-27" in result.prices.warnings[0]


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("SPY.csv", "", "is empty"),
        ("SPY.csv", "Date,Open,High,Low,Close,Volume\n", "no rows"),
        ("SPY.csv", "hello,world\nthis is,not prices\n", "missing column"),
        (
            "SPY.csv",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe",
            "not a readable text CSV|could not be parsed|missing column",
        ),
        ("SPY.csv", PLAIN + "2026-01-22,11,12,10.8,11.8,900\n", "duplicate dates: 2026-01-22"),
        (
            "SPY.csv",
            "Date,Open,High,Low,Close\n2026-01-21,1,2,1,2\n2026-01-20,1,2,1,2\n",
            "out of order",
        ),
        (
            "SPY.csv",
            "Date,Open,High,Low,Close\n2026-01-20,-1,-1,-2,-1\n",
            "no valid rows.*non-positive",
        ),
        ("SPY.csv", "Date,Open,High,Low,Close\n2030-01-02,1,2,1,2\n", "no valid rows.*future"),
        ("prices 2024.csv", PLAIN, "Cannot tell the symbol"),
    ],
)
def test_unusable_files_are_clear_errors_and_write_nothing(
    tmp_path: Path, name: str, content: str | bytes, words: str
) -> None:
    store = PriceStore(tmp_path / "store")
    with pytest.raises(CsvError, match=words):
        import_csv(store, write(tmp_path, name, content))
    assert not (tmp_path / "store").exists()


def test_folders_expand_and_missing_paths_are_errors(tmp_path: Path) -> None:
    write(tmp_path, "B.csv", PLAIN)
    write(tmp_path, "A.csv", PLAIN)
    write(tmp_path, "notes.txt", "x")
    assert [p.name for p in csv_files([tmp_path])] == ["A.csv", "B.csv"]
    with pytest.raises(CsvError, match="No such file"):
        csv_files([tmp_path / "nope"])
