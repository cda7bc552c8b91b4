"""Periods written in English or Chinese, resolved to NYSE sessions against a reference date.

Named periods without a year ("January", "Q4", "上半年") are the most recent occurrence that has
started on or before the reference date: asked on 2026-03-06, "January" is 2026-01, "March" is
March 2026 to date, "December" and "Q4" are 2025's. A day without a year after the reference is
the previous year's. "N-day" written as an adjective ("20-day volatility", "20日波动率") counts
sessions; "the past N days" counts calendar days.
"""

from __future__ import annotations

import calendar as _cal
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from assistant.grounding.gates import Gated
from assistant.grounding.gates import compile as gate
from assistant.reading.numerals import CN_NUMBER, EN_NUMBER, count
from assistant.reading.shapes import Period, PeriodKind, Unit
from tools import calendar as nyse

_I = re.IGNORECASE
_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9,
    "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
    "dec": 12,
}  # fmt: skip
_MON = r"(?P<mon>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b\.?"
_ORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_CN_SMALL = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_CN_DAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_ZH_YEAR = r"(?:(?P<y>\d{4})\s*年\s*|(?P<ry>今年|去年|明年|前年|本年)\s*)"
_EN_YEAR_TAIL = (
    r"(?:,?\s+(?:of\s+)?(?:(?P<y>(?:19|20)\d{2})\b|(?P<ry>last year|this year|next year)))"
)


@dataclass(frozen=True)
class Atom:
    """A named stretch of calendar: a day, week, month, quarter, half or year."""

    kind: PeriodKind
    lo: dt.date
    hi: dt.date
    start: int
    end: int
    year_given: bool
    label: str
    relative: bool = False  # placed from the reference date: "last week", "January", "去年"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, _cal.monthrange(year, month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _cal.monthrange(year, month + 1)[1]))


def _relative_year(word: str | None, ref: dt.date) -> int | None:
    if not word:
        return None
    word = word.lower()
    if word in ("今年", "本年", "this year"):
        return ref.year
    if word in ("去年", "last year"):
        return ref.year - 1
    if word in ("明年", "next year"):
        return ref.year + 1
    if word == "前年":
        return ref.year - 2
    return None


def _span_bounds(kind: PeriodKind, year: int, index: int) -> tuple[dt.date, dt.date]:
    if kind == "month":
        return dt.date(year, index, 1), _month_end(year, index)
    if kind == "quarter":
        first = 3 * (index - 1) + 1
        return dt.date(year, first, 1), _month_end(year, first + 2)
    if kind == "half":
        first = 6 * (index - 1) + 1
        return dt.date(year, first, 1), _month_end(year, first + 5)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _latest(kind: PeriodKind, index: int, ref: dt.date, forward: bool = False) -> int:
    """The year of the most recent `kind` number `index` that started on or before `ref`;
    `forward` (a forecast): the first one that has not ended yet."""
    lo, hi = _span_bounds(kind, ref.year, index)
    if forward:
        return ref.year if hi >= ref else ref.year + 1
    return ref.year if lo <= ref else ref.year - 1


def _label(kind: PeriodKind, lo: dt.date, index: int) -> str:
    return {
        "month": f"{lo:%Y-%m}",
        "quarter": f"Q{index} {lo.year}",
        "half": f"H{index} {lo.year}",
        "year": str(lo.year),
    }.get(kind, lo.isoformat())


# --- atoms -------------------------------------------------------------------------------------

