"""What the price checks leave behind: adjustments applied to a series, and data-health findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Literal

AdjustmentSource = Literal["provider", "inferred"]
AdjustmentKind = Literal["split", "dividend", "basis", "unexplained"]


@dataclass(frozen=True)
class Adjustment:
    """A factor applied to every row before `date` so they meet the rows from `date` on.

    `ratio` multiplies the earlier prices (0.5 for a 2-for-1 split) and divides their volume;
    `split` names the split it matches ("2:1") or is empty. `resolved` is False when a step was
    seen but could not be measured: nothing was applied and figures across it need a caveat.
    """

    date: dt.date
    ratio: float
    kind: AdjustmentKind
    source: AdjustmentSource
    file: str
    split: str = ""
    detail: str = ""
    resolved: bool = True
    superseded_by: str = ""

    @property
    def active(self) -> bool:
        """Tell whether the step still sits inside the stored series."""
        return not self.superseded_by

    def text(self) -> str:
        """Say what was done in a few words, for a receipt."""
        if not self.resolved:
            return f"unresolved {self.kind} step on {self.date}, not adjusted ({self.file})"
        if self.split:
            adjusted = "split-adjusted" if self.kind == "split" else f"{self.kind}-adjusted"
            return f"{adjusted}, {self.split} on {self.date}, {self.source}"
        return f"{self.kind}-adjusted, x{self.ratio:.4f} before {self.date}, {self.source}"

    def to_json(self) -> dict[str, object]:
        """Return plain JSON values (ISO date)."""
        data = asdict(self)
        data["date"] = self.date.isoformat()
        data["ratio"] = round(self.ratio, 6)
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Adjustment:
        """Rebuild an adjustment written by `to_json`."""
        values = dict(data)
        values["date"] = dt.date.fromisoformat(str(values["date"]))
        values["ratio"] = float(str(values["ratio"]))
        return cls(**values)  # type: ignore[arg-type]


FindingKind = Literal[
    "coverage",
    "gap",
    "split",
    "seam",
    "reconciliation",
    "spike",
    "stale_end",
    "intraday_row",
    "ohlc",
    "damaged",
]


@dataclass(frozen=True)
class Finding:
    """One thing a data-health check noticed about a symbol, and what was done about it."""

    symbol: str
    kind: FindingKind
    dates: tuple[str, ...]
    detail: str
    action: str
    ratio: float | None = None
    extra: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """Return plain JSON values."""
        data: dict[str, object] = {
            "symbol": self.symbol,
            "kind": self.kind,
            "dates": list(self.dates),
            "detail": self.detail,
            "action": self.action,
        }
        if self.ratio is not None:
            data["ratio"] = round(self.ratio, 6)
        data.update(self.extra)
        return data
