"""What a checker needs beyond the reader's reading: how a window starts, which ddof, which day.

The reader (`assistant.reading`) decides the metric, symbol, period and sign of a number. A check
also needs the convention the text measures by (from the December 1 *open*, ddof=0), the session
a 52-week extreme is dated to, and which symbols a "respectively" list runs over.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.grounding.dates import DateHit
from assistant.grounding.numbers import Mention

_I = re.IGNORECASE

START_OPEN = re.compile(r"\bopen(?:ing)?\b|开盘", _I)
PREVIOUS_CLOSE = re.compile(
    r"previous close|prior close|close to close|close-to-close|前收|前一交易日收盘|收盘价对收盘价",
    _I,
)
SAME_WAY = re.compile(
    r"same way|same convention|same basis|measured the same|同一口径|同样口径|按同一", _I
)
_DDOF = re.compile(r"ddof\s?=\s?([01])|(population|总体)|(sample|样本)", _I)
_INTRADAY = re.compile(r"intraday|盘中", _I)
_CLOSING_BASIS = re.compile(r"closing (?:high|low|basis)|收盘(?:最高|最低|高点|低点)", _I)
_SESSIONS = re.compile(r"(\d{1,3})\s?(?:-\s?)?(?:sessions?|trading days|个交易日)", _I)
RESPECTIVELY = re.compile(r"respectively|the figures are|分别|四者|三者|两者|二者", _I)
LEVEL_SUBJECT = re.compile(r"that level|this level|the target|这一点位|该点位|这一目标|该目标", _I)
OPENED_AT = re.compile(
    r"\bopen(?:ed|s)?\s+(?:at|near|around)\s*$|开盘(?:价)?(?:为|报|于|在)?\s*$", _I
)
CLOSE_COMPARED = re.compile(
    r"\s*(?:above|below|higher than|lower than)\s+(?:the\s+)?[^,;.]{0,30}?\bclose\b", _I
)
# Words that say why a number is not market data, beyond the reader's own list.
NOT_MARKET_REASON = re.compile(r"basis points|\bcuts?\b|\bhikes?\b|discount|基点|折价", _I)
_LEVEL_REACHED = re.compile(r"(?:\bto|\bat|至|到|于|报)\s*\$?\s*$", _I)
_CLAUSE_BREAK = re.compile(r"[;，；:：(（)）]|,(?!\d{3})")
_BREAK = re.compile(r"[，；;。]|,(?!\d{3})")
_LINK = re.compile(r"\s*(?:to|and|through|至|到|和)\b", _I)
_LIST_GAP = re.compile(r"[\s,，、;；]*(?:and|和|及|与|以及|or)?[\s,，、]*")


def _clause_end(text: str, index: int, limit: int) -> int:
    match = _CLAUSE_BREAK.search(text, index, min(len(text), index + limit))
    return match.start() if match else min(len(text), index + limit)


def start_convention(text: str, hit: DateHit) -> str | None:
    """Return open / start_close when the window's first date is written with its open or close."""
    after = text[hit.end : _clause_end(text, hit.end, 14)]
    before = text[max(0, hit.start - 24) : hit.start]
    if START_OPEN.search(after) or re.search(r"open(?:ing)?(?: level| price)?(?: on)?\s*$", before):
        return "open"
    if re.search(r"\bclos(?:e|ing)\b|收盘", after, _I) or re.search(
        r"clos(?:e|ing)(?: level| price)?(?: on| of)?\s*$", before
    ):
        return "start_close"
    return None


def sentence_convention(text: str) -> str | None:
    """Return the convention a sentence states for a change (previous close or the open)."""
    if PREVIOUS_CLOSE.search(text):
        return "prev_close"
    if START_OPEN.search(text):
        return "open"
    return None


def stated_ddof(text: str, m: Mention) -> int | None:
    """Return the ddof written closest to the number (ddof=0, population; ddof=1, sample)."""
    best: tuple[int, int] | None = None
    for match in _DDOF.finditer(text):
        ddof = int(match.group(1)) if match.group(1) else (0 if match.group(2) else 1)
        gap = m.start - match.end() if match.end() <= m.start else match.start() - m.end
        if gap >= 0 and (best is None or gap < best[0]):
            best = (gap, ddof)
    return best[1] if best else None


def stated_sessions(text: str) -> int | None:
    """Return a window length written in sessions ("36 trading days", "36个交易日")."""
    found = _SESSIONS.search(text)
    return int(found.group(1)) if found else None


def extreme_basis(text: str) -> str | None:
    """Return close or intraday when the text says which extremes it means."""
    if _CLOSING_BASIS.search(text):
        return "close"
    if _INTRADAY.search(text):
        return "intraday"
    return None


def level_reached(text: str, m: Mention) -> bool:
    """Tell whether a bare number is the level a move reached ("rose to 2,700", "收于")."""
    return bool(_LEVEL_REACHED.search(text[max(0, m.start - 8) : m.start]))


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


_ABOVE = re.compile(r"\babove\b|\bhigher than\b", _I)
_BELOW = re.compile(r"\bbelow\b|\blower than\b|\bunder\b", _I)
_ZH_BELOW = re.compile(r"(?:低于|还差|仅差|距)\S{0,12}$|(?:低约?|差)$")
_SMA_WINDOW = re.compile(r"(\d{1,3})\s?(?:-\s?)?(?:sessions?|days?|日|个交易日|天)", _I)


def compared_side(text: str, m: Mention) -> str:
    """Where the level a distance is measured from is written: after "N% above" or before."""
    right = text[m.end : m.end + 12].lstrip()
    return "after" if _ABOVE.match(right) or _BELOW.match(right) else "before"


def distance_sign(text: str, m: Mention, prev_end: int) -> int:
    """Return -1 when the number says "below" (or 差/低于/距), else +1."""
    right = text[m.end : m.end + 12].lstrip()
    left = text[max(prev_end, m.start - 12) : m.start]
    if _BELOW.match(right) or _ZH_BELOW.search(left):
        return -1
    return 1


def is_window_start(text: str, hit: DateHit) -> bool:
    """Tell whether a lone date opens a window ("since", "from the ... close", "以...为起点")."""
    before = text[max(0, hit.start - 30) : hit.start]
    after = text[hit.end : hit.end + 14]
    return bool(
        re.search(r"\b(?:since|from)\b[^,.;]*$", before, _I)
        or re.search(r"(?:自|从|以|改以)\s*$", before)
        or re.search(r"以来|至今|为起点|起", after)
    )


def sma_window(text: str, averages: Sequence[int], hits: Sequence[DateHit]) -> int | None:
    """Return the moving average's length written nearest to it ("20-session", "20个交易日")."""
    best: tuple[int, int] | None = None
    for match in _SMA_WINDOW.finditer(text):
        if any(h.start <= match.start() < h.end for h in hits):
            continue
        gap = min((abs(a - match.end()) for a in averages), default=10**6)
        if best is None or gap < best[0]:
            best = (gap, int(match.group(1)))
    return best[1] if best else None