_DAY_PATTERNS = [
    gate(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)"),
    gate(r"(?<!\d)(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4})(?!\d)"),
    gate(
        rf"(?:(?P<y>\d{{4}})\s*年\s*|(?P<ry>今年|去年|明年)\s*)?(?P<m>{_CN_SMALL})\s*月\s*(?P<d>{_CN_DAY})\s*[日号]"
    ),
    gate(
        rf"\b{_MON}\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?P<y>(?:19|20)\d{{2}})\b)?", _I
    ),
    gate(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}(?:,?\s+(?P<y>(?:19|20)\d{{2}})\b)?",
        _I,
    ),
]
_EN_QUARTER = [
    gate(r"(?<![\d])(?P<y>(?:19|20)\d{2})\s*(?:年\s*)?q(?P<q>[1-4])\b", _I),
    gate(
        r"(?<![A-Za-z])q(?P<q>[1-4])(?:\s*(?:of\s+)?(?:'|’)?(?P<y>(?:19|20)\d{2}|\d{2}(?!\d)))?\b",
        _I,
    ),
    gate(r"(?P<ry>今年|去年|明年|前年)\s*q(?P<q>[1-4])\b", _I),
    gate(
        r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)[- ]quarter"
        + _EN_YEAR_TAIL
        + "?",
        _I,
    ),
]
_ZH_QUARTER = gate(_ZH_YEAR + r"?(?:第)?(?P<q>[一二三四1-4])\s*(?:个)?季度")
_EN_HALF = [
    gate(
        r"\b(?:the\s+)?(?P<which>first|second|front|back)[- ]half" + _EN_YEAR_TAIL + "?",
        _I,
    ),
    gate(r"\bh(?P<h>[12])(?:\s*(?P<y>(?:19|20)\d{2}))?\b", _I),
    gate(r"\b(?P<y>(?:19|20)\d{2})\s*h(?P<h>[12])\b", _I),
]
_ZH_HALF = gate(_ZH_YEAR + r"?(?P<which>上|下)半年")
_ZH_MONTH = gate(
    _ZH_YEAR
    + r"?(?<![个近去前每第])(?P<m>"
    + _CN_SMALL
    + r")\s*月(?:份)?(?!\s*"
    + _CN_DAY
    + r"\s*[日号])"
)
_EN_MONTH = gate(
    r"(?:(?P<rel>last|this|next)\s+)?\b"
    + _MON
    + r"(?:,?\s+(?:of\s+)?(?:(?P<y>(?:19|20)\d{2})\b|(?P<ry>last year|this year|next year)))?",
    _I,
)
_ZH_YEAR_ATOM = gate(r"(?:(?P<y>(?:19|20)\d{2})\s*年(?:度)?|(?P<ry>去年|前年|明年))(?:全年)?")
_EN_YEAR_ATOM = gate(
    r"(?:\b(?:full[- ]year|calendar(?: year)?|fy)\s*)?(?<![\d$.,])\b(?P<y>(?:19|20)\d{2})\b(?![\d,.]|\s*(?:points?|pts|%|点|年))",
    _I,
)
_REL_ATOMS = [
    (gate(r"(?<!the )\b(?:last|previous|prior) year\b|(?<!过)去年|上一年", _I), "year", -1),
    (gate(r"\bnext year\b|明年", _I), "year", 1),
    (gate(r"\b(?:last|previous|prior) quarter\b|上(?:个|一)?季度", _I), "quarter", -1),
    (gate(r"\bnext quarter\b|下(?:个|一)?季度", _I), "quarter", 1),
    (
        gate(r"(?<!the )\b(?:last|previous|prior) month\b|上(?:个|一)?月(?!\d)", _I),
        "month",
        -1,
    ),
    (gate(r"\bnext month\b|下(?:个|一)?月(?![\d份])", _I), "month", 1),
    (
        gate(r"(?<!the )\b(?:last|previous|prior) week\b|上(?:个|一)?(?:周|星期|礼拜)", _I),
        "week",
        -1,
    ),
    (gate(r"\bnext week\b|下(?:个|一)?(?:周|星期)", _I), "week", 1),
    (gate(r"\bthis week\b|本周|这周|这个星期|本星期", _I), "week", 0),
    (gate(r"\byesterday\b|昨天|昨日", _I), "day", -1),
    (gate(r"\btoday\b|今天|今日", _I), "day", 0),
    (
        gate(
            r"\b(?:the\s+)?(?:last|previous|prior) (?:session|trading day)\b|上(?:一|个)交易日|前一(?:个)?交易日",
            _I,
        ),
        "day",
        -2,
    ),
]
_ZH_FULL_YEAR = gate(r"全年")


def _year_of(match: re.Match[str], ref: dt.date) -> tuple[int | None, bool]:
    groups = match.groupdict()
    raw = groups.get("y")
    if raw:
        year = int(raw)
        if year < 100:
            year += 2000
        return year, True
    rel = _relative_year(groups.get("ry"), ref)
    return rel, rel is not None


def find_atoms(
    text: str,
    ref: dt.date,
    taken: list[tuple[int, int]] | None = None,
    forward: bool = False,
) -> list[Atom]:
    """Every named day, week, month, quarter, half and year in `text`, in order; `forward`
    reads a month, quarter or half without a year as the next one to end (for forecasts)."""
    taken = list(taken or [])
    atoms: list[Atom] = []

    def free(a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in taken)

    def add(atom: Atom) -> None:
        taken.append((atom.start, atom.end))
        atoms.append(atom)

    for pattern in _DAY_PATTERNS:
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            if g.get("mon") and g["mon"].lower() == "may" and not _is_may(text, m):
                continue
            month: int | None = _MONTHS[g["mon"].lower()] if g.get("mon") else count(g["m"])
            day_n = count(g["d"])
            year, given = _year_of(m, ref)
            if month is None or day_n is None:
                continue
            try:
                day = dt.date(year or ref.year, month, day_n)
            except ValueError:
                continue
            if not given and day > ref:
                day = day.replace(year=day.year - 1) if not (month == 2 and day_n == 29) else day
            add(Atom("day", day, day, m.start(), m.end(), given, day.isoformat(), not g.get("y")))

    for pattern in (*_EN_QUARTER, _ZH_QUARTER):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            q = _ORD[g["ord"].lower()] if g.get("ord") else count(g["q"])
            if q is None or not 1 <= q <= 4:
                continue
            year, given = _year_of(m, ref)
            year = year if year is not None else _latest("quarter", q, ref, forward)
            lo, hi = _span_bounds("quarter", year, q)
            add(Atom("quarter", lo, hi, m.start(), m.end(), given, _label("quarter", lo, q),
                     not g.get("y")))  # fmt: skip

    for pattern in (*_EN_HALF, _ZH_HALF):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            if g.get("which"):
                h = 1 if g["which"].lower() in ("first", "front", "上") else 2
            else:
                h = int(g["h"])
            year, given = _year_of(m, ref)
            year = year if year is not None else _latest("half", h, ref, forward)
            lo, hi = _span_bounds("half", year, h)
            add(Atom("half", lo, hi, m.start(), m.end(), given, _label("half", lo, h),
                     not g.get("y")))  # fmt: skip

    for pattern in (_ZH_MONTH, _EN_MONTH):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            g = m.groupdict()
            if g.get("mon"):
                if g["mon"].lower() == "may" and not _is_may(text, m):
                    continue
                month = _MONTHS[g["mon"].lower()]
            else:
                month = count(g["m"])
            if month is None or not 1 <= month <= 12:
                continue
            year, given = _year_of(m, ref)
            if year is None and g.get("rel"):
                shift = {"last": -1, "this": 0, "next": 1}[g["rel"].lower()]
                latest = _latest("month", month, ref, forward)
                year = latest if shift <= 0 else latest + 1
            year = year if year is not None else _latest("month", month, ref, forward)
            lo, hi = _span_bounds("month", year, month)
            add(Atom("month", lo, hi, m.start(), m.end(), given, _label("month", lo, month),
                     not g.get("y")))  # fmt: skip

    for pattern, kind, shift in _REL_ATOMS:
        for m in pattern.finditer(text):
            if free(m.start(), m.end()):
                atom = _relative_atom(kind, shift, ref, m.start(), m.end())
                if atom is not None:
                    add(atom)

    for pattern in (_ZH_YEAR_ATOM, _EN_YEAR_ATOM):
        for m in pattern.finditer(text):
            if not free(m.start(), m.end()):
                continue
            year, given = _year_of(m, ref)
            if year is None or year > ref.year + 5:
                continue
            lo, hi = _span_bounds("year", year, 1)
            relative = not m.groupdict().get("y")
            add(Atom("year", lo, hi, m.start(), m.end(), True, str(year), relative))
    for m in _ZH_FULL_YEAR.finditer(text):
        if free(m.start(), m.end()):
            lo, hi = _span_bounds("year", ref.year, 1)
            add(Atom("year", lo, hi, m.start(), m.end(), False, str(ref.year), True))
    return sorted(atoms, key=lambda a: a.start)


