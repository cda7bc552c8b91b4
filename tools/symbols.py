"""Turn user text (English or Chinese) into validated Yahoo symbols, and name them."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


class SymbolError(ValueError):
    """Text that is not a symbol Footnote will look up."""


@dataclass(frozen=True)
class Sector:
    """One of the eleven US sectors and the SPDR ETF that tracks it."""

    symbol: str
    en: str
    zh: str


SECTORS: tuple[Sector, ...] = (
    Sector("XLB", "Materials", "基础材料"),
    Sector("XLC", "Communication Services", "通信服务"),
    Sector("XLE", "Energy", "能源"),
    Sector("XLF", "Financials", "金融"),
    Sector("XLI", "Industrials", "工业"),
    Sector("XLK", "Technology", "信息技术"),
    Sector("XLP", "Consumer Staples", "必需消费品"),
    Sector("XLRE", "Real Estate", "房地产"),
    Sector("XLU", "Utilities", "公用事业"),
    Sector("XLV", "Health Care", "医疗保健"),
    Sector("XLY", "Consumer Discretionary", "可选消费品"),
)
SECTOR_SYMBOLS: tuple[str, ...] = tuple(s.symbol for s in SECTORS)

_NAMES: dict[str, tuple[str, str]] = {
    "^RUT": ("Russell 2000", "罗素2000指数"),
    "^GSPC": ("S&P 500", "标普500指数"),
    "^IXIC": ("Nasdaq Composite", "纳斯达克综合指数"),
    "^DJI": ("Dow Jones Industrial Average", "道琼斯工业平均指数"),
    "^VIX": ("CBOE Volatility Index (VIX)", "VIX波动率指数"),
    "IWM": ("iShares Russell 2000 ETF (IWM)", "iShares罗素2000 ETF (IWM)"),
    "SPY": ("SPDR S&P 500 ETF (SPY)", "SPDR标普500 ETF (SPY)"),
    "QQQ": ("Invesco QQQ Trust (QQQ)", "景顺纳斯达克100 ETF (QQQ)"),
    "DIA": ("SPDR Dow Jones ETF (DIA)", "SPDR道琼斯 ETF (DIA)"),
    **{
        s.symbol: (f"{s.en} sector (SPDR {s.symbol})", f"{s.zh}板块 (SPDR {s.symbol})")
        for s in SECTORS
    },
}

# Phrases people use for a symbol; matched case-insensitively, longest first.
_ALIASES: dict[str, tuple[str, ...]] = {
    "^RUT": (
        "rut",
        "russell 2000",
        "russell2000",
        "russell",
        "small caps",
        "small-caps",
        "small cap index",
        "small-cap index",
        "罗素2000",
        "罗素 2000",
        "罗素",
        "小盘股指数",
        "小盘股",
        "小盘",
    ),
    "^GSPC": (
        "spx",
        "gspc",
        "s&p 500",
        "s&p500",
        "s&p",
        "sp500",
        "sp 500",
        "标普500",
        "标普 500",
        "标准普尔500",
        "标普",
    ),
    "^IXIC": ("ixic", "nasdaq", "nasdaq composite", "纳斯达克", "纳斯达克综合指数", "纳指"),
    "^DJI": (
        "djia",
        "dji",
        "dow",
        "dow jones",
        "dow jones industrial average",
        "the dow",
        "道琼斯",
        "道指",
        "道琼斯工业指数",
        "道琼斯工业平均指数",
    ),
    "^VIX": ("vix", "volatility index", "fear index", "fear gauge", "恐慌指数", "波动率指数"),
    "XLB": ("basic materials", "materials", "materials sector", "基础材料", "原材料", "材料板块"),
    "XLC": ("communication services", "communications", "通信服务", "通讯服务"),
    "XLE": ("energy", "energy sector", "能源"),
    "XLF": ("financials", "financial sector", "finance sector", "金融", "金融板块"),
    "XLI": ("industrials", "industrial sector", "工业"),
    "XLK": ("technology", "tech", "tech sector", "information technology", "信息技术", "科技"),
    "XLP": ("consumer staples", "staples", "必需消费品", "日常消费品", "必需消费"),
    "XLRE": ("real estate", "房地产"),
    "XLU": ("utilities", "公用事业"),
    "XLV": ("health care", "healthcare", "医疗保健", "医疗", "医药"),
    "XLY": ("consumer discretionary", "discretionary", "可选消费品", "非必需消费品", "可选消费"),
}
_ALIAS_TO_SYMBOL = {
    alias.casefold(): symbol for symbol, names in _ALIASES.items() for alias in names
}

# Yahoo symbols: optional ^ for indices, then letters/digits with at most two
# -, = or . separated parts (BRK-B, EURUSD=X, 0700.HK). Nothing else ever passes.
_SYMBOL = re.compile(r"^\^?[A-Z0-9]{1,10}(?:[-=.][A-Z0-9]{1,6}){0,2}$")
_MAX_SHOWN = 40

# Upper-case words in English text that are not tickers.
_NOT_TICKERS = frozenset(
    [
        "AI",
        "AM",
        "API",
        "ATH",
        "CEO",
        "CFO",
        "CPI",
        "EPS",
        "ETF",
        "ETFS",
        "EU",
        "FED",
        "FOMC",
        "FX",
        "GDP",
        "IPO",
        "IT",
        "OK",
        "PE",
        "PM",
        "PPI",
        "QE",
        "SEC",
        "SPDR",
        "NYSE",
        "US",
        "USA",
        "USD",
        "YOY",
        "YTD",
        "MTD",
        "QTD",
        "VS",
        "THE",
        "AND",
        "OR",
    ]
)


def _show(text: str) -> str:
    """Quote user input for a message, shortened."""
    return repr(text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…")


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def resolve_symbol(text: str) -> str:
    """Return the Yahoo symbol for a name or ticker, or raise `SymbolError` naming the input."""
    if not isinstance(text, str):
        raise SymbolError(f"A symbol must be text, not {type(text).__name__}.")
    cleaned = _normalise(text)
    if not cleaned:
        raise SymbolError(
            "Empty symbol: give a ticker such as SPY or a name such as 'Russell 2000'."
        )
    alias = _ALIAS_TO_SYMBOL.get(re.sub(r"\s+", " ", cleaned).casefold())
    if alias:
        return alias
    ticker = cleaned.removeprefix("$").upper()
    # Share classes are written BRK.B by people and BRK-B by Yahoo.
    ticker = re.sub(r"^([A-Z]{1,5})\.([A-C])$", r"\1-\2", ticker)
    if not _SYMBOL.fullmatch(ticker):
        raise SymbolError(
            f"Not a symbol: {_show(text)}. Use a ticker of letters and digits "
            "(e.g. SPY, BRK-B, ^GSPC) or an index name such as 'S&P 500' or '罗素2000'."
        )
    return ticker


def is_valid_symbol(symbol: str) -> bool:
    """Tell whether `symbol` is already a canonical symbol (safe in a file name or a URL)."""
    return isinstance(symbol, str) and bool(_SYMBOL.fullmatch(symbol))


def symbol_name(symbol: str, lang: str = "en") -> str:
    """Return a display name for a symbol in English or Chinese (the symbol itself if unknown)."""
    names = _NAMES.get(symbol)
    if names is None:
        return symbol
    return names[1] if lang.startswith("zh") else names[0]


def _alias_pattern() -> re.Pattern[str]:
    # Longest first. Aliases that begin with a letter or digit share one "not inside a word"
    # test, made once per position instead of once per alias; the others (Chinese names) begin
    # with characters that cannot start those, so the two groups never compete for a position.
    words, others = [], []
    for alias in sorted(_ALIAS_TO_SYMBOL, key=len, reverse=True):
        body = re.escape(alias).replace(r"\ ", r"\s+")
        right = r"(?![A-Za-z0-9])" if alias[-1].isascii() and alias[-1].isalnum() else ""
        if alias[0].isascii() and alias[0].isalnum():
            words.append(f"{body}{right}")
        else:
            assert not re.match(r"[a-z0-9]", alias[0], re.IGNORECASE), alias
            others.append(f"{body}{right}")
    aliases = "|".join([rf"(?<![A-Za-z0-9])(?:{'|'.join(words)})", *others])
    tickers = r"\^[A-Za-z]{2,6}|\$[A-Za-z][A-Za-z0-9.\-]{0,9}|(?<![A-Za-z0-9])[A-Z]{2,5}(?:\.[A-Z])?(?![A-Za-z0-9])"
    return re.compile(f"(?P<alias>(?i:{aliases}))|(?P<ticker>{tickers})")


_FINDER = _alias_pattern()


def symbol_spans(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, symbol) for every symbol mention in NFKC-normalised `text`, in order."""
    spans: list[tuple[int, int, str]] = []
    for match in _FINDER.finditer(unicodedata.normalize("NFKC", text)):
        if match.group("alias"):
            symbol: str | None = _ALIAS_TO_SYMBOL[
                re.sub(r"\s+", " ", match.group("alias")).casefold()
            ]
        else:
            token = match.group("ticker")
            if token.upper() in _NOT_TICKERS:
                continue
            try:
                symbol = resolve_symbol(token)
            except SymbolError:
                symbol = None
        if symbol:
            spans.append((match.start(), match.end(), symbol))
    return spans


def find_symbols(text: str) -> list[str]:
    """Return every symbol mentioned in free English or Chinese text, in order, once each."""
    return list(dict.fromkeys(symbol for _, _, symbol in symbol_spans(text)))
