"""Fact-check: find the market-data claims of a text and check each one against the data."""

from assistant.factcheck.claims import VERDICTS, CheckedClaim, Claim, Verdict
from assistant.factcheck.extract import extract_claims
from assistant.factcheck.service import (
    UnreadableFile,
    check_document,
    check_file,
    check_text,
    find_claims,
    load_documents,
)
from assistant.factcheck.stored import (
    check_and_store,
    check_ingested,
    check_unchecked,
    results_for,
    stored_results,
)
from assistant.factcheck.verify import check_claim

__all__ = [
    "VERDICTS",
    "CheckedClaim",
    "Claim",
    "UnreadableFile",
    "Verdict",
    "check_and_store",
    "check_claim",
    "check_document",
    "check_file",
    "check_ingested",
    "check_text",
    "check_unchecked",
    "extract_claims",
    "find_claims",
    "load_documents",
    "results_for",
    "stored_results",
]
