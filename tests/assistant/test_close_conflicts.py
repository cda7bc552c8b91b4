"""A stored document's close is a conflict only when it is a close of that very day."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assistant.chat.offline.composer import OfflineComposer
from assistant.grounding.ledger import Ledger
from assistant.toolbox import Toolbox
from knowledge.library import Library
from knowledge.passage import Passage
from tools.market import Market

DAY = dt.date(2026, 1, 23)


class _Box(Toolbox):
    def __init__(self, market: Market, library: Library, texts: list[str]) -> None:
        super().__init__(market, library)
        self.texts = texts

    def search_knowledge(self, query: str, k: int = 4, **_: Any) -> list[Passage]:
        return [
            Passage(chunk_id=f"d{i}#0", doc_id=f"d{i}", title=f"note {i}", text=t)
            for i, t in enumerate(self.texts)
        ]


@pytest.mark.parametrize(
    ("text", "conflicts"),
    [
        # the opening level at a window's start is not a close of the 23rd
        (
            "From the opening level on December 1, 2025 (2,482.23) to the close on "
            "January 23, 2026 (2,669.16), the Russell 2000 rose 186.93 points.",
            [],
        ),
        ("The Russell 2000 closed at 2,601.58 on January 23, 2026.", ["2,601.58"]),
        ("2026年1月23日，罗素2000指数收于2,601.58点。", ["2,601.58"]),
        ("The Russell 2000 closed at 2,669.16 on January 23, 2026.", []),
    ],
)
def test_only_a_different_close_of_that_day_is_a_conflict(
    market: Market, library: Library, text: str, conflicts: list[str]
) -> None:
    composer = OfflineComposer(_Box(market, library, [text]))
    close = market.close_on("^RUT", DAY)
    lines = composer._close_conflicts("^RUT", close, "en", Ledger())
    assert [c for c in conflicts if any(c in line for line in lines)] == conflicts
    assert len(lines) == len(conflicts)