def _is_may(text: str, m: re.Match[str]) -> bool:
    """ "May" the month, not the verb: capitalised with a day or year, or after a preposition."""
    word = text[m.start("mon") : m.end("mon")]
    if word != "May":
        return False
    before = text[max(0, m.start("mon") - 12) : m.start("mon")].lower()
    return bool(
        m.groupdict().get("d")
        or m.groupdict().get("y")
        or re.search(
            r"(?:in|since|of|during|from|to|through|until|and|early|mid|late|-)\s*$", before
        )
    )


def _relative_atom(kind: str, shift: int, ref: dt.date, a: int, b: int) -> Atom | None:
    if kind == "year":
        year = ref.year + shift
        lo, hi = _span_bounds("year", year, 1)
        return Atom("year", lo, hi, a, b, True, str(year), True)
    if kind == "quarter":
        q = (ref.month - 1) // 3 + 1 + shift
        year = ref.year + (q - 1) // 4
        q = (q - 1) % 4 + 1
        lo, hi = _span_bounds("quarter", year, q)
        return Atom("quarter", lo, hi, a, b, True, _label("quarter", lo, q), True)
    if kind == "month":
        lo = _add_months(ref.replace(day=1), shift)
        return Atom("month", lo, _month_end(lo.year, lo.month), a, b, True, f"{lo:%Y-%m}", True)
    if kind == "week":
        monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=shift)
        friday = monday + dt.timedelta(days=4)
        return Atom("week", monday, friday, a, b, True, f"week of {monday.isoformat()}", True)
    if kind == "day":
        if shift == -2:
            day = _safe(lambda: nyse.previous_session(ref), ref - dt.timedelta(days=1))
        else:
            day = ref + dt.timedelta(days=shift)
        return Atom("day", day, day, a, b, True, day.isoformat(), True)
    return None


# --- phrases -----------------------------------------------------------------------------------

_UNIT_WORDS: dict[str, Unit] = {
    "trading day": "session", "trading days": "session", "session": "session",
    "sessions": "session", "trading session": "session", "trading sessions": "session",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "year": "year", "years": "year", "quarter": "month", "quarters": "month",
    "个交易日": "session", "交易日": "session", "天": "day", "日": "session", "周": "week",
    "个星期": "week", "星期": "week", "个礼拜": "week", "个月": "month", "月": "month",
    "年": "year", "个季度": "month", "季度": "month",
}  # fmt: skip
_EN_UNIT = r"(?P<u>trading days?|trading sessions?|sessions?|days?|weeks?|months?|quarters?|years?)"
_ZH_UNIT = r"(?P<u>个交易日|交易日|个星期|星期|个礼拜|周|个季度|季度|个月|月|天|日|年)"

