"""Read the numbers of an answer or a document as claims: metric, symbol, period, sign.

Each sentence is read with what the sentences before it established: the symbol last written
and the period last named, so "在此期间" / "over the same period" / an unstated period mean the
one before, and "the index" means the symbol before.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.grounding.gates import compile as gate
from assistant.grounding.numbers import Mention, extract_numbers
from assistant.reading import metrics as m
from assistant.reading.periods import find_period
from assistant.reading.request import stated_convention, symbol_mentions
from assistant.reading.shapes import Claim, MetricAsk, Period, Request
from knowledge.text import sentence_spans

_I = re.IGNORECASE
# Numbers next to these are not market data: forecasts, targets, valuations, rates, macro.
NOT_MARKET = gate(
    r"target|forecast\w*|expect\w*|estimat\w*|predict\w*|outlook|projection|P/E|price[- ]to[- ]earnings"
    r"|earnings|\bEPS\b|\bGDP\b|funds rate|interest rates?|rate cuts?|inflation|valuation|multiple"
    r"|目标|预测|预计|预期|市盈率|盈利|利率|降息|加息|估值|通胀|增速|经济",
    _I,
)
# A forecast: a forecasting word before the number and the future tense in the same sentence
# ("Jefferies forecast the index will reach 2,825 by end-2026, about 14% above today").
FORECAST = gate(
    r"\b(?:forecast\w*|predict\w*|project(?:s|ed|ion)|targets?|expect\w*|sees|estimat\w*|outlook)\b"
    r"|预测|预计|预期|目标|展望|看到|认为",
    _I,
)
FUTURE = gate(
    r"\b(?:will|would|could|might|by (?:the )?(?:end|close) of|by year[- ]end|next year|in \d{4} and)\b"
    r"|将|会|有望|到\s*\d{4}\s*年(?:底|末)|明年|年底前",
    _I,
)
_TARGET = gate(r"\b(?:price )?targets?\b|price objective|目标(?:价|位|点位)?", _I)
_CLAUSE = gate(r"[;，；:：(（)）]|,(?!\d{3})")
_FOR_SYMBOL = gate(r"\s*(?:for|of|in|at|by|on)\s+(?:the\s+)?$", _I)
_CHANGES = frozenset({"return", "change_points", "day_change", "relative", "sma_distance"})
_UNITS = {"%": "%", "pp": "pp", "points": "points", "usd": "usd", "cny": "cny", "x": "x"}


# Assets priced outside the stored set: a number about them is theirs, never the context's symbol.
# Each maps to its Yahoo symbol, so a market without those prices says "no data" for it.
_OTHER_ASSETS = [
    (gate(r"\bbitcoin\b|\bBTC\b|比特币", _I), "BTC-USD"),
    (gate(r"\bether(?:eum)?\b|\bETH\b|以太坊", _I), "ETH-USD"),
    (
        gate(
            r"\bgold (?:price|futures|bullion)s?\b|\bgold\b(?! ?(?:en|man|stocks?|miners?))|金价|黄金(?!交叉|分割|周)",
            _I,
        ),
        "GC=F",
    ),
    (gate(r"\bsilver\b|白银", _I), "SI=F"),
    (gate(r"\bcrude(?: oil)?\b|\bWTI\b|\boil prices?\b|原油|油价", _I), "CL=F"),
    (gate(r"\bBrent\b|布伦特", _I), "BZ=F"),
]


def claim_symbols(text: str) -> list[tuple[int, int, str]]:
    """Return the symbols a sentence names, assets outside the usual set (Bitcoin, gold) included."""
    return list(_claim_symbols(text))


@lru_cache(maxsize=512)
def _claim_symbols(text: str) -> tuple[tuple[int, int, str], ...]:
    spans = symbol_mentions(text)
    for pattern, symbol in _OTHER_ASSETS:
        for hit in pattern.finditer(text):
            if not any(a < hit.end() and hit.start() < b for a, b, _ in spans):
                spans.append((hit.start(), hit.end(), symbol))
    return tuple(sorted(spans))


_SUBJECT = gate(
    r"\bthe (?:index|benchmark|gauge)\b|该指数|这一指数|指数", _I
)  # "it"/"its": the last named


@dataclass
class ClaimContext:
    """What the sentences read so far established."""

    symbol: str | None = None
    period: Period | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def subject(self, text: str) -> str | None:
        """Who an unnamed subject is: "the index"/"it" is the symbol written most, else the last."""
        if _SUBJECT.search(text) and self.counts:
            top = max(self.counts.values())
            return next(s for s, n in self.counts.items() if n == top)
        return self.symbol

    def saw(self, symbol: str) -> None:
        self.symbol = symbol
        self.counts[symbol] = self.counts.get(symbol, 0) + 1


def _sentences(text: str | Sequence[str]) -> list[str]:
    if isinstance(text, str):
        folded = unicodedata.normalize("NFKC", text)
        return [folded[a:b] for a, b in sentence_spans(folded)]
    return [unicodedata.normalize("NFKC", s) for s in text]


def _clause_start(text: str, index: int) -> int:
    last = 0
    for hit in _CLAUSE.finditer(text, 0, index):
        last = hit.end()
    return last


_IT_BEFORE = gate(r"\b(?:it|its|the index|the benchmark)\b|该指数|这一指数|其|它", _I)
_COMPARISON = gate(
    r"\bthan\b|\bbeat\w*|\boutperform\w*|\blagg?\w*|\bvs\.?(?!\w)|\bversus\b|\bagainst\b|\bwhile\b"
    r"|\bwhereas\b|跑赢|跑输|相比|超过|落后|强于|弱于|高于|低于|而",
    _I,
)


def _symbol_for(
    text: str, mention: Mention, spans: list[tuple[int, int, str]]
) -> tuple[str | None, bool]:
    """The symbol a number is about, and whether it follows the number ("6.8% for the RUT")."""
    for a, _, symbol in spans:
        if a >= mention.end:
            if _FOR_SYMBOL.fullmatch(text[mention.end : a]):
                return symbol, True
            break
    before = [s for a, b, s in spans if b <= mention.start]
    if before:
        return before[-1], False
    # "From the open on December 1 (2,482.23) to ..., the Russell 2000 rose": the one symbol the
    # sentence names, later, is its subject, unless an "it" or a comparison points elsewhere.
    named = {s for _, _, s in spans}
    if (
        len(named) == 1
        and not _IT_BEFORE.search(text[: mention.start])
        and not _SUBJECT.search(text[: mention.start])
        and not _COMPARISON.search(text)
    ):
        return next(iter(named)), False
    return None, False


def _sign(mention: Mention) -> int | None:
    if mention.signed:
        return -1 if mention.value < 0 else 1
    if mention.direction:
        return -1 if mention.direction == "down" else 1
    return None


_RANGE_DASH = gate(r"\s*(?:-|–|—|~|至|到|to)\s*")
_IT = gate(r"\s*(?:above|below|under|over)\s+(?:it|that level|this level|that|this)\b", _I)


def _named(found: m.Found) -> bool:
    """A metric named by its own words (a moving average, volatility), not a bare move or close."""
    weak = ("return", "day_change", "last_close", "change_points")
    return found.strong and found.asks[0].name not in weak


def _left_start(text: str, mention: Mention) -> int:
    """Where the words a number belongs to begin: its clause, or the one before its bracket."""
    index = mention.start
    while index > 0 and text[index - 1] in " $¥":
        index -= 1
    if index > 0 and text[index - 1] in "(（":
        return _clause_start(text, index - 1)
    return _clause_start(text, mention.start)


def _metric(
    text: str, mention: Mention, prev_end: int, period: Period | None, previous: MetricAsk | None
) -> MetricAsk | None:
    left = text[max(prev_end, _left_start(text, mention)) : mention.start]
    clause = _CLAUSE.search(text, mention.end, mention.end + 40)
    right = text[mention.end : clause.start() if clause else mention.end + 40]
    if not clause and mention.end + 40 < len(text) and text[mention.end + 40].isalpha():
        right = right.rsplit(" ", 1)[0]  # not half a word
    window = left + " " + right[:12]  # never past the clause: the next number's words
    day = period is not None and period.kind == "day"
    has_period = period is not None and not day
    if previous is not None and _IT.match(right):
        # "closed 0.25% below it": measured against the level just named
        name = "sma_distance" if previous.name in ("sma", "sma_distance") else previous.name
        return previous.model_copy(update={"name": name})
    after = m.find_metrics(right, has_period=has_period, period_is_day=day)
    # "2.60% above its average and 2.41% below its 52-week high": words after a number that
    # name a metric of their own are its metric, not the words the number before left behind
    before = m.find_metrics(left, has_period=has_period, period_is_day=day)
    found = after.asks if _named(after) and (previous is not None or not _named(before)) else []
    found = found or m.find_metrics(window, has_period=has_period, period_is_day=day).asks
    if not found and previous is not None:
        return previous
    if not found:
        found = m.find_metrics(text, has_period=has_period, period_is_day=day).asks
    if found and found[0].name == "last_close" and mention.unit in ("%", "pp"):
        # "收盘上涨7.53%": a percentage is the move to the close, never the close itself
        found = [MetricAsk(name="day_change" if day else "return")]
    if not found and mention.unit in ("%", "points") and mention.direction:
        return MetricAsk(name="day_change" if day else "return")
    return found[0] if found else None


def read_claims(
    text: str | Sequence[str],
    ref: dt.date,
    *,
    news_date: dt.date | None = None,
    context: Request | None = None,
) -> list[Claim]:
    """Read every number of `text` (one string, or its sentences in order) as a claim.

    `ref` is the as-of session (a document's publication date, or the answer's as-of); years
    left out are read against it. `context` is the question an answer replies to: its first
    symbol and its period stand for a sentence that names neither.
    """
    state = ClaimContext(period=context.period if context else None)
    for symbol in context.symbols if context else []:
        state.saw(symbol)
    claims: list[Claim] = []
    for index, sentence in enumerate(_sentences(text)):
        claims.extend(_sentence_claims(sentence, index, ref, news_date, state))
    return claims


def _sentence_claims(
    text: str, index: int, ref: dt.date, news: dt.date | None, state: ClaimContext
) -> list[Claim]:
    spans = claim_symbols(text)
    mentions = extract_numbers(text)
    sma = m.find_metrics(text).spans
    period = find_period(
        text,
        ref,
        news_date=news,
        context=state.period,
        exclude=sma + [(a, b) for a, b, _ in spans],
    )
    carried_period = period is None and state.period is not None
    if period is None:
        period = state.period
    claims: list[Claim] = []
    previous: MetricAsk | None = None
    for i, mention in enumerate(mentions):
        prev_end = mentions[i - 1].end if i else 0
        metric = None
        joined = bool(i) and _RANGE_DASH.fullmatch(text[prev_end : mention.start]) is not None
        if joined and claims and claims[-1].metric is None:
            pass  # "3.5%-3.75%": the second end of a range is what the first is
        elif not _not_market(text, mention, prev_end) and not is_forecast(text, mention, period):
            metric = _metric(text, mention, prev_end, period, previous)
        symbol, _ = _symbol_for(text, mention, spans)
        from_context = []
        if symbol is None and metric is not None:
            symbol = state.subject(text[: mention.start])
            from_context.append("symbol")
        if carried_period and metric is not None:
            from_context.append("period")
        sign = _sign(mention)
        if metric is not None and metric.name == "sma_distance":
            sign = _side(text, mention) or sign
        value = mention.value
        if metric is not None and metric.name in _CHANGES and sign is not None:
            value = abs(value) * sign
        claims.append(
            Claim(
                sentence=text,
                index=index,
                span=(mention.start, mention.end),
                raw=mention.raw,
                value=value,
                unit=_UNITS.get(mention.unit, "plain"),
                sign=sign,
                metric=metric,
                symbol=symbol if metric is not None else None,
                period=period if metric is not None else None,
                convention=stated_convention(text) if metric is not None else None,
                from_context=from_context,
            )
        )
        previous = metric or previous
    for _, _, symbol in spans:
        state.saw(symbol)
    subjects = [c.symbol for c in claims if "symbol" in c.from_context and c.symbol]
    if not spans and subjects:
        state.symbol = subjects[-1]  # "The index closed ... It trades ...": it is the index
    market = any(c.metric is not None for c in claims)
    # A sentence with figures sets the period for those after it; so does one with no figure at
    # all that names a day ("the sector picture on January 23 ..." before the sectors' moves).
    named_day = period is not None and period.kind == "day" and not mentions
    if period is not None and not carried_period and not period.future and (market or named_day):
        state.period = period
    return claims


_BELOW = gate(r"^\s*(?:below|under|beneath)\b|低于|跌破|之下|下方", _I)
_ABOVE = gate(r"^\s*(?:above|over)\b|高于|高出|之上|上方|站上", _I)


def _side(text: str, mention: Mention) -> int | None:
    """+1 / -1 for "N% above / below" a level: the words after it, else the last before it."""
    clause = _CLAUSE.search(text, mention.end)
    after = text[mention.end : clause.start() if clause else mention.end + 12][:12]
    if _BELOW.search(after):
        return -1
    if _ABOVE.search(after):
        return 1
    before = text[max(_clause_start(text, mention.start), mention.start - 16) : mention.start]
    sides = [(hit.end(), -1) for hit in _BELOW_ZH.finditer(before)]
    sides += [(hit.end(), 1) for hit in _ABOVE_ZH.finditer(before)]
    return max(sides)[1] if sides else None


_BELOW_ZH = gate(r"\bbelow\b|低于|跌破|之下|下方|低出|还差|仅差|差", _I)
_ABOVE_ZH = gate(r"\babove\b|高于|高出|之上|上方|站上", _I)


def is_forecast(text: str, mention: Mention, period: Period | None = None) -> bool:
    """Tell whether a number is a forecast: of a period to come, or said of the future."""
    if period is not None and period.future:
        return True
    if _TARGET.search(text, 0, mention.start):
        return True  # a target, and what it implies ("10% above today's level"), lies ahead
    cue = FORECAST.search(text, 0, mention.start)
    return bool(cue and FUTURE.search(text, cue.end()))


def _not_market(text: str, mention: Mention, prev_end: int) -> bool:
    left = text[
        max(_clause_start(text, mention.start), prev_end, mention.start - 45) : mention.start
    ]
    clause = _CLAUSE.search(text, mention.end, mention.end + 25)
    right = text[mention.end : clause.start() if clause else mention.end + 25]
    return mention.unit in ("x", "cny") or bool(NOT_MARKET.search(left) or NOT_MARKET.search(right))
