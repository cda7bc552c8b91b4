"""Tell whether a question is Chinese or English, so the answer can follow it."""

from __future__ import annotations

import re
from typing import Literal

Lang = Literal["zh", "en"]

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Names that appear in Chinese questions too and say nothing about the language.
_NEUTRAL = {"rut", "spx", "gspc", "ixic", "dji", "djia", "vix", "iwm", "spy", "qqq", "dia", "russell",
            "nasdaq", "dow", "etf", "ai", "fed", "sma", "ytd", "pe", "eps", "gdp", "cpi", "usd"}


def detect_language(text: str, default: Lang = "en") -> Lang:
    """`zh` when Chinese characters carry the question, `en` when English words do."""
    cjk = len(_CJK.findall(text))
    words = [w for w in _WORD.findall(text) if w.lower() not in _NEUTRAL and not w.isupper()]
    if cjk == 0 and not words:
        return default
    # One Chinese character weighs about half an English word.
    return "zh" if cjk >= 2 * len(words) and cjk > 0 else "en"