_TRAILING_EN = gate(
    r"(?P<the>\bthe\s+|\b(?:over|in|during|for|across|within)\s+(?:the\s+)?)?"
    r"\b(?P<w>past|last|previous|prior|trailing|recent|latest)\s+"
    rf"(?:(?P<n>{EN_NUMBER})\s+)?{_EN_UNIT}\b",
    _I,
)
_ADJ_EN = gate(
    rf"(?<![\w.])(?!(?:19|20)\d\d\b)(?P<n>\d+|{EN_NUMBER})[- ](?P<u>trading[- ]day|session|day|week|month|year)\b"
    r"(?![- ](?:moving|average|avg|simple|exponential|sma|ema|ma\b|dma|line|high|low|range))",
    _I,
)
_TRAILING_ZH = gate(
    rf"(?:近|过去|最近|前|过往|之前)\s*(?:的)?\s*(?:(?P<half>半)|(?P<n>{CN_NUMBER}))\s*{_ZH_UNIT}"
    r"(?!\s*(?:均线|移动平均|平均线|线))"
)
_ADJ_ZH = gate(
    rf"(?<![近去前个\d月年])(?P<n>{CN_NUMBER})\s*(?P<u>个交易日|交易日|日|天|周|个月|年)期?(?:的)?"
    r"(?=\s*(?:年化|日)?(?:波动率|波动|收益率?|回报|涨幅|跌幅|涨跌幅|表现|相关性?|相关系数|贝塔|β|beta|最大回撤|回撤))",
    _I,
)
_TODATE: list[tuple[Gated, PeriodKind]] = [
    (
        gate(
            r"\bytd\b|\byear[- ]to[- ]date\b|so far this year|this year|since the (?:start|beginning|turn) of (?:the|this) year"
            r"|今年以来|年初至今|年初以来|今年迄今|今年(?!\s*(?:\d|[一二三四五六七八九十上下第全]|q))|本年度|年初到现在|自年初",
            _I,
        ),
        "ytd",
    ),
    (
        gate(
            r"\bmtd\b|\bmonth[- ]to[- ]date\b|so far this month|this month|since the (?:start|beginning) of (?:the|this) month"
            r"|本月以来|(?<![\d一二三四五六七八九十])月初至今|(?<![\d一二三四五六七八九十])月初以来|本月|这个月",
            _I,
        ),
        "mtd",
    ),
    (
        gate(
            r"\bqtd\b|\bquarter[- ]to[- ]date\b|so far this quarter|this quarter|current quarter"
            r"|since the (?:start|beginning) of (?:the|this) quarter|本季度以来|季初至今|季初以来|本季度|这个季度|本季",
            _I,
        ),
        "qtd",
    ),
]
_PUB_EN = (
    r"(?:the\s+|this\s+|that\s+|its\s+)?(?:(?:article|story|report|piece|news|item|post|note|headline|column)\s+"
    r"(?:was\s+|were\s+|first\s+|got\s+)?(?:published|came out|ran|was released|released|broke|went (?:out|live)|appeared|hit)"
    r"|publication|(?:it|this)\s+(?:was\s+)?(?:published|came out|ran|appeared)|the (?:news|story) broke|the (?:article|story|report|piece|news|item|post))"
)
_SINCE_PUB = gate(rf"\b(?:since|after)\s+{_PUB_EN}", _I)
_ZH_PUB = r"(?:该|这篇|本|这条|此|那篇)?(?:文章|新闻|报道|消息|稿件|资讯|文)?\s*(?:发布|发表|发稿|刊发|刊出|公布|见报|出炉|发出)"
_SINCE_PUB_ZH = gate(rf"(?:自|从)?{_ZH_PUB}(?:以来|之后|后|至今|到现在)|发稿以来|发文以来")
# "What happened next?" about a news item: since its publication (read only when one is bound).
_NEXT = gate(
    r"\bwhat happened (?:next|after(?:wards)?|since)\b|\bwhat (?:came|happened) after\b"
    r"|\bsince then\b|\bafter that\b|\bsince the news\b|\bin the (?:days|weeks) (?:since|after)\b"
    r"|^\s*(?:此后|随后|后来|之后)|后续(?:走势|表现|怎么样|如何)|之后(?:的)?(?:走势|表现|怎么样|如何|怎么走)"
    r"|此后(?:的)?(?:走势|表现)|后来怎么样|后来(?:的)?(?:走势|表现)",
    _I,
)
_BEFORE_PUB = gate(
    rf"(?:\b(?:in|over|during)\s+)?(?:the\s+)?(?:(?P<n>{EN_NUMBER})\s+)?{_EN_UNIT}\s+"
    rf"(?:before|prior to|ahead of|leading up to|preceding|leading into)\s+{_PUB_EN}",
    _I,
)
_BEFORE_PUB_ZH = gate(
    rf"{_ZH_PUB}\s*(?:之)?前\s*(?:的)?\s*(?:(?P<half>半)|(?P<n>{CN_NUMBER}))?\s*{_ZH_UNIT}"
)
_PUB_DAY = gate(
    r"on the day (?:of (?:the )?publication|(?:it|the article|the story) (?:was published|came out|ran))"
    r"|(?:发布|发表|发稿|刊发)当(?:天|日)",
    _I,
)
_SAME = gate(
    r"\b(?:the\s+)?same (?:period|window|time(?: frame| span| period)?|stretch|span|interval|dates|months?|weeks?)\b"
    r"|\b(?:over|during|in|for|across)\s+(?:that|this|the same)\s+(?:period|time|window|stretch|span|time frame|interval)\b"
    r"|\bmeanwhile\b|同期|在此期间|此期间|同一时期|同一期间|这段时间|这段期间|该期间|同一区间|这期间|那段时间|期间内|同一时间段|同一段时间",
    _I,
)
# "over the month", "当月": the month just named, when a sentence before named one.
_SAME_UNIT = gate(
    r"\b(?:over|during|in|for|across|within)\s+the\s+(?P<u>month|quarter|week|year|half)\b"
    r"|\bthat\s+(?P<u2>month|quarter|week|year)\b"
    r"|(?:当|该|同|那个)(?P<zh>月|季度?|周|年)(?:内|里|中)?",
    _I,
)
_SAME_UNIT_KINDS = {
    "month": "month", "quarter": "quarter", "week": "week", "year": "year", "half": "half",
    "月": "month", "季": "quarter", "季度": "quarter", "周": "week", "年": "year",
}  # fmt: skip

