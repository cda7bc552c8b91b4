"""Check news items when they are ingested, and read the stored results back for the app."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from assistant.factcheck.claims import CheckedClaim
from assistant.factcheck.service import check_document
from assistant.factcheck.store import FactcheckStore
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from knowledge.documents import Document
    from tools.market import Market

log = logging.getLogger(__name__)


def _store(settings: Settings) -> FactcheckStore:
    return FactcheckStore(settings.state_db)


def check_and_store(
    doc: Document, settings: Settings | None = None, market: Market | None = None
) -> list[CheckedClaim]:
    """Check a document's claims against the configured market data and store the results."""
    from assistant.data.market import open_market

    settings = settings or get_settings()
    results = check_document(doc, market or open_market(settings))
    _store(settings).save(doc.id, doc.content_hash(), results)
    return results


def check_ingested(
    doc_ids: Iterable[str], settings: Settings | None = None, market: Market | None = None
) -> int:
    """Check and store the news items among freshly ingested documents; return how many."""
    from assistant.data.library import open_library

    settings = settings or get_settings()
    library = open_library(settings, demo=False)
    checked = 0
    for doc_id in doc_ids:
        doc = library.get(doc_id)
        if doc is None or doc.kind != "news":
            continue
        try:
            check_and_store(doc, settings, market)
            checked += 1
        except Exception:  # a failed check must never fail the ingest that triggered it
            log.exception("fact-check of %s failed", doc_id)
    return checked


def check_unchecked(doc_ids: Iterable[str], settings: Settings | None = None) -> int:
    """Check and store the news items among `doc_ids` that have no stored check yet."""
    settings = settings or get_settings()
    store = _store(settings)
    unchecked = [doc_id for doc_id in doc_ids if store.load(doc_id) is None]
    return check_ingested(unchecked, settings) if unchecked else 0


def results_for(
    doc_id: str,
    settings: Settings | None = None,
    *,
    check_missing: bool = True,
    market: Market | None = None,
) -> list[CheckedClaim]:
    """Return the checked claims of a document, spans indexing `doc.text()`.

    Results are read from the store; when none are stored (or the document changed since, or
    some claims lacked data and prices were stored after the check), the document is checked now
    and stored, unless `check_missing` is False.
    """
    settings = settings or get_settings()
    stored = _store(settings).load(doc_id)
    if not check_missing:
        return stored[1] if stored else []
    from assistant.data.library import open_library

    doc = open_library(settings).get(doc_id)
    if doc is None:
        return stored[1] if stored else []
    if (
        stored
        and stored[0] == doc.content_hash()
        and not _data_arrived(doc_id, stored[1], settings)
    ):
        return stored[1]
    return check_and_store(doc, settings, market)


def _data_arrived(doc_id: str, results: list[CheckedClaim], settings: Settings) -> bool:
    """True when some claims had no data and the price store changed after they were checked."""
    from assistant.factcheck.verify import NO_DATA

    if not any(r.note.startswith(NO_DATA) for r in results):
        return False
    checked_at = _store(settings).checked_at(doc_id)
    files = settings.price_files()
    if checked_at is None or not files:
        return False
    return max(f.stat().st_mtime for f in files) > checked_at.timestamp()
