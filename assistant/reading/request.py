"""Read a question into a `Request`: kind, symbols, metrics with parameters, period."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from assistant.grounding.gates import Gated
from assistant.grounding.gates import compile as gate
from assistant.grounding.language import detect_language
from assistant.reading import metrics as m
from assistant.reading.periods import find_period
from assistant.reading.shapes import MetricAsk, Period, Request, RequestKind
from tools.symbols import symbol_spans

_I = re.IGNORECASE

# Upper-case words that tools.symbols would take for tickers but are metric names here.
_NOT_TICKERS = frozenset(
    [
        "SMA",
        "EMA",
        "DMA",
        "MA",
        "RSI",
        "MACD",
        "TTM",
        "LTM",
        "QOQ",
        "MOM",
        "WTD",
        "EOD",
        "EOY",
        "HIGH",
        "LOW",
        "BETA",
        "MAX",
        "MIN",
        "FY",
        "NAV",
        "ATR",
        "PCT",
        "BPS",
        "YOY",
        "MTD",
        "QTD",
        "YTD",
        "TOP",
        "WHAT",
        "HOW",
        "WHY",
        "WHEN",
        "WILL",
        "DID",
    ]
)

_OPINION_STRONG = gate(
    r"\bshould (?:i|we|you|investors)\b|\bworth (?:buying|it|owning|selling|holding|adding)|good (?:time|idea|entry|moment) to"
    r"|\bis (?:it|now|this) a (?:good|bad)|\bbuy or sell\b|\ba (?:buy|sell)\b|recommend|would you (?:buy|sell|hold|own)"
    r"|\boverweight\b|\bunderweight\b|\ballocate\b|\bbuy the dip\b|\bload up\b|\bget in\b"
    r"|值得(?:买|投资|入手|配置|持有|入场|抄底)|该不该|应不应该|应该(?:买|卖|加仓|减仓|持有|入场|配置)|要不要.{0,10}?(?:买|卖|加仓|减仓|入场|换|调仓|转向|切换|止盈|止损)"
    r"|能不能买|可以买|可不可以买|建议|推荐|加仓|减仓|抄底|上车|买入还是|是否(?:应该|该)|适合(?:买|入场|配置)",
    _I,
)
_OPINION_SOFT = gate(
    r"\bdo you (?:think|like|prefer|believe)|your (?:view|opinion|take|pick|call)|what do you think|in your opinion"
    r"|你(?:觉得|认为|怎么看|看好|的看法|的观点)|您(?:觉得|认为|怎么看)",
    _I,
)
_FORECAST = gate(
    r"\bwill\b|\bgoing to\b|\bforecast\w*|\bpredict\w*|\boutlook\b|\bprojection|\bexpect\w*|price target|\btarget\b"
    r"|by (?:the )?(?:year[- ]end|end of (?:the )?year)|\bnext (?:year|month|quarter|week|session)\b|in the coming"
    r"|coming (?:days|weeks|months|year)|\blikely to\b|\bheaded\b|\bheading\b|\bwhere .* be (?:by|in|at)\b"
    r"|(?<![机社开体学])会(?:不会)?(?:涨|跌|上涨|下跌|突破|回调|反弹|到|达到|有|继续|是|跌破|站上|创)|将(?:会|要)?(?:涨|跌|上涨|下跌|突破|达到)"
    r"|预计|预测|预期|展望|未来|能涨到|能跌到|还能涨|还会|后市|接下来(?:会|将|能)|明年|下个?月|下季度|下一季度|下周|目标价|目标位|有望|能否(?:突破|站上|守住|涨|跌)",
    _I,
)
_RANKING = gate(
    r"\b(?:which|what)\s+(?:\w+\s+){0,2}sectors?\b|\bsectors?\b.{0,40}\b(?:best|worst|led|lagged|leading|lagging|strongest|weakest|rank\w*|leaders?|laggards?|top|bottom)\b"
    r"|\b(?:best|worst|top|bottom|strongest|weakest|leading|lagging)[- ](?:\w+[- ]){0,2}sectors?\b|\brank\w* (?:the )?(?:[\w&]+ )?sectors\b"
    r"|\bsector (?:ranking|rankings|leaderboard|scoreboard|leaders|laggards|rotation)\b"
    r"|哪个板块|哪些板块|哪个行业|哪些行业|哪几个板块|哪几个行业|哪几类板块|前[一二三四五六七八九十\d]+(?:名|位)?的?(?:板块|行业)|哪一个板块|哪一板块|哪类板块|板块排名|行业排名|板块排行|行业排行|领涨板块|领跌板块|领涨的板块|领跌的板块"
    r"|(?:最好|最差|最强|最弱|领涨|领跌|垫底|靠前|靠后)的?(?:板块|行业)|(?:板块|行业).{0,8}(?:排名|排行|垫底|领涨|领跌)|各(?:个)?(?:板块|行业)",
    _I,
)
_BOTTOM = gate(
    r"worst|lagg|weakest|bottom|underperform|领跌|最差|最弱|垫底|跌得最多|跌幅最大|靠后|最惨|跑输",
    _I,
)
_KNOWLEDGE: list[tuple[str, Gated]] = [
    (
        "signals",
        gate(r"signal|monitor|watch for|warning sign|关注.*信号|监测|预警|需要关注|观察指标", _I),
    ),
    ("risks", gate(r"\brisks?\b|downside|what could go wrong|风险|隐患", _I)),
    ("opportunities", gate(r"opportunit|upside case|机会|机遇", _I)),
    (
        "sustainability",
        gate(r"sustainab|keep going|durable|\blast\b\?|持续|能走多远|可持续", _I),
    ),
    (
        "views",
        gate(
            r"\bbull|\bbear|for and against|experts? (?:say|think)|analysts?|strategists?|view|看多|看空|多空|观点|分析师|策略师",
            _I,
        ),
    ),
    ("valuation", gate(r"valuation|p/?e\b|cheap|expensive|估值|市盈率|便宜|贵不贵", _I)),
    (
        "drivers",
        gate(
            r"\bwhy\b|\bdriv|\bdrove\b|fuel|reason|behind|cause|catalyst|what (?:pushed|sent|made)|为什么|为何|原因|驱动|推动|催化|什么导致|背后|逻辑",
            _I,
        ),
    ),
    (
        "summary",
        gate(r"summar|tl;?dr|key points|overview|gist|总结|概括|摘要|要点|讲了什么", _I),
    ),
]
_CONVENTIONS = [
    (
        "prev_close",
        gate(
            r"close[- ]to[- ]close|previous close|prior close|前收|收盘价对收盘价|前一交易日收盘",
            _I,
        ),
    ),
    (
        "open",
        gate(
            r"from the open|opening (?:price|level)|open[- ]to[- ]close|开盘价起|从开盘|以开盘价|按开盘|开盘起算|\bopen to\b|开盘(?:价)?(?:至|到)",
            _I,
        ),
    ),
    (
        "start_close",
        gate(
            r"(?:first|opening) (?:day|session)'?s close|from the close of the first|"
            r"首日收盘|起始日收盘|第一个交易日收盘",
            _I,
        ),
    ),
    ("ddof=0", gate(r"ddof\s*=\s*0|population|总体标准差", _I)),
    ("ddof=1", gate(r"ddof\s*=\s*1|\bsample\b|样本标准差", _I)),
    ("total_return", gate(r"total return|含股息|全收益|dividends? reinvested", _I)),
]
_FOLLOWUP = gate(
    r"^\s*(?:and|what about|how about|same for|now|then|also|那|那么|再看看?|换成|还有|再)\b|(?:呢|怎么样|如何)\s*[?？]?\s*$",
    _I,
)
_POINT_IN_TIME = frozenset({"sma", "sma_distance", "high_52w", "low_52w", "last_close"})


_EXTRA_ALIASES = [
    (gate(r"\bsmall[- ]cap(?:s|italisation|italization)?\b|小型股", _I), "^RUT"),
    (gate(r"\blarge[- ]caps?\b|大型股|大盘股", _I), "^GSPC"),
]
_BARE_WINDOW = gate(r"(?<![\w.])(\d{1,3})\s*-?\s*(?:day|session|日|天)(?![A-Za-z])", _I)


def symbol_mentions(text: str) -> list[tuple[int, int, str]]:
    """Return (start, end, symbol) for every symbol written in `text`, metric names left out."""
    found = []
    for a, b, symbol in symbol_spans(text):
        if text[a:b].isupper() and text[a:b].lstrip("$^") in _NOT_TICKERS:
            continue
        found.append((a, b, symbol))
    for pattern, symbol in _EXTRA_ALIASES:
        for hit in pattern.finditer(text):
            if not any(a < hit.end() and hit.start() < b for a, b, _ in found):
                found.append((hit.start(), hit.end(), symbol))
    return sorted(found)


def _benchmark(text: str, spans: list[tuple[int, int, str]]) -> str | None:
    """Return the symbol a comparison is made against: the one after "vs"/"对"/"and"."""
    ordered = list(dict.fromkeys(s for _, _, s in spans))
    if len(ordered) < 2:
        return None
    cued = [s for a, _, s in spans if m.BENCH_CUE.search(text[max(0, a - 16) : a])]
    return cued[-1] if cued else ordered[-1]


def stated_convention(text: str) -> str | None:
    """Return the convention `text` states (prev_close, open, ddof=0, ...), if any."""
    for name, pattern in _CONVENTIONS:
        if pattern.search(text):
            return name
    return None


def _topic(text: str) -> str | None:
    for name, pattern in _KNOWLEDGE:
        if pattern.search(text):
            return name
    return None


def topic_of(text: str) -> str | None:
    """Return the documents' topic a question touches (drivers, views, risks ...), whatever its
    kind: an opinion or a forecast may still be answered by what the cited sources say."""
    return _topic(unicodedata.normalize("NFKC", text))


@dataclass
class _Reading:
    """A question while it is being read."""

    text: str
    spans: list[tuple[int, int, str]]
    symbols: list[str]
    asks: list[MetricAsk]
    strong: bool
    period: Period | None
    kind: RequestKind = "other"
    ranking: Literal["top", "bottom"] | None = None
    topic: str | None = None


def read_request(
    text: str,
    ref: dt.date,
    *,
    news_date: dt.date | None = None,
    context: Request | None = None,
) -> Request:
    """Read a question asked on `ref` (the as-of session) into a typed `Request`.

    `news_date` dates the news item the question is about ("since the article was published");
    `context` is the previous request of the thread, which a follow-up inherits from.
    """
    t = unicodedata.normalize("NFKC", text).strip()
    spans = symbol_mentions(t)
    exclude = m.find_metrics(t).spans + [(a, b) for a, b, _ in spans]
    period = find_period(
        t, ref, news_date=news_date, context=context.period if context else None, exclude=exclude
    )
    found = m.find_metrics(
        t,
        has_period=period is not None and period.kind != "day",
        period_is_day=period is not None and period.kind == "day",
    )
    reading = _Reading(
        t,
        spans,
        list(dict.fromkeys(s for _, _, s in spans)),
        list(found.asks),
        found.strong,
        period,
    )
    _classify(reading)
    if reading.kind == "forecast" and period is not None and not period.future:
        # "Q2" in a forecast is the coming one, not the last one
        ahead = find_period(t, ref, news_date=news_date, exclude=exclude, forward=True)
        if ahead is not None and ahead.end is not None and ahead.end >= ref:
            reading.period = ahead
    _benchmarks(reading)
    convention = stated_convention(t)
    if (
        convention in ("start_close", "open", "prev_close")
        and [a.name for a in reading.asks] == ["last_close"]
        and reading.period is not None
        and reading.period.kind != "day"
    ):
        # "in January from the first day's close": the close names where a return starts
        reading.asks = [MetricAsk(name="return")]
    request = Request(
        text=text,
        kind=reading.kind,
        language=detect_language(t),
        symbols=reading.symbols,
        metrics=reading.asks,
        period=reading.period,
        convention=convention,
        ranking=reading.ranking,
        topic=reading.topic,
    )
    return _inherit(request, t, context) if context is not None else request


def _classify(r: _Reading) -> None:
    """Decide the request kind, and what a kind keeps of the metrics read."""
    t, topic = r.text, _topic(r.text)
    if _OPINION_STRONG.search(t):
        r.kind = "opinion"
    elif _FORECAST.search(t) or (r.period is not None and r.period.future):
        r.kind = "forecast"
    elif _OPINION_SOFT.search(t):
        r.kind = "opinion"
    elif _RANKING.search(t) and len([s for s in r.symbols if not s.startswith("^")]) != 1:
        r.kind = "ranking"
        r.ranking = "bottom" if _BOTTOM.search(t) else "top"
        keep = [a for a in r.asks if a.name in ("volatility", "max_drawdown", "beta")]
        r.asks = keep[:1] or [MetricAsk(name="return")]
        r.symbols = [s for s in r.symbols if not s.startswith("^")]  # "the S&P sectors"
    elif r.strong:
        r.kind = "metric"
    elif topic is not None:
        r.kind, r.topic, r.asks = "knowledge", topic, []
    elif r.asks and (r.symbols or r.period is not None):
        r.kind = "metric"
    elif r.symbols and r.period is not None:
        r.kind = "metric"
        r.asks = [MetricAsk(name="day_change" if r.period.kind == "day" else "return")]
    elif not r.symbols:
        r.asks = []
    if r.kind in ("opinion", "forecast"):
        r.asks = []  # nothing to compute: the answer says what the data cannot tell


_COMPARE = gate(r"\bcompar\w*|\bversus\b|\bvs\.?(?!\w)|对比|比较|相比", re.IGNORECASE)


def _benchmarks(r: _Reading) -> None:
    """Set the benchmark of beta / correlation, and read "A vs B" returns as relative."""
    if any(a.name in ("beta", "correlation") for a in r.asks):
        bench = _benchmark(r.text, r.spans)
        if bench:
            r.symbols = [s for s in r.symbols if s != bench] or r.symbols
            r.asks = [
                m.with_benchmark(a, bench) if a.name in ("beta", "correlation") else a
                for a in r.asks
            ]
    elif (
        r.kind == "metric"
        and len(r.symbols) >= 2
        and [a.name for a in r.asks] == ["return"]
        and m.RELATIVE.search(r.text)
    ):
        r.asks = [MetricAsk(name="relative", benchmark=_benchmark(r.text, r.spans))]
    elif r.kind == "other" and len(r.symbols) >= 2 and not r.asks and _COMPARE.search(r.text):
        # "Compare the Russell 2000 with the S&P 500": how they did against each other
        r.kind = "metric"
        r.asks = [MetricAsk(name="relative", benchmark=_benchmark(r.text, r.spans))]


def _inherit(request: Request, text: str, context: Request) -> Request:
    """Fill what a follow-up leaves out from the previous request."""
    update: dict[str, object] = {}
    inherited: list[str] = []
    short = len(text) <= 30 or bool(_FOLLOWUP.search(text))
    kind = request.kind
    windowed = [a for a in context.metrics if a.name in ("sma", "sma_distance")]
    bare = _BARE_WINDOW.search(text)
    if windowed and bare and short and not request.metrics:
        # "How about the 200-day?" after an SMA question: another SMA window, not a period
        ask = windowed[0].model_copy(update={"window": int(bare.group(1))})
        request = request.model_copy(update={"kind": "metric", "metrics": [ask], "period": None})
        kind = "metric"
        inherited.append("metric")
    if kind == "other" and short and context.kind in ("metric", "ranking", "knowledge"):
        update.update(kind=context.kind, metrics=context.metrics, topic=context.topic,
                      ranking=context.ranking)  # fmt: skip
        kind = context.kind
        inherited.append("metrics")
    if not request.symbols and context.symbols and kind in ("metric", "knowledge", "forecast"):
        update["symbols"] = context.symbols
        inherited.append("symbols")
    metrics = update.get("metrics", request.metrics)
    point_in_time = bool(metrics) and all(a.name in _POINT_IN_TIME for a in metrics)  # type: ignore[attr-defined]
    if (
        request.period is None
        and context.period is not None
        and kind in ("metric", "ranking", "knowledge")
        and not point_in_time
    ):
        update["period"] = context.period
        inherited.append("period")
    if not inherited:
        return request
    return request.model_copy(update={**update, "followup": True, "inherited": inherited})
