"""The chat's wiring of request coverage (`assistant.grounding.coverage`): the reader tells
where the question names each metric, and the chat's answer carries the badge and the banner."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.chat.freshness import Stale
from assistant.grounding import coverage as pure
from assistant.grounding.answer import Answer
from assistant.grounding.coverage import Coverage
from assistant.grounding.ledger import Ledger
from assistant.grounding.verifier import Verification
from assistant.reading.metrics import named_at
from assistant.reading.shapes import Request


def read_coverage(
    request: Request | None, ledger: Ledger, verification: Verification
) -> Coverage | None:
    """`grounding.coverage.read_coverage`, with the main item the one the question asks first."""
    return pure.read_coverage(request, ledger, verification, named_at=named_at)


@dataclass
class ChatAnswer(Answer):
    """An Answer with how it stands against the question: the coverage badge and the banner."""

    coverage: Coverage | None = None
    banner: str = ""
    # stored data stood in for live data: the session they end on, why, and the notice
    stale: Stale | None = None

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data["coverage"] = self.coverage.to_json(self.language) if self.coverage else None
        data["banner"] = self.banner or None
        data["stale"] = self.stale.to_json() if self.stale else None
        return data
