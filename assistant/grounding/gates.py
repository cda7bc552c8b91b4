"""Patterns that skip texts they cannot match, with the same results as the pattern itself.

The readers try dozens of case-insensitive patterns on every sentence and clause, and most of
them match nothing there. `gated(pattern)` reads the pattern once for words every match must
contain ("volatil" or "standard deviation" or "std" or "波动" ...), and a text holding none of
them (compared case-folded) is answered "no match" by one fast literal search, without running
the pattern. Where a word cannot be read off a pattern, the pattern always runs.

Sound by construction: a needle is a run of literal characters that every match contains, made
of ASCII and of characters without case; such characters match under IGNORECASE only what
`fold` turns into the same lowercase character, one for one.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from re import _compiler as compiler  # type: ignore[attr-defined]
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser as parser  # type: ignore[attr-defined]
from typing import Any

# The only characters outside ASCII that IGNORECASE matches with an ASCII one (checked against
# every code point in tests/assistant/test_gates.py), mapped to it.
_EXOTIC = str.maketrans({"İ": "i", "ı": "i", "ſ": "s", "K": "k"})
_EXOTIC_CHARS = "İıſK"
_last: tuple[str, str] = ("", "")


def fold(text: str) -> str:
    """`text` lowercased, with the four exotic letters IGNORECASE reads as ASCII made ASCII."""
    global _last
    last = _last  # one read: another thread may replace it meanwhile
    if last[0] is text:
        return last[1]
    folded = text.lower()
    if not text.isascii() and any(ch in text for ch in _EXOTIC_CHARS):
        folded = text.translate(_EXOTIC).lower()  # rare, and slow on a long text
    _last = (text, folded)
    return folded


def forget() -> None:
    """Drop the one text `fold` keeps (for a benchmark that wants every text new)."""
    global _last
    _last = ("", "")


def _usable(ch: str) -> bool:
    """A character a needle may hold: ASCII, or one with no case at all."""
    return ch.isascii() or (ch.lower() == ch == ch.upper() and ch.casefold() == ch)


_Needles = frozenset[str]


def _better(a: _Needles | None, b: _Needles | None) -> _Needles | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b, key=lambda s: (min(map(len, s)), -len(s)))


def _needles(items: list[tuple[object, object]]) -> _Needles | None:
    """Strings one of which every match of the sequence `items` contains, or None."""
    best: _Needles | None = None
    run: list[str] = []
    for op, av in items:
        if op is c.LITERAL and _usable(ch := chr(av)):  # type: ignore[arg-type]
            run.append(ch.lower())
            continue
        if run:
            best = _better(best, frozenset({"".join(run)}))
            run = []
        if op is c.SUBPATTERN:
            best = _better(best, _needles(av[3].data))  # type: ignore[index]
        elif op is c.ATOMIC_GROUP:
            best = _better(best, _needles(av.data))  # type: ignore[attr-defined]
        elif op is c.BRANCH:
            alternatives = [_needles(p.data) for p in av[1]]  # type: ignore[index]
            if all(a is not None for a in alternatives):
                best = _better(best, frozenset().union(*alternatives))  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:  # type: ignore[index]
            best = _better(best, _needles(av[2].data))  # type: ignore[index]
    if run:
        best = _better(best, frozenset({"".join(run)}))
    return best


def needles(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Lowercase strings one of which every match of `pattern` holds (after `fold`), or None."""
    return _needles(parser.parse(pattern.pattern, pattern.flags).data)


_CATEGORIES = {
    c.CATEGORY_DIGIT: r"\d",
    c.CATEGORY_NOT_DIGIT: r"\D",
    c.CATEGORY_SPACE: r"\s",
    c.CATEGORY_NOT_SPACE: r"\S",
    c.CATEGORY_WORD: r"\w",
    c.CATEGORY_NOT_WORD: r"\W",
}


class _Unknown(Exception):
    """A construct whose first character is not read here: no guard."""


