"""Find the market-data claims of a text: the reader's reading, made checkable.

Every sentence is read by `assistant.reading.read_claims` with the sentences before it, so
"在此期间", "同期", "over the same period" and a sentence that names no period take the window
just stated, and "the index" is the symbol the text is about. This module turns each reading
into a `Claim` the checker computes: the metric it can compute, the day or window (a level on a
closed day keeps the day written, so the verdict can say the market was shut), the stated
convention, and the reason a number is not market data.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from assistant.factcheck import details
from assistant.factcheck.claims import Claim
from assistant.factcheck.segments import Sentence, split_sentences
from assistant.grounding.dates import DateHit, date_spans
from assistant.grounding.numbers import Mention, extract_numbers, normalize
from assistant.reading import claims as reader
from assistant.reading import metrics as reader_metrics
from assistant.reading.shapes import Claim as Reading
from assistant.reading.shapes import Period, Request
from knowledge.text import citations

_UNITS = {
    "%": "%",
    "pp": "pp",
    "points": "points",
    "usd": "points",
    "cny": "points",
    "plain": "points",
    "x": "ratio",
}
_DISTANCE = {"sma": "sma_distance", "high_52w": "high_distance", "low_52w": "low_distance"}
_LEVEL = {v: k for k, v in _DISTANCE.items()}
_NOT_CHECKED = {
    "max_drawdown": "a maximum drawdown",
    "beta": "a beta",
    "correlation": "a correlation",
    "relative": "a relative performance",
    "period_high": "a high over a period",
    "period_low": "a low over a period",
}
_DAY_KINDS = {"day"}
_TO_DATE = {"mtd", "qtd", "ytd", "since", "trailing", "since_publication"}


@dataclass
class _Context:
    """What the claims read so far established, beyond the reader's own context."""

    as_of: dt.date | None
    ref: dt.date
    window_conventions: dict[tuple[dt.date | None, dt.date | None], str | None] = field(
        default_factory=dict
    )
    volatility_window: tuple[dt.date | None, dt.date | None, int | None] | None = None
    level: float | None = None
    last_window: Period | None = None
    paragraph: int = -1
    paragraph_symbols: list[str] = field(default_factory=list)


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
    sentences = split_sentences(text)
    context = None
    if default_symbol:
        context = Request(text="", kind="other", language="en", symbols=[default_symbol])
    readings = reader.read_claims(
        [s.text for s in sentences], ref, news_date=published, context=context
    )
    by_sentence: dict[int, list[Reading]] = {}
    for reading in readings:
        by_sentence.setdefault(reading.index, []).append(reading)
    ctx = _Context(as_of=as_of, ref=ref)
    claims: list[Claim] = []
    for index, sentence in enumerate(sentences):
        if sentence.paragraph != ctx.paragraph:
            ctx.paragraph, ctx.paragraph_symbols = sentence.paragraph, []
        claims.extend(_sentence_claims(sentence, by_sentence.get(index, []), ctx))
    return claims


def dateline(text: str, lines: int = 30) -> dt.date | None:
    """Return the date a text is written on, when a line near its top holds a date and nothing else.

    Pages saved as plain text keep their publication date as a line of its own ("2026年1月26日",
    "January 26, 2026"); without it, years and "to date" would be read against today.
    """
    for line in normalize(text).splitlines()[:lines]:
        stripped = line.strip().strip("*_#").strip()
        if not stripped or len(stripped) > 24:
            continue
        hits = date_spans(stripped, dt.date.today().year)
        if (
            len(hits) == 1
            and hits[0].year_given
            and hits[0].end - hits[0].start >= len(stripped) - 1
        ):
            return hits[0].day
    return None


