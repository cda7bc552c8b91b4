"""Check one claim (a number read with its metric, symbol, period and sign) against a receipt.

The reader (`assistant.reading`) turns a sentence into claims; grounding may not import it (the
reader imports grounding's number finder, and the import-linter contract forbids circles), so
the claim shapes are described here as Protocols and the reader is handed in by the caller:
`verify(text, ledger, reader=read_claims)`. Any object with these attributes will do.

A field the reader could not tell (None), or carried over from an earlier sentence, never vetoes
a match; a field the sentence states and the receipt contradicts always does.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Hashable, Sequence
from datetime import date
from functools import lru_cache
from typing import Any, Protocol

from assistant.grounding.dates import DateHit, date_hits
from assistant.grounding.gates import compile as gate
from assistant.grounding.numbers import Mention
from tools.figure import Figure


class MetricLike(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def window(self) -> int | None: ...
    @property
    def basis(self) -> str | None: ...
    @property
    def benchmark(self) -> str | None: ...
    @property
    def annualised(self) -> bool | None: ...


class PeriodLike(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def start(self) -> date | None: ...
    @property
    def end(self) -> date | None: ...
    @property
    def future(self) -> bool: ...


class ClaimLike(Protocol):
    """`assistant.reading.Claim` as grounding uses it."""

    @property
    def index(self) -> int: ...
    @property
    def span(self) -> tuple[int, int]: ...
    @property
    def raw(self) -> str: ...
    @property
    def sign(self) -> int | None: ...
    @property
    def metric(self) -> MetricLike | None: ...
    @property
    def symbol(self) -> str | None: ...
    @property
    def period(self) -> PeriodLike | None: ...
    @property
    def from_context(self) -> Sequence[str]: ...


class RequestLike(Protocol):
    """`assistant.reading.Request` as grounding uses it."""

    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def language(self) -> str: ...
    @property
    def symbols(self) -> Sequence[str]: ...
    @property
    def metrics(self) -> Sequence[MetricLike]: ...
    @property
    def period(self) -> PeriodLike | None: ...


class ClaimReader(Hashable, Protocol):
    """`assistant.reading.read_claims`: sentences in order -> one claim per number."""

    def __call__(self, text: Sequence[str], ref: date, *, context: Any = None) -> Sequence[Any]: ...


# ---- metric classes ------------------------------------------------------------------------

# Which figure metrics a metric named by the reader may be; a stated metric outside its set vetoes.
_CHANGES = frozenset(
    {
        "return",
        "change_points",
        "day_change",
        "sector_change",
        "spread",
        "compound_growth",
        "simple_growth",
    }
)
_CLOSE_LEVELS = frozenset({"last_close", "high_52w", "low_52w"})
FIGURE_METRICS: dict[str, frozenset[str]] = {
    "return": _CHANGES,
    "change_points": _CHANGES,
    "day_change": _CHANGES,
    "relative": _CHANGES,
    "sma_distance": frozenset({"sma_distance"}),
    "last_close": _CLOSE_LEVELS,
    "high_52w": _CLOSE_LEVELS,
    "low_52w": _CLOSE_LEVELS,
    "period_high": _CLOSE_LEVELS,
    "period_low": _CLOSE_LEVELS,
    "sma": frozenset({"sma"}),
    "volatility": frozenset({"volatility_daily", "volatility_annual"}),
    "max_drawdown": frozenset({"max_drawdown"}),
    "beta": frozenset({"beta"}),
    "correlation": frozenset({"correlation"}),
}
# The units a metric can be written in; a reader's metric that the unit rules out is not used.
_METRIC_UNITS: dict[str, frozenset[str]] = {
    "return": frozenset({"%", "points", "plain", "usd"}),
    "change_points": frozenset({"%", "points", "plain", "usd"}),
    "day_change": frozenset({"%", "points", "plain", "usd"}),
    "relative": frozenset({"%", "pp", "points", "plain"}),
    "sma_distance": frozenset({"%", "pp"}),
    "last_close": frozenset({"points", "plain", "usd"}),
    "high_52w": frozenset({"points", "plain", "usd"}),
    "low_52w": frozenset({"points", "plain", "usd"}),
    "period_high": frozenset({"points", "plain", "usd"}),
    "period_low": frozenset({"points", "plain", "usd"}),
    "sma": frozenset({"points", "plain", "usd"}),
    "volatility": frozenset({"%"}),
    "max_drawdown": frozenset({"%"}),
    "beta": frozenset({"plain", "x"}),
    "correlation": frozenset({"plain"}),
}
# Figures whose receipt is a level on one day: their date is the window's end.
_ON_A_DAY = frozenset(
    {"last_close", "sma", "sma_distance", "high_52w", "low_52w", "day_change", "sector_change"}
)
_BOUNDED = frozenset({"between", "month", "quarter", "half", "year", "week"})
_FROM_A_START = frozenset({"since", "ytd", "mtd", "qtd"})

_TARGET = gate(r"target|forecast|目标|预测|预期", re.IGNORECASE)
_ANNUAL = gate(r"annuali[sz]ed|annual|per year|年化", re.IGNORECASE)
_DAILY = gate(r"\bdaily\b|日波动|日收益率?标准差|每日", re.IGNORECASE)


_LEVELS = frozenset({"last_close", "high_52w", "low_52w", "period_high", "period_low", "sma"})


def stated_metric(claim: ClaimLike | None, unit: str, signed: bool = False) -> MetricLike | None:
    """The claim's metric when the reader read one its unit allows, else None (unknown): a
    level is never written with a sign or a direction ("+168.73 points" is a change)."""
    if claim is None or claim.metric is None:
        return None
    allowed = _METRIC_UNITS.get(claim.metric.name)
    if allowed is not None and unit not in allowed:
        return None
    if signed and claim.metric.name in _LEVELS:
        return None
    return claim.metric


def stated(claim: ClaimLike | None, name: str) -> bool:
    """True when the sentence itself states `name` (not carried from an earlier sentence)."""
    return claim is not None and name not in claim.from_context


def receipt_conflict(
    claim: ClaimLike | None, mention: Mention, figure: Figure, sentence: str, year: int
) -> str | None:
    """Why `figure`'s receipt does not describe `claim` (symbol, metric, parameters, window or
    date), or None when nothing stated contradicts it. The value is checked elsewhere."""
    metric = stated_metric(claim, mention.unit, mention.signed or mention.direction is not None)
    symbol = claim.symbol if claim is not None and stated(claim, "symbol") else None
    if symbol and not same_subject(symbol, figure):
        return f"is about {symbol}, but the figure is {figure.symbol}'s"
    if figure.metric == "target_distance" and _TARGET.search(sentence):
        metric = None  # "target 2,825 ... +5.84%": the distance to a target the sentence names
    if metric is not None:
        allowed = FIGURE_METRICS.get(metric.name)
        if (
            allowed is not None
            and figure.metric not in allowed
            and not (
                figure.metric == "sma_distance" and allowed is _CHANGES and _SMA.search(sentence)
            )
        ):
            return f"reads as {metric.name}, but the figure is {figure.metric}"
        wanted = metric.window
        have = figure.params.get("window")
        if figure.metric == "sma" and wanted and isinstance(have, int) and wanted != have:
            return f"is a {wanted}-session average, but the figure's window is {have}"
        bench = metric.benchmark
        have_bench = figure.params.get("benchmark")
        if bench and isinstance(have_bench, str) and bench != have_bench:
            return f"is measured against {bench}, but the figure against {have_bench}"
    if figure.metric in ("volatility_daily", "volatility_annual"):
        lo, hi = _clause(sentence, mention.start)
        before = sentence[lo : mention.start]
        after = sentence[mention.end : min(hi, mention.end + 16)]
        # the qualifier nearest before the number in its clause wins ("年化波动率为23.10%（日波动率
        # 1.46%"); with none before, "annualised" right after it ("23.1% annualised")
        annual = max((m.end() for m in _ANNUAL.finditer(before)), default=-1)
        daily = max((m.end() for m in _DAILY.finditer(before)), default=-1)
        if annual < 0 and daily < 0 and _ANNUAL.search(after):
            annual = 0
        if annual > daily and figure.metric == "volatility_daily":
            return "is stated as annualised, but the figure is daily volatility"
        if daily > annual and figure.metric == "volatility_annual":
            return "is stated as daily, but the figure is annualised volatility"
    if figure.metric in _ON_A_DAY:
        day = nearest_date(sentence, mention, year)
        if day is not None:
            days = _figure_days(figure)
            if days and day not in days:
                return f"is dated {day}, but the figure is for {figure.end}"
            return None
    if claim is not None and claim.period is not None and stated(claim, "period"):
        return _window_conflict(claim.period, figure)
    return None


_SMA = gate(r"average|\bSMA\b|\babove\b|\bbelow\b|均线|移动平均|上方|下方|高于|低于", re.IGNORECASE)
_CLAUSE = gate(r"[,;:](?!\d{3})|[，；：]")


@lru_cache(maxsize=2048)
def dates_in(sentence: str, year: int) -> tuple[DateHit, ...]:
    """The dates written in `sentence` (kept: a sentence is asked once per number and figure)."""
    return tuple(date_hits(sentence, year))


def _clause(sentence: str, index: int) -> tuple[int, int]:
    """(start, end) of the clause of `sentence` that holds `index`."""
    cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence)), len(sentence) + 1]
    return max(c for c in cuts if c <= index), min(c for c in cuts if c > index)


def nearest_date(sentence: str, mention: Mention, year: int) -> date | None:
    """The date written closest to the number, in its own clause when there is one there."""
    hits = dates_in(sentence, year)
    if not hits:
        return None
    lo, hi = _clause(sentence, mention.start)
    inside = [h for h in hits if lo <= h.start < hi] or hits

    def distance(h: DateHit) -> int:
        return mention.start - h.end if h.end <= mention.start else h.start - mention.end

    return min(inside, key=distance).day


def _figure_days(figure: Figure) -> set[date]:
    days: set[date] = {d for d in (figure.end,) if d is not None}
    session = figure.params.get("session")
    if isinstance(session, str):
        with contextlib.suppress(ValueError):
            days.add(date.fromisoformat(session))
    return days


def same_subject(symbol: str, figure: Figure) -> bool:
    if symbol == figure.symbol:
        return True
    parts = {p.strip() for p in figure.symbol.split(" - ")}
    listed = figure.params.get("symbols")
    if isinstance(listed, list):
        parts |= {str(s) for s in listed}
    if figure.metric in ("beta", "correlation") and figure.params.get("benchmark") == symbol:
        return True
    return symbol in parts


def _window_conflict(period: PeriodLike, figure: Figure) -> str | None:
    if period.future:
        return None
    days = _figure_days(figure)
    if figure.metric in _ON_A_DAY or period.kind == "day":
        if period.kind in ("day", *_BOUNDED) and period.end and days and period.end not in days:
            return f"is dated {period.end}, but the figure is for {figure.end}"
        return None
    from_start = period.kind in _BOUNDED or period.kind in _FROM_A_START
    if from_start and period.start and figure.start and period.start != figure.start:
        return f"covers a window from {period.start}, but the figure starts {figure.start}"
    if period.kind in _BOUNDED and period.end and figure.end and period.end != figure.end:
        return f"covers a window to {period.end}, but the figure ends {figure.end}"
    return None


def claim_sign(claim: ClaimLike | None, mention: Mention) -> int | None:
    """+1 / -1 when the text states a direction for this number, else None."""
    if mention.signed:
        return -1 if mention.value < 0 else 1
    if mention.direction is not None:
        return -1 if mention.direction == "down" else 1
    if claim is not None and claim.sign is not None:
        return claim.sign
    return None
