"""Which metrics a text asks for, with their parameters, in English and Chinese."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.grounding.gates import Gated
from assistant.grounding.gates import compile as gate
from assistant.reading.numerals import CN_NUMBER, EN_NUMBER, count
from assistant.reading.shapes import Basis, MetricAsk, MetricName

_I = re.IGNORECASE

SMA = gate(
    r"moving[- ]averages?|\b(?:simple|exponential)[- ]moving|(?<![A-Za-z])s?ma\s*\(?\d+\)?|(?<![A-Za-z])smas?(?![A-Za-z])"
    r"|(?<![A-Za-z])emas?(?![A-Za-z])|\b\d+\s*-?\s*d?dma\b|均线|移动平均线?|平均线|support level|支撑位|\b\d+[- ](?:day|session)(?: lines?| averages?)\b",
    _I,
)
_SMA_INLINE = gate(
    r"(?<![A-Za-z])s?ma\s*\(?(\d+)\)?|\b(\d+)\s*-?\s*d?dma\b|\b(\d+)[- ](?:day|session)", _I
)
# The number runs are possessive: a run split in two ("50" as "5" + "0") never reads differently,
# and trying every split made this search exponential in the digits of the 60 characters before.
_WINDOW_LIST = gate(
    r"(?P<list>(?:(?:\d++|[零〇一二两三四五六七八九十百千]++)\s*(?:-\s*|\s*(?:trading[- ]days?|days?|sessions?|日|天|个交易日)\s*)?"
    r"(?:(?:,|、|/|and|和|与|及|or|或|&)\s*)?)+)\s*(?:-?\s*(?:trading[- ]days?|days?|sessions?|日|天|个交易日))?"
    r"\s*(?:simple\s+|exponential\s+|的|简单|指数)?$",
    _I,
)
_WINDOW_AFTER = gate(
    rf"^\s*(?:\(|（)?\s*(?:of\s+)?(?P<n>\d+|{CN_NUMBER})\s*(?:-?\s*(?:days?|sessions?|日|天|个交易日))?",
    _I,
)
_WINDOW_LATER = gate(
    rf"^[^,.;?，。；？]{{0,30}}?\b(?:over|across|of)\s+(?:the\s+)?(?:last\s+|past\s+)?(?P<n>\d+|{EN_NUMBER})\s*"
    r"(?:trading days|days|sessions)\b",
    _I,
)
_DISTANCE = gate(
    r"\babove\b|\bbelow\b|\bdistance\b|how far|away from|\bgap\b|\bunder\b|\bover its\b|relative to (?:its|the)"
    r"|premium|discount|\bspread\b|stretched|\bvs\.? (?:its|the)\b|距离|高于|低于|高出|低出|偏离|离|距|差距|之上|之下|上方|下方|相差|跌破|突破|站上|比|\bhold(?:s|ing)?\b|\breclaim\w*|\bbreak\w*|守住|站稳|失守|收复",
    _I,
)
WEEK52 = gate(
    r"52[- ]?weeks?|52\s?周|fifty[- ]two[- ]week|12[- ]month (?:high|low|range)|一年(?:来|内)?(?:的)?(?:最)?(?:高|低)点"
    r"|\b(?:annual|yearly|year) (?:high|low)s?\b|年内(?:最)?(?:高|低)点",
    _I,
)
_HIGH = gate(r"\bhighs?\b|highest|\bpeak\b|高点|最高|新高|峰值", _I)
_LOW = gate(r"\blows?\b|lowest|\btrough\b|低点|最低|新低|谷底", _I)
_RANGE = gate(r"\brange\b|区间|高低点|high and low|high/low|高点和低点", _I)
_INTRADAY = gate(r"intraday|盘中|日内", _I)
_CLOSING = gate(r"(?<!how )\bclos(?:e|ing|es)\b(?!\s+(?:to|is|are)\b)|收盘", _I)
DRAWDOWN = gate(
    r"draw[- ]?downs?|peak[- ]to[- ]trough|最大回撤|回撤|最大跌幅|从高点.*跌了?多少", _I
)
BETA = gate(r"(?<![A-Za-z])betas?(?![A-Za-z])|贝塔|β", _I)
CORRELATION = gate(r"correlat\w*|相关性|相关系数|相关度|联动性?", _I)
VOLATILITY = gate(
    r"volatil\w*|standard deviation|\bstd\b|std\.? ?dev|波动率|波动性|波动幅度|波动程度|标准差|波动",
    _I,
)
_ANNUAL = gate(r"annuali[sz]ed|annual|\byearly\b|年化", _I)
_DAILY = gate(
    r"\bdaily\b|\bper day\b|每日|日度|单日|日收盘收益率|(?<![\d一二三四五六七八九十百个交易])日(?:波动|收益率)",
    _I,
)
DAY_CHANGE = gate(
    r"day(?:'s)? change|daily (?:change|move)|one[- ]day (?:move|change|return)|single[- ]day|intraday move|"
    r"当日涨跌|单日涨跌|当天涨跌|日涨跌幅|单日涨幅|单日跌幅|当日涨幅|当日跌幅|当天涨了|当天跌了|当天的涨跌",
    _I,
)
POINTS = gate(
    r"how many points|\bin points\b|points? (?:gain|loss|change|move)|(?:gain|lose|lost|add|shed|drop|fall|fell|rise|rose|move|moved|change)\w*\s+(?:by\s+)?(?:how many|many)\s+points"
    r"|多少点|几个点|多少个点|点数|涨跌点数",
    _I,
)
CLOSE = gate(r"\bclos(?:e|ed|ing)\b|收盘价?|收于|收报|收在|收盘点位", _I)
QUOTE = gate(
    r"\bprice\b|\bquote\b|\blevel\b|where (?:is|are|did|was)\b|trading at|\bat what level|现价|点位|报价|最新|现在(?:多少|在)|多少点|什么位置|什么水平",
    _I,
)
RETURN = gate(
    r"\breturns?\b|\bperform\w*|how did .* do\b|how (?:is|are|has|have) .* (?:doing|done)|\bfared?\b|\bgains?\b|\bgained\b|\brise\b|\brose\b|\brisen\b"
    r"|\bfell\b|\bfall(?:en)?\b|\bdrop\w*|declin\w*|\bmove[ds]?\b|\bchange[ds]?\b|\bup\b|\bdown\b|\brall\w*|\bclimb\w*|\bslid\b|\bslump\w*"
    r"|\bsurg\w*|\btumbl\w*|\badvanc\w*|how much|percent|\b% |涨|跌|表现|收益|回报|涨幅|跌幅|涨跌幅|走势|变化|变动|升|降|回落|反弹|走强|走弱",
    _I,
)
RELATIVE = gate(
    r"\bvs\.?\b|\bversus\b|\bcompare[ds]?\b|comparison|relative (?:to|performance)|\bagainst\b|outperform\w*|underperform\w*"
    r"|\bbeat\b|\blag\w*|\bthan\b|\bor\b|对比|相比|比较|跑赢|跑输|相对|强于|弱于|差距|谁更|哪个更|哪个涨得|相较|\bspread\b",
    _I,
)
BENCH_CUE = gate(
    r"(?:\bvs\.?|\bversus|\bagainst|relative to|\bto|\bwith|\bon|compared (?:to|with)|\band|对|相对于?|与|和|跟|同|较)\s*(?:the\s+)?$",
    _I,
)


_ALSO_RETURN = gate(
    r"(?:\band\b|,|以及|和|及)\s*(?:its|the|their)?\s*(?:\d+[- ]?(?:day|session|日|天)\s*)?"
    r"(?:returns?|performance|gain|涨幅|收益率|回报|表现)(?!\w)",
    _I,
)


@dataclass(frozen=True)
class Found:
    """The metrics read from a text, and the spans that hold their parameters (not periods)."""

    asks: list[MetricAsk]
    spans: list[tuple[int, int]]
    strong: bool  # a named metric (not a bare move word)


def _sma_windows(text: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Return every SMA window written ("20- and 50-day", "MA50", "50日均线") and their spans."""
    windows: list[int] = []
    spans: list[tuple[int, int]] = []
    for m in SMA.finditer(text):
        spans.append(m.span())
        inline = _SMA_INLINE.search(m.group(0))
        anchor = m.start()
        if inline and inline.group(3):  # "50-day average": the list may go on before it
            anchor = m.start() + re.search(r"average|line", m.group(0), _I).start()  # type: ignore[union-attr]
        elif inline:
            n = next(g for g in inline.groups() if g)
            windows.append(int(n))
            continue
        head = text[max(0, anchor - 60) : anchor]
        listed = _WINDOW_LIST.search(head)
        found: list[int] = []
        if listed and listed.group("list").strip():
            raw = listed.group("list")
            for part in re.findall(rf"\d+|{CN_NUMBER}", raw):
                n = count(part)
                if n is not None and 2 <= n <= 400:
                    found.append(n)
            if found:
                spans.append((anchor - len(listed.group(0)), anchor))
        if not found:
            after = _WINDOW_AFTER.match(text[m.end() : m.end() + 20])
            later = _WINDOW_LATER.match(text[m.end() : m.end() + 70])
            for hit in (after, later):
                if hit and (n := count(hit.group("n"))) is not None and 2 <= n <= 400:
                    found.append(n)
                    spans.append((m.end(), m.end() + hit.end()))
                    break
        windows.extend(found)
    return list(dict.fromkeys(windows)), spans


