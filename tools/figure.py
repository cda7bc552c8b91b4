"""`Figure`: one computed number with its receipt."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable
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
    "period_high",
    "period_low",
    "max_drawdown",
    "beta",
    "correlation",
    "last_close",
    "day_change",
    "sector_change",
    "spread",
    "compound_growth",
    "simple_growth",
    "target_distance",
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
        "target_distance",
    }
)

DECIMALS = 2  # every display shows two decimals; `to_json` keeps six
JSON_DECIMALS = 6

_UNIT_WORDS = {
    "en": {"%": "%", "pp": " pp", "points": " points", "ratio": ""},
    "zh": {"%": "%", "pp": " 个百分点", "points": " 点", "ratio": ""},
}
# Levels are prices or index values: the number alone reads right in both languages.
_LEVELS = frozenset({"last_close", "sma", "high_52w", "low_52w", "period_high", "period_low"})


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
    # Added after golden answers were recorded: new fields only, with empty defaults.
    label: str | None = Field(default=None, description="What the number is, e.g. its basis.")
    inputs: dict[str, float] = Field(
        default_factory=dict, description="Prices that entered the formula: {'Close[d]': x}."
    )
    adjustments: list[str] = Field(
        default_factory=list, description="Adjustments inside the window, e.g. a split."
    )
    caveats: list[str] = Field(
        default_factory=list, description="Why the number may be wrong; shown beside it."
    )

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
        data["inputs"] = {k: round(v, JSON_DECIMALS) for k, v in self.inputs.items()}
        return data

    def csv_row(self) -> dict[str, str]:
        """Return the figure as one CSV row (see CSV_COLUMNS); lists are joined with '; '."""
        data = self.to_json()
        row = {c: "" if data.get(c) is None else str(data[c]) for c in CSV_COLUMNS}
        row["inputs"] = "; ".join(f"{k} = {v:,.{DECIMALS}f}" for k, v in self.inputs.items())
        row["adjustments"] = "; ".join(self.adjustments)
        row["caveats"] = "; ".join(self.caveats)
        row["stale"] = "true" if self.stale else "false"
        return row


CSV_COLUMNS = (
    "metric",
    "symbol",
    "label",
    "value",
    "unit",
    "start",
    "end",
    "convention",
    "formula",
    "inputs",
    "adjustments",
    "caveats",
    "as_of",
    "provider",
    "stale",
)


def figures_to_csv(figures: Iterable[Figure]) -> str:
    """Write figures as CSV text: a header, then one row per figure."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(CSV_COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(f.csv_row() for f in figures)
    return out.getvalue()
