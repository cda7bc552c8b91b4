"""Gated patterns (`assistant.grounding.gates`) find exactly what the plain pattern finds: the
needle test and the look-ahead only skip texts and positions where nothing can match."""

from __future__ import annotations

import random
import re
import sys

import pytest

from assistant.grounding import gates
from assistant.grounding.gates import fold, gated, guarded, needles


def _every_character() -> str:
    return "".join(chr(i) for i in range(sys.maxunicode + 1) if not 0xD800 <= i < 0xE000)


def test_fold_maps_every_character_ignorecase_reads_as_ascii_to_that_ascii() -> None:
    # every code point that IGNORECASE matches with some ASCII character folds to its lowercase
    everything = _every_character()
    for hit in re.finditer(r"[\x00-\x7f]", everything, re.IGNORECASE):
        ch = hit.group(0)
        partners = [a for a in map(chr, range(128)) if re.fullmatch(re.escape(a), ch, re.I)]
        assert len(fold(ch)) == 1 and all(fold(ch) == a.lower() for a in partners), repr(ch)


def test_needles_are_read_off_the_pattern() -> None:
    assert needles(re.compile(r"volatil\w*|standard deviation|波动", re.I)) == {
        "volatil",
        "standard deviation",
        "波动",
    }
    assert needles(re.compile(r"\d+")) is None  # nothing literal: the pattern always runs
    assert needles(re.compile(r"(?:a|\d)bc")) == {"bc"}  # a run every alternative shares
    assert needles(re.compile(r"x?yz")) == {"yz"}  # an optional part is not required


_PATTERNS = [
    r"\bclos(?:e|ed|ing)\b|收盘价?|收于",
    r"(?<![A-Za-z])betas?(?![A-Za-z])|贝塔|β",
    r"\b(?:last|past)\s+(?P<n>\d+)\s*(?:days?|sessions?)\b|过去\s*\d+\s*个交易日",
    r"russell\s?[123]000|s\s?&\s?p\s?500|\d{4}\s?年|(?<!\d)\d{1,2}\s?月",
    r"(?i:KOSPI)|\bDAX\b",
    r"(?:above|below)\s+its\s+\d+-day|高于|低于",
    r"^\s*(?:-|to|至)\s*",
    r"a*",  # can match nothing: no guard, and a gate with no needle
]
_WORDS = [
    "Close", "closed", "CLOSING", "收盘价", "收于", "Beta", "betas", "alphabeta", "贝塔", "β",
    "Β", "ϐ", "last", "PAST", "20", "days", "sessions", "过去", "个交易日", "Russell", "2000",
    "S&P", "s & p", "500", "2026", "年", "12", "月", "kospi", "KOSPİ", "ſ", "K", "DAX", "dax",
    "above", "below", "its", "50-day", "高于", "低于", "-", "to", "至", "a", " ", ", ", ".",
]  # fmt: skip


@pytest.mark.parametrize("source", _PATTERNS)
@pytest.mark.parametrize("flags", [0, re.IGNORECASE])
def test_a_gated_pattern_finds_what_the_pattern_finds(source: str, flags: int) -> None:
    plain = re.compile(source, flags)
    fast = gated(plain)
    rnd = random.Random(hash((source, flags)) & 0xFFFF)
    for _ in range(400):
        text = "".join(rnd.choice(_WORDS) for _ in range(rnd.randint(0, 12)))
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
        found, expected = fast.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span()), text
        assert bool(fast.match(text)) == bool(plain.match(text)), text
        assert fast.sub("#", text) == plain.sub("#", text), text


def test_the_guard_is_left_off_where_the_engine_skips_positions_itself() -> None:
    prefixed = re.compile(r"\[\d+\]")
    assert guarded(prefixed) is prefixed
    anchored = re.compile(r"^\s*to\b", re.I)
    assert guarded(anchored) is anchored
    busy = re.compile(r"(?<!\w)(?:alpha|beta|gamma)\b", re.I)
    assert guarded(busy).pattern.startswith("(?=[")


def test_forget_drops_the_folded_text() -> None:
    text = "The INDEX rose"
    assert fold(text) == "the index rose"
    gates.forget()
    assert gates._last == ("", "")