def _sentence_claims(sentence: Sentence, readings: list[Reading], ctx: _Context) -> list[Claim]:
    text = sentence.text
    mentions = extract_numbers(text)
    by_span = {(m.start, m.end): m for m in mentions}
    pairs = [(r, by_span[r.span]) for r in readings if r.span in by_span]
    symbols = _list_symbols(text, pairs, ctx)
    hits = [
        DateHit(
            h.day if h.year_given or h.day <= ctx.ref else h.day.replace(year=h.day.year - 1),
            h.start,
            h.end,
            h.year_given,
        )
        for h in date_spans(text, ctx.ref.year)
    ]
    sources = citations(text)
    lows = _range_lows(text, pairs)
    claims = []
    for i, (reading, mention) in enumerate(pairs):
        symbol = symbols.get(i, reading.symbol)
        claims.append(
            _claim(sentence, reading, mention, symbol, mentions, hits, sources, lows, ctx)
        )
    for reading in readings:
        named = reading.symbol and "symbol" not in reading.from_context
        if named and reading.symbol not in ctx.paragraph_symbols:
            ctx.paragraph_symbols.append(reading.symbol)  # type: ignore[arg-type]
    return claims


def _list_symbols(text: str, pairs: list[tuple[Reading, Mention]], ctx: _Context) -> dict[int, str]:
    """Map the numbers of a "respectively" list to the symbols named before them, in order."""
    mentions = [m for _, m in pairs]
    spans = reader.claim_symbols(text)
    found: dict[int, str] = {}
    for run in details.list_runs(text, mentions):
        first, last = mentions[run[0]], mentions[run[-1]]
        if any(a >= last.end and a - last.end < 12 for a, _, _ in spans):
            continue  # "... 6.75% and 0.97% for the S&P 500": named after
        before = list(dict.fromkeys(s for _, b, s in spans if b <= first.start))
        pool = before if len(before) == len(run) else []
        if not pool and not before and len(ctx.paragraph_symbols) == len(run):
            pool = ctx.paragraph_symbols
        if not pool and not details.RESPECTIVELY.search(text):
            continue
        for i, symbol in zip(run, pool, strict=False):
            found[i] = symbol
    return found


def _range_lows(text: str, pairs: list[tuple[Reading, Mention]]) -> set[int]:
    """Return which numbers are the low of a written 52-week range ("from 1,732.99 to 2,735.10")."""
    if len(pairs) < 2:
        return set()
    asks = {a.name for a in reader_metrics.find_metrics(text).asks}
    if not {"high_52w", "low_52w"} <= asks:
        return set()
    levels = [
        (m.value, i)
        for i, (r, m) in enumerate(pairs)
        if m.unit not in ("%", "pp") and r.metric is not None and r.metric.name in _LEVEL.values()
    ]
    return {min(levels)[1]} if len(levels) > 1 else set()


def _claim(
    sentence: Sentence,
    reading: Reading,
    m: Mention,
    symbol: str | None,
    mentions: list[Mention],
    hits: list[DateHit],
    sources: list[int],
    lows: set[int],
    ctx: _Context,
) -> Claim:
    text = sentence.text
    base: dict[str, Any] = {
        "sentence": text,
        "span": (sentence.start + m.start, sentence.start + m.end),
        "raw": m.raw,
        "unit": _UNITS[m.unit],
        "tolerance": m.tolerance,
        "decimals": m.decimals,
        "sources": sources,
    }
    index = mentions.index(m)
    fields = None
    if reading.metric is not None and m.unit != "cny" and symbol is not None:
        fields = _market_fields(text, reading, m, index in lows, mentions, hits, ctx)
    if fields is None:
        if m.unit in {"points", "plain"} and (
            reader.is_forecast(text, m) or reader.NOT_MARKET.search(text)
        ):
            ctx.level = m.value  # a target level, which "that level is N% above ..." compares
        return Claim(
            **base, metric="other", claimed=m.value, reason=_other_reason(text, reading, m)
        )
    reason = fields.pop("reason", "")
    metric = fields["metric"]
    sign_known = True
    value = m.value
    if metric in {"sma_distance", "high_distance", "low_distance", "level_gap"}:
        prev_end = mentions[index - 1].end if index else 0
        sign = reading.sign if metric == "sma_distance" else None
        value = abs(value) * (sign or details.distance_sign(text, m, prev_end))
    elif metric in {"return", "change_points", "day_change"}:
        if reading.sign is None:
            sign_known = False
        else:
            value = abs(value) * reading.sign
    carried = [f for f in reading.from_context if not (f == "symbol" and symbol != reading.symbol)]
    return Claim(
        **base,
        **fields,
        symbol=symbol,
        claimed=value,
        sign_known=sign_known,
        reason=reason,
        from_context=carried,
    )


