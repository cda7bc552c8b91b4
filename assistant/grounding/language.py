"""Tell whether a question is Chinese or English, so the answer can follow it."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["zh", "en"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Names that appear in Chinese questions too and say nothing about the language.
_NEUTRAL = {
    "rut",
    "spx",
    "gspc",
    "ixic",
    "dji",
    "djia",
    "vix",
    "iwm",
    "spy",
    "qqq",
    "dia",
    "russell",
    "nasdaq",
    "dow",
    "etf",
    "ai",
    "fed",
    "sma",
    "ytd",
    "pe",
    "eps",
    "gdp",
    "cpi",
    "usd",
}


_FIRST_SENTENCE = re.compile(r"^.*?(?:[?!。！？]|\.(?=\s)|$)", re.DOTALL)


def detect_language(text: str, default: Lang = "en") -> Lang:
    """The language of the question's first sentence, or of the whole text when that is too short.

    The first sentence decides so that a foreign-language passage pasted or smuggled after the
    question does not switch the answer's language.
    """
    first = _FIRST_SENTENCE.match(text.strip())
    head = first.group(0) if first else ""
    if len(_CJK.findall(head)) >= 3 or len(_words(head)) >= 3:
        return _detect(head, default)
    return _detect(text, default)


def text_language(text: str, default: Lang = "en") -> Lang:
    """The language most of a text is written in, judged over the whole of it: for an answer,
    where a title quoted in the other language may open the first sentence."""
    return _detect(text, default)


def _words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text) if w.lower() not in _NEUTRAL and not w.isupper()]


def _detect(text: str, default: Lang) -> Lang:
    cjk = len(_CJK.findall(text))
    words = _words(text)
    if cjk == 0 and not words:
        return default
    # One Chinese character weighs about half an English word.
    return "zh" if cjk >= 2 * len(words) and cjk > 0 else "en"
