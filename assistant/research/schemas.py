"""The shapes of deep research: the plan a user approves and the report it produces."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from assistant.budget import Usage
from assistant.grounding.ledger import Ledger

Template = Literal["market_move", "sector_rotation", "single_stock", "macro"]


class PlanSection(BaseModel):
    """One section of the report: what it asks and which tools answer it."""

    heading: str = Field(min_length=1, max_length=200, description="Section heading")
    questions: list[str] = Field(
        min_length=1,
        max_length=6,
        description="Questions the section answers, in the report's language",
    )
    tools: list[str] = Field(
        default_factory=list,
        description="Tools or data the section uses, e.g. period_return, search_knowledge",
    )


class Estimate(BaseModel):
    """What a run is expected to cost before it starts."""

    model_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    seconds: float = 0.0


class Plan(BaseModel):
    """What a report will cover; the user accepts, edits or rejects it."""

    title: str = Field(min_length=1, max_length=200)
    topic: str = Field(min_length=1, max_length=1000)
    language: Literal["zh", "en"]
    template: Template = "market_move"
    news_id: str | None = None
    symbols: list[str] = Field(default_factory=list, description="Symbols the report measures")
    start: date | None = Field(default=None, description="Start of the analysis window")
    end: date | None = Field(
        default=None, description="End of the analysis window (the as-of session)"
    )
    window_label: str = Field(default="", description="The period the topic named: Q4 2025 ...")
    notes: list[str] = Field(
        default_factory=list, description="What the reader should know first (a forecast asked)"
    )
    sections: list[PlanSection] = Field(min_length=1, max_length=8)
    estimate: Estimate = Field(default_factory=Estimate)
    usage: Usage = Field(default_factory=Usage, description="What making the plan cost")


class PlanDraft(BaseModel):
    """What the chat model proposes: sections and their questions (code fills the rest)."""

    title: str = Field(description="Report title in the user's language")
    sections: list[PlanSection] = Field(min_length=4, max_length=8)


class ReportSection(BaseModel):
    heading: str
    text: str
    verified: int = 0
    numbers: int = 0
    complete: bool = True


class SignalStatus(BaseModel):
    label: str
    status: str  # e.g. "above by +2.60% [12]"
    citation: int | None = None


class ViewRow(BaseModel):
    person: str
    organisation: str | None = None
    stance: str
    claim: str
    figure: str | None = None
    citation: int | None = None
    horizon: date | None = Field(default=None, description="A forecast's horizon, if any")
    distance: str | None = Field(
        default=None, description="The forecast level vs the close, cited: '+5.84% [9] vs …'"
    )
    at_horizon: bool = Field(
        default=False, description="The horizon has passed: the distance is at its close"
    )


class ReportSummary(BaseModel):
    id: str
    title: str
    language: str
    created_at: datetime
    topic: str
    news_id: str | None = None


class ReportVerification(BaseModel):
    """What the verifier found in the whole report."""

    numbers_total: int = 0
    numbers_verified: int = 0
    unsupported: list[str] = Field(default_factory=list)
    findings: list[str] = Field(default_factory=list, description="kind: text (detail)")

    @property
    def ok(self) -> bool:
        return self.numbers_verified == self.numbers_total and not self.findings


class Report(BaseModel):
    """A finished (or budget-stopped) report with its evidence."""

    id: str
    title: str
    topic: str
    language: Literal["zh", "en"]
    created_at: datetime
    as_of: date | None = None
    news_id: str | None = None
    summary: str = ""
    sections: list[ReportSection] = Field(default_factory=list)
    views: list[ViewRow] = Field(default_factory=list)
    signals: list[SignalStatus] = Field(default_factory=list)
    ledger: Ledger = Field(default_factory=Ledger, description="The report's numbered evidence")
    verification: ReportVerification = Field(default_factory=ReportVerification)
    usage: Usage = Field(default_factory=Usage)
    stopped: str | None = Field(default=None, description="Why the run stopped early, if it did")
    symbols: list[str] = Field(default_factory=list)
    start: date | None = None
    end: date | None = None
    disclaimer: str = ""
    plan: Plan | None = Field(default=None, description="The plan the report ran, as approved")
    approval: str = Field(default="", description="auto, accepted or edited")
    files: dict[str, str] = Field(default_factory=dict)
    markdown: str = ""

    @model_validator(mode="before")
    @classmethod
    def _older_form(cls, data: object) -> object:
        """Read reports stored before the ledger was kept whole (flat citations with `raw`)."""
        if isinstance(data, dict) and "ledger" not in data and "citations" in data:
            entries = [c["raw"] for c in data["citations"] if isinstance(c, dict) and "raw" in c]
            data = {**data, "ledger": {"entries": entries}}
            data.pop("citations")
        return data

    @property
    def citations(self) -> list[dict[str, Any]]:
        """The flat view of every citation, numbered as in the report."""
        return self.ledger.to_json()

    def to_json(self) -> dict[str, Any]:
        """The shape of `footnote research --json`."""
        citations = self.citations
        figures = [c for c in citations if c.get("kind") == "figure"]
        return {
            "id": self.id,
            "title": self.title,
            "language": self.language,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "plan": self.plan.model_dump(mode="json") if self.plan is not None else None,
            "approval": self.approval,
            "sections": [{"heading": s.heading, "text": s.text} for s in self.sections],
            "citations": citations,
            "figures": figures,
            "verification": self.verification.model_dump(),
            "usage": self.usage.to_json(),
            "files": self.files,
            "stopped": self.stopped,
        }
