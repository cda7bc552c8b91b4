"""Find English words left in Chinese output: what a Chinese reader should not meet."""

from __future__ import annotations

import re

# URLs, paths, commands and ids (a thread's hex id) are not words a reader reads
_SKIP = re.compile(r"https?://\S+|(?:[\w.-]*/)+[\w.^-]*|`[^`]*`|\b[0-9a-f]{8,}\b")
_WORD = re.compile(r"(?<![\w^])[A-Za-z][A-Za-z_']*(?:-[A-Za-z]+)*")
# notation and names that stay as they are in Chinese text: tickers are caught by shape
NOTATION = frozenset(
    {
        "mean", "max", "min", "stdev", "sqrt", "cov", "var", "corr", "ddof", "t",
        "AI", "CSV", "Yahoo", "Finance", "Footnote", "Markdown", "HTML", "PDF",
        "HTTP", "API", "URL", "ETF", "SMA",
    }
)  # fmt: skip


def english_words(text: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """The English words of `text`: not tickers (^RUT, SPY), notation or `allowed`."""
    text = _SKIP.sub(" ", text)
    found = []
    for word in (w.strip("'") for w in _WORD.findall(text)):
        if word in NOTATION or word in allowed:
            continue
        if word.isupper() and len(word) <= 5:  # a ticker or an abbreviation: SPY, XLU, QQQ
            continue
        found.append(word)
    return found
