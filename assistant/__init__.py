"""assistant: grounded, cited answers over the market tools and the knowledge store.

`Footnote` is the one object the app and the CLI hold; the other names are the shapes its methods
return. Names load on first use, so importing the package costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.app import Footnote
    from assistant.chat.service import Event
    from assistant.errors import FootnoteError, KnowledgeError, MarketError, ModelError
    from assistant.factcheck.claims import CheckedClaim
    from assistant.grounding.answer import Answer
    from assistant.grounding.ledger import Ledger
    from assistant.research.schemas import Plan, Report
    from assistant.settings import Settings, get_settings
    from knowledge.documents import Document

_WHERE = {
    "Footnote": "assistant.app",
    "Event": "assistant.chat.service",
    "FootnoteError": "assistant.errors",
    "KnowledgeError": "assistant.errors",
    "MarketError": "assistant.errors",
    "ModelError": "assistant.errors",
    "CheckedClaim": "assistant.factcheck.claims",
    "Answer": "assistant.grounding.answer",
    "Ledger": "assistant.grounding.ledger",
    "Plan": "assistant.research.schemas",
    "Report": "assistant.research.schemas",
    "Settings": "assistant.settings",
    "Document": "knowledge.documents",
    "get_settings": "assistant.settings",
}

__all__ = [
    "Answer",
    "CheckedClaim",
    "Document",
    "Event",
    "Footnote",
    "FootnoteError",
    "KnowledgeError",
    "Ledger",
    "MarketError",
    "ModelError",
    "Plan",
    "Report",
    "Settings",
    "get_settings",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
