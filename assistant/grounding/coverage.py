"""Request coverage: did the answer give every item the question asked for?

Separate from the numbers check (`verify`): an answer can be all true and still answer less than
was asked ("the 50-day average" answered with the 20-day one, one of three symbols missing).

    from assistant.reading import read_request
    from assistant.grounding.coverage import coverage

    result = coverage(read_request(question, ref), answer.ledger, answer.text)
    result.asked, result.answered       # 3, 2
    result.summary("en")                # "answers 2 of 3 asked items"
    result.missing("zh")                # ["^GSPC 的 volatility annualised=true（2025-12-01 至 2026-03-06）"]
    result.to_json()                    # {"asked": 3, "answered": 2, "items": [...]}

An item is answered by a ledger figure of the asked symbol, metric and parameters over the asked
window that the text cites (when a text is given). Questions that ask for no figure (knowledge,
opinion, forecast, other) have nothing to cover: `asked == 0` and `summary` is empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.grounding.claims import MetricLike, PeriodLike, RequestLike
from assistant.grounding.ledger import Ledger
from assistant.grounding.numbers import fold
from knowledge.text import CITATION_MARKER, marker_numbers
from tools.figure import Figure

# The figures that answer a metric as asked (narrower than what a claim may be read as).
_ANSWERS: dict[str, frozenset[str]] = {
    "return": frozenset({"return"}),
    "change_points": frozenset({"change_points"}),
    "day_change": frozenset({"day_change", "sector_change"}),
    "relative": frozenset({"spread"}),
    "last_close": frozenset({"last_close"}),
    "volatility": frozenset({"volatility_daily", "volatility_annual"}),
    "sma": frozenset({"sma"}),
    "sma_distance": frozenset({"sma_distance"}),
    "high_52w": frozenset({"high_52w"}),
    "low_52w": frozenset({"low_52w"}),
    "period_high": frozenset({"high_52w"}),
    "period_low": frozenset({"low_52w"}),
    "max_drawdown": frozenset({"max_drawdown"}),
    "beta": frozenset({"beta"}),
    "correlation": frozenset({"correlation"}),
}
_BOUNDED = frozenset({"between", "month", "quarter", "half", "year", "week", "since", "ytd"})
_BOUNDED |= {"mtd", "qtd"}


@dataclass(frozen=True)
class AskedItem:
    """One thing the question asked for, and the citation that answers it (None: unanswered)."""

    symbol: str | None
    metric: str  # the metric key as asked: "sma window=50", "volatility annualised=true"
    window: str  # "2025-12-01..2026-03-06", a day, or "" when the question named none
    answered_by: int | None = None
    why: str = ""  # what the ledger lacks when unanswered

    def describe(self, lang: str) -> str:
        who = self.symbol or ("所问标的" if lang == "zh" else "the asked symbol")
        if lang == "zh":
            where = f"（{self.window.replace('..', ' 至 ')}）" if self.window else ""
            return f"{who} 的 {self.metric}{where}"
        where = f" ({self.window.replace('..', ' to ')})" if self.window else ""
        return f"{self.metric} of {who}{where}"


@dataclass
class Coverage:
    """Which asked items the answer covers; `summary` is the badge's text."""

    items: list[AskedItem] = field(default_factory=list)
    kind: str = ""

    @property
    def asked(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(1 for i in self.items if i.answered_by is not None)

    @property
    def complete(self) -> bool:
        return self.answered == self.asked

    @property
    def main_answered(self) -> bool:
        """The first asked item (the question's main ask) is answered, or nothing was asked."""
        return not self.items or self.items[0].answered_by is not None

    def missing(self, lang: str = "en") -> list[str]:
        return [i.describe(lang) for i in self.items if i.answered_by is None]

    def summary(self, lang: str = "en") -> str:
        if not self.items:
            return ""
        if lang == "zh":
            return f"回答了所问 {self.asked} 项中的 {self.answered} 项"
        noun = "item" if self.asked == 1 else "items"
        return f"answers {self.answered} of {self.asked} asked {noun}"

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "asked": self.asked,
            "answered": self.answered,
            "items": [
                {
                    "symbol": i.symbol,
                    "metric": i.metric,
                    "window": i.window,
                    "answered_by": i.answered_by,
                    "why": i.why,
                }
                for i in self.items
            ],
        }