_SINCE_BEFORE_EN = gate(
    r"\b(?:since|from|starting(?: from| on| in)?|beginning(?: on| in)?|after)\s+"
    r"(?:(?:the\s+)?(?P<mod>start|beginning|end|close|middle|turn)\s+of\s+|(?P<mod2>early|mid|late)[- ]?)?"
    r"(?:the\s+)?$",
    _I,
)
_SINCE_BEFORE_ZH = gate(r"(?:自从|自|从|由)\s*$")
_SINCE_AFTER_ZH = gate(
    r"^\s*(?P<mod>初|上旬|中旬|中|下旬|底|末|末尾)?\s*(?:以来|至今|到现在|起|开始|迄今|到今天|至今天)"
)
_LINK = gate(
    r"^\s*(?:'s\s+)?(?:(?:open(?:ing)?|clos(?:e|ing))(?: level| price)?|开盘价?|收盘价?)?\s*"
    r"(?:[(（][^()（）]{0,24}[)）]\s*)?"
    r"(?:(?:-|–|—|~|～|to|through|thru|until|till|through to|至|到|and|和|与|及)\s*)"
    r"(?:the\s+)?(?:end of\s+)?(?:(?:clos(?:e|ing)|open(?:ing)?)(?: level| price)?\s+(?:on|of)\s+)?$",
    _I,
)
_AND = gate(r"and|和|与|及", _I)
_BETWEEN_BEFORE = gate(r"(?:\bbetween|\bfrom|从|自|由|在)\s*(?:the\s+)?(?:start of\s+)?$", _I)
_ASOF_BEFORE = gate(
    r"(?:\bas (?:of|at)|\bthrough|\bthru|\buntil|\btill|\bup to|\bending|\bended|截至|截止到?|截止至|到)\s*"
    r"(?:the\s+)?(?:(?P<mod>end|close) of\s+)?$",
    _I,
)
_END_AFTER_ZH = gate(r"^\s*(?P<mod>底|末)")


_NAMES_WITH_DIGITS = gate(
    r"russell\s?[123]000|s\s?&\s?p\s?(?:500|400|600|100)|nasdaq[\s-]?100|罗素\s?[123]000"
    r"|标普\s?(?:500|400|600|100)|纳斯达克\s?100|道琼斯\s?30|sp\s?500",
    _I,
)


_T = TypeVar("_T")


def _safe(call: Callable[[], _T], default: _T) -> _T:
    try:
        return call()
    except (nyse.CalendarError, ValueError, KeyError, IndexError):
        return default


def resolve(
    kind: PeriodKind,
    lo: dt.date,
    hi: dt.date,
    ref: dt.date,
    *,
    label: str = "",
    text: str = "",
    span: tuple[int, int] | None = None,
    count: int | None = None,
    unit: Unit | None = None,
    as_of_given: bool = False,
    relative: bool = False,
) -> Period:
    """Snap calendar bounds to sessions: start on or after `lo`, end on or before min(hi, ref)."""
    extra = {
        "relative": relative,
        "label": label,
        "text": text,
        "span": span,
        "count": count,
        "unit": unit,
        "requested_start": lo,
        "requested_end": hi,
        "as_of_given": as_of_given,
    }
    if lo > ref:
        return Period(kind=kind, start=lo, end=hi, future=True, **extra)  # type: ignore[arg-type]
    last = min(hi, ref)
    if kind == "day":
        day = _safe(lambda: nyse.session_on_or_before(lo), lo)
        return Period(kind=kind, start=day, end=day, **extra)  # type: ignore[arg-type]
    start = _safe(lambda: nyse.session_on_or_after(lo), lo)
    end = _safe(lambda: nyse.session_on_or_before(last), last)
    return Period(kind=kind, start=start, end=end, to_date=hi > ref, **extra)  # type: ignore[arg-type]


def _back(ref: dt.date, n: int, unit: Unit) -> dt.date:
    """The first calendar day of the `n` units that end on `ref`."""
    if unit == "day":
        return ref - dt.timedelta(days=n - 1)
    if unit == "week":
        return ref - dt.timedelta(weeks=n) + dt.timedelta(days=1)
    months = n if unit == "month" else 12 * n
    return _add_months(ref, -months) + dt.timedelta(days=1)


def trailing(
    ref: dt.date,
    n: int,
    unit: Unit,
    *,
    kind: PeriodKind = "trailing",
    text: str = "",
    span: tuple[int, int] | None = None,
    as_of_given: bool = False,
    relative: bool = True,
) -> Period | None:
    """The last `n` sessions, or the calendar days, weeks, months or years ending on `ref`
    (`relative`: `ref` is the reference date, not a date the text wrote)."""
    if n <= 0 or n > 10_000:
        return None
    label = f"past {n} {unit}{'s' if n != 1 else ''}"
    if unit == "session":
        end = _safe(lambda: nyse.session_on_or_before(ref), ref)
        start = _safe(lambda: nyse.sessions_back(ref, n)[0].date(), None)
        if start is None:
            return None
        return Period(
            kind=kind,
            start=start,
            end=end,
            label=label,
            text=text,
            span=span,
            count=n,
            unit=unit,
            requested_start=start,
            requested_end=ref,
            as_of_given=as_of_given,
            relative=relative,
        )
    if (
        (unit == "year" and n > 60)
        or (unit == "month" and n > 720)
        or (unit == "week" and n > 3000)
    ):
        return None
    lo = _back(ref, n, unit)
    return resolve(
        kind, lo, ref, ref, label=label, text=text, span=span, count=n, unit=unit,
        as_of_given=as_of_given, relative=relative,
    )  # fmt: skip


