"""`Figure`: one computed number with its receipt."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator

Unit = Literal["%", "pp", "points", "ratio"]

Metric = Literal[
    "return",
    "change_points",
    "volatility_daily",
    "volatility_annual",
    "sma",
    "sma_distance",
    "high_52w",
    "low_52w",
    "max_drawdown",
    "beta",
    "correlation",
    "last_close",
    "day_change",
    "sector_change",
    "spread",
    "compound_growth",
    "simple_growth",
]
METRICS: frozenset[str] = frozenset(get_args(Metric))

# Changes carry an explicit sign ("+7.53%"); levels and dispersions do not ("2,601.58").
_SIGNED = frozenset(
    {
        "return",
        "change_points",
        "day_change",
        "sector_change",
        "sma_distance",
        "spread",
        "compound_growth",
        "simple_growth",
    }
)

DECIMALS = 2  # every display shows two decimals; `to_json` keeps six
JSON_DECIMALS = 6

_UNIT_WORDS = {
    "en": {"%": "%", "pp": " pp", "points": " points", "ratio": ""},
    "zh": {"%": "%", "pp": " 个百分点", "points": " 点", "ratio": ""},
}
# Levels are prices or index values: the number alone reads right in both languages.
_LEVELS = frozenset({"last_close", "sma", "high_52w", "low_52w"})


class Figure(BaseModel):
    """One number computed from market data, with everything needed to check it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: Metric = Field(description="What was computed.")
    symbol: str = Field(description="The symbol (or `A - B` for a spread).")
    value: float = Field(description="The number, in `unit` (percent values: 7.53 means 7.53%).")
    unit: Unit
    start: dt.date | None = Field(default=None, description="First session of the window.")
    end: dt.date | None = Field(default=None, description="Last session of the window.")
    convention: str | None = Field(default=None, description="e.g. prev_close, open, ddof=1.")
    params: dict[str, Any] = Field(default_factory=dict, description="Inputs and notes.")
    as_of: dt.date | None = Field(default=None, description="Last session in the data used.")
    provider: str | None = None
    fetched_at: dt.datetime | None = None
    stale: bool = Field(default=False, description="True when newer data could not be had.")
    formula: str = Field(default="", description="How the value was computed, readably.")

    @field_validator("metric", mode="before")
    @classmethod
    def _known_metric(cls, value: object) -> object:
        if value not in METRICS:
            raise ValueError(f"unknown metric {value!r}; known: {', '.join(sorted(METRICS))}")
        return value

    @field_validator("value")
    @classmethod
    def _finite(cls, value: float) -> float:
        if not math.isfinite(value):
            raise ValueError(f"a figure must be a finite number, not {value!r}")
        return value

    def display(self, lang: str = "en") -> str:
        """Render the value for people: two decimals, thousands separators, sign on changes."""
        words = _UNIT_WORDS["zh" if lang.startswith("zh") else "en"]
        sign = "+" if self.metric in _SIGNED else ""
        number = f"{self.value:{sign},.{DECIMALS}f}"
        if self.metric in _LEVELS:
            return number
        return number + words[self.unit]

    def to_json(self) -> dict[str, Any]:
        """Return the figure as plain JSON values: ISO dates, numbers rounded to six decimals."""
        data = self.model_dump(mode="json")
        data["value"] = round(self.value, JSON_DECIMALS)
        return data
