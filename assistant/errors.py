"""One base for the errors a user can cause or meet: bad input, missing data, a failing model.

`tools` and `knowledge` sit below `assistant` and keep their own error types; `as_footnote_error`
translates them at the seam, so the app and the CLI catch `FootnoteError` and show its message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager


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
        return MarketError(exc.message, exc.hint)
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
