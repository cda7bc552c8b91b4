"""How much of the question an answer answers, and the banner shown when it misses the main item.

A question read into a `Request` asks for items: each symbol with each metric (with its
parameters) over the asked period. An item is answered when the answer states, verified, a
ledger figure of that symbol, metric, parameters and window. The numbers badge ("12/12 numbers
verified") and the coverage badge ("answers 2 of 3 asked items") are separate: every number can
be right while the thing asked is missing, or the other way round.

This is the chat's own reading until the claim-level verifier (issue 14) gives a coverage
result; it takes only the Request, the ledger and the verification, so it can be swapped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.chat.freshness import Stale
from assistant.grounding.answer import Answer
from assistant.grounding.language import Lang
from assistant.grounding.ledger import Ledger
from assistant.grounding.numbers import extract_numbers
from assistant.grounding.verifier import Verification, cited_numbers
from assistant.reading.shapes import MetricAsk, Period, Request
from tools.figure import Figure
from tools.symbols import symbol_name

# Which computed metrics answer an asked metric (before parameters are compared).
_ANSWERED_BY: dict[str, frozenset[str]] = {
    "return": frozenset({"return"}),
    "change_points": frozenset({"change_points"}),
    "last_close": frozenset({"last_close"}),
    "day_change": frozenset({"day_change"}),
    "volatility": frozenset({"volatility_annual", "volatility_daily"}),
    "sma": frozenset({"sma"}),
    "sma_distance": frozenset({"sma_distance"}),
    "high_52w": frozenset({"high_52w"}),
    "low_52w": frozenset({"low_52w"}),
    "max_drawdown": frozenset({"max_drawdown"}),
    "beta": frozenset({"beta"}),
    "correlation": frozenset({"correlation"}),
    "relative": frozenset({"spread"}),
    "sector_change": frozenset({"sector_change"}),
    # period_high / period_low: no tool computes them, so no figure answers them
}
# A move on one session may be stated as the day's change.
_ON_A_DAY: dict[str, frozenset[str]] = {
    "return": frozenset({"return", "day_change", "sector_change"}),
    "change_points": frozenset({"change_points", "day_change"}),
}
# Metrics measured at one session: only the end of the asked period must agree.
_AT_A_SESSION = frozenset(
    {"last_close", "sma", "sma_distance", "high_52w", "low_52w", "day_change", "sector_change"}
)

_METRIC_WORDS: dict[str, tuple[str, str]] = {
    "return": ("return", "涨跌幅"),
    "change_points": ("change in points", "点数变化"),
    "last_close": ("close", "收盘价"),
    "day_change": ("day's change", "当日涨跌幅"),
    "volatility": ("volatility", "波动率"),
    "sma": ("moving average", "移动均线"),
    "sma_distance": ("distance from its moving average", "与均线的距离"),
    "high_52w": ("52-week high", "52周高点"),
    "low_52w": ("52-week low", "52周低点"),
    "period_high": ("high over the period", "区间最高"),
    "period_low": ("low over the period", "区间最低"),
    "max_drawdown": ("maximum drawdown", "最大回撤"),
    "beta": ("beta", "贝塔"),
    "correlation": ("correlation", "相关系数"),
    "relative": ("relative performance", "相对表现"),
    "sector_change": ("sector ranking", "板块排名"),
}


@dataclass(frozen=True)
class AskedItem:
    """One thing the question asked for, and the ledger entry that answers it (None: nothing)."""

    symbol: str | None
    ask: MetricAsk | None  # None for a sector ranking
    period: Period | None
    answered_by: int | None = None

    @property
    def metric(self) -> str:
        return self.ask.name if self.ask is not None else "sector_change"

    def label(self, lang: Lang) -> str:
        """A short readable name: "S&P 500 return, 2025-12-01 to 2026-01-23"."""
        zh = lang == "zh"
        words = _METRIC_WORDS.get(self.metric, (self.metric, self.metric))[1 if zh else 0]
        ask = self.ask
        if ask is not None and ask.window and self.metric in ("sma", "sma_distance"):
            size = f"{ask.window}日均线" if zh else f"{ask.window}-day moving average"
            words = (
                (f"与{size}的距离" if zh else f"distance from its {size}")
                if (self.metric == "sma_distance")
                else size
            )
        if ask is not None and ask.annualised is not None and self.metric == "volatility":
            words = (
                ("年化" if ask.annualised else "日") + words
                if zh
                else (f"{'annualised' if ask.annualised else 'daily'} {words}")
            )
        who = symbol_name(self.symbol, lang) if self.symbol else ""
        text = f"{who}{words}" if zh else f"{who} {words}".strip()
        period = self.period
        if period is not None and period.start and period.end:
            if period.start == period.end or self.metric in _AT_A_SESSION:
                when = period.end.isoformat()
            else:
                sep = " 至 " if zh else " to "
                when = f"{period.start.isoformat()}{sep}{period.end.isoformat()}"
            text += f"（{when}）" if zh else f", {when}"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "metric": self.ask.key() if self.ask is not None else "sector_change",
            "start": self.period.start.isoformat() if self.period and self.period.start else None,
            "end": self.period.end.isoformat() if self.period and self.period.end else None,
            "answered_by": self.answered_by,
        }


@dataclass(frozen=True)
class Coverage:
    """The items a question asked for, in the order asked; the first is the main one."""

    items: list[AskedItem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def answered(self) -> int:
        return sum(1 for item in self.items if item.answered_by is not None)

    @property
    def complete(self) -> bool:
        return self.answered == self.total

    @property
    def main_answered(self) -> bool:
        return not self.items or self.items[0].answered_by is not None

    def missing(self) -> list[AskedItem]:
        return [item for item in self.items if item.answered_by is None]

    def label(self, lang: Lang) -> str:
        """ "answers 2 of 3 asked items" / "回答了所问 3 项中的 2 项"."""
        if lang == "zh":
            return f"回答了所问 {self.total} 项中的 {self.answered} 项"
        noun = "item" if self.total == 1 else "items"
        return f"answers {self.answered} of {self.total} asked {noun}"

    def to_json(self, lang: Lang = "en") -> dict[str, Any]:
        return {
            "asked": self.total,
            "answered": self.answered,
            "label": self.label(lang),
            "missing": [item.label(lang) for item in self.missing()],
            "items": [item.to_json() for item in self.items],
        }


def asked_items(request: Request) -> list[AskedItem]:
    """Every item `request` asks for: each symbol with each metric, over its period."""
    period = request.period if request.period is not None and not request.period.future else None
    if request.kind == "ranking":
        return [AskedItem(None, None, period)]
    if request.kind != "metric" or not request.metrics:
        return []
    symbols: list[str | None] = list(request.symbols) or [None]
    asks = sorted(request.metrics, key=lambda ask: _asked_at(ask, request.text))
    if period is not None and period.start != period.end:
        # "rise from the Dec 1 open to the Jan 23 close" reads today as a close; over a
        # window of sessions it asks for the window's move
        asks = [MetricAsk(name="return") if a.name == "last_close" else a for a in asks]
        asks = list(dict.fromkeys(asks))
    return [AskedItem(symbol, ask, period) for symbol in symbols for ask in asks]


def _asked_at(ask: MetricAsk, text: str) -> int:
    """Where the question first names the metric: the reader lists metrics by kind, and the
    main item is the one asked first ("how much did it rise, and how volatile was it?")."""
    from assistant.reading import metrics as words

    patterns = {
        "sma": words.SMA,
        "sma_distance": words.SMA,
        "high_52w": words.WEEK52,
        "low_52w": words.WEEK52,
        "max_drawdown": words.DRAWDOWN,
        "beta": words.BETA,
        "correlation": words.CORRELATION,
        "volatility": words.VOLATILITY,
        "day_change": words.DAY_CHANGE,
        "change_points": words.POINTS,
        "last_close": words.CLOSE,
        "return": words.RETURN,
        "relative": words.RELATIVE,
    }
    pattern = patterns.get(ask.name)
    hit = pattern.search(text) if pattern is not None else None
    return hit.start() if hit else len(text)


def _metric_fits(item: AskedItem, figure: Figure) -> bool:
    metric = item.metric
    on_a_day = item.period is not None and item.period.start == item.period.end
    allowed = (_ON_A_DAY.get(metric) if on_a_day else None) or _ANSWERED_BY.get(metric, frozenset())
    if figure.metric not in allowed:
        return False
    ask = item.ask
    if ask is None:
        return True
    params = figure.params
    stated = {
        "window": ask.window if figure.metric in ("sma", "sma_distance") else None,
        "basis": ask.basis,
        "benchmark": ask.benchmark if figure.metric in ("beta", "correlation") else None,
    }
    if any(
        want is not None and key in params and params[key] != want for key, want in stated.items()
    ):
        return False
    if figure.metric == "sma" and ask.window is not None and params.get("window") != ask.window:
        return False
    if ask.annualised is True and figure.metric == "volatility_daily":
        return False
    return not (ask.annualised is False and figure.metric == "volatility_annual")


def _symbol_fits(item: AskedItem, figure: Figure) -> bool:
    if item.symbol is None:
        return True
    if figure.metric == "spread":
        return item.symbol in (figure.params.get("symbols") or [])
    return figure.symbol == item.symbol


def _window_fits(item: AskedItem, figure: Figure) -> bool:
    period = item.period
    if period is None or period.end is None:
        return True
    if figure.end != period.end:
        return False
    if figure.metric in _AT_A_SESSION or period.start is None or period.start == period.end:
        return True
    return figure.start == period.start


def _stated(n: int, figure: Figure, verification: Verification) -> bool:
    """The answer states figure `n` and the verifier traced it there (a number that repeats the
    question counts when its sentence cites `n` and its value is the figure's)."""
    for check in verification.checks:
        if check.supported_by == n:
            return True
        if check.supported_by == 0 and n in cited_numbers(check.sentence):
            said = extract_numbers(check.raw)
            if said and abs(abs(said[0].value) - abs(figure.value)) <= said[0].tolerance + 1e-9:
                return True
    return False


def read_coverage(
    request: Request | None, ledger: Ledger, verification: Verification
) -> Coverage | None:
    """Which asked items the answer answers; None when the question asks for no market figure
    (knowledge, opinion, forecast, small talk) or could not be read."""
    if request is None:
        return None
    items = asked_items(request)
    if not items:
        return None
    out: list[AskedItem] = []
    for item in items:
        found = None
        for entry in ledger.entries:
            figure = entry.figure
            if figure is None:
                continue
            if (
                _metric_fits(item, figure)
                and _symbol_fits(item, figure)
                and _window_fits(item, figure)
                and _stated(entry.n, figure, verification)
            ):
                found = entry.n
                break
        out.append(AskedItem(item.symbol, item.ask, item.period, found))
    return Coverage(out)


def banner(coverage: Coverage | None, lang: Lang) -> str:
    """The warning shown above an answer that does not answer the main asked item ("" if it
    does): in the asker's language, naming the item, in place of a green badge."""
    if coverage is None or coverage.main_answered:
        return ""
    main = coverage.items[0].label(lang)
    if lang == "zh":
        return f"注意：这个回答没有给出所问的{main}的核实数字。请把其中标注的数字视为未经核实。"
    return (
        f"Warning: this answer does not give a verified figure for what was asked ({main}). "
        "Treat any marked number in it as unchecked."
    )


@dataclass
class ChatAnswer(Answer):
    """An Answer with how it stands against the question: the coverage badge and the banner."""

    coverage: Coverage | None = None
    banner: str = ""
    # stored data stood in for live data: the session they end on, why, and the notice
    stale: Stale | None = None

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data["coverage"] = self.coverage.to_json(self.language) if self.coverage else None
        data["banner"] = self.banner or None
        data["stale"] = self.stale.to_json() if self.stale else None
        return data
