"""The bilingual words every reader of market text shares: moves up, moves down, closes.

Each is an alternation without anchors, so a caller builds the pattern it needs (a whole word
before a number, a cue anywhere in a sentence) from the same vocabulary.
"""

from __future__ import annotations

DOWN_EN = (
    r"fell|fall|falls|falling|down|dropp?ed|drops?|declin\w*|lost|loses|losses|slid|slipped"
    r"|lower|decreas\w*|shed|sank|tumbl\w*|plung\w*|retreat\w*"
)
DOWN_ZH = r"下跌|跌幅|跌|下降|回落|下滑|减少|走低|收跌"
UP_EN = (
    r"rose|rise|rises|rising|up|gain\w*|climb\w*|advanc\w*|increas\w*|higher|jump\w*|rall\w*"
    r"|added|surg\w*"
)
UP_ZH = r"上涨|涨幅|涨|上升|增长|攀升|走高|收涨"
CLOSE_EN = r"clos(?:e|ed|es|ing)"
CLOSE_ZH = r"收于|收盘|收报|收在"


def words(english: str, chinese: str) -> str:
    """One alternation: English as whole words, Chinese as they stand."""
    return rf"\b(?:{english})\b|{chinese}"
