"""The knowledge store opened from settings, once per folder and process."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from assistant.settings import Settings

if TYPE_CHECKING:
    from assistant.ports import Library as LibraryPort
    from knowledge import Document, IngestOutcome, Library, Passage
    from knowledge.documents import DocumentKind

_lock = threading.Lock()
_open: dict[Path, Library] = {}


def open_library(settings: Settings) -> Library:
    """The process's `Library` for the configured FOOTNOTE_HOME (one per folder)."""
    from knowledge import Library
    from knowledge.loaders import Limits

    folder = settings.chroma_dir
    limits = Limits(
        max_chars=settings.max_doc_chars,
        yaml_aliases=settings.max_yaml_aliases,
        json_depth=settings.max_json_depth,
        pdf_pages=settings.max_pdf_pages,
        pdf_decompressed_mb=settings.max_pdf_mb,
        seconds=settings.max_doc_seconds,
    )
    with _lock:
        library = _open.get(folder)
        if library is None:
            library = Library(
                folder,
                max_file_mb=settings.max_file_mb,
                lock_timeout_s=settings.store_lock_s,
                limits=limits,
                chroma_url=settings.chroma_url,
            )
            _open[folder] = library
    return library


def forget_library(settings: Settings) -> None:
    """Drop the process's `Library` for this FOOTNOTE_HOME (its folder is being replaced)."""
    with _lock:
        _open.pop(settings.chroma_dir, None)


class LibraryProxy:
    """A library reached through `target()` on every call, optionally under a lock: opened on
    first need (the chat's library) or serialised (research sections share one store)."""

    def __init__(
        self, target: Callable[[], LibraryPort], lock: threading.Lock | None = None
    ) -> None:
        self._target = target
        self._lock = lock or contextlib.nullcontext()

    def get(self, doc_id: str) -> Document | None:
        with self._lock:
            return self._target().get(doc_id)

    def documents(self, kind: DocumentKind | None = None) -> list[Document]:
        with self._lock:
            return self._target().documents(kind)

    def search(
        self,
        query: str,
        k: int = 5,
        *,
        doc_id: str | None = None,
        kind: DocumentKind | None = None,
        record: Literal["chunk", "source"] | None = None,
        language: str | None = None,
        ticker: str | None = None,
        tag: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[Passage]:
        with self._lock:
            return self._target().search(
                query,
                k,
                doc_id=doc_id,
                kind=kind,
                record=record,
                language=language,
                ticker=ticker,
                tag=tag,
                since=since,
                until=until,
            )

    def ingest(
        self,
        paths: Iterable[Path | str],
        on_progress: Callable[[int, int, str], None] | None = None,
    ) -> list[IngestOutcome]:
        with self._lock:
            return self._target().ingest(paths, on_progress)

    def ensure_demo(self) -> bool:
        with self._lock:
            return self._target().ensure_demo()

    def count(self) -> tuple[int, int]:
        with self._lock:
            return self._target().count()
