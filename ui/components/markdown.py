"""Untrusted text made safe for `st.markdown`: no outside links or images, no LaTeX surprises."""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant import sanitize_output

_MARKER = re.compile(r"\[(\d+(?:\s*[,，、]\s*\d+)*)\]")
_DOLLAR = re.compile(r"(?<!\\)\$")
COLORS = {
    "holds": "green",
    "holds_with_caveat": "blue",
    "wrong_date": "orange",
    "differs": "red",
    "unverifiable": "gray",
    "attribution": "violet",
}


def safe(text: str) -> str:
    """Return `text` sanitised with `$` escaped, ready for `st.markdown` (raw HTML stays off)."""
    return _DOLLAR.sub(r"\\$", sanitize_output(text))


def with_markers(text: str) -> str:
    """Return safe Markdown with each citation marker `[n]` shown as a small badge."""
    return _MARKER.sub(lambda m: f":blue-badge[{m.group(1)}]", safe(text))


def with_marks(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    """Return safe Markdown with fact-checked spans coloured by verdict and markers as badges."""
    out: list[str] = []
    at = 0
    for start, end, verdict in sorted(spans):
        if start < at or end <= start or end > len(text):
            continue
        out.append(with_markers(text[at:start]))
        claim = safe(text[start:end]).replace("[", "(").replace("]", ")")
        out.append(f":{COLORS.get(verdict, 'gray')}-background[{claim}]")
        at = end
    out.append(with_markers(text[at:]))
    return "".join(out)
