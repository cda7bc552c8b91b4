"""One base for the errors a user can cause or meet: bad input, missing data, a failing model.

`tools` and `knowledge` sit below `assistant` and keep their own error types; `as_footnote_error`
translates them at the seam, so the app and the CLI catch `FootnoteError` and show its message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Literal


class FootnoteError(Exception):
    """An error with a message meant for the user (no traceback needed), and what to do."""

    def __init__(self, message: str, hint: str = "") -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} {hint}".strip())


class MarketError(FootnoteError):
    """No data, an unknown symbol, a bad window or a metric that cannot be computed."""


class KnowledgeError(FootnoteError):
    """A document that cannot be read or stored, or a store that cannot be searched."""


class ModelError(FootnoteError):
    """The chat model is not configured, refused, timed out or returned something unusable."""


def market_errors() -> tuple[type[Exception], ...]:
    """The tools' error types that mean bad input or no data (a message, not a crash)."""
    from tools.calendar import CalendarError
    from tools.metrics import MetricError
    from tools.prices.base import PriceError
    from tools.symbols import SymbolError

    return (PriceError, CalendarError, SymbolError, MetricError)


def as_footnote_error(exc: BaseException) -> FootnoteError | None:
    """The `FootnoteError` an outside error stands for, or None when it is a bug."""
    if isinstance(exc, FootnoteError):
        return exc
    from tools.prices.base import PriceError

    if isinstance(exc, PriceError):
        mapped = MarketError(exc.message, exc.hint)
        mapped.__cause__ = exc  # kept for `explain_error`, also when the caller does not raise it
        return mapped
    if isinstance(exc, market_errors()):
        return MarketError(str(exc))
    from knowledge.loaders import LoadError

    if isinstance(exc, LoadError):
        return KnowledgeError(str(exc))
    from knowledge.errors import StoreError

    if isinstance(exc, StoreError):
        return KnowledgeError(exc.message, exc.hint)
    return None


@contextmanager
def translated_errors() -> Iterator[None]:
    """Raise the `FootnoteError` an outside error stands for; let bugs through as they are."""
    try:
        yield
    except FootnoteError:
        raise
    except Exception as exc:
        mapped = as_footnote_error(exc)
        if mapped is None:
            raise
        raise mapped from exc


# ---- missing prices, in the reader's words ------------------------------------------------

Cause = Literal["none_stored", "offline", "rate_limited", "unknown_symbol", "other"]

_NO_PRICES = {
    "en": "No prices are stored for {names}{window}.",
    "zh": "本地没有{names}{window}的价格数据。",
}
_WINDOW = {"en": " from {start} to {end}", "zh": "在 {start} 至 {end} 期间"}
_CAUSE = {
    "offline": {
        "en": " The price service cannot be reached (this computer looks offline).",
        "zh": "行情服务目前无法连接（本机似乎处于离线状态）。",
    },
    "rate_limited": {
        "en": " The price service is refusing requests for the moment; ask again in a minute.",
        "zh": "行情服务暂时拒绝请求，请一分钟后再试。",
    },
    "none_stored": {"en": "", "zh": ""},
}
_FIX = {
    "en": "To fix it, import a CSV of daily prices on the Settings page or with "
    "`footnote prices import PATH`; when online, `footnote prices update {symbols}` fetches them.",
    "zh": "解决方法：在“设置”页或用 `footnote prices import PATH` 导入日线价格 CSV；"
    "联网后也可运行 `footnote prices update {symbols}` 获取。",
}
_UNKNOWN = {
    "en": "Footnote does not know the symbol {symbols}. Check the ticker "
    "(for example ^GSPC for the S&P 500, BRK-B for Berkshire Hathaway).",
    "zh": "Footnote 不认识代码 {symbols}。请检查代码（例如标普500为 ^GSPC，伯克希尔为 BRK-B）。",
}


def cause_of(exc: BaseException) -> Cause:
    """What a price lookup's failure means for the reader (not how the transport failed)."""
    from tools.prices.base import NoData, PriceError, RateLimited, SourceUnavailable, UnknownSymbol

    if isinstance(exc, UnknownSymbol):
        return "unknown_symbol"
    if isinstance(exc, SourceUnavailable):
        return "offline"
    if isinstance(exc, RateLimited):
        return "rate_limited"
    if isinstance(exc, NoData | PriceError):
        return "none_stored" if isinstance(exc, NoData) else "other"
    return "other"


def no_prices_text(
    symbols: Sequence[str],
    start: dt.date | None,
    end: dt.date | None,
    cause: str,
    lang: str,
    fix: bool = True,
) -> str:
    """One calm paragraph: which prices are missing for which window, why, and the fix (only
    the first sentence without `fix`)."""
    from tools.symbols import symbol_name

    zh = lang.startswith("zh")
    key = "zh" if zh else "en"
    symbols = list(dict.fromkeys(s for s in symbols if s))
    tickers = " ".join(symbols)
    if cause == "unknown_symbol" and all(symbol_name(s, "en") != s for s in symbols):
        cause = "none_stored"  # a symbol Footnote names is known: the source just has no rows
    if cause == "unknown_symbol":
        return _UNKNOWN[key].format(symbols=tickers or "?")
    names = []
    for symbol in symbols:
        name = symbol_name(symbol, key)
        if symbol in name:
            names.append(name)
        else:
            names.append(f"{name}（{symbol}）" if zh else f"{name} ({symbol})")
    joined = ("、" if zh else ", ").join(names) or ("所需标的" if zh else "these symbols")
    window = (
        _WINDOW[key].format(start=start.isoformat(), end=end.isoformat()) if start and end else ""
    )
    text = _NO_PRICES[key].format(names=joined, window=window)
    if not fix:
        return text
    text += _CAUSE.get(cause, _CAUSE["none_stored"])[key]
    return f"{text}{'' if zh else ' '}{_FIX[key].format(symbols=tickers or 'SYMBOL')}"


def explain_error(
    exc: BaseException,
    lang: str,
    symbols: Sequence[str] = (),
    fix: bool = True,
    window: tuple[dt.date, dt.date] | None = None,
) -> str:
    """The reader's paragraph for a failed market lookup: no transport text, the window asked
    about, the command that fixes it. Our own errors about the question (a future date, a
    metric that needs more sessions) keep their message. `window` names the period the reader
    is looking at (a news item's) in place of the one the lookup asked for."""
    from tools.prices.base import BadRequest, PriceError

    if isinstance(exc, FootnoteError) and isinstance(exc.__cause__, PriceError):
        exc = exc.__cause__  # translated at the seam: the price error knows what was asked
    if not isinstance(exc, PriceError) or isinstance(exc, BadRequest):
        return str(exc.message if isinstance(exc, FootnoteError | PriceError) else exc)
    cause = cause_of(exc)
    stored_some = cause == "none_stored" and not exc.symbol and not exc.message.startswith("No ")
    if cause == "other" or stored_some:
        return exc.message  # our own words about the data held (it starts late, a gap ...)
    asked = [exc.symbol] if exc.symbol else list(symbols)
    start, end = window or (exc.start, exc.end)
    return no_prices_text(asked, start, end, cause, lang, fix)