def _unit(raw: str) -> tuple[Unit, int]:
    """The unit of a written unit word, and a multiplier (a quarter is three months)."""
    word = raw.lower().replace("-", " ")
    unit = _UNIT_WORDS.get(word) or _UNIT_WORDS.get(word.rstrip("s"), "day")
    return unit, 3 if "quarter" in word or "季度" in word else 1


@dataclass
class _Candidate:
    start: int
    period: Period
    plain: bool = False  # a bare named period; a composite one ("2025 YTD as of ...") wins


_SESSION_ADJ = frozenset(
    {"day", "trading day", "trading-day", "session", "日", "天", "交易日", "个交易日"}
)
_TODATE_LABELS = {"ytd": "year to date", "mtd": "month to date", "qtd": "quarter to date"}
_ZH_MODS = {"初": "start", "上旬": "start", "中旬": "mid", "中": "mid", "下旬": "late"}


class _PeriodReader:
    """One pass over one text: candidates found step by step, the earliest composite wins."""

    def __init__(
        self,
        text: str,
        ref: dt.date,
        news_date: dt.date | None,
        context: Period | None,
        exclude: list[tuple[int, int]],
        forward: bool = False,
    ) -> None:
        self.forward = forward
        self.t = text
        self.ref = ref
        self.news = news_date
        self.context = context
        self.taken = list(exclude) + [m.span() for m in _NAMES_WITH_DIGITS.finditer(text)]
        self.found: list[_Candidate] = []
        self.trailing: list[tuple[int, Period]] = []
        self.todate: list[tuple[int, int, PeriodKind]] = []
        self.atoms: list[Atom] = []
        self.used: set[int] = set()
        self.as_of: dt.date | None = None
        self.as_of_relative = False  # "as of yesterday" is placed from the reference date

    def free(self, a: int, b: int) -> bool:
        return not any(s < b and a < e for s, e in self.taken)

    def take(self, m: re.Match[str]) -> bool:
        if not self.free(m.start(), m.end()):
            return False
        self.taken.append(m.span())
        return True

    def read(self) -> Period | None:
        self.relative()
        self.windows()
        self.atoms = find_atoms(self.t, self.ref, self.taken, self.forward)
        self.find_as_of()
        self.between()
        self.since()
        self.to_date()
        for start, period in self.trailing:
            if self.as_of is not None:
                redone = trailing(self.as_of, period.count or 1, period.unit or "day",
                                  text=period.text, span=period.span, as_of_given=True,
                                  relative=self.as_of_relative)  # fmt: skip
                period = redone or period
            self.found.append(_Candidate(start, period))
        self.plain()
        t = self.t
        found = [c for c in self.found if not _NEGATED.search(t[max(0, c.start - 12) : c.start])]
        found = found or self.found
        named = [c for c in found if c.period.kind != "same_as_context"]
        if named and len(named) < len(found):
            found = named  # "in H2 2025 ..., and in the same period ...": the one named here
        if not found:
            if self.as_of is not None:
                day = self.as_of
                return resolve("day", day, day, self.ref, label=day.isoformat(), as_of_given=True,
                               relative=self.as_of_relative)  # fmt: skip
            return None
        return min(found, key=lambda c: (c.plain, c.start)).period

    def relative(self) -> None:
        """Periods relative to the news item or to the context."""
        t, ref, news = self.t, self.ref, self.news
        for pattern in (_SINCE_PUB, _SINCE_PUB_ZH):
            for m in pattern.finditer(t):
                if self.take(m):
                    self.found.append(_Candidate(m.start(), _since_publication(m, ref, news)))
        if news is not None:
            for m in _NEXT.finditer(t):
                if self.take(m):
                    self.found.append(_Candidate(m.start(), _since_publication(m, ref, news)))
        for pattern in (_BEFORE_PUB, _BEFORE_PUB_ZH):
            for m in pattern.finditer(t):
                if self.take(m):
                    self.found.append(_Candidate(m.start(), _before_publication(m, ref, news)))
        for m in _PUB_DAY.finditer(t):
            if self.take(m):
                if news is None:
                    period = Period(kind="day", label="publication day", text=m.group(0),
                                    span=m.span())  # fmt: skip
                else:
                    period = resolve("day", news, news, ref, label="publication day",
                                     text=m.group(0), span=m.span())  # fmt: skip
                self.found.append(_Candidate(m.start(), period))
        for m in _SAME.finditer(t):
            if self.take(m):
                self.found.append(_Candidate(m.start(), _same(m, self.context)))
        context = self.context
        for m in _SAME_UNIT.finditer(t):
            unit = (m.group("u") or m.group("u2") or m.group("zh") or "").lower()
            kind = _SAME_UNIT_KINDS.get(unit)
            if context is None or context.kind not in (kind, "same_as_context"):
                continue
            if self.take(m):
                self.found.append(_Candidate(m.start(), _same(m, context)))

    def windows(self) -> None:
        """Trailing windows, "N-day" adjectives and to-date periods."""
        t = self.t
        for m in _TRAILING_EN.finditer(t):
            raw_n, word = m.group("n"), m.group("w").lower()
            if raw_n is None and word in ("last", "previous", "prior") and not m.group("the"):
                continue  # "last month" is the calendar month; "the last month" a trailing one
            if raw_n is None and _unit(m.group("u"))[0] == "session":
                continue  # "the last session" is one day, read as a day atom
            n = count(raw_n) if raw_n else 1
            unit, mult = _unit(m.group("u"))
            if n is not None:
                self._trailing(m, n * mult, unit)
        for m in _TRAILING_ZH.finditer(t):
            unit, mult = _unit(m.group("u"))
            if m.group("half"):
                n, unit = (6, "month") if unit == "year" else (15, "day") if unit == "month" else (1, unit)  # fmt: skip
            else:
                n = count(m.group("n")) or 0
            self._trailing(m, n * mult, unit)
        for pattern in (_ADJ_EN, _ADJ_ZH):
            for m in pattern.finditer(t):
                n = count(m.group("n"))
                raw_unit = m.group("u").lower()
                if n is None or (n == 52 and "week" in raw_unit):
                    continue
                self._trailing(m, n, "session" if raw_unit in _SESSION_ADJ else _unit(raw_unit)[0])
        for pattern, kind in _TODATE:
            for m in pattern.finditer(t):
                if self.take(m):
                    self.todate.append((m.start(), m.end(), kind))

    def _trailing(self, m: re.Match[str], n: int, unit: Unit) -> None:
        if not self.free(m.start(), m.end()):
            return
        period = trailing(self.ref, n, unit, text=m.group(0).strip(), span=m.span())
        if period is not None:
            self.taken.append(m.span())
            self.trailing.append((m.start(), period))

    def find_as_of(self) -> None:
        """ "as of <date>", "截至<date>": the end of whatever else is named."""
        t, atoms = self.t, self.atoms
        for i, atom in enumerate(atoms):
            if _ASOF_BEFORE.search(t[max(0, atom.start - 20) : atom.start]) is None:
                continue
            if i > 0 and _LINK.match(t[atoms[i - 1].end : atom.start]):
                continue  # "from Jan 5 to Feb 20" is a window, not an as-of
            self.as_of = atom.hi
            self.as_of_relative = atom.relative
            self.used.add(i)
            return

    def between(self) -> None:
        """Windows between two named periods: "from October to December 2025", "1月5日至2月20日"."""
        t, atoms = self.t, self.atoms
        for i in range(len(atoms) - 1):
            a, b = atoms[i], atoms[i + 1]
            link = t[a.end : b.start]
            if i in self.used or i + 1 in self.used or not _LINK.match(link):
                continue
            if _AND.search(link) and not _BETWEEN_BEFORE.search(t[max(0, a.start - 12) : a.start]):
                continue
            lo, hi = _pair(a, b)
            if lo > hi:
                continue
            tail = _END_AFTER_ZH.match(t[b.end :])
            stop = b.end + (tail.end() if tail else 0)
            # a year written on one end places the other: "from October to December 2025"
            relative = (
                (a.relative and a.year_given)
                or (b.relative and b.year_given)
                or not (a.year_given or b.year_given)
            )
            period = resolve("between", lo, hi, self.ref, label=f"{lo.isoformat()} – {hi.isoformat()}",
                             text=t[a.start : stop], span=(a.start, stop),
                             relative=relative)  # fmt: skip
            self.found.append(_Candidate(a.start, period))
            self.used.update((i, i + 1))

    def since(self) -> None:
        """Since a named period: "since December 15, 2025", "12月中旬以来", "自去年12月起"."""
        t = self.t
        for i, atom in enumerate(self.atoms):
            if i in self.used:
                continue
            before = _SINCE_BEFORE_EN.search(t[max(0, atom.start - 40) : atom.start])
            zh_before = _SINCE_BEFORE_ZH.search(t[max(0, atom.start - 3) : atom.start])
            zh_after = _SINCE_AFTER_ZH.match(t[atom.end :])
            if not (before or zh_after or zh_before):
                continue
            mod = None
            if before:
                mod = (before.group("mod") or before.group("mod2") or "").lower() or None
                if before.group(0).lower().startswith("after"):
                    mod = mod or "end"
            elif zh_after and zh_after.group("mod"):
                mod = _ZH_MODS.get(zh_after.group("mod"), "end")
            lo = _since_start(atom, mod)
            end_day = self.as_of or self.ref
            stop = atom.end + (zh_after.end() if zh_after else 0)
            first = atom.start - (len(before.group(0)) if before else 0)
            period = resolve("since", lo, max(end_day, lo), self.ref, label=f"since {lo.isoformat()}",
                             text=t[first:stop], span=(first, stop),
                             as_of_given=self.as_of is not None, relative=atom.relative)  # fmt: skip
            self.found.append(_Candidate(first, period))
            self.used.add(i)

    def to_date(self) -> None:
        """YTD, MTD, QTD: up to the reference date, or to the "as of" date when one is written."""
        for a, b, kind in self.todate:
            end_day = self.as_of or self.ref
            if kind == "ytd":
                lo = dt.date(end_day.year, 1, 1)
            elif kind == "mtd":
                lo = end_day.replace(day=1)
            else:
                lo = dt.date(end_day.year, 3 * ((end_day.month - 1) // 3) + 1, 1)
            period = resolve(kind, lo, end_day, self.ref, label=_TODATE_LABELS[kind],
                             text=self.t[a:b], span=(a, b), as_of_given=self.as_of is not None,
                             relative=self.as_of is None or self.as_of_relative)  # fmt: skip
            self.found.append(_Candidate(a, period))

    def plain(self) -> None:
        """Named periods standing alone: a day, week, month, quarter, half or year."""
        for i, atom in enumerate(self.atoms):
            if i in self.used:
                continue
            kind: PeriodKind = atom.kind
            lo, hi = atom.lo, atom.hi
            if _END_AFTER_ZH.match(self.t[atom.end :]) and kind in (
                "year",
                "month",
                "quarter",
                "half",
            ):
                kind, lo = "day", hi  # "2025年底": the last day of the year
            period = resolve(kind, lo, hi, self.ref, label=atom.label,
                             text=self.t[atom.start : atom.end], span=(atom.start, atom.end),
                             relative=atom.relative)  # fmt: skip
            self.found.append(_Candidate(atom.start, period, plain=True))


def find_period(
    text: str,
    ref: dt.date,
    *,
    news_date: dt.date | None = None,
    context: Period | None = None,
    exclude: list[tuple[int, int]] | None = None,
    forward: bool = False,
) -> Period | None:
    """The period `text` names, resolved against `ref` (the as-of session), or None.

    `news_date` resolves "since the article was published"; `context` (the period of the
    sentence or question before) resolves "over the same period"; `exclude` are spans that
    hold other things (an SMA's "50-day"), which are not read as periods; `forward` reads a
    year-less month, quarter or half as the next one to end (a forecast's "Q2").
    """
    t = unicodedata.normalize("NFKC", text)
    return _PeriodReader(t, ref, news_date, context, list(exclude or []), forward).read()


_NEGATED = gate(
    r"(?:\bnot|rather than|instead of|不是|而非|并非|而不是)\s*(?:the\s+|over the\s+)?$", _I
)


def _pair(a: Atom, b: Atom) -> tuple[dt.date, dt.date]:
    """Calendar bounds of "a to b"; a year written once applies to both."""
    lo, hi = a.lo, b.hi
    if b.year_given and not a.year_given:
        lo = _with_year(a.lo, b.hi.year)
        if lo > b.lo:
            lo = _with_year(lo, lo.year - 1)
    elif a.year_given and not b.year_given:
        hi = _with_year(b.hi, a.lo.year)
        if hi < lo:
            hi = _with_year(hi, hi.year + 1)
    elif not a.year_given and lo > hi:
        lo = _with_year(lo, lo.year - 1)
    return lo, hi


def _with_year(day: dt.date, year: int) -> dt.date:
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)


def _since_start(atom: Atom, mod: str | None) -> dt.date:
    if mod in ("end", "close"):
        return atom.hi + dt.timedelta(days=1)
    if mod in ("mid", "middle") and atom.kind == "month":
        return atom.lo.replace(day=15)
    if mod == "late" and atom.kind == "month":
        return atom.lo.replace(day=21)
    return atom.lo


def _since_publication(m: re.Match[str], ref: dt.date, news: dt.date | None) -> Period:
    if news is None:
        return Period(
            kind="since_publication", label="since publication", text=m.group(0), span=m.span()
        )
    return resolve("since_publication", news, ref, ref, label=f"since {news.isoformat()}",
                   text=m.group(0), span=m.span())  # fmt: skip


def _before_publication(m: re.Match[str], ref: dt.date, news: dt.date | None) -> Period:
    g = m.groupdict()
    unit, mult = _unit(g["u"])
    if g.get("half"):
        n = 6 if unit == "year" else 15
        unit = "month" if unit == "year" else "day"
    else:
        n = (count(g["n"]) if g.get("n") else 1) or 1
    n *= mult
    if news is None:
        return Period(kind="before_publication", label="before publication", text=m.group(0),
                      span=m.span(), count=n, unit=unit)  # fmt: skip
    last = _safe(lambda: nyse.previous_session(news), news - dt.timedelta(days=1))
    period = trailing(last, n, unit, kind="before_publication", text=m.group(0), span=m.span(),
                      relative=False)  # fmt: skip
    if period is not None and unit != "session":
        # "the week before": the calendar week up to the day before publication
        lo = _back(news - dt.timedelta(days=1), n, unit)
        period = resolve("before_publication", lo, last, ref, label=f"{n} {unit} before publication",
                         text=m.group(0), span=m.span(), count=n, unit=unit)  # fmt: skip
    return period or Period(kind="before_publication", text=m.group(0), span=m.span())


def _same(m: re.Match[str], context: Period | None) -> Period:
    if context is None:
        return Period(
            kind="same_as_context", label="the same period", text=m.group(0), span=m.span()
        )
    return context.model_copy(
        update={"kind": "same_as_context", "text": m.group(0), "span": m.span(),
                "label": context.label or "the same period"}
    )  # fmt: skip