def _basis(text: str) -> Basis | None:
    if _INTRADAY.search(text):
        return "intraday"
    if _CLOSING.search(text):
        return "close"
    return None


def find_metrics(text: str, *, has_period: bool = False, period_is_day: bool = False) -> Found:
    """Read the metrics `text` asks for (no implicit ones: the request decides those)."""
    asks: list[MetricAsk] = []
    spans: list[tuple[int, int]] = []
    if SMA.search(text):
        windows, sma_spans = _sma_windows(text)
        spans.extend(sma_spans)
        name: MetricName = "sma_distance" if _DISTANCE.search(text) else "sma"
        sized: list[int | None] = list(windows) or [None]
        asks.extend(MetricAsk(name=name, window=w) for w in sized)
    if m := WEEK52.search(text):
        spans.append(m.span())
        basis = _basis(text)
        high, low = bool(_HIGH.search(text)), bool(_LOW.search(text))
        if _RANGE.search(text) or high == low:
            high = low = True
        if high:
            asks.append(MetricAsk(name="high_52w", basis=basis))
        if low:
            asks.append(MetricAsk(name="low_52w", basis=basis))
    elif not DRAWDOWN.search(text) and (
        (high := bool(_HIGH.search(text))) | (low := bool(_LOW.search(text)))
    ):
        basis = _basis(text)
        if has_period and not period_is_day:
            if high:
                asks.append(MetricAsk(name="period_high", basis=basis))
            if low:
                asks.append(MetricAsk(name="period_low", basis=basis))
        elif not DRAWDOWN.search(text):
            if high:
                asks.append(MetricAsk(name="high_52w", basis=basis))
            if low:
                asks.append(MetricAsk(name="low_52w", basis=basis))
    if DRAWDOWN.search(text):
        asks.append(MetricAsk(name="max_drawdown"))
    if BETA.search(text):
        asks.append(MetricAsk(name="beta"))
    if CORRELATION.search(text):
        asks.append(MetricAsk(name="correlation"))
    if VOLATILITY.search(text) and not re.search(r"volatility index|波动率指数|恐慌指数", text, _I):
        annual: bool | None = None
        if _ANNUAL.search(text):
            annual = True
        elif _DAILY.search(text):
            annual = False
        asks.append(MetricAsk(name="volatility", annualised=annual))
    strong = bool(asks)
    if asks and _ALSO_RETURN.search(text):
        asks.append(MetricAsk(name="return"))
    if not asks:
        if DAY_CHANGE.search(text):
            asks.append(MetricAsk(name="day_change"))
        elif POINTS.search(text) and not CLOSE.search(text):
            asks.append(MetricAsk(name="change_points"))
        elif CLOSE.search(text) and not re.search(
            r"close[- ]to[- ]close|收盘价对收盘价|since (?:the )?close", text, _I
        ):
            asks.append(MetricAsk(name="last_close"))
        elif RETURN.search(text):
            asks.append(MetricAsk(name="day_change" if period_is_day else "return"))
        elif QUOTE.search(text):
            asks.append(MetricAsk(name="last_close"))
        strong = bool(asks) and asks[0].name != "return"
    return Found(asks, spans, strong)


