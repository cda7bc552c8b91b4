"""Dates and windows written in English or Chinese: "2026-01-23", "1月23日", "since December", "YTD"."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from assistant.grounding.gates import compile as gate
from assistant.grounding.numbers import normalize

_MONTHS = {
    name: i
    for i, names in enumerate(
        [
            (),
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DATE_PATTERNS = [
    gate(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})"),
    gate(r"(?:(?P<y>\d{4})\s?年\s?)?(?P<m>\d{1,2})\s?月\s?(?P<d>\d{1,2})\s?[日号]"),
    gate(
        rf"\b(?P<mon>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?",
        re.IGNORECASE,
    ),
    gate(
        rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\b\.?(?:,?\s+(?P<y>\d{{4}}))?",
        re.IGNORECASE,
    ),
]


@dataclass(frozen=True)
class DateHit:
    day: date
    start: int
    end: int
    year_given: bool


def _hits(text: str, default_year: int) -> list[DateHit]:
    text = normalize(text)
    taken: list[tuple[int, int]] = []
    hits: list[DateHit] = []
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            groups = m.groupdict()
            month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"].lower()]
            year = int(groups["y"]) if groups.get("y") else default_year
            try:
                day = date(year, month, int(groups["d"]))
            except ValueError:
                if groups.get("y") or not (month == 2 and int(groups["d"]) == 29):
                    continue
                day = date(
                    year - 1 - (year - 1) % 4, 2, 29
                )  # "Feb 29" without a year: the last leap year

            taken.append((m.start(), m.end()))
            hits.append(DateHit(day, m.start(), m.end(), bool(groups.get("y"))))
    return sorted(hits, key=lambda h: h.start)


def date_spans(text: str, default_year: int) -> list[DateHit]:
    """Every calendar date written in `text` with its character span; a missing year is `default_year`."""
    return _hits(text, default_year)


def date_hits(text: str, default_year: int) -> list[DateHit]:
    """Every calendar date written in `text` with its position."""
    return _hits(text, default_year)


def find_dates(text: str, default_year: int) -> list[date]:
    """Every calendar date written in `text`, in order; a missing year is `default_year`."""
    return [h.day for h in _hits(text, default_year)]


@dataclass(frozen=True)
class Window:
    """A period the question asks about; `end` None means "up to the latest session"."""

    start: date | None
    end: date | None
    label: str


def _year_earlier(d: date) -> date:
    """The same day a year earlier (Feb 29 becomes Feb 28)."""
    try:
        return d.replace(year=d.year - 1)
    except ValueError:
        return d.replace(year=d.year - 1, day=28)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _months_back(d: date, n: int) -> date:
    month = d.month - n
    year = d.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _latest_month(month: int, ref: date) -> date:
    """The first day of the most recent `month` that started on or before `ref`."""
    year = ref.year if month <= ref.month else ref.year - 1
    return date(year, month, 1)


def parse_window(text: str, ref: date) -> Window | None:
    """The period `text` asks about, read against the reference day `ref` (the as-of session)."""
    t = normalize(text).lower()
    hits = _hits(text, ref.year)
    # explicit two-date window: the earlier written date without a year may belong to last year
    if len(hits) >= 2:
        first, second = hits[0], hits[1]
        start, end = first.day, second.day
        if not second.year_given and end > ref:
            end = _year_earlier(end)
        if not first.year_given and start > end:
            start = _year_earlier(start)
        return Window(start, end, f"{start.isoformat()} – {end.isoformat()}")
    if m := re.search(r"\b(?:ytd|year[- ]to[- ]date|this year)\b|今年以来|年初至今|今年", t):
        return Window(date(ref.year, 1, 1), None, "year to date")
    if re.search(r"\blast month\b|\bprevious month\b|上个月|上月", t):
        prev = _months_back(_month_start(ref), 1)
        return Window(prev, _month_end(prev), f"{prev:%Y-%m}")
    if re.search(r"\bthis month\b|\bmonth[- ]to[- ]date\b|\bmtd\b|本月|这个月|月初至今", t):
        return Window(_month_start(ref), None, "month to date")
    if re.search(r"\blast week\b|上周|上一周", t):
        monday = ref - timedelta(days=ref.weekday() + 7)
        return Window(monday, monday + timedelta(days=4), "last week")
    if re.search(r"\bthis week\b|本周|这周", t):
        return Window(ref - timedelta(days=ref.weekday()), None, "this week")
    if _LAST_YEAR.search(t) and not _SINCE.search(t):
        return Window(date(ref.year - 1, 1, 1), date(ref.year - 1, 12, 31), str(ref.year - 1))
    if m := _EN_TRAILING.search(t):
        unit = _UNITS[m.group("unit").rstrip("s")]
        if unit == "session" and not m.group("n"):
            return None  # "the last session" is one day, not a window
        n = _count(m.group("n") or "1")
        return _trailing(ref, n, unit) if n is not None else None
    if m := _CN_TRAILING.search(t):
        unit = _UNITS[m.group("unit")]
        if m.group("half"):  # 近半年, 近半个月
            return _trailing(ref, 6, "month") if unit == "year" else _trailing(ref, 2, "week")
        n = _count(m.group("n"))
        return _trailing(ref, n, unit) if n is not None else None
    if m := re.search(
        rf"\bsince\s+(?:early\s+|the start of\s+)?({_MONTH_RE})\b(?:\s+(\d{{4}}))?", t
    ):
        month = _MONTHS[m.group(1)]
        start = date(int(m.group(2)), month, 1) if m.group(2) else _latest_month(month, ref)
        return Window(start, None, f"since {start:%Y-%m-%d}")
    if m := re.search(
        r"(?:自|从)?(\d{1,2}|十一|十二|一|二|三|四|五|六|七|八|九|十)月(?:初|份)?(?:以来|至今|到现在)",
        t,
    ):
        raw = m.group(1)
        month = _count(raw) or 0
        if not 1 <= month <= 12:
            return None
        start = _latest_month(month, ref)
        return Window(start, None, f"since {start:%Y-%m-%d}")
    if len(hits) == 1 and re.search(r"\bsince\b|以来|至今|到现在", t):
        return Window(hits[0].day, None, f"since {hits[0].day.isoformat()}")
    if re.search(r"\byesterday\b|昨天|昨日", t):
        return Window(None, ref - timedelta(days=1), "yesterday")
    if re.search(r"\btoday\b|今天|今日", t):
        return Window(None, ref, "today")
    return None


_EN_NUMBERS = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15,
    "twenty": 20, "thirty": 30, "sixty": 60, "ninety": 90,
}  # fmt: skip
_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}  # fmt: skip
_UNITS = {
    "trading day": "session", "session": "session", "day": "day", "week": "week",
    "month": "month", "year": "year",
    "个交易日": "session", "交易日": "session", "天": "day", "日": "session", "周": "week",
    "个星期": "week", "星期": "week", "个月": "month", "月": "month", "年": "year",
}  # fmt: skip
_EN_TRAILING = gate(
    r"\b(?:past|last|previous|trailing)\s+(?:(?P<n>\d+|"
    + "|".join(_EN_NUMBERS)
    + r")[\s-]+)?(?P<unit>trading days?|sessions?|days?|weeks?|months?|years?)\b"
)
# The calendar year before: "last year", "去年", but not "over the last year" (a trailing year),
# "去年12月" (a month), "去年底" or "过去年化" (other words), or anything "since" it.
_LAST_YEAR = gate(
    r"(?<!the )\b(?:last|previous) year\b"
    r"|(?<!过)去年(?![底末初]|同期|\s?(?:\d{1,2}|[一二三四五六七八九十]{1,2})\s?月)|上一年"
)
_SINCE = gate(r"\bsince\b|以来|至今|到现在|同期")
_CN_TRAILING = gate(
    r"(?:近|过去|最近)\s?(?:(?P<half>半)|(?P<n>\d+|[零一二两三四五六七八九十]{1,3}))\s?"
    r"(?P<unit>个交易日|交易日|个星期|星期|个月|天|日|周|月|年)"
)


def _count(raw: str) -> int | None:
    """A count written as digits, an English word or a Chinese numeral up to 99."""
    if raw.isdigit():
        return int(raw)
    if raw in _EN_NUMBERS:
        return _EN_NUMBERS[raw]
    if "十" in raw:
        tens, _, ones = raw.partition("十")
        if len(raw) > 3 or (tens and tens not in _CN_DIGITS) or (ones and ones not in _CN_DIGITS):
            return None
        return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[raw] if len(raw) == 1 and raw in _CN_DIGITS else None


def _trailing(ref: date, n: int, unit: str) -> Window | None:
    """The `n` units up to `ref`; `n` sessions are the last `n` sessions (`n` moves, counted
    from the close before the first)."""
    if n <= 0:
        return None
    # The window's first session is the day after `ref` minus the period, so its return runs from
    # the close a period before `ref` (the close before the first session) to `ref`'s close.
    if unit != "session":
        return Window(_back(ref, n, unit) + timedelta(days=1), None, _label(n, unit))
    from tools import calendar

    try:
        start = calendar.sessions_back(ref, n)[0].date()
    except (calendar.CalendarError, ValueError):  # further back than the calendar goes
        return Window(_back(ref, n, "day") + timedelta(days=1), None, _label(n, "day"))
    return Window(start, None, _label(n, unit))


def _label(n: int, unit: str) -> str:
    return f"past {unit}" if n == 1 else f"past {n} {unit}s"


def _back(ref: date, n: int, unit: str) -> date:
    """`n` units before `ref`, never before 1900 (data does not go further back)."""
    days = {"day": 1, "week": 7, "month": 31, "year": 366}[unit] * n
    if days > (ref - date(1900, 1, 1)).days:
        return date(1900, 1, 1)
    if unit == "day":
        return ref - timedelta(days=n)
    if unit == "week":
        return ref - timedelta(weeks=n)
    if unit == "month":
        return _months_back(ref, n)
    return _months_back(ref, 12 * n)


def single_day(text: str, ref: date) -> date | None:
    """The one day a question is about ("the close on Jan 25"), if it names exactly one."""
    hits = _hits(text, ref.year)
    if len(hits) != 1:
        return None
    day = hits[0].day
    if not hits[0].year_given and day > ref:
        day = _year_earlier(day)
    return day
