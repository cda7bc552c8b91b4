"""Reading: bilingual text into typed requests and claims (symbols, metric and parameters, period).

Pure: no I/O library is imported here (an import-linter contract says so)."""

from assistant.reading.claims import read_claims
from assistant.reading.periods import find_period
from assistant.reading.request import read_request
from assistant.reading.shapes import Claim, MetricAsk, Period, PeriodKind, Request, RequestKind

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
