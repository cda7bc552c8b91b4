"""Deep research: a plan the user approves (or auto-accepts), sections run concurrently,
a verified report with sources, exported as Markdown, HTML or PDF."""

from __future__ import annotations

from assistant.budget import Budget
from assistant.research.schemas import (
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
]
