"""The shapes the reader returns: `Period`, `MetricAsk`, `Request` and `Claim`."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.grounding.language import Lang

PeriodKind = Literal[
    "day",
    "week",
    "month",
    "quarter",
    "half",
    "year",
    "mtd",
    "qtd",
    "ytd",
    "since",
    "between",
    "trailing",
    "since_publication",
    "before_publication",
    "same_as_context",
]
Unit = Literal["session", "day", "week", "month", "year"]
MetricName = Literal[
    "return",
    "change_points",
    "last_close",
    "day_change",
    "volatility",
    "sma",
    "sma_distance",
    "high_52w",
    "low_52w",
    "period_high",
    "period_low",
    "max_drawdown",
    "beta",
    "correlation",
    "relative",
]
RequestKind = Literal["metric", "ranking", "knowledge", "forecast", "opinion", "other"]
Basis = Literal["close", "intraday"]


class Period(BaseModel):
    """A stretch of NYSE sessions a text names, resolved against a reference date.

    `start`/`end` are the first and last sessions inside the period, the end capped at the
    reference session; a period wholly after the reference (a forecast's) keeps its calendar
    bounds and says `future`. `requested_*` are the calendar bounds before snapping.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: PeriodKind
    start: dt.date | None = Field(default=None, description="First session of the period.")
    end: dt.date | None = Field(default=None, description="Last session (capped at the ref).")
    label: str = Field(default="", description="A short readable name: 2026-01, Q4 2025 ...")
    text: str = Field(default="", description="The words it was read from.")
    span: tuple[int, int] | None = Field(default=None, description="Where, in the read text.")
    count: int | None = Field(default=None, description="N of a trailing or relative period.")
    unit: Unit | None = Field(default=None, description="Unit of a trailing or relative period.")
    requested_start: dt.date | None = None
    requested_end: dt.date | None = None
    to_date: bool = Field(default=False, description="The period runs past the ref: cut there.")
    future: bool = Field(default=False, description="Starts after the reference date.")
    as_of_given: bool = Field(default=False, description="An 'as of <date>' end was written.")
    relative: bool = Field(
        default=False,
        description="Placed from the reference date: 'last week', 'past 5 days', YTD, a month "
        "without a year; False when the text fixes the dates ('January 2026', 'Q4 2025').",
    )


class MetricAsk(BaseModel):
    """One metric asked for, with its parameters (None: not stated, the toolbox's default)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: MetricName
    window: int | None = Field(default=None, description="SMA length in sessions.")
    basis: Basis | None = Field(default=None, description="close or intraday extremes.")
    benchmark: str | None = Field(default=None, description="For beta/correlation/relative.")
    annualised: bool | None = Field(default=None, description="Volatility: annual or daily.")

    def key(self) -> str:
        """Return a canonical one-line form: `sma window=50`, `beta benchmark=^GSPC`."""
        parts: list[str] = [self.name]
        for field in ("window", "basis", "benchmark", "annualised"):
            value = getattr(self, field)
            if value is not None:
                shown = str(value).lower() if isinstance(value, bool) else str(value)
                parts.append(f"{field}={shown}")
        return " ".join(parts)


class Request(BaseModel):
    """What a question asks, typed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    text: str
    kind: RequestKind
    language: Lang
    symbols: list[str] = Field(default_factory=list)
    metrics: list[MetricAsk] = Field(default_factory=list)
    period: Period | None = None
    convention: str | None = Field(
        default=None, description="A stated convention: prev_close, open, ddof=0, ddof=1."
    )
    ranking: Literal["top", "bottom"] | None = Field(
        default=None, description="For a sector ranking: best first or worst first."
    )
    topic: str | None = Field(
        default=None, description="For knowledge: drivers, views, risks, summary ..."
    )
    followup: bool = Field(default=False, description="Something was carried from `context`.")
    inherited: list[str] = Field(
        default_factory=list, description="Which fields came from the context."
    )

    def keys(self) -> list[str]:
        """Return the metric keys, in order."""
        return [m.key() for m in self.metrics]


class Claim(BaseModel):
    """One number a sentence asserts, read as: which metric, of which symbol, over which period."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    sentence: str
    index: int = Field(description="Which sentence of those read (0-based).")
    span: tuple[int, int] = Field(description="Where the number stands in its sentence.")
    raw: str
    value: float = Field(description="Signed when the text gives a direction.")
    unit: str = Field(description="%, pp, points, usd, cny, x or plain.")
    sign: int | None = Field(default=None, description="+1 / -1 when the text says; else None.")
    metric: MetricAsk | None = Field(default=None, description="None: not market data.")
    symbol: str | None = None
    period: Period | None = None
    convention: str | None = None
    from_context: list[str] = Field(
        default_factory=list, description="Fields carried from earlier sentences."
    )
