"""Check news items when they are ingested, and read the stored results back for the app."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.factcheck.claims import CheckedClaim
from assistant.factcheck.service import check_document

if TYPE_CHECKING:
    from assistant.ports import Library, Market
    from assistant.store import FactcheckStore
    from knowledge.documents import Document

log = logging.getLogger(__name__)

PriceFiles = Callable[[], list[Path]]

# Bumped when the notes change shape (2: written in the document's language): results stored
# under another stamp are checked again when their document is opened.
NOTES_VERSION = 2


def _stamp(doc: Document) -> str:
    return f"{doc.content_hash()}|notes-{NOTES_VERSION}"


def check_and_store(doc: Document, market: Market, checks: FactcheckStore) -> list[CheckedClaim]:
    """Check a document's claims against the market data and store the results."""
    results = check_document(doc, market)
    checks.save(doc.id, _stamp(doc), [r.model_dump(mode="json") for r in results])
    return results


def stored_results(checks: FactcheckStore, doc_id: str) -> tuple[str, list[CheckedClaim]] | None:
    """The (content hash, checked claims) stored for a document, or None."""
    stored = checks.load(doc_id)
    if stored is None:
        return None
    return stored[0], [CheckedClaim.model_validate(r) for r in stored[1]]


def check_ingested(
    doc_ids: Iterable[str], library: Library, market: Market, checks: FactcheckStore
) -> int:
    """Check and store the news items among freshly ingested documents; return how many."""
    checked = 0
    for doc_id in doc_ids:
        doc = library.get(doc_id)
        if doc is None or doc.kind != "news":
            continue
        try:
            check_and_store(doc, market, checks)
            checked += 1
        except Exception:  # a failed check must never fail the ingest that triggered it
            log.exception("fact-check of %s failed", doc_id)
    return checked


def check_unchecked(
    doc_ids: Iterable[str], library: Library, market: Market, checks: FactcheckStore
) -> int:
    """Check and store the news items among `doc_ids` that have no stored check yet."""
    unchecked = [doc_id for doc_id in doc_ids if checks.load(doc_id) is None]
    return check_ingested(unchecked, library, market, checks) if unchecked else 0


def results_for(
    doc_id: str,
    library: Library,
    market: Market,
    checks: FactcheckStore,
    price_files: PriceFiles,
    *,
    check_missing: bool = True,
) -> list[CheckedClaim]:
    """Return the checked claims of a document, spans indexing `doc.text()`.

    Results are read from the store; when none are stored (or the document changed since, or
    some claims lacked data and prices were stored after the check), the document is checked now
    and stored, unless `check_missing` is False.
    """
    stored = stored_results(checks, doc_id)
    if not check_missing:
        return stored[1] if stored else []
    doc = library.get(doc_id)
    if doc is None:
        return stored[1] if stored else []
    if (
        stored
        and stored[0] == _stamp(doc)
        and not _data_arrived(doc_id, stored[1], checks, price_files)
    ):
        return stored[1]
    return check_and_store(doc, market, checks)


def _data_arrived(
    doc_id: str, results: list[CheckedClaim], checks: FactcheckStore, price_files: PriceFiles
) -> bool:
    """True when some claims had no data and the price store changed after they were checked."""
    from assistant.factcheck.verify import NO_DATA

    if not any(r.no_data or r.note.startswith(NO_DATA) for r in results):
        return False
    checked_at = checks.checked_at(doc_id)
    files = price_files()
    if checked_at is None or not files:
        return False
    return max(f.stat().st_mtime for f in files) > checked_at.timestamp()
