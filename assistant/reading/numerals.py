"""Counts written as digits, English words or Chinese numerals ("50", "fifty", "五十", "两")."""

from __future__ import annotations

_EN_ONES = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "couple": 2, "couple of": 2, "few": 3,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
EN_WORDS = sorted([*_EN_ONES, *_EN_TENS, "hundred"], key=len, reverse=True)
EN_NUMBER = (
    r"(?:\d+|(?:" + "|".join(sorted(_EN_TENS, key=len, reverse=True)) + r")(?:[- ](?:"
    r"one|two|three|four|five|six|seven|eight|nine))?|one hundred|a hundred|"
    + "|".join(w for w in sorted(_EN_ONES, key=len, reverse=True))
    + r")"
)
_CN_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4, "五": 5,
    "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMBER = r"(?:\d+|[零〇一二两三四五六七八九十百千]+)"


def count(raw: str) -> int | None:
    """Return the whole number `raw` writes, or None when it is not one."""
    text = raw.strip().lower()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text in _EN_ONES:
        return _EN_ONES[text]
    if text in ("one hundred", "a hundred", "hundred"):
        return 100
    parts = text.replace("-", " ").split()
    if parts and parts[0] in _EN_TENS:
        rest = parts[1:]
        if not rest:
            return _EN_TENS[parts[0]]
        if len(rest) == 1 and rest[0] in _EN_ONES and _EN_ONES[rest[0]] < 10:
            return _EN_TENS[parts[0]] + _EN_ONES[rest[0]]
        return None
    return _chinese(text)


def _chinese(text: str) -> int | None:
    if any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        return None
    if not any(c in _CN_UNITS for c in text):
        if len(text) == 1:
            return _CN_DIGITS[text]
        return int("".join(str(_CN_DIGITS[c]) for c in text))  # 二〇二五
    total, digit = 0, None
    for char in text:
        if char in _CN_DIGITS:
            if digit not in (None, 0) and _CN_DIGITS[char] != 0:
                return None
            digit = _CN_DIGITS[char]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
    return total + (digit or 0)