def _first(items: list[tuple[object, object]], flags: int) -> tuple[set[str], bool]:
    """The class items (regex source) one of which begins every match, and whether the
    sequence can match the empty string."""
    found: set[str] = set()
    for op, av in items:
        if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
            continue  # zero width: the next one consumes the first character
        if op is c.LITERAL:
            found.add(re.escape(chr(av)))  # type: ignore[arg-type]
            return found, False
        if op is c.IN:
            for kind, value in av:  # type: ignore[attr-defined]
                if kind is c.LITERAL:
                    found.add(re.escape(chr(value)))
                elif kind is c.RANGE:
                    found.add(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                elif kind is c.CATEGORY and value in _CATEGORIES:
                    found.add(_CATEGORIES[value])
                else:
                    raise _Unknown
            return found, False
        if op is c.SUBPATTERN:
            add: int = av[1]  # type: ignore[index]
            sub = av[3]  # type: ignore[index]
            if add & re.IGNORECASE and not flags & re.IGNORECASE:
                raise _Unknown
            inner, empty = _first(sub.data, flags)
        elif op is c.ATOMIC_GROUP:
            inner, empty = _first(av.data, flags)  # type: ignore[attr-defined]
        elif op is c.BRANCH:
            inner, empty = set(), False
            for alternative in av[1]:  # type: ignore[index]
                more, blank = _first(alternative.data, flags)
                inner |= more
                empty = empty or blank
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            inner, empty = _first(av[2].data, flags)  # type: ignore[index]
            empty = empty or av[0] == 0  # type: ignore[index]
        else:
            raise _Unknown
        found |= inner
        if not empty:
            return found, False
    return found, True


def guarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """`pattern` behind a look-ahead for the characters its matches can begin with, so a
    position no alternative can start at is passed over in one test (the same matches)."""
    parsed = parser.parse(pattern.pattern, pattern.flags)
    if parsed.data and parsed.data[0] == (c.AT, c.AT_BEGINNING):
        return pattern  # anchored: tried at one position anyway
    info = compiler._code(parsed, pattern.flags)
    if info[2] & (c.SRE_INFO_PREFIX | c.SRE_INFO_CHARSET):
        return pattern  # the engine already passes over positions by a literal prefix
    try:
        first, empty = _first(parsed.data, pattern.flags)
    except _Unknown:
        return pattern
    if empty or not first:
        return pattern
    lead = _GLOBAL_FLAGS.match(pattern.pattern)
    head, body = (lead.group(0), pattern.pattern[lead.end() :]) if lead else ("", pattern.pattern)
    return re.compile(f"{head}(?=[{''.join(sorted(first))}])(?:{body})", pattern.flags)


_GLOBAL_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class Gated:
    """A compiled pattern that first rules out texts holding none of its needles. The needles
    and the guard are read on first use, so importing a module of patterns costs no more."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern: str = pattern.pattern
        self.compiled = pattern
        # the needle search: None when the text (folded) holds none, so the pattern cannot match
        self._needle: Callable[[str], object] | None = self._prepare

    def _prepare(self, folded: str) -> object:
        """Read the pattern (once), then answer the needle search for `folded`."""
        self._needle = None
        found = needles(self.compiled)
        self.compiled = guarded(self.compiled)
        if found is not None:
            # a needle holding a shorter one adds nothing: the shorter is in every text it is in
            found = frozenset(n for n in found if not any(o != n and o in n for o in found))
            ordered = sorted(found, key=len, reverse=True)
            self._needle = re.compile("|".join(re.escape(n) for n in ordered)).search
            return self._needle(folded)
        return True

    def possible(self, text: str) -> bool:
        """False only when `text` cannot match."""
        return self._needle is None or self._needle(fold(text)) is not None

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needle is not None and self._needle(fold(text)) is None:
            return None
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needle is not None and self._needle(fold(text)) is None:
            return None
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        if self._needle is not None and self._needle(fold(text)) is None:
            return None
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(
        self, text: str, pos: int = 0, endpos: int = sys.maxsize
    ) -> Iterator[re.Match[str]]:
        if self._needle is not None and self._needle(fold(text)) is None:
            return iter(())
        return self.compiled.finditer(text, pos, endpos)

    def sub(self, repl: str | Callable[[re.Match[str]], str], text: str, count: int = 0) -> str:
        return self.compiled.sub(repl, text, count) if self.possible(text) else text

    def split(self, text: str, maxsplit: int = 0) -> list[str | Any]:
        return self.compiled.split(text, maxsplit) if self.possible(text) else [text]

    def findall(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> list[Any]:
        return self.compiled.findall(text, pos, endpos) if self.possible(text) else []


def gated(pattern: re.Pattern[str]) -> Gated:
    """`pattern`, skipping texts it cannot match."""
    return Gated(pattern)


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> Gated:
    """`re.compile`, gated: the same matches, found sooner where there are none."""
    return Gated(re.compile(pattern, flags))
