"""The knowledge store as the app sees it: opened from settings, demo corpus ready on first use."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from knowledge import Document, IngestOutcome, Library, Passage

_lock = threading.Lock()
_open: dict[Path, Library] = {}


def open_library(settings: Settings | None = None, *, demo: bool = True) -> Library:
    """The process's `Library` for the configured FOOTNOTE_HOME; ingests the demo when empty."""
    from knowledge import Library

    settings = settings or get_settings()
    folder = settings.chroma_dir
    with _lock:
        library = _open.get(folder)
        if library is None:
            library = Library(folder, max_file_mb=settings.max_file_mb)
            _open[folder] = library
    if demo:
        _ensure_demo(library, settings)
    return library


def _ensure_demo(library: Library, settings: Settings) -> bool:
    """Ingest the demo corpus into an empty store; fact-check its news items when there are
    prices to check them against (without prices every check would be stored "unverifiable")."""
    if not library.ensure_demo():
        return False
    _check_unchecked_news(library, settings)
    return True


def _check_unchecked_news(library: Library, settings: Settings) -> int:
    """Fact-check the news items never checked, once there are prices to check them against."""
    if not settings.price_files():
        return 0
    from assistant.factcheck.stored import check_unchecked

    return check_unchecked([doc.id for doc in library.documents("news")], settings)


def ensure_demo_corpus(settings: Settings | None = None) -> str:
    """One progress line: the demo corpus ingested now or already there, and how many news items
    were fact-checked now (those never checked, once prices are in the store)."""
    settings = settings or get_settings()
    library = open_library(settings, demo=False)
    ingested = library.ensure_demo()
    checked = _check_unchecked_news(library, settings)
    done = f"; {checked} news items fact-checked" if checked else ""
    if ingested:
        docs, chunks = library.count()
        return f"Demo news corpus ingested: {docs} documents, {chunks} records{done}."
    return f"Demo news corpus: already present{done}."


def ingest(
    paths: Iterable[Path | str],
    on_progress: Callable[[int, int, str], None] | None = None,
    settings: Settings | None = None,
) -> list[IngestOutcome]:
    """Ingest files and folders into the configured store; one outcome per file.

    News items that were added or changed have their market claims checked and stored.
    """
    outcomes = open_library(settings, demo=False).ingest(paths, on_progress)
    from assistant.factcheck.stored import check_ingested

    fresh = [i for o in outcomes if o.status in ("added", "updated") for i in o.doc_ids]
    check_ingested(fresh, settings)
    return outcomes


def documents(settings: Settings | None = None) -> list[Document]:
    """Every stored document, newest first (the demo corpus included)."""
    return open_library(settings).documents()


def search(
    query: str, k: int = 5, settings: Settings | None = None, **filters: Any
) -> list[Passage]:
    """Hybrid search over the configured store."""
    since = filters.get("since")
    if isinstance(since, str):
        filters["since"] = dt.date.fromisoformat(since)
    until = filters.get("until")
    if isinstance(until, str):
        filters["until"] = dt.date.fromisoformat(until)
    return open_library(settings).search(query, k, **filters)
