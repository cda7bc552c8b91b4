"""Reading: bilingual text into typed requests and claims (symbols, metric and parameters, period).

Pure: no I/O library is imported here (an import-linter contract says so). Names load on first
use, so a caller of one module (`reading.people`) does not pay for the period grammar.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.reading.claims import read_claims
    from assistant.reading.periods import find_period
    from assistant.reading.request import read_request
    from assistant.reading.shapes import (
        Claim,
        MetricAsk,
        Period,
        PeriodKind,
        Request,
        RequestKind,
    )

_WHERE = {
    "Claim": "assistant.reading.shapes",
    "MetricAsk": "assistant.reading.shapes",
    "Period": "assistant.reading.shapes",
    "PeriodKind": "assistant.reading.shapes",
    "Request": "assistant.reading.shapes",
    "RequestKind": "assistant.reading.shapes",
    "find_period": "assistant.reading.periods",
    "read_claims": "assistant.reading.claims",
    "read_request": "assistant.reading.request",
}

__all__ = [
    "Claim",
    "MetricAsk",
    "Period",
    "PeriodKind",
    "Request",
    "RequestKind",
    "find_period",
    "read_claims",
    "read_request",
]


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'assistant.reading' has no attribute {name!r}")
