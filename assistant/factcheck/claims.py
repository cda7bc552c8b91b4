"""The shapes of fact-checking: a claim found in a text, and the same claim with its verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Verdict = Literal["holds", "holds_with_caveat", "wrong_date", "differs", "unverifiable"]
VERDICTS: tuple[Verdict, ...] = (
    "holds",
    "holds_with_caveat",
    "wrong_date",
    "differs",
    "unverifiable",
)

# What a claim can say about a symbol; "other" is any number that is not market data.
ClaimMetric = Literal[
    "return",
    "change_points",
    "day_change",
    "last_close",
    "open",
    "volatility_daily",
    "volatility_annual",
    "sma",
    "sma_distance",
    "high_52w",
    "low_52w",
    "high_distance",
    "low_distance",
    "level_gap",
    "other",
]
MARKET_METRICS: frozenset[str] = frozenset(ClaimMetric.__args__) - {"other"}  # type: ignore[attr-defined]

JSON_KEYS = (
    "sentence",
    "symbol",
    "metric",
    "claimed",
    "unit",
    "start",
    "end",
    "date",
    "verdict",
    "computed",
    "convention",
    "note",
)


class Claim(BaseModel):
    """One number a text asserts, read as a claim about market data (or marked `other`)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sentence: str = Field(description="The sentence the number stands in.")
    span: tuple[int, int] = Field(description="Character span of the number in the checked text.")
    raw: str = Field(description="The number as written.")
    symbol: str | None = None
    metric: ClaimMetric
    claimed: float = Field(description="The value claimed, signed when the text gives a sign.")
    unit: str = Field(description="%, pp, points or ratio.")
    tolerance: float = Field(description="Half a unit of the last digit written.")
    decimals: int = 0
    sign_known: bool = Field(default=True, description="False when the text gives no direction.")
    start: dt.date | None = None
    end: dt.date | None = None
    date: dt.date | None = Field(default=None, description="The session a level or day refers to.")
    convention: str | None = Field(
        default=None, description="The convention the text states (open, ddof=0 ...), if any."
    )
    sessions: int | None = Field(default=None, description="A window length the text states.")
    session_of: dt.date | None = Field(
        default=None, description="The session a 52-week extreme is said to have occurred on."
    )
    level: float | None = Field(default=None, description="The level a `level_gap` compares.")
    basis: str | None = Field(default=None, description="intraday or close, for 52-week claims.")
    sources: list[int] = Field(default_factory=list, description="Citation numbers `[n]` nearby.")
    reason: str = Field(default="", description="Why a number is `other`, or how it was read.")
    proposed_by: Literal["rules", "model"] = "rules"
    from_context: list[str] = Field(
        default_factory=list,
        description="Fields read from earlier sentences (symbol, period), not this one.",
    )
    model_disagreed: dict[str, str] | None = Field(
        default=None,
        description="What a chat model proposed against the text (symbol, direction, metric); "
        "the text's reading was kept.",
    )


class CheckedClaim(BaseModel):
    """A claim with the verdict the data gives, the matching computation and its receipt."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    claim: Claim
    verdict: Verdict
    computed: float | None = None
    convention: str | None = Field(
        default=None, description="The convention under which the computation matched (or ran)."
    )
    note: str = ""
    receipt: str = Field(default="", description="The formula of the computation shown.")
    language: Literal["en", "zh"] = Field(
        default="en", description="The language of the note (the checked document's)."
    )
    no_data: bool = Field(
        default=False, description="True when the market data could not reach the claim."
    )

    @property
    def span(self) -> tuple[int, int]:
        """Return the character span of the number in the checked text."""
        return self.claim.span

    def to_json(self) -> dict[str, Any]:
        """Return the claim as the `footnote check --json` record.

        The keys are exactly `JSON_KEYS`, plus `model_disagreed` on a claim where a chat
        model's proposal contradicted the text and the text's reading was kept.
        """
        from assistant.grounding.labels import word

        c = self.claim
        note = self.note
        if self.receipt and self.receipt not in note:
            receipt = word("check.note_receipt", self.language, text=self.receipt)
            note = f"{note}{'' if self.language == 'zh' else ' '}{receipt}".strip()
        record: dict[str, Any] = {
            "sentence": c.sentence,
            "symbol": c.symbol,
            "metric": c.metric,
            "claimed": c.claimed,
            "unit": c.unit,
            "start": c.start.isoformat() if c.start else None,
            "end": c.end.isoformat() if c.end else None,
            "date": c.date.isoformat() if c.date else None,
            "verdict": self.verdict,
            "computed": None if self.computed is None else round(self.computed, 6),
            "convention": self.convention,
            "note": note,
        }
        if c.model_disagreed:
            record["model_disagreed"] = dict(c.model_disagreed)
        return record
