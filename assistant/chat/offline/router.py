"""The offline intent router: what a question asks, about which symbols, over which window.

Rules first (keywords in both languages); when no rule fires, the nearest example question by
embedding similarity decides. Follow-ups inherit what the thread's last answer was about.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from assistant.grounding.dates import Window, parse_window, single_day
from assistant.grounding.language import Lang
from assistant.reading.people import named_person
from tools.symbols import find_symbols

if TYPE_CHECKING:
    from assistant.reading.shapes import Request

MetricIntent = Literal[
    "return",
    "compare",
    "volatility",
    "sma",
    "range_52w",
    "drawdown",
    "beta",
    "sectors",
    "quote",
    "close_on",
    "compound",
]
KnowledgeIntent = Literal[
    "drivers",
    "views",
    "experts",
    "risks",
    "opportunities",
    "signals",
    "valuation",
    "summary",
    "sustainability",
]
METRIC_INTENTS: tuple[str, ...] = MetricIntent.__args__  # type: ignore[attr-defined]
KNOWLEDGE_INTENTS: tuple[str, ...] = KnowledgeIntent.__args__  # type: ignore[attr-defined]


@dataclass
class Route:
    """What the offline composer will answer."""

    intent: str  # a metric or knowledge intent, or "unknown"
    symbols: list[str] = field(default_factory=list)
    window: Window | None = None
    day: date | None = None
    language: Lang = "en"
    followup: bool = False
    premise: float | None = None  # a move the question takes for granted ("fell 40%"), in %
    rate: float | None = None  # for compounding: the rate per period, in %
    periods: int | None = None
    person: str | None = None  # a named expert the question asks about
    sma_windows: list[int] = field(default_factory=list)  # "50-day", "20- and 50-day"; [] = 20
    convention: str | None = None  # a return's start the question states ("from the open")

    def context(self) -> dict[str, Any]:
        """What a follow-up question may reuse."""
        return {
            "intent": self.intent,
            "symbols": self.symbols,
            "window": [
                self.window.start.isoformat() if self.window and self.window.start else None,
                self.window.end.isoformat() if self.window and self.window.end else None,
                self.window.label if self.window else None,
            ],
            "day": self.day.isoformat() if self.day else None,
            **({"sma_windows": self.sma_windows} if self.sma_windows else {}),
            **({"convention": self.convention} if self.convention else {}),
        }


_R = re.IGNORECASE
_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "compound",
        re.compile(
            r"compound|复利|a month .* a year|per month .* annual|每月.*(?:一年|年化)|月.*年化", _R
        ),
    ),
    ("sectors", re.compile(r"sector|板块|行业|rotation within|哪些行业", _R)),
    ("beta", re.compile(r"\bbeta\b|贝塔|β|correlat|相关性", _R)),
    ("drawdown", re.compile(r"drawdown|回撤|peak to trough|最大跌幅", _R)),
    (
        "range_52w",
        re.compile(
            r"52[- ]?week|52周|年内(?:高|低)点|annual (?:high|low)|year(?:ly)? high|one-year range|年度区间|52 周",
            _R,
        ),
    ),
    ("sma", re.compile(r"moving average|\bsma\b|\bma\s?\d+|均线|移动平均|support level|支撑", _R)),
    ("volatility", re.compile(r"volatil|波动", _R)),
    (
        "signals",
        re.compile(
            r"signal|monitor|watch for|warning sign|关注.*信号|监测|预警|需要关注|观察指标", _R
        ),
    ),
    ("risks", re.compile(r"\brisks?\b|downside|what could go wrong|风险|隐患", _R)),
    ("opportunities", re.compile(r"opportunit|upside case|机会|机遇", _R)),
    (
        "sustainability",
        re.compile(
            r"sustainab|\b(?:will|can|could)\b.*\blast\b|keep going|durable|持续|能走多远|可持续",
            _R,
        ),
    ),
    (
        "views",
        re.compile(
            r"bull|bear|for and against|experts? (?:say|think)|analysts? (?:say|think)|view|看多|看空|多空|观点|分析师.*(?:怎么|如何)看",
            _R,
        ),
    ),
    (
        "valuation",
        re.compile(r"valuation|p/?e\b|cheap|expensive|discount|估值|市盈率|便宜|折价", _R),
    ),
    (
        "drivers",
        re.compile(
            r"\bwhy\b|driv|drove|fuel|reason|behind|cause|catalyst|为什么|为何|原因|驱动|推动|催化",
            _R,
        ),
    ),
    ("summary", re.compile(r"summar|tl;?dr|key points|overview|gist|总结|概括|摘要|要点|核心", _R)),
    ("close_on", re.compile(r"\bclos(?:e|ed|ing)\b.*\bon\b|收盘价|收于|收报", _R)),
    (
        "compare",
        re.compile(
            r"\bvs\.?\b|versus|compare|compared|relative|outperform|underperform|than|对比|相比|比较|跑赢|跑输|相对",
            _R,
        ),
    ),
    (
        "return",
        re.compile(
            r"return|perform|how did .+ do|\bfare[ds]?\b|gain|\brise\b|rose|\bfell\b|\bfall\b|\bup\b|\bdown\b|how much|涨|跌|表现|收益|回报|幅度",
            _R,
        ),
    ),
    (
        "quote",
        re.compile(
            r"price|quote|level|where is|trading at|last close|现在|点位|报价|最新|收盘", _R
        ),
    ),
]


_PREMISE = re.compile(
    r"(?:fell|fall|drop(?:ped)?|crash(?:ed)?|plunge[d]?|lost|down|rose|rise|jump(?:ed)?|gain(?:ed)?|up|"
    r"跌了?|下跌了?|暴跌了?|涨了?|上涨了?|大涨了?)\s*(?:by\s*)?(\d+(?:\.\d+)?)\s*%",
    _R,
)
_COMPOUND = re.compile(
    r"(\d+(?:\.\d+)?)\s*%\s*(?:a|per|each|every|/)?\s*(month|week|quarter|day|月|周|季)", _R
)

_FOLLOWUP = re.compile(
    r"^\s*(?:and|what about|how about|same for|now|then|那|那么|再看看?|换成|还有)\b|(?:呢|怎么样|如何)[?？]?\s*$",
    _R,
)


def _rule_intent(text: str) -> str | None:
    for intent, pattern in _RULES:
        if pattern.search(text):
            return intent
    return None


# Periods the bilingual reader names that the older window parser did not read ("January",
# "Q4 2025", "2025年11月", "上半年", "year to date"): without them an answer silently fell back to
# a default window, a different question than the one asked.
_NAMED = frozenset(
    {"month", "quarter", "half", "year", "week", "mtd", "qtd", "ytd", "between", "since"}
)


def _read(question: str, ref: date) -> Request | None:
    """The reader's view of the question, or None when it cannot place it."""
    from assistant.reading import read_request

    try:
        return read_request(question, ref)
    except (ValueError, OverflowError):
        return None