def _other_reason(text: str, reading: Reading, m: Mention) -> str:
    if reading.metric is not None and reading.metric.name in _NOT_CHECKED:
        return f"{_NOT_CHECKED[reading.metric.name]}, which the checker does not compute"
    if reader.is_forecast(text, m):
        return "a forecast or target, not market data yet"
    found = reader.NOT_MARKET.search(text) or details.NOT_MARKET_REASON.search(text)
    if found:
        return f"not a market-data figure (reads as {found.group(0)!r})"
    if reading.metric is not None and reading.symbol is None:
        return "no symbol is named for this figure"
    if reading.metric is not None:
        return "no day or window could be read for this figure"
    return "no market metric recognised next to this number"


def _day(period: Period | None, ctx: _Context) -> dt.date | None:
    """The day a level or a one-day change refers to: the day written, else the as-of session."""
    if period is not None and _is_day(period):
        return period.requested_start or period.start
    return ctx.as_of


def _is_day(period: Period) -> bool:
    return period.kind in _DAY_KINDS or (
        period.start is not None and period.start == period.end and period.kind != "trailing"
    )


def _window(period: Period, ctx: _Context) -> tuple[dt.date | None, dt.date | None]:
    end = period.end
    late = ctx.as_of is not None and end is not None and end > ctx.as_of
    if late and (period.to_date or period.kind in _TO_DATE):
        end = ctx.as_of  # written on the publication day: the figures run to the session before
    return period.start, end


def _market_fields(
    text: str,
    reading: Reading,
    m: Mention,
    is_low: bool,
    mentions: list[Mention],
    hits: list[DateHit],
    ctx: _Context,
) -> dict[str, Any] | None:
    assert reading.metric is not None
    ask, period = reading.metric, reading.period
    name: str = ask.name
    percent = m.unit in ("%", "pp")
    if name in _NOT_CHECKED:
        return None
    if name in _DISTANCE and percent:
        name = _DISTANCE[name]
    elif name in _LEVEL and not percent:
        name = _LEVEL[name]
    if name == "high_52w" and is_low:
        name = "low_52w"
    day = _day(period, ctx)
    level_day = _day(None if "period" in reading.from_context else period, ctx)
    latest = max((h.day for h in hits), default=None)
    if name in ("return", "change_points", "day_change"):
        carried = "period" in reading.from_context
        return _change_fields(text, m, period, carried, hits, mentions, ctx)
    if name == "last_close":
        if percent:
            return _change_fields(text, m, period, False, hits, mentions, ctx)
        nearest = details.nearest_date(text, m, hits, mentions) if len(hits) > 1 else None
        opened = bool(details.OPENED_AT.search(text[max(0, m.start - 20) : m.start]))
        if nearest is not None:
            opened = opened or details.start_convention(text, nearest) == "open"
            day = nearest.day
        return {"metric": "open" if opened else "last_close", "date": day}
    if name == "volatility":
        return _volatility_fields(text, m, ask.annualised, period, ctx)
    if name in ("sma", "sma_distance"):
        window = ask.window
        if window is None or window < 5:
            averages = [x.start() for x in reader_metrics.SMA.finditer(text)]
            window = details.sma_window(text, averages, hits)
        return {"metric": name, "date": latest or level_day, "sessions": window or 20}
    if name in ("high_52w", "low_52w"):
        nearest = details.nearest_date(text, m, hits, mentions)
        session = nearest.day if nearest and nearest.day != latest else None
        return {
            "metric": name,
            "date": latest or level_day,
            "session_of": session,
            "basis": details.extreme_basis(text),
        }
    if name in ("high_distance", "low_distance"):
        return {"metric": name, "date": latest or level_day, "basis": details.extreme_basis(text)}
    return None