def coverage(request: RequestLike | None, ledger: Ledger, text: str | None = None) -> Coverage:
    """Check that every item `request` asks for is answered by a cited figure of `ledger`."""
    if request is None or request.kind not in ("metric", "ranking"):
        return Coverage(kind=request.kind if request is not None else "")
    cited = _cited(text) if text is not None else None
    usable = [
        (c.n, c.figure)
        for c in ledger.entries
        if c.figure is not None and (cited is None or c.n in cited)
    ]
    window = _window_label(request.period)
    if request.kind == "ranking":
        hits = [n for n, f in usable if f.metric == "sector_change" and _in(request.period, f)]
        item = AskedItem(None, "sector ranking", window, hits[0] if hits else None)
        if not hits:
            item = AskedItem(None, "sector ranking", window, None, "no sector move was cited")
        return Coverage([item], request.kind)
    items: list[AskedItem] = []
    symbols: list[str | None] = list(request.symbols) or [None]
    for metric in request.metrics:
        for symbol in symbols:
            if metric.name == "relative" and symbol != symbols[0]:
                continue  # one comparison answers "A vs B", not one per symbol
            n, why = _answer(symbol, metric, request.period, usable)
            items.append(AskedItem(symbol, _key(metric), window, n, why))
    return Coverage(items, request.kind)


def _key(metric: MetricLike) -> str:
    key = getattr(metric, "key", None)
    return str(key()) if callable(key) else metric.name


def _cited(text: str) -> set[int]:
    folded = fold(text).folded
    return {n for m in CITATION_MARKER.finditer(folded) for n in marker_numbers(m.group(1))}


def _window_label(period: PeriodLike | None) -> str:
    if period is None or period.start is None or period.end is None:
        return ""
    if period.start == period.end:
        return period.end.isoformat()
    return f"{period.start.isoformat()}..{period.end.isoformat()}"


def _answer(
    symbol: str | None,
    metric: MetricLike,
    period: PeriodLike | None,
    figures: list[tuple[int, Figure]],
) -> tuple[int | None, str]:
    kinds = _ANSWERS.get(metric.name, frozenset({metric.name}))
    if symbol is None and metric.name == "return":  # a rate asked about with no symbol
        kinds |= {"compound_growth", "simple_growth"}
    of_kind = [(n, f) for n, f in figures if f.metric in kinds and _about(symbol, f)]
    if not of_kind:
        return None, f"no cited {metric.name} figure" + (f" for {symbol}" if symbol else "")
    fitting = [(n, f) for n, f in of_kind if _params(metric, f)]
    if not fitting:
        return None, "a figure of that metric, but not with the asked parameters"
    timed = [n for n, f in fitting if _in(period, f)]
    if not timed:
        return None, "a figure of that metric, but not over the asked window"
    return timed[0], ""


def _about(symbol: str | None, figure: Figure) -> bool:
    if symbol is None:
        return True
    return symbol == figure.symbol or symbol in {p.strip() for p in figure.symbol.split(" - ")}


def _params(metric: MetricLike, figure: Figure) -> bool:
    if metric.window is not None and figure.metric == "sma":
        return figure.params.get("window") == metric.window
    if metric.annualised is not None and figure.metric.startswith("volatility"):
        return (figure.metric == "volatility_annual") == metric.annualised
    if metric.benchmark and figure.metric in ("beta", "correlation"):
        return figure.params.get("benchmark") in (metric.benchmark, None)
    if metric.basis and figure.metric in ("high_52w", "low_52w"):
        return figure.params.get("basis") in (metric.basis, None)
    return True


def _in(period: PeriodLike | None, figure: Figure) -> bool:
    """The figure covers the asked window (a level: is dated its last day)."""
    if period is None or period.future or period.end is None or figure.end is None:
        return True
    if period.kind == "day" or figure.metric in ("last_close", "sma", "sma_distance"):
        return figure.end == period.end
    if period.kind in _BOUNDED:
        starts = period.start is None or figure.start == period.start
        return starts and figure.end == period.end
    return figure.end == period.end
