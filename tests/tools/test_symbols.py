"""Symbols: English and Chinese names, tickers, validation before any I/O."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.symbols import (
    SECTOR_SYMBOLS,
    SECTORS,
    SymbolError,
    find_symbols,
    is_valid_symbol,
    resolve_symbol,
    symbol_name,
)


@pytest.mark.parametrize(
    ("text", "symbol"),
    [
        ("RUT", "^RUT"),
        ("Russell 2000", "^RUT"),
        ("罗素2000", "^RUT"),
        ("小盘股指数", "^RUT"),
        ("SPX", "^GSPC"),
        ("S&P 500", "^GSPC"),
        ("标普500", "^GSPC"),
        ("IXIC", "^IXIC"),
        ("Nasdaq", "^IXIC"),
        ("纳斯达克", "^IXIC"),
        ("DJIA", "^DJI"),
        ("Dow", "^DJI"),
        ("道琼斯", "^DJI"),
        ("vix", "^VIX"),
        ("iwm", "IWM"),
        ("SPY", "SPY"),
        ("qqq", "QQQ"),
        ("DIA", "DIA"),
        ("基础材料", "XLB"),
        ("Basic Materials", "XLB"),
        ("通信服务", "XLC"),
        ("必需消费品", "XLP"),
        ("金融", "XLF"),
        ("医疗保健", "XLV"),
        ("Technology", "XLK"),
        ("房地产", "XLRE"),
        ("brk.b", "BRK-B"),
        ("ＡＡＰＬ", "AAPL"),
        ("  aapl ", "AAPL"),
        ("$msft", "MSFT"),
        ("^gspc", "^GSPC"),
        ("EURUSD=X", "EURUSD=X"),
        ("0700.HK", "0700.HK"),
    ],
)
def test_resolve(text: str, symbol: str) -> None:
    assert resolve_symbol(text) == symbol


@pytest.mark.parametrize(
    "bad",
    [
        "AAPL; rm -rf /",
        "../../etc/passwd",
        "",
        "   ",
        "SPY' OR 1=1 --",
        "a b",
        "$(reboot)",
        "X" * 30,
        "SPY\x00",
    ],
)
def test_bad_input_is_a_clear_error_naming_it(bad: str) -> None:
    with pytest.raises(SymbolError) as caught:
        resolve_symbol(bad)
    message = str(caught.value)
    assert ("Empty symbol" in message) if not bad.strip() else (repr(bad)[:20] in message)


@given(st.text(max_size=40))
def test_whatever_comes_in_only_a_safe_symbol_comes_out(text: str) -> None:
    try:
        symbol = resolve_symbol(text)
    except SymbolError:
        return
    assert is_valid_symbol(symbol)
    assert not re.search(r"[\s/\\;'\"`$<>|&*?]", symbol)
    assert ".." not in symbol


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("罗素2000和标普500相比", ["^RUT", "^GSPC"]),
        ("How did small caps do vs the Dow?", ["^RUT", "^DJI"]),
        ("纳指、道指和VIX今天怎么样", ["^IXIC", "^DJI", "^VIX"]),
        ("Compare SPY, QQQ and IWM with AAPL", ["SPY", "QQQ", "IWM", "AAPL"]),
        ("Was the S&P 500 up? What about the S&P 500 again", ["^GSPC"]),
        ("金融和必需消费品板块", ["XLF", "XLP"]),
        ("What is the GDP and the CPI doing to the US ETF market?", []),
    ],
)
def test_find_symbols_in_order_once_each(text: str, expected: list[str]) -> None:
    assert find_symbols(text) == expected


def test_eleven_sectors_with_names_in_both_languages() -> None:
    assert len(SECTORS) == 11 == len(set(SECTOR_SYMBOLS))
    assert set(SECTOR_SYMBOLS) == {
        "XLB",
        "XLC",
        "XLE",
        "XLF",
        "XLI",
        "XLK",
        "XLP",
        "XLRE",
        "XLU",
        "XLV",
        "XLY",
    }
    for sector in SECTORS:
        assert resolve_symbol(sector.en) == sector.symbol
        assert resolve_symbol(sector.zh) == sector.symbol
        assert sector.zh in symbol_name(sector.symbol, "zh")


def test_names() -> None:
    assert symbol_name("^RUT") == "Russell 2000"
    assert symbol_name("^RUT", "zh") == "罗素2000指数"
    assert symbol_name("AAPL", "zh") == "AAPL"
