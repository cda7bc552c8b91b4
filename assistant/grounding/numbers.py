"""Find the numbers a text asserts, in English and Chinese, with their units and precision.

Dates, years, citation markers, window lengths ("20-day", "52周") and the digits inside index
names ("Russell 2000", "标普500") are not assertions and are skipped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

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
    # window lengths and other durations
    r"\d+(?:\.\d+)?\s?-?\s?(?:day|days|week|weeks|month|months|year|years|yr|session|sessions|trading days|minute|minutes|hour|hours)\b",
    r"\d+\s?(?:个交易日|个月|日均线|日移动均线|日线|周线|日|天|周|年|季度|小时|分钟)",
]
_MASK_RE = re.compile("|".join(f"(?:{m})" for m in _MASKS), re.IGNORECASE)

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
_TOKEN = re.compile(
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
_DOWN = re.compile(rf"({DOWN_EN}|negative|{DOWN_ZH}|落后){_BY}", re.IGNORECASE)
_UP = re.compile(rf"({UP_EN}|positive|{UP_ZH}|领先|高出){_BY}", re.IGNORECASE)


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
        return self._step / 2

    @property
    def _step(self) -> float:
        step = 10.0 ** (-self.decimals)
        scale = _scale_of(self.raw)
        if _is_bp(self.raw):
            return step / 100
        return step * scale


def _scale_of(raw: str) -> float:
    match = _TOKEN.fullmatch(raw.strip())
    if not match or not match.group("scale"):
        return 1.0
    return _SCALE[match.group("scale").strip().lower()]


def _is_bp(raw: str) -> bool:
    return bool(re.search(r"(?i)基点|basis point|\bbps?\b", raw))


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
    text = normalize(text)
    masked = _masked(text)
    found: list[Mention] = []
    for match in _TOKEN.finditer(masked):
        num = match.group("num")
        before = masked[max(0, match.start() - 1) : match.start()]
        if before and ((before.isalpha() and before.isascii()) or before in "_@^#."):
            continue  # part of a name like SMA20, p50, hit@3, ^RUT2
        after = masked[match.end() : match.end() + 2]
        if (after[:1].isascii() and after[:1].isalpha()) or re.match(r"-[A-Za-z]", after):
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
        if re.search(r"(?i)基点|basis point|^\s*bps?$", unit):
            value /= 100
        if sign in {"-", "−"}:
            value = -value
        family = _family(unit, currency)
        decimals = len(num.split(".")[1]) if "." in num else 0
        if family == "plain" and not scale_text and decimals == 0 and not signed:
            if value < 10:
                continue  # small bare counts ("3 sectors", "two of 5") are not market figures
            if 1900 <= value <= 2100 and "," not in num:
                continue  # a year

        start = match.start() if signed or currency else match.start("num")
        if currency and not signed:
            start = match.start("cur")
        raw = text[start : match.end()].strip()
        direction = _direction(masked[max(0, start - 24) : start])
        found.append(
            Mention(start, start + len(raw), raw, value, family, decimals, signed, direction)
        )
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
        if re.fullmatch(r"\s*(?:-|–|—|~|～|to|至|到)\s*", between):
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
