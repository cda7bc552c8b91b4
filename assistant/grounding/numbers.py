"""Find the numbers a text asserts, in English and Chinese, with their units and precision.

Dates, years, citation markers, window lengths ("20-day", "52周") and the digits inside index
names ("Russell 2000", "标普500") are not assertions and are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from assistant.grounding.gates import compile as gate
from assistant.grounding.lexicon import DOWN_EN, DOWN_ZH, UP_EN, UP_ZH
from knowledge.text import CITATION_MARKER

# "usd" is a dollar amount; "cny" a yuan amount (元, 人民币, ¥): this product's market data is in
# dollars, so a yuan amount can be quoted from a source but never matched to a computed figure.
UnitFamily = Literal["%", "pp", "points", "usd", "cny", "x", "plain"]

_MASKS = [
    # index and model names that carry digits
    r"russell\s?[123]000",
    r"s\s?&\s?p\s?(?:500|400|600|100)",
    r"nasdaq[\s-]?100",
    r"罗素\s?[123]000",
    r"标普\s?(?:500|400|600|100)",
    r"纳斯达克\s?100",
    r"道琼斯\s?30",
    # dates
    r"(?<!\d)\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?!\d)",
    r"(?<!\d)\d{4}-\d{2}(?![\d.])",
    r"\d{4}\s?年\s?\d{1,2}\s?月(?:\s?\d{1,2}\s?[日号])?",
    r"\d{1,2}\s?月\s?\d{1,2}\s?[日号]",
    r"\d{4}\s?年",
    r"\d{1,2}\s?月(?:份|初|中|底|末)?",
    r"\b(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?\s+\d{1,2}(?:st|nd|rd|th)?\b(?:,?\s+\d{4})?",
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?(?:,?\s+\d{4})?",
    r"\b(?:q[1-4]|h[12]|fy)\s?'?\d{2,4}\b",
    r"√\s?\d+|sqrt\(\d+\)",
    # citation markers
    CITATION_MARKER.pattern,
    # addresses: a URL, a `www.` or an e-mail address states no number
    r"\b[a-z][a-z0-9+.-]{1,15}://[^\s`<>]+|//[a-z0-9-]+(?:\.[a-z0-9-]+)+[^\s`<>]*"
    r"|\bwww\.[^\s`<>]+|[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)+",
    # window lengths and other durations
    r"\d+(?:\.\d+)?\s?-?\s?(?:day|days|week|weeks|month|months|year|years|yr|session|sessions|trading days|minute|minutes|hour|hours)\b",
    r"\d+\s?(?:个交易日|个月|日均线|日移动均线|日线|周线|日|天|周|年|季度|小时|分钟)",
]
# The masks that begin with a digit (after a zero-width test) are tried only where a digit
# stands, behind one look-ahead; no other mask can begin with a digit, so the order in which
# the two groups are tried never changes which one matches at a position.
_FROM_DIGIT = gate(r"(?:\(\?<!\\d\)|\\b)?\\d")
_MASK_RE = gate(
    "|".join(
        [f"(?:{m})" for m in _MASKS if not _FROM_DIGIT.match(m)]
        + ["(?=\\d)(?:" + "|".join(f"(?:{m})" for m in _MASKS if _FROM_DIGIT.match(m)) + ")"]
    ),
    re.IGNORECASE,
)

_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = {
    "万亿": 1e12,
    "亿": 1e8,
    "万": 1e4,
    "trillion": 1e12,
    "billion": 1e9,
    "million": 1e6,
    "thousand": 1e3,
    "bn": 1e9,
    "tn": 1e12,
    "t": 1e12,
    "b": 1e9,
    "m": 1e6,
    "k": 1e3,
}
_TOKEN = gate(
    r"(?:(?P<sign>[+\-−])\s?)?"
    r"(?:(?P<cur>US\$|\$|¥|￥|人民币|RMB|CNY)\s?)?"
    rf"(?P<num>{_NUMBER})"
    r"(?P<scale>\s?(?:万亿|亿|万)|\s?(?:trillion|billion|million|thousand)\b|(?:bn|tn|[KMBT])\b)?"
    r"(?P<unit>\s?(?:%|percent\b|per cent\b|个百分点|百分点|percentage points?\b|ppts?\b|pp\b"
    r"|个基点|基点|basis points?\b|bps?\b|点|points?\b|pts?\b|倍|x\b|×"
    r"|美元|人民币|元|dollars?\b|yuan\b|rmb\b|cny\b))?",
    re.IGNORECASE,
)
_BY = r"\s*(?:by|of|about|around|roughly|约|了)?\s*$"
_DOWN = gate(rf"({DOWN_EN}|negative|{DOWN_ZH}|落后){_BY}", re.IGNORECASE)
_UP = gate(rf"({UP_EN}|positive|{UP_ZH}|领先|高出){_BY}", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    """One number a text asserts."""

    start: int
    end: int
    raw: str
    value: float  # scale applied; basis points converted to percentage points
    unit: UnitFamily
    decimals: int
    signed: bool  # an explicit + or - was written
    direction: Literal["up", "down"] | None  # from words just before the number

    @property
    def tolerance(self) -> float:
        """Half a unit of the last digit shown, in the same units as `value`."""
        return _step_of(self.raw, self.decimals) / 2


@lru_cache(maxsize=4096)
def _step_of(raw: str, decimals: int) -> float:
    step = 10.0 ** (-decimals)
    if _is_bp(raw):
        return step / 100
    return step * _scale_of(raw)


def _scale_of(raw: str) -> float:
    match = _TOKEN.fullmatch(raw.strip())
    if not match or not match.group("scale"):
        return 1.0
    return _SCALE[match.group("scale").strip().lower()]


def _is_bp(raw: str) -> bool:
    return bool(_BP_RAW.search(raw))


_DIGIT = gate(r"\d")
_BP_RAW = gate(r"(?i)基点|basis point|\bbps?\b")
_BP_UNIT = gate(r"(?i)基点|basis point|^\s*bps?$")
_NAME_AFTER = gate(r"-[A-Za-z]")
_RANGE_JOIN = gate(r"\s*(?:-|–|—|~|～|to|至|到)\s*")
_DURATION_HINT = gate(r"(?i)days|sessions|weeks|months|交易日|个月|天|周")


def _family(unit: str, currency: str) -> UnitFamily:
    unit = unit.strip().lower()
    if unit in {"%", "percent", "per cent"}:
        return "%"
    if unit in {"个百分点", "百分点", "pp", "ppt", "ppts"} or unit.startswith("percentage point"):
        return "pp"
    if unit in {"个基点", "基点", "bp", "bps"} or unit.startswith("basis point"):
        return "pp"
    if unit in {"点", "point", "points", "pt", "pts"}:
        return "points"
    if unit in {"倍", "x", "×"}:
        return "x"
    if currency.lower() in {"¥", "￥", "人民币", "rmb", "cny"} or unit in {
        "元",
        "人民币",
        "yuan",
        "rmb",
        "cny",
    }:
        return "cny"
    if currency or unit in {"美元", "dollar", "dollars"}:
        return "usd"
    return "plain"


def normalize(text: str) -> str:
    """NFKC-fold so fullwidth digits and percent signs read as ASCII."""
    return unicodedata.normalize("NFKC", text)


def _masked(text: str) -> str:
    """Replace the non-assertions with spaces of the same length, keeping offsets."""
    return _MASK_RE.sub(lambda m: " " * len(m.group(0)), text)


def extract_numbers(text: str) -> list[Mention]:
    """Every number `text` asserts, in order, with unit family, precision and direction."""
    return list(_extract(text))


@lru_cache(maxsize=2048)
def _extract(text: str) -> tuple[Mention, ...]:
    """Pure and often asked twice for one sentence (the verifier and the reader): kept."""
    return tuple(_extract_numbers(text))


def _extract_numbers(text: str) -> list[Mention]:
    text = normalize(text)
    if not _DIGIT.search(text):  # nothing to mask; only numbers in words can be here
        return _word_numbers(text, text, [])
    masked = _masked(text)
    found: list[Mention] = []
    for match in _TOKEN.finditer(masked):
        num = match.group("num")
        before = masked[max(0, match.start() - 1) : match.start()]
        if before and ((before.isalpha() and before.isascii()) or before in "_@^#."):
            continue  # part of a name like SMA20, p50, hit@3, ^RUT2
        after = masked[match.end() : match.end() + 2]
        if (after[:1].isascii() and after[:1].isalpha()) or _NAME_AFTER.match(after):
            continue  # part of a word or name like 3rd, 10-K
        unit = match.group("unit") or ""
        currency = match.group("cur") or ""
        sign = match.group("sign") or ""
        signed = bool(sign)
        if sign and match.start() > 0 and _range_dash_before(masked, match.start()):
            signed, sign = False, ""  # "3.50-3.75%": a range, not a negative number
        value = float(num.replace(",", ""))
        scale_text = (match.group("scale") or "").strip().lower()
        if scale_text:
            value *= _SCALE[scale_text]
        if _BP_UNIT.search(unit):
            value /= 100
        if sign in {"-", "−"}:
            value = -value
        family = _family(unit, currency)
        decimals = len(num.split(".")[1]) if "." in num else 0
        if family == "plain" and not scale_text and decimals == 0 and not signed:
            small = value < 10
            year = 1900 <= value <= 2100 and "," not in num
            if (small or year) and not _market_level(masked, match.start(), match.end()):
                continue  # a small count ("3 sectors") or a year, unless a level is stated

        start = match.start() if signed or currency else match.start("num")
        if currency and not signed:
            start = match.start("cur")
        raw = text[start : match.end()].strip()
        direction = _direction(masked[max(0, start - 24) : start])
        found.append(
            Mention(start, start + len(raw), raw, value, family, decimals, signed, direction)
        )
    found += _word_numbers(text, masked, found)
    found.sort(key=lambda m: m.start)
    return _propagate_range_units(found, masked)


def _range_dash_before(text: str, index: int) -> bool:
    """True when the sign at `index` is a dash joining two numbers (a range)."""
    head = text[:index].rstrip()
    return bool(head) and (head[-1].isdigit() or head[-1] in "%")


def _direction(window: str) -> Literal["up", "down"] | None:
    if _DOWN.search(window):
        return "down"
    if _UP.search(window):
        return "up"
    return None


def _propagate_range_units(found: list[Mention], text: str) -> list[Mention]:
    """Give "3.50-3.75%" or "1,732.99 to 2,735.10 points" the unit written once at the end."""
    out = list(found)
    for i in range(len(out) - 1):
        first, second = out[i], out[i + 1]
        if first.unit != "plain" or second.unit == "plain":
            continue
        between = text[first.end : second.start]
        if _RANGE_JOIN.fullmatch(between):
            out[i] = Mention(
                first.start,
                first.end,
                first.raw,
                first.value / 100 if second.unit == "pp" and _is_bp(second.raw) else first.value,
                second.unit,
                first.decimals,
                first.signed,
                first.direction,
            )
    return out


# A bare small number or a year-like number is a market level when it is stated as one:
# "targets 2050", "closed at 5", "支撑位2000点" (a unit already makes it one).
_LEVEL_CUE = gate(
    r"(?:\btargets?|\btargeted|\btarget of|\blevel of|\blevels? at|\bclos(?:ed|es|ing) at|\bclose of"
    r"|\btrad(?:es|ed|ing) at|\bstands? at|\bstood at|\bsits? at|\bhit|\bhits|\breach(?:ed|es)?"
    r"|\btouch(?:ed|es)?|\bsupport (?:at|near|of)|\bresistance (?:at|near|of)"
    r"|\b(?:rose|climbed|rallied|jumped|fell|dropped|slid|sank|declined) to"
    r"|\bbroke (?:above|below)|\b(?:above|below) the"
    r"|点位|目标位|目标价|目标|收于|收报|收在|站上|跌破|突破|升至|涨至|跌至|回落至|关口|支撑位|阻力位)"
    r"\s*(?:of|at|to|near|around|about|roughly|is|was|为|是|在|了|约|至)?\s*$",
    re.IGNORECASE,
)
_NOT_A_LEVEL_AFTER = gate(r"\s*(?:highs?|lows?|peaks?|elections?|年|年度)\b", re.IGNORECASE)


# "beta to the S&P 500 over the window was 2": a ratio metric's value, however small
_RATIO_CUE = gate(
    r"(?:\bbeta\b|贝塔|β|\bcorrelation\b|相关系数)[^.。;；!?！？\n]{0,70}?"
    r"(?:\bwas|\bis|\bof|\bat|\bstood at|为|是|=|:|：)\s*(?:about|around|roughly|约)?\s*$",
    re.IGNORECASE,
)


def _market_level(masked: str, start: int, end: int) -> bool:
    if _NOT_A_LEVEL_AFTER.match(masked, end):
        return False
    if _LEVEL_CUE.search(masked[max(0, start - 32) : start]):
        return True
    return bool(_RATIO_CUE.search(masked[max(0, start - 90) : start]))


_EN_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_EN_DIGIT = "one|two|three|four|five|six|seven|eight|nine"
_EN_WORD = (
    r"(?:(?:a|one)\s+hundred|(?:" + "|".join(_EN_TENS) + rf")(?:[- ](?:{_EN_DIGIT}))?"
    r"|" + "|".join(sorted(_EN_SMALL, key=len, reverse=True)) + ")"
)
_EN_WORD_NUMBER = gate(
    rf"\b(?P<num>{_EN_WORD})"
    r"(?P<frac>\s+and\s+(?:a\s+half|a\s+quarter|three[- ]quarters)"
    rf"|\s+point\s+(?:(?:zero|{_EN_DIGIT})(?:\s+|$|(?=\s)))+)?"
    r"(?P<unit>\s*(?:%|percent\b|per\s+cent\b|percentage\s+points?\b|basis\s+points?\b"
    r"|points?\b|times\b))",
    re.IGNORECASE,
)
_CN_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
    "八": 8, "九": 9,
}  # fmt: skip
_CN_NUM = r"[零〇一二两三四五六七八九十百]+"
_CN_WORD_NUMBER = gate(
    rf"百分之(?P<pct>{_CN_NUM}|\d+(?:\.\d+)?)(?:点(?P<pctfrac>[零〇一二三四五六七八九]+))?"
    rf"|(?<![零〇一二两三四五六七八九十百千万亿])(?P<cheng>[一二两三四五六七八九十])成(?P<half>半)?"
    r"(?![交为功本长员分立绩份熟就果型效不])"
    rf"|(?<![零〇一二两三四五六七八九十百千万亿\d])(?P<cn>{_CN_NUM})"
    r"(?P<cnunit>个百分点|个基点|倍)"
)


def _cn_int(text: str) -> int | None:
    """Read a Chinese whole number up to the hundreds (十二, 二十五, 一百零五, 两)."""
    if text.isdigit():
        return int(text)
    if "十" not in text and "百" not in text:
        if len(text) != 1:
            return None
        return _CN_DIGIT.get(text)
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGIT:
            digit = _CN_DIGIT[char]
        elif char == "十":
            total += (1 if digit is None else digit) * 10
            digit = None
        elif char == "百":
            total += (1 if digit is None else digit) * 100
            digit = None
    return total + (digit or 0)


def _en_int(text: str) -> int:
    words = re.split(r"[\s-]+", text.lower())
    if words[-1] == "hundred":
        return 100
    return sum(_EN_TENS.get(w, _EN_SMALL.get(w, 0)) for w in words)


def _word_numbers(text: str, masked: str, found: list[Mention]) -> list[Mention]:
    """Numbers written in words: "twelve percent", "seven and a half percent", "百分之十二",
    "一成", "两成半", "三个百分点". Only with a unit: a bare "two" is a count, not a figure."""
    taken = [(m.start, m.end) for m in found]
    out: list[Mention] = []

    def add(start: int, end: int, value: float, unit: UnitFamily, decimals: int) -> None:
        if any(a < end and start < b for a, b in taken):
            return
        raw = text[start:end].strip()
        direction = _direction(masked[max(0, start - 24) : start])
        out.append(Mention(start, start + len(raw), raw, value, unit, decimals, False, direction))
        taken.append((start, end))

    for hit in _EN_WORD_NUMBER.finditer(masked):
        value = float(_en_int(hit.group("num")))
        frac = (hit.group("frac") or "").lower()
        decimals = 0
        if "half" in frac:
            value, decimals = value + 0.5, 1
        elif "three" in frac:
            value, decimals = value + 0.75, 2
        elif "quarter" in frac:
            value, decimals = value + 0.25, 2
        elif "point" in frac:
            digits = "".join(str(_EN_SMALL[w]) for w in frac.split()[1:] if w in _EN_SMALL)
            value, decimals = float(f"{int(value)}.{digits}"), len(digits)
        unit_text = hit.group("unit").strip().lower()
        unit: UnitFamily = "%"
        if unit_text.startswith("percentage"):
            unit = "pp"
        elif unit_text.startswith("basis"):
            unit, value = "pp", value / 100
        elif unit_text.startswith("point"):
            unit = "points"
        elif unit_text == "times":
            unit = "x"
        add(hit.start("num"), hit.end(), value, unit, decimals)
    for hit in _CN_WORD_NUMBER.finditer(masked):
        if hit.group("pct"):
            whole = hit.group("pct")
            number = float(whole) if whole[0].isdigit() else _cn_int(whole)
            if number is None:
                continue
            frac = hit.group("pctfrac") or ""
            decimals = len(frac) or (len(whole.split(".")[1]) if "." in whole else 0)
            if frac:
                number = float(f"{int(number)}.{''.join(str(_CN_DIGIT[c]) for c in frac)}")
            add(hit.start(), hit.end(), float(number), "%", decimals)
        elif hit.group("cheng"):
            tenths = _cn_int(hit.group("cheng"))
            if tenths is None:
                continue
            value = tenths * 10 + (5 if hit.group("half") else 0)
            add(hit.start(), hit.end(), float(value), "%", 0)
        else:
            number = _cn_int(hit.group("cn"))
            if number is None:
                continue
            unit_cn = hit.group("cnunit")
            if unit_cn == "倍":
                add(hit.start(), hit.end(), float(number), "x", 0)
            elif unit_cn == "个基点":
                add(hit.start(), hit.end(), number / 100, "pp", 0)
            else:
                add(hit.start(), hit.end(), float(number), "pp", 0)
    return out


# A length of time stated as a fact ("the slide lasted 48 days", "连续5个交易日"), not the window
# a figure is computed over ("20-day", "over the past 30 days"): those stay parameters.
_DURATION = gate(
    r"(?P<cue>\b(?:lasted|lasting|took|taking|for|after|spanning|spanned|streak of|run of)"
    # "over the 37 sessions from the Dec 1 open": a window's length stated as a fact
    r"|\bover the(?=\s+\d+\s+(?:trading\s+)?(?:sessions|days)\s+(?:from|between|since)\b)"
    r"|持续了?|历时|用了|连续|经过了?|共|的(?=\d+个交易日))"
    r"\s*(?:about|roughly|just|only|nearly|almost|约|了)?\s*"
    r"(?P<num>\d+|[零〇一二两三四五六七八九十百]+)"
    r"\s?(?P<unit>(?:straight\s+|consecutive\s+|calendar\s+|trading\s+)?"
    r"(?:days|sessions|weeks|months)\b|个交易日|个月|天|周)",
    re.IGNORECASE,
)


def extract_durations(text: str) -> list[Mention]:
    """Durations a text states as facts ("lasted 48 days", "连续5个交易日"), as plain counts."""
    text = normalize(text)
    out: list[Mention] = []
    if not _DURATION_HINT.search(text):
        return out
    for hit in _DURATION.finditer(text):
        num = hit.group("num")
        value = int(num) if num.isdigit() else _cn_int(num)
        if value is None:
            continue
        start, end = hit.start("num"), hit.end()
        direction = _direction(text[max(0, start - 24) : start])
        out.append(Mention(start, end, text[start:end], float(value), "plain", 0, False, direction))
    return out


@dataclass(frozen=True)
class Visible:
    """A text folded for reading (NFKC, 【】 as []) with the way back to what the user sees.

    `folded[i]` came from `original[origin[i]]` (`origin` None: the same index, nothing changed
    length); `origin` has one extra entry for the end."""

    original: str
    folded: str
    origin: tuple[int, ...] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The (start, end) in the original text of the folded span [start, end)."""
        if self.origin is None:
            return start, max(start, end)
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


