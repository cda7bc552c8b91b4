"""assistant: grounded, cited answers over the market tools and the knowledge store.

`Footnote` is the one object the app and the CLI hold; the other names are the shapes its methods
return. Names load on first use, so importing the package costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.app import Footnote
    from assistant.chat.events import Event, ResearchEvent
    from assistant.errors import (
        FootnoteError,
        KnowledgeError,
        MarketError,
        ModelError,
        explain_error,
        no_prices_text,
    )
    from assistant.factcheck.claims import CheckedClaim
    from assistant.grounding.answer import Answer
    from assistant.grounding.coverage import Coverage
    from assistant.grounding.guard import MAX_QUESTION_CHARS, redact_secrets, sanitize_output
    from assistant.grounding.labels import (
        VERDICTS,
        WORDS,
        convention_label,
        formula_label,
        market_label,
        metric_label,
        provider_label,
        tool_label,
        verdict_label,
        word,
    )
    from assistant.grounding.ledger import Ledger
    from assistant.grounding.verifier import Verification
    from assistant.research.schemas import Plan, PlanSection, Report
    from assistant.research.service import Format, ResearchService
    from assistant.settings import Settings, get_settings
    from assistant.store import Thread
    from assistant.views.diagnostics import PriceHealth
    from assistant.views.failure import Failure, explain_failure, redacted_traceback
    from assistant.views.feed import (
        ExpertRow,
        FactMark,
        FactSummary,
        Move,
        Quote,
        Related,
        Signal,
        analysis_window,
        attribution_marks,
        disclaimer,
        link_host,
        markers,
        safe_link,
        section_marks,
        written_by_footnote,
    )
    from assistant.views.receipts import Receipt, caveats, figures_csv, input_prices, receipts
    from knowledge.documents import Document, SourceEntry
    from tools.figure import Figure, figures_to_csv

_WHERE = {
    "Answer": "assistant.grounding.answer",
    "CheckedClaim": "assistant.factcheck.claims",
    "Document": "knowledge.documents",
    "Event": "assistant.chat.events",
    "ExpertRow": "assistant.views.feed",
    "FactMark": "assistant.views.feed",
    "attribution_marks": "assistant.views.feed",
    "FactSummary": "assistant.views.feed",
    "Failure": "assistant.views.failure",
    "Figure": "tools.figure",
    "Footnote": "assistant.app",
    "FootnoteError": "assistant.errors",
    "Format": "assistant.research.service",
    "KnowledgeError": "assistant.errors",
    "Ledger": "assistant.grounding.ledger",
    "MAX_QUESTION_CHARS": "assistant.grounding.guard",
    "MarketError": "assistant.errors",
    "ModelError": "assistant.errors",
    "Plan": "assistant.research.schemas",
    "PlanSection": "assistant.research.schemas",
    "Move": "assistant.views.feed",
    "PriceHealth": "assistant.views.diagnostics",
    "Quote": "assistant.views.feed",
    "Receipt": "assistant.views.receipts",
    "Related": "assistant.views.feed",
    "Report": "assistant.research.schemas",
    "ResearchEvent": "assistant.chat.events",
    "ResearchService": "assistant.research.service",
    "Settings": "assistant.settings",
    "Signal": "assistant.views.feed",
    "SourceEntry": "knowledge.documents",
    "Thread": "assistant.store",
    "Verification": "assistant.grounding.verifier",
    "Coverage": "assistant.grounding.coverage",
    "analysis_window": "assistant.views.feed",
    "caveats": "assistant.views.receipts",
    "convention_label": "assistant.grounding.labels",
    "formula_label": "assistant.grounding.labels",
    "provider_label": "assistant.grounding.labels",
    "verdict_label": "assistant.grounding.labels",
    "tool_label": "assistant.grounding.labels",
    "word": "assistant.grounding.labels",
    "VERDICTS": "assistant.grounding.labels",
    "WORDS": "assistant.grounding.labels",
    "disclaimer": "assistant.views.feed",
    "explain_failure": "assistant.views.failure",
    "explain_error": "assistant.errors",
    "figures_csv": "assistant.views.receipts",
    "figures_to_csv": "tools.figure",
    "get_settings": "assistant.settings",
    "input_prices": "assistant.views.receipts",
    "link_host": "assistant.views.feed",
    "redact_secrets": "assistant.grounding.guard",
    "redacted_traceback": "assistant.views.failure",
    "market_label": "assistant.grounding.labels",
    "markers": "assistant.views.feed",
    "metric_label": "assistant.grounding.labels",
    "no_prices_text": "assistant.errors",
    "receipts": "assistant.views.receipts",
    "safe_link": "assistant.views.feed",
    "sanitize_output": "assistant.grounding.guard",
    "section_marks": "assistant.views.feed",
    "written_by_footnote": "assistant.views.feed",
}

__all__ = [
    "MAX_QUESTION_CHARS",
    "VERDICTS",
    "WORDS",
    "Answer",
    "CheckedClaim",
    "Coverage",
    "Document",
    "Event",
    "ExpertRow",
    "FactMark",
    "FactSummary",
    "Failure",
    "Figure",
    "Footnote",
    "FootnoteError",
    "Format",
    "KnowledgeError",
    "Ledger",
    "MarketError",
    "ModelError",
    "Move",
    "Plan",
    "PlanSection",
    "PriceHealth",
    "Quote",
    "Receipt",
    "Related",
    "Report",
    "ResearchEvent",
    "ResearchService",
    "Settings",
    "Signal",
    "SourceEntry",
    "Thread",
    "Verification",
    "analysis_window",
    "attribution_marks",
    "caveats",
    "convention_label",
    "disclaimer",
    "explain_error",
    "explain_failure",
    "figures_csv",
    "figures_to_csv",
    "formula_label",
    "get_settings",
    "input_prices",
    "link_host",
    "markers",
    "market_label",
    "metric_label",
    "no_prices_text",
    "provider_label",
    "receipts",
    "redact_secrets",
    "redacted_traceback",
    "safe_link",
    "sanitize_output",
    "section_marks",
    "tool_label",
    "verdict_label",
    "word",
    "written_by_footnote",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'assistant' has no attribute {name!r}")
