"""The typed schema a chat model fills when it proposes claims (it never judges them)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from assistant.factcheck.claims import ClaimMetric


class ProposedClaim(BaseModel):
    """One number of the text, read as a market-data claim."""

    sentence: str = Field(description="The sentence, copied exactly from the text.")
    number: str = Field(description="The number exactly as written, e.g. '7.53%' or '2,669.16'.")
    symbol: str | None = Field(
        default=None, description="Yahoo symbol the number is about (^RUT, ^GSPC, XLF ...)."
    )
    metric: ClaimMetric = Field(
        description="What the number measures; 'other' for forecasts, valuations, rates, macro."
    )
    direction: Literal["up", "down"] | None = Field(
        default=None, description="For changes and distances: up/above or down/below."
    )
    start: dt.date | None = Field(default=None, description="First day of the window.")
    end: dt.date | None = Field(default=None, description="Last day of the window.")
    date: dt.date | None = Field(default=None, description="The day a level or day change is on.")
    convention: str | None = Field(
        default=None,
        description="Only if the text states it: prev_close, open, start_close, ddof=0, ddof=1.",
    )
    sessions: int | None = Field(default=None, description="A window length the text states.")


class ClaimProposals(BaseModel):
    """Every number of the text, each read as a claim."""

    claims: list[ProposedClaim] = Field(default_factory=list)