_BRACKETS = {"【": "[", "】": "]", "〔": "[", "〕": "]", "〖": "[", "〗": "]"}


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    return _BRACKETS.get(char) or unicodedata.normalize("NFKC", char)


def fold(text: str) -> Visible:
    """Fold `text` for reading and keep, for every folded character, where it came from."""
    if text.isascii():
        return Visible(text, text)
    table: dict[int, str] = {}
    longer: set[str] = set()
    for char in set(text):
        if char.isascii():
            continue
        piece = _fold_char(char)
        if piece != char:
            table[ord(char)] = piece
            if len(piece) != 1:
                longer.add(char)
    if not longer:
        return Visible(text, _translated(text, table))
    parts: list[str] = []
    origin: list[int] = []
    last = 0
    for hit in re.finditer("[" + re.escape("".join(sorted(longer))) + "]", text):
        i = hit.start()
        parts.append(_translated(text[last:i], table))
        origin.extend(range(last, i))
        piece = table[ord(text[i])]
        parts.append(piece)
        origin.extend([i] * len(piece))
        last = i + 1
    parts.append(_translated(text[last:], table))
    origin.extend(range(last, len(text) + 1))
    return Visible(text, "".join(parts), tuple(origin))


def _translated(text: str, table: dict[int, str]) -> str:
    """`text.translate(table)`, sooner on a long text: only the characters the table changes
    are visited (translate looks every character of a non-ASCII text up in the table)."""
    if not table:
        return text
    changed = re.compile("[" + re.escape("".join(map(chr, sorted(table)))) + "]")
    return changed.sub(lambda hit: table[ord(hit.group(0))], text)
