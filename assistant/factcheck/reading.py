"""Read one number in its sentence: what it measures, which symbol, which date, which sign."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.factcheck import cues
from assistant.grounding.dates import DateHit
from assistant.grounding.numbers import Mention

Category = (
    str  # other | distance:<ref> | volatility | sma | high | low | range | open | close | change
)

_STRONG = (
    ("volatility", cues.VOLATILITY),
    ("sma", cues.SMA),
    ("high", cues.HIGH),
    ("low", cues.LOW),
    ("range", cues.RANGE),
)
_WEAK = (("open", cues.OPEN), ("close", cues.CLOSE), ("change", cues.CHANGE))
_PERCENT_OK = {"volatility", "change"}
_LEVEL_OK = {"sma", "high", "low", "range", "open", "close", "change"}
_REFERENCES = (("sma", cues.SMA), ("high", cues.HIGH), ("low", cues.LOW), ("close", cues.CLOSE))
_LIST_GAP = re.compile(r"[\s,，、;；]*(?:and|和|及|与|以及|or)?[\s,，、]*")
_FOR_SYMBOL = re.compile(r"\s*(?:for|of|in|at|by)\s+(?:the\s+)?", re.IGNORECASE)
_BREAK = re.compile(r"[，；;。]|,(?!\d{3})")
_LINK = re.compile(r"\s*(?:to|and|through|至|到|和)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SymbolSpan:
    start: int
    end: int
    symbol: str


def clause_start(text: str, index: int) -> int:
    """Return where the clause holding `index` starts (after the last comma, colon or bracket)."""
    last = 0
    for match in cues.CLAUSE_BREAK.finditer(text, 0, index):
        last = match.end()
    return last


def _clause_end(text: str, index: int, limit: int) -> int:
    match = cues.CLAUSE_BREAK.search(text, index, min(len(text), index + limit))
    return match.start() if match else min(len(text), index + limit)


def _best_cue(
    text: str,
    start: int,
    end: int,
    groups: Sequence[tuple[str, re.Pattern[str]]],
    allowed: set[str],
) -> str | None:
    """Return the allowed cue whose match ends nearest to `end` within text[start:end]."""
    best: tuple[int, str] | None = None
    for name, pattern in groups:
        if name not in allowed:
            continue
        found = cues.nearest_before(pattern, text, end, start)
        if found is not None and (best is None or found > best[0]):
            best = (found, name)
    return best[1] if best else None


def _not_market(text: str, m: Mention, prev_end: int) -> bool:
    left = text[max(clause_start(text, m.start), prev_end, m.start - 45) : m.start]
    right = text[m.end : _clause_end(text, m.end, 25)]
    return bool(cues.NOT_MARKET.search(left) or cues.NOT_MARKET.search(right))


def _distance(text: str, m: Mention, prev_end: int, next_start: int) -> str | None:
    """Return the reference of an "N% above/below X" reading, if the number is one."""
    right = text[m.end : min(next_start, m.end + 45)]
    left = text[clause_start(text, m.start) : m.start]
    near_left = text[max(prev_end, m.start - 10) : m.start]
    if cues.ABOVE.match(right.lstrip()) or cues.BELOW.match(right.lstrip()):
        if re.match(r"\s*(?:above|below)\s+it\b", right):
            return _best_cue(text, 0, m.start, _STRONG, {"sma", "high", "low"}) or "sma"
        places = (right, left)
    elif cues.ZH_ABOVE.search(near_left) or cues.ZH_BELOW.search(near_left):
        places = (left, right)
    else:
        return None
    for place in places:
        for name, pattern in _REFERENCES:
            if pattern.search(place):
                return name
    return None


def comparison_after(text: str, m: Mention) -> bool:
    """Tell whether "above/below" follows the number (English) rather than preceding it."""
    right = text[m.end : m.end + 12].lstrip()
    return bool(cues.ABOVE.match(right) or cues.BELOW.match(right))


def category(
    text: str, m: Mention, prev_end: int, next_start: int, previous: Category | None
) -> Category | None:
    """Return what the number measures, read from the words around it."""
    if m.unit == "x" or _not_market(text, m, prev_end):
        return "other"
    percent = m.unit in {"%", "pp"}
    if percent and (ref := _distance(text, m, prev_end, next_start)):
        return f"distance:{ref}"
    allowed = _PERCENT_OK if percent else _LEVEL_OK
    if not percent and m.unit != "points":
        allowed = allowed - {
            "change"
        }  # a bare number after "rose" is a level reached, not a change
    for groups in (_STRONG, _WEAK):
        found = _best_cue(text, prev_end, m.start, groups, allowed)
        if found:
            return found
    if (
        previous is not None
        and prev_end
        and previous.split(":")[0] in allowed | {"distance", "other"}
    ):
        return previous
    right = text[m.end : _clause_end(text, m.end, 30)]
    return _best_cue(right, 0, len(right), (*_STRONG, *_WEAK), allowed)


def direction(text: str, m: Mention, prev_end: int) -> int | None:
    """Return +1 or -1 from the words just before the number, or None."""
    if m.signed:
        return -1 if m.value < 0 else 1
    if m.direction:
        return -1 if m.direction == "down" else 1
    left = text[max(prev_end, clause_start(text, m.start), m.start - 30) : m.start]
    down = cues.nearest_before(cues.DOWN_WORDS, left, len(left))
    up = cues.nearest_before(cues.UP_WORDS, left, len(left))
    if down is None and up is None:
        return None
    return -1 if (up is None or (down is not None and down > up)) else 1


def distance_sign(text: str, m: Mention, prev_end: int) -> int:
    """Return -1 when the number says "below" (or 差/低于/距), else +1."""
    right = text[m.end : m.end + 12].lstrip()
    left = text[max(prev_end, clause_start(text, m.start), m.start - 12) : m.start]
    if cues.BELOW.match(right) or cues.ZH_BELOW.search(left):
        return -1
    return 1


def list_runs(text: str, mentions: Sequence[Mention]) -> list[list[int]]:
    """Return runs of two or more numbers joined only by commas or "and" ("0.97% and 0.63%")."""
    runs: list[list[int]] = []
    current: list[int] = []
    for i, m in enumerate(mentions):
        if current and _LIST_GAP.fullmatch(text[mentions[current[-1]].end : m.start]):
            current.append(i)
            continue
        if len(current) > 1:
            runs.append(current)
        current = [i]
    if len(current) > 1:
        runs.append(current)
    return runs


def symbol_after(text: str, m: Mention, symbols: Sequence[SymbolSpan]) -> str | None:
    """Return the symbol in "6.75% for the Russell 2000", if the number is followed by one."""
    for span in symbols:
        if span.start >= m.end:
            return span.symbol if _FOR_SYMBOL.fullmatch(text[m.end : span.start]) else None
    return None


def symbol_before(m: Mention, symbols: Sequence[SymbolSpan]) -> str | None:
    """Return the last symbol written before the number."""
    before = [s for s in symbols if s.end <= m.start]
    return before[-1].symbol if before else None


def nearest_date(
    text: str,
    m: Mention,
    hits: Sequence[DateHit],
    mentions: Sequence[Mention],
    side: str | None = None,
) -> DateHit | None:
    """Return the date written closest to the number, not reaching across other numbers."""
    best: tuple[float, DateHit] | None = None
    for hit in hits:
        if (side == "before" and hit.end > m.start) or (side == "after" and hit.start < m.end):
            continue
        if hit.end <= m.start:
            lo, hi, cost = hit.end, m.start, 0.0
            if _LINK.match(text, lo, hi):
                cost += 20  # "on April 9 to 2,735.10": the date belongs to the number before
        elif hit.start >= m.end:
            lo, hi, cost = m.end, hit.start, 5.0
        else:
            continue
        crossed = sum(1 for other in mentions if other is not m and lo <= other.start < hi)
        cost += (hi - lo) + 40 * crossed + 20 * len(_BREAK.findall(text, lo, hi))
        if best is None or cost < best[0]:
            best = (cost, hit)
    return best[1] if best else None


def start_convention(text: str, hit: DateHit) -> str | None:
    """Return open / start_close when the window's first date is written with its open or close."""
    after = text[hit.end : _clause_end(text, hit.end, 14)]
    before = text[max(0, hit.start - 24) : hit.start]
    if cues.START_OPEN.search(after) or re.search(
        r"open(?:ing)?(?: level| price)?(?: on)?\s*$", before
    ):
        return "open"
    if cues.START_CLOSE.search(after) or re.search(
        r"clos(?:e|ing)(?: level| price)?(?: on| of)?\s*$", before
    ):
        return "start_close"
    return None