# Indicators no tool computes: read so that an answer can say so, not swap in another metric.
_UNSUPPORTED: list[tuple[str, Gated]] = [
    (
        "ema",
        gate(r"exponential[- ]moving|(?<![A-Za-z])emas?(?![A-Za-z])|指数移动平均|指数均线", _I),
    ),
    ("rsi", gate(r"(?<![A-Za-z])rsi(?![A-Za-z])|relative strength index|相对强弱", _I)),
    ("macd", gate(r"(?<![A-Za-z])macd(?![A-Za-z])|异同移动平均", _I)),
    ("bollinger", gate(r"bollinger|布林", _I)),
    ("sharpe", gate(r"sharpe|夏普", _I)),
    ("atr", gate(r"(?<![A-Za-z])atr(?![A-Za-z])|average true range|真实波幅", _I)),
    ("volume", gate(r"\bvolumes?\b|成交量|成交额", _I)),
    ("dividend_yield", gate(r"dividend yield|股息率", _I)),
]


def unsupported_metric(text: str) -> str | None:
    """Return the name of an indicator `text` asks for that no tool computes, if any."""
    for name, pattern in _UNSUPPORTED:
        if pattern.search(text):
            return name
    return None


def with_benchmark(ask: MetricAsk, benchmark: str | None) -> MetricAsk:
    """Return `ask` with its benchmark set."""
    return ask.model_copy(update={"benchmark": benchmark}) if benchmark else ask


def named_at(ask: MetricAsk, text: str) -> int:
    """Where `text` first names the metric `ask` (its length when it never does): the reader
    lists metrics by kind, and a question's main item is the one asked first ("how much did it
    rise, and how volatile was it?")."""
    pattern = _NAMED_BY.get(ask.name)
    hit = pattern.search(text) if pattern is not None else None
    return hit.start() if hit else len(text)


_NAMED_BY: dict[str, Gated] = {
    "sma": SMA,
    "sma_distance": SMA,
    "high_52w": WEEK52,
    "low_52w": WEEK52,
    "max_drawdown": DRAWDOWN,
    "beta": BETA,
    "correlation": CORRELATION,
    "volatility": VOLATILITY,
    "day_change": DAY_CHANGE,
    "change_points": POINTS,
    "last_close": CLOSE,
    "return": RETURN,
    "relative": RELATIVE,
}
