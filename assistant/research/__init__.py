"""Deep research: a plan the user approves (or auto-accepts), sections run concurrently,
a verified report with sources, exported as Markdown, HTML or PDF."""

from __future__ import annotations

from typing import Any

from assistant.research.schemas import (
    Budget,
    Estimate,
    Plan,
    PlanSection,
    Report,
    ReportSection,
    ReportSummary,
)
from assistant.research.service import ResearchService

__all__ = [
    "Budget",
    "Estimate",
    "Plan",
    "PlanSection",
    "Report",
    "ReportSection",
    "ReportSummary",
    "ResearchService",
    "open_research",
]


def open_research(settings: Any | None = None, **overrides: Any) -> ResearchService:
    """The configured research service (LLM mode when a chat model is set up, else offline)."""
    if "market" not in overrides:
        from assistant import ensure_demo_prices

        ensure_demo_prices(settings)
    return ResearchService(settings, **overrides)
