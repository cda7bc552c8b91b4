"""The offline intent router: what a question asks, about which symbols, over which window.

The bilingual reader (`assistant.reading`) reads the question into a Request: its kind, symbols,
metrics with their parameters and period. When the reader finds no topic for a question about
the documents, the nearest example question by embedding similarity decides. The Request is kept
in the thread's context, so a follow-up inherits period, metrics and symbols.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from assistant.grounding.dates import Window
from assistant.grounding.language import Lang
from assistant.reading.people import named_person

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
    "period_range",
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
    request: Request | None = None  # the reader's reading: metrics with parameters, period
    unsupported: str | None = None  # a metric asked that no tool computes (EMA, RSI ...)
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
            **({"request": self.request.model_dump(mode="json")} if self.request else {}),
            **({"convention": self.convention} if self.convention else {}),
        }


_R = re.IGNORECASE
# Compounding is arithmetic on a rate the question gives, not a market metric: the reader does
# not cover it, so the router keeps these two patterns of its own.
_COMPOUND_ASK = re.compile(
    r"compound|复利|a month .* a year|per month .* annual|每月.*(?:一年|年化)|月.*年化", _R
)
_PREMISE = re.compile(
    r"(?:fell|fall|drop(?:ped)?|crash(?:ed)?|plunge[d]?|lost|down|rose|rise|jump(?:ed)?|gain(?:ed)?|up|"
    r"跌了?|下跌了?|暴跌了?|涨了?|上涨了?|大涨了?)\s*(?:by\s*)?(\d+(?:\.\d+)?)\s*%",
    _R,
)
_COMPOUND = re.compile(
    r"(\d+(?:\.\d+)?)\s*%\s*(?:a|per|each|every|/)?\s*(month|week|quarter|day|月|周|季)", _R
)
_RATE = re.compile(r"\d(?:\.\d+)?\s*%")
_COMPOUND_ZH = re.compile(r"每(月|周|季|日)\D{0,4}?(\d+(?:\.\d+)?)\s*%")

_FOLLOWUP = re.compile(
    r"^\s*(?:and|what about|how about|same for|now|then|那|那么|再看看?|换成|还有)\b|(?:呢|怎么样|如何)[?？]?\s*$",
    _R,
)

# The reader's metric names, as the composer's intents.
_INTENT_OF: dict[str, str] = {
    "return": "return",
    "change_points": "return",
    "relative": "compare",
    "volatility": "volatility",
    "sma": "sma",
    "sma_distance": "sma",
    "high_52w": "range_52w",
    "low_52w": "range_52w",
    "period_high": "period_range",
    "period_low": "period_range",
    "max_drawdown": "drawdown",
    "beta": "beta",
    "correlation": "beta",
    "last_close": "quote",
    "day_change": "quote",
}


def _read(
    question: str, ref: date, news_date: date | None = None, context: Request | None = None
) -> Request | None:
    """The reader's view of the question, or None when it cannot place it."""
    from assistant.reading import read_request

    try:
        return read_request(question, ref, news_date=news_date, context=context)
    except (ValueError, OverflowError):
        return None


def _stated_convention(request: Request | None) -> str | None:
    """The return convention the question states, if it states one the tools compute."""
    stated = request.convention if request is not None else None
    return stated if stated in ("prev_close", "open", "start_close") else None


def _context_request(previous: Mapping[str, Any] | None) -> Request | None:
    """The Request the thread's last answer kept, when it kept one."""
    raw = (previous or {}).get("request")
    if not isinstance(raw, dict):
        return None
    from assistant.reading.shapes import Request

    try:
        return Request.model_validate(raw)
    except ValueError:  # a context written by another version: read the question alone
        return None


def _window_of(request: Request | None, today: date | None = None) -> Window | None:
    period = request.period if request is not None else None
    if period is None or period.start is None or period.future or period.kind == "day":
        return None  # a day is the route's `day`, not a window
    end = period.end
    written = period.requested_end
    if period.kind == "between" and written is not None and end is not None and written > end:
        # an end the user wrote out is kept past the reference day (up to today), so that a
        # symbol whose data stop earlier is named, not the window silently shortened
        end = min(written, today) if today is not None else end
    return Window(period.start, end, period.label)


def _sma_windows(request: Request | None) -> list[int]:
    """The moving-average lengths a question names ("50-day", "20- and 50-day", "200日均线")."""
    metrics = request.metrics if request is not None else []
    windows = {m.window for m in metrics if m.name in ("sma", "sma_distance") and m.window}
    return sorted(w for w in windows if w is not None and 2 <= w <= 250)


def _compare_with_context(request: Request, context: Request, question: str) -> Request:
    """ "How does that compare with the S&P 500?" after a question about the Russell 2000: the
    comparison is of the thread's symbols with the one named, over the thread's period."""
    from assistant.reading.metrics import RELATIVE
    from assistant.reading.shapes import MetricAsk

    if (
        request.kind not in ("metric", "other")
        or context.kind != "metric"
        or len(request.symbols) != 1
        or not context.symbols
        or request.symbols[0] in context.symbols
        or not RELATIVE.search(question)
        or any(a.name not in ("return", "relative") for a in request.metrics)
    ):
        return request
    symbols = [*context.symbols, *request.symbols]
    inherited = [*request.inherited, "symbols"]
    period = request.period
    if period is None and context.period is not None:
        period = context.period
        inherited.append("period")
    return request.model_copy(
        update={
            "kind": "metric",
            "symbols": symbols,
            "metrics": [MetricAsk(name="relative", benchmark=request.symbols[0])],
            "period": period,
            "followup": True,
            "inherited": inherited,
        }
    )