def _change_fields(
    text: str,
    m: Mention,
    period: Period | None,
    carried: bool,
    hits: list[DateHit],
    mentions: list[Mention],
    ctx: _Context,
) -> dict[str, Any] | None:
    if m.unit == "plain":
        # a bare number after "rose" is the level reached, not the size of the move
        if details.level_reached(text, m):
            return {"metric": "last_close", "date": _day(period, ctx)}
        return None
    points = m.unit in ("points", "usd")
    if details.LEVEL_SUBJECT.search(text) and ctx.level is not None and not points:
        side = details.compared_side(text, m)
        compared = details.nearest_date(text, m, hits, mentions, side)
        day = compared.day if compared else _day(period, ctx)
        return {"metric": "level_gap", "date": day, "level": ctx.level}
    if details.CLOSE_COMPARED.match(text, m.end) and not points:
        # "5% above the December 9 close": the move from that close to the as-of session
        since = details.nearest_date(text, m, hits, mentions)
        if since is not None and ctx.as_of is not None and since.day < ctx.as_of:
            return {"metric": "return", "start": since.day, "end": ctx.as_of,
                    "convention": "start_close"}  # fmt: skip
    period = _change_period(text, period, carried, hits, ctx)
    if period is None or _is_day(period):
        day = _day(period, ctx)
        if day is None:
            return None
        convention = "prev_close" if details.PREVIOUS_CLOSE.search(text) else None
        if points:
            return {
                "metric": "change_points",
                "start": day,
                "end": day,
                "convention": convention or "prev_close",
            }
        return {
            "metric": "day_change",
            "date": day,
            "start": day,
            "end": day,
            "convention": convention,
        }
    first, end = _window(period, ctx)
    if first is None:
        return None
    convention = _window_convention(text, period, hits, ctx)
    ctx.window_conventions[(first, end)] = convention
    ctx.last_window = period
    return {
        "metric": "change_points" if points else "return",
        "start": first,
        "end": end,
        "convention": convention,
    }


def _change_period(
    text: str, period: Period | None, carried: bool, hits: list[DateHit], ctx: _Context
) -> Period | None:
    """The window of a change where the checker knows more than a single day.

    "Measured the same way" keeps the window just stated; a lone date that opens a window
    ("since", "以...为起点") runs to the end of the window before; two dates are a window.
    """
    stated = period is not None and not carried and period.kind != "same_as_context"
    own_window = stated and period is not None and not _is_day(period)
    if details.SAME_WAY.search(text) and ctx.last_window is not None and not own_window:
        return ctx.last_window
    if period is not None and not _is_day(period):
        return period
    days = sorted({h.day for h in hits})
    if len(days) >= 2:
        return Period(kind="between", start=days[0], end=days[-1], requested_start=days[0])
    if len(hits) == 1 and (
        details.start_convention(text, hits[0]) or details.is_window_start(text, hits[0])
    ):
        end = ctx.last_window.end if ctx.last_window is not None else ctx.as_of
        if end is not None and end > hits[0].day:
            return Period(kind="since", start=hits[0].day, end=end, requested_start=hits[0].day)
    return period


def _window_convention(text: str, period: Period, hits: list[DateHit], ctx: _Context) -> str | None:
    """The convention a window is measured by: its first date's open or close, or the text's."""
    if details.SAME_WAY.search(text):
        return ctx.window_conventions.get(_window(period, ctx))
    first = [h for h in hits if h.day in (period.requested_start, period.start)]
    if first and period.kind != "same_as_context":
        stated = details.start_convention(text, first[0])
        if stated:
            return stated
    return details.sentence_convention(text)


def _volatility_fields(
    text: str,
    m: Mention,
    annualised: bool | None,
    period: Period | None,
    ctx: _Context,
) -> dict[str, Any] | None:
    sessions = details.stated_sessions(text)
    if period is not None and period.kind == "trailing" and period.unit == "session":
        sessions = sessions or period.count
    if period is not None and not _is_day(period):
        start, end = _window(period, ctx)
    elif ctx.volatility_window is not None:
        start, end, _ = ctx.volatility_window
    else:
        return None
    if ctx.volatility_window is not None and ctx.volatility_window[:2] == (start, end):
        sessions = sessions or ctx.volatility_window[2]
    ctx.volatility_window = (start, end, sessions)
    ddof = details.stated_ddof(text, m)
    return {
        "metric": "volatility_annual" if annualised else "volatility_daily",
        "start": start,
        "end": end,
        "sessions": sessions,
        "convention": None if ddof is None else f"ddof={ddof}",
        "reason": "" if annualised is not None else "daily or annual not said",
    }