def is_window_start(text: str, hit: DateHit) -> bool:
    """Tell whether a lone date opens a window ("since", "from the ... close", "以...为起点")."""
    before = text[max(0, hit.start - 30) : hit.start]
    after = text[hit.end : hit.end + 14]
    return bool(
        re.search(r"\b(?:since|from)\b[^,.;]*$", before, re.IGNORECASE)
        or re.search(r"(?:自|从|以|改以)\s*$", before)
        or re.search(r"以来|至今|为起点|起", after)
    )


def stated_ddof(text: str, m: Mention) -> int | None:
    """Return the ddof written closest to the number (ddof=0, population; ddof=1, sample)."""
    best: tuple[int, int] | None = None
    for match in cues.DDOF.finditer(text):
        ddof = int(match.group(1)) if match.group(1) else (0 if match.group(2) else 1)
        gap = m.start - match.end() if match.end() <= m.start else match.start() - m.end
        if gap >= 0 and (best is None or gap < best[0]):
            best = (gap, ddof)
    return best[1] if best else None


def sma_window(text: str, hits: Sequence[DateHit]) -> int | None:
    """Return the moving average's length written next to it ("20-session", "20日均线")."""
    averages = [m.start() for m in cues.SMA.finditer(text)]
    best: tuple[int, int] | None = None
    for match in cues.SMA_WINDOW.finditer(text):
        if any(h.start <= match.start() < h.end for h in hits):
            continue
        gap = min((abs(a - match.end()) for a in averages), default=10**6)
        if best is None or gap < best[0]:
            best = (gap, int(match.group(1)))
    return best[1] if best else None