def _metric_intent(request: Request) -> str | None:
    """The composer's intent for a metric request (its first metric decides)."""
    if not request.metrics:
        return None
    first = request.metrics[0]
    intent = _INTENT_OF.get(first.name)
    period = request.period
    if intent == "quote" and first.name == "last_close" and period is not None:
        intent = "close_on" if period.kind == "day" else intent
    if intent == "return" and len(request.symbols) >= 2:
        intent = "compare"
    return intent


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
        news_date: date | None = None,
    ) -> Route:
        """Read what `question` asks, about which symbols, over which window, with the reader;
        `today` (the market's day, after `ref` for a news item) tells a forecast from a question
        about later data, and bounds a move "since the article was published" (`news_date`)."""
        from assistant.reading.metrics import unsupported_metric
        from assistant.reading.request import topic_of

        context = _context_request(previous)
        person = named_person(question, self._people)
        request = _read(question, ref, news_date, context)
        if (
            request is not None
            and request.period is not None
            and request.period.kind == "since_publication"
            and today is not None
            and today > ref
        ):
            # since publication runs to the latest session, not to the day before the news
            request = _read(question, today, news_date, context) or request
        later = request
        if (
            today is not None
            and today != ref
            and request is not None
            and (request.kind == "forecast" or (request.period and request.period.future))
        ):
            # only a reading about the future can change against the market's today
            later = _read(question, today, news_date, context)
        if (
            request is not None
            and request.period is not None
            and request.period.future
            and later is not None
            and later.period is not None
            and not later.period.future
        ):
            # after a news item's date but before the market's today: later data, not a forecast
            request = later
        if request is not None and context is not None:
            request = _compare_with_context(request, context, question)
        symbols = list(request.symbols) if request is not None else []
        kind = request.kind if request is not None else "other"
        topic = request.topic if request is not None and kind == "knowledge" else None
        intent: str | None = None
        unsupported = unsupported_metric(question)
        if _COMPOUND_ASK.search(question) and (
            _COMPOUND.search(question) or _COMPOUND_ZH.search(question)
        ):
            intent = "compound"
        elif (
            symbols
            and later is not None
            and later.kind == "forecast"
            and person is None
            and topic_of(question) is None
        ):
            # "明年一季度纳斯达克会涨多少？", "what's the outlook for the Russell 2000?": no past
            # figure answers it; what the documents say about it (a target, a risk) still does
            intent = "forecast"
        elif unsupported is not None and (symbols or kind == "metric"):
            intent = "unsupported"
        elif request is not None and kind == "ranking":
            intent = "sectors"
        elif request is not None and kind == "metric" and not symbols and _RATE.search(question):
            intent = None  # "10000 at 8% a year for 5 years": arithmetic on a given rate
        elif request is not None and kind == "metric":
            intent = _metric_intent(request)
            if topic_of(question) == "drivers" and not request.followup:
                intent = "drivers"  # "why did it fall 40%?": the reasons, a premise checked first
        elif kind == "knowledge":
            intent = topic
        elif kind in ("opinion", "forecast", "other"):
            intent = topic_of(question)
        if person and intent in (None, "views", "summary", "drivers", "return", "quote"):
            intent = "experts"
        period = request.period if request is not None else None
        if intent is None and period is not None and period.kind == "since_publication":
            intent = "return"  # "what happened next?": the item's tickers since publication
        if intent is None and self._classifier is not None and kind != "metric":
            intent = self._classifier(question)
        if intent is None and symbols and not previous:
            window = _window_of(request, today)
            intent = "return" if window is not None else "quote"  # "How did RUT do last month?"
        window = _window_of(request, today)
        period = request.period if request is not None else None
        day = None
        if period is not None and period.kind == "day" and not period.future:
            # the day written (a Sunday is answered as "closed; Friday's close"), not the snap
            day = period.requested_end or period.end
        route = Route(
            intent or "unknown",
            symbols,
            window,
            day,
            language,
            person=person,
            sma_windows=_sma_windows(request) if intent == "sma" else [],
            request=request,
            unsupported=unsupported,
            convention=_stated_convention(request),
        )
        rate_period: tuple[str, str] | None = None
        if m := _COMPOUND.search(question):
            rate_period = (m.group(1), m.group(2))
        elif m := _COMPOUND_ZH.search(question):
            rate_period = (m.group(2), m.group(1))
        if route.intent == "compound" and rate_period is not None:
            route.rate = float(rate_period[0])
            route.periods = {
                "month": 12,
                "月": 12,
                "week": 52,
                "周": 52,
                "quarter": 4,
                "季": 4,
                "day": 252,
                "日": 252,
            }[rate_period[1].lower()]
        if (m := _PREMISE.search(question)) and route.intent in (
            "drivers",
            "return",
            "unknown",
            "quote",
        ):
            value = float(m.group(1))
            down = re.search(r"fell|fall|drop|crash|plunge|lost|down|跌", m.group(0), _R)
            route.premise = -value if down else value
        if request is not None and request.followup:
            route.followup = True
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