def _stated_convention(request: Request | None) -> str | None:
    """The return convention the question states, if it states one the tools compute."""
    stated = request.convention if request is not None else None
    return stated if stated in ("prev_close", "open", "start_close") else None


def _named_period(request: Request | None) -> Window | None:
    period = request.period if request is not None else None
    if period is None or period.kind not in _NAMED or period.start is None or period.future:
        return None
    return Window(period.start, period.end, period.label)


def _sma_windows(request: Request | None) -> list[int]:
    """The moving-average lengths a question names ("50-day", "20- and 50-day", "200日均线")."""
    metrics = request.metrics if request is not None else []
    windows = {m.window for m in metrics if m.name in ("sma", "sma_distance") and m.window}
    return sorted(w for w in windows if w is not None and 2 <= w <= 250)


def _is_forecast(request: Request | None) -> bool:
    """A question about a move to come ("明年一季度纳斯达克会涨多少？", "next month"), read against
    the market's today (a period after a news item's date is only later data)."""
    return (
        request is not None
        and request.kind == "forecast"
        and request.period is not None
        and request.period.future
    )


class Router:
    """Turn a question into a Route, using the thread's last route for follow-ups."""

    def __init__(
        self,
        classifier: Callable[[str], str | None] | None = None,
        people: Mapping[str, str] | None = None,
    ) -> None:
        self._classifier = classifier  # optional embedding fallback: text -> intent | None
        self._people = people or {}  # names, surnames and firms of cited experts (reading.people)

    def route(
        self,
        question: str,
        language: Lang,
        ref: date,
        previous: dict[str, Any] | None = None,
        today: date | None = None,
    ) -> Route:
        """Read intent, symbols, window and day out of `question`; `today` (the market's day,
        after `ref` for a news item) tells a forecast from a question about later data."""
        symbols = find_symbols(question)
        intent = _rule_intent(question)
        person = named_person(question, self._people)
        if person and intent in (None, "views", "summary", "drivers", "return"):
            intent = "experts"
        if intent is None and self._classifier is not None:
            intent = self._classifier(question)
        try:
            window = parse_window(question, ref)
        except (
            ValueError,
            OverflowError,
        ):  # "13月以来", "past 99999 years": no window, not a crash
            window = None
        request = _read(question, ref)  # one reading serves the period, the lengths, the tense
        if window is None:
            window = _named_period(request)
        later = request if today is None or today == ref else _read(question, today)
        if symbols and _is_forecast(later):
            intent = "forecast"
        sma_windows = _sma_windows(request) if intent == "sma" else []
        if intent is None and symbols and not previous:
            intent = "return" if window is not None else "quote"  # "How did RUT do last month?"
        try:
            asks_day = intent in ("close_on", "quote", "sectors", None)
            day = single_day(question, ref) if asks_day else None
        except (ValueError, OverflowError):
            day = None
        route = Route(
            intent or "unknown",
            symbols,
            window,
            day,
            language,
            person=person,
            sma_windows=sma_windows,
            convention=_stated_convention(request),
        )

        if intent == "compound" and (m := _COMPOUND.search(question)):
            route.rate = float(m.group(1))
            route.periods = {
                "month": 12,
                "月": 12,
                "week": 52,
                "周": 52,
                "quarter": 4,
                "季": 4,
                "day": 252,
            }[m.group(2).lower()]
        if (m := _PREMISE.search(question)) and intent in ("drivers", "return", "unknown", "quote"):
            value = float(m.group(1))
            down = re.search(r"fell|fall|drop|crash|plunge|lost|down|跌", m.group(0), _R)
            route.premise = -value if down else value
        if route.intent == "return" and len(symbols) >= 2:
            route.intent = "compare"
        return self._inherit(route, question, previous)

    def _inherit(self, route: Route, question: str, previous: dict[str, Any] | None) -> Route:
        """Fill what a follow-up leaves out from the previous answer's context."""
        if not previous:
            return route
        short = len(question) <= 40 or bool(_FOLLOWUP.search(question))
        prev_intent = previous.get("intent") or "unknown"
        prev_symbols = list(previous.get("symbols") or [])
        start, end, label = previous.get("window") or [None, None, None]
        prev_window = (
            Window(
                date.fromisoformat(start) if start else None,
                date.fromisoformat(end) if end else None,
                label or "",
            )
            if label
            else None
        )
        changed = False
        if route.intent == "unknown" and short and prev_intent != "unknown":
            route = replace(route, intent=prev_intent)
            changed = True
        if not route.symbols and prev_symbols and (short or route.intent in METRIC_INTENTS):
            route = replace(route, symbols=prev_symbols)
            changed = True
        if route.window is None and prev_window is not None and route.intent in METRIC_INTENTS:
            route = replace(route, window=prev_window)
            changed = True
        windows = [int(w) for w in previous.get("sma_windows") or []]
        if not route.sma_windows and windows and route.intent == "sma":
            route = replace(route, sma_windows=windows)
            changed = True
        if route.day is None and previous.get("day") and route.intent == "close_on":
            route = replace(route, day=date.fromisoformat(previous["day"]))
            changed = True
        if route.convention is None and previous.get("convention"):
            route = replace(route, convention=str(previous["convention"]))  # "and the S&P?"
        if changed:
            route.followup = True
        return route
