"""What model work may cost (`Budget`) and what it did cost (`Usage`): one turn or one research run."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Budget(BaseModel):
    """Bounds on model calls, tokens and wall-clock seconds; reaching one stops cleanly and keeps
    what is done. The defaults bound one chat turn; `for_research` bounds a report."""

    max_model_calls: int = 6
    max_tokens: int = 40_000
    max_seconds: float = 90.0

    @classmethod
    def for_research(cls, **limits: Any) -> Budget:
        """The bounds of one research run (more sections, more calls)."""
        return cls(**{"max_model_calls": 20, "max_tokens": 60_000, "max_seconds": 600.0, **limits})


class Usage(BaseModel):
    """What a turn or a run cost in model calls and tokens (zero in offline mode)."""

    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0

    def add(self, other: Usage) -> None:
        self.llm_calls += other.llm_calls
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cost_usd += other.cost_usd

    def to_json(self) -> dict[str, Any]:
        return {
            "llm_calls": self.llm_calls,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "cost_usd": round(self.cost_usd, 6),
        }
