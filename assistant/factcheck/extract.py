"""Find the market-data claims of a text by rules, in English and Chinese."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from assistant.factcheck import cues, reading
from assistant.factcheck.claims import Claim
from assistant.factcheck.reading import SymbolSpan
from assistant.factcheck.segments import Sentence, split_sentences
from assistant.grounding.dates import DateHit, date_spans, parse_window
from assistant.grounding.numbers import Mention, extract_numbers, normalize
from knowledge.text import citations
from tools.symbols import symbol_spans

_SIGNED = {
    "return",
    "change_points",
    "day_change",
    "sma_distance",
    "high_distance",
    "low_distance",
    "level_gap",
}
_UNITS = {
    "%": "%",
    "pp": "pp",
    "points": "points",
    "usd": "points",
    "cny": "points",
    "plain": "points",
    "x": "ratio",
}


@dataclass
class _Context:
    """What earlier sentences established: symbols, the window and the session in play."""

    ref: dt.date
    as_of: dt.date | None
    default_symbol: str | None
    last_symbol: str | None = None
    index_counts: dict[str, int] = field(default_factory=dict)
    paragraph: int = -1
    paragraph_symbols: list[str] = field(default_factory=list)
    window: tuple[dt.date | None, dt.date | None, str | None] | None = None
    vol_window: tuple[dt.date | None, dt.date | None, int | None] | None = None
    day: dt.date | None = None
    level: float | None = None

    def enter(self, paragraph: int) -> None:
        if paragraph != self.paragraph:
            self.paragraph = paragraph
            self.paragraph_symbols = []
            self.window = None
            self.vol_window = None

    def subject(self, text: str) -> str | None:
        """Return who "the index" or an unnamed subject is: the index written most so far."""
        if cues.THE_INDEX.search(text) and self.index_counts:
            top = max(self.index_counts.values())
            leaders = [s for s, n in self.index_counts.items() if n == top]
            return self.default_symbol if self.default_symbol in leaders else leaders[0]
        return self.last_symbol or self.default_symbol

    def saw(self, symbol: str) -> None:
        if symbol not in self.paragraph_symbols:
            self.paragraph_symbols.append(symbol)
        self.last_symbol = symbol
        if symbol.startswith("^"):
            self.index_counts[symbol] = self.index_counts.get(symbol, 0) + 1


@dataclass
class _Reading:
    """One number while its sentence is being read."""

    mention: Mention
    category: str | None
    symbol: str | None = None
    sign: int | None = None


def _dates(text: str, ref: dt.date) -> list[DateHit]:
    hits = []
    for hit in date_spans(text, ref.year):
        day = hit.day
        if not hit.year_given and day > ref:
            day = day.replace(year=day.year - 1)
        hits.append(DateHit(day, hit.start, hit.end, hit.year_given))
    return hits


def extract_claims(
    text: str,
    published: dt.date | None = None,
    default_symbol: str | None = None,
    as_of: dt.date | None = None,
) -> list[Claim]:
    """Return one claim per number `text` asserts, market figures read with symbol and window.

    `published` dates the text (years left out are read against it); `as_of` is the session an
    undated figure refers to (by default the last session before `published`).
    """
    from tools.calendar import previous_session

    text = normalize(text)
    ref = published or dt.date.today()
    if as_of is None and published is not None:
        as_of = previous_session(published)
    ctx = _Context(ref=ref, as_of=as_of, default_symbol=default_symbol)
    claims: list[Claim] = []
    for sentence in split_sentences(text):
        ctx.enter(sentence.paragraph)
        claims.extend(_sentence_claims(sentence, ctx))
    return claims


def _sentence_claims(sentence: Sentence, ctx: _Context) -> list[Claim]:
    text = sentence.text
    symbols = [SymbolSpan(a, b, s) for a, b, s in symbol_spans(text)]
    mentions = extract_numbers(text)
    hits = _dates(text, ctx.ref)
    readings: list[_Reading] = []
    for i, m in enumerate(mentions):
        prev_end = mentions[i - 1].end if i else 0
        previous = readings[-1] if readings else None
        next_start = mentions[i + 1].start if i + 1 < len(mentions) else len(text)
        found = reading.category(
            text, m, prev_end, next_start, previous.category if previous else None
        )
        sign = reading.direction(text, m, prev_end)
        if sign is None and previous is not None and previous.category == found:
            sign = previous.sign
        readings.append(_Reading(m, found, sign=sign))
    _assign_symbols(text, readings, symbols, ctx)
    sources = citations(text)
    claims = [_claim(sentence, r, readings, hits, sources, ctx) for r in readings]
    for span in symbols:
        ctx.saw(span.symbol)
    if hits and any(c.metric != "other" for c in claims):
        ctx.day = max(h.day for h in hits)
    return claims


def _assign_symbols(
    text: str, readings: list[_Reading], symbols: list[SymbolSpan], ctx: _Context
) -> None:
    mentions = [r.mention for r in readings]
    for r in readings:
        r.symbol = reading.symbol_after(text, r.mention, symbols) or reading.symbol_before(
            r.mention, symbols
        )
    for run in reading.list_runs(text, mentions):
        if any(reading.symbol_after(text, mentions[i], symbols) for i in run):
            continue
        first = mentions[run[0]]
        before = list(dict.fromkeys(s.symbol for s in symbols if s.end <= first.start))
        pool = before if len(before) == len(run) else []
        if not pool and not before:
            pool = ctx.paragraph_symbols if len(ctx.paragraph_symbols) == len(run) else []
        if not pool and not cues.RESPECTIVELY.search(text):
            continue
        for i, symbol in zip(run, pool, strict=False):
            readings[i].symbol = symbol
    subject = cues.THE_INDEX.search(text)
    for r in readings:
        if r.symbol is not None:
            continue
        following = [s.symbol for s in symbols if s.start >= r.mention.end]
        if following and not (subject and subject.end() <= r.mention.start):
            r.symbol = following[0]
        else:
            r.symbol = ctx.subject(text)


def _claim(
    sentence: Sentence,
    r: _Reading,
    readings: list[_Reading],
    hits: list[DateHit],
    sources: list[int],
    ctx: _Context,
) -> Claim:
    text, m = sentence.text, r.mention
    mentions = [x.mention for x in readings]
    base: dict[str, Any] = {
        "sentence": text,
        "span": (sentence.start + m.start, sentence.start + m.end),
        "raw": m.raw,
        "unit": _UNITS[m.unit],
        "tolerance": m.tolerance,
        "decimals": m.decimals,
        "sources": sources,
    }
    fields = _market_fields(text, r, mentions, hits, ctx)
    if fields is None:
        if m.unit in {"points", "plain"} and _is_target(text):
            ctx.level = m.value
        return Claim(
            **base,
            metric="other",
            claimed=m.value,
            symbol=r.symbol if r.category != "other" else None,
            reason=_other_reason(text, r),
        )
    metric = fields.pop("metric")
    value = abs(m.value) if metric in _SIGNED else m.value
    sign_known = True
    if metric in {"sma_distance", "high_distance", "low_distance", "level_gap"}:
        value *= reading.distance_sign(text, m, _prev_end(r, readings))
    elif metric in _SIGNED:
        if r.sign is None:
            sign_known = False
        else:
            value *= r.sign
    return Claim(**base, **fields, metric=metric, claimed=value, sign_known=sign_known)


def _prev_end(r: _Reading, readings: list[_Reading]) -> int:
    i = readings.index(r)
    return readings[i - 1].mention.end if i else 0


def _is_target(text: str) -> bool:
    return bool(cues.NOT_MARKET.search(text))


def _other_reason(text: str, r: _Reading) -> str:
    if r.category == "other":
        found = cues.NOT_MARKET.search(text)
        word = found.group(0) if found else "context"
        return f"not a market-data figure (reads as {word!r})"
    return "no market metric recognised next to this number"


def _market_fields(
    text: str, r: _Reading, mentions: list[Mention], hits: list[DateHit], ctx: _Context
) -> dict[str, Any] | None:
    """Return the claim fields for a market reading, or None when the number is not one."""
    m, cat = r.mention, r.category
    if cat is None or cat == "other" or r.symbol is None or m.unit == "cny":
        return None  # not a market figure (the market data is in dollars)
    nearest = reading.nearest_date(text, m, hits, mentions)
    latest = max((h.day for h in hits), default=None)
    level_day = latest or ctx.day or ctx.as_of
    common: dict[str, Any] = {"symbol": r.symbol}
    if cat in {"open", "close"}:
        day = nearest.day if nearest else (ctx.day or ctx.as_of)
        return {**common, "metric": "open" if cat == "open" else "last_close", "date": day}
    if cat == "sma":
        return {
            **common,
            "metric": "sma",
            "date": level_day,
            "sessions": reading.sma_window(text, hits) or 20,
        }
    if cat in {"high", "low", "range"}:
        metric = _extreme(cat, m, mentions, text, r)
        session = nearest.day if nearest and nearest.day != latest else None
        return {
            **common,
            "metric": metric,
            "date": level_day,
            "session_of": session,
            "basis": _basis(text),
        }
    if cat.startswith("distance:"):
        side = "after" if reading.comparison_after(text, m) else "before"
        compared = reading.nearest_date(text, m, hits, mentions, side)
        return _distance_fields(text, cat.split(":", 1)[1], compared, level_day, common, ctx)
    if cat == "volatility":
        return _volatility_fields(text, m, hits, common, ctx)
    if cat == "change":
        return _change_fields(text, m, hits, common, ctx)
    return None


def _extreme(cat: str, m: Mention, mentions: list[Mention], text: str, r: _Reading) -> str:
    if cat in {"high", "low"}:
        return f"{cat}_52w"
    levels = [x.value for x in mentions if x.unit in {"points", "plain", "usd"}]
    return "low_52w" if len(levels) > 1 and m.value == min(levels) else "high_52w"


def _basis(text: str) -> str | None:
    if cues.CLOSING_BASIS.search(text):
        return "close"
    if cues.INTRADAY.search(text):
        return "intraday"
    return None


def _distance_fields(
    text: str,
    ref: str,
    nearest: DateHit | None,
    level_day: dt.date | None,
    common: dict[str, Any],
    ctx: _Context,
) -> dict[str, Any] | None:
    if ref == "sma":
        return {
            **common,
            "metric": "sma_distance",
            "date": level_day,
            "sessions": reading.sma_window(text, []) or 20,
        }
    if ref in {"high", "low"}:
        return {**common, "metric": f"{ref}_distance", "date": level_day, "basis": _basis(text)}
    day = nearest.day if nearest else ctx.day
    if cues.LEVEL_SUBJECT.search(text) and ctx.level is not None:
        return {**common, "metric": "level_gap", "date": day, "level": ctx.level}
    if day is None:
        return None
    return {
        **common,
        "metric": "return",
        "start": day,
        "end": ctx.as_of,
        "convention": "start_close",
    }


def _volatility_fields(
    text: str, m: Mention, hits: list[DateHit], common: dict[str, Any], ctx: _Context
) -> dict[str, Any] | None:
    found = cues.SESSIONS.search(text)
    sessions = int(found.group(1)) if found else None
    start: dt.date | None
    end: dt.date | None
    if len(hits) >= 2:
        start, end = min(h.day for h in hits), max(h.day for h in hits)
    elif ctx.vol_window:
        start, end, inherited = ctx.vol_window
        sessions = sessions or inherited
    elif ctx.window:
        start, end, _ = ctx.window
    else:
        return None
    ctx.vol_window = (start, end, sessions)
    ddof = reading.stated_ddof(text, m)
    metric = "volatility_annual" if cues.ANNUAL.search(text) else "volatility_daily"
    return {
        **common,
        "metric": metric,
        "start": start,
        "end": end,
        "sessions": sessions,
        "convention": None if ddof is None else f"ddof={ddof}",
        "reason": ""
        if cues.ANNUAL.search(text) or cues.DAILY.search(text)
        else "daily or annual not said",
    }


def _change_fields(
    text: str, m: Mention, hits: list[DateHit], common: dict[str, Any], ctx: _Context
) -> dict[str, Any] | None:
    points = m.unit == "points"
    window_metric = "change_points" if points else "return"
    if len(hits) >= 2:
        ordered = sorted(hits, key=lambda h: h.day)
        convention = reading.start_convention(text, ordered[0]) or _sentence_convention(text)
        ctx.window = (ordered[0].day, ordered[-1].day, convention)
        return {
            **common,
            "metric": window_metric,
            "start": ordered[0].day,
            "end": ordered[-1].day,
            "convention": convention,
        }
    if len(hits) == 1:
        hit = hits[0]
        convention = reading.start_convention(text, hit)
        if convention or reading.is_window_start(text, hit):
            end = ctx.window[1] if ctx.window else ctx.as_of
            ctx.window = (hit.day, end, convention)
            return {
                **common,
                "metric": window_metric,
                "start": hit.day,
                "end": end,
                "convention": convention,
            }
        ctx.day = hit.day
        return _day_fields(text, hit.day, points, common)
    if ctx.window:
        start, end, convention = ctx.window
        if not cues.SAME_WAY.search(text):
            convention = _sentence_convention(text)
        return {
            **common,
            "metric": window_metric,
            "start": start,
            "end": end,
            "convention": convention,
        }
    window = parse_window(text, ctx.as_of or ctx.ref)
    if window and window.start:
        end = window.end or ctx.as_of
        return {
            **common,
            "metric": window_metric,
            "start": window.start,
            "end": end,
            "convention": _sentence_convention(text),
        }
    day = ctx.day or ctx.as_of
    return _day_fields(text, day, points, common) if day else None


def _day_fields(
    text: str, day: dt.date | None, points: bool, common: dict[str, Any]
) -> dict[str, Any]:
    metric = "change_points" if points else "day_change"
    convention = "prev_close" if cues.PREVIOUS_CLOSE.search(text) else None
    if points:
        return {
            **common,
            "metric": metric,
            "start": day,
            "end": day,
            "convention": convention or "prev_close",
        }
    return {
        **common,
        "metric": metric,
        "date": day,
        "start": day,
        "end": day,
        "convention": convention,
    }


def _sentence_convention(text: str) -> str | None:
    if cues.PREVIOUS_CLOSE.search(text):
        return "prev_close"
    if cues.START_OPEN.search(text):
        return "open"
    return None
