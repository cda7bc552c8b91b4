"""The one file that imports chromadb: a persistent client, two collections, nothing clever.

`footnote_chunks` holds every retrievable record (section chunks and source entries);
`footnote_documents` holds one record per document: its JSON and the generation (content
hash) whose chunks are visible. Writing that one record is the commit point of an ingest.

Chroma keeps each collection's vector index in the memory of the process that opened it, so a
process does not see vectors another process wrote after it opened the store (a query then
fails with "Error finding id"). `reopen()` drops this process's view and loads the store again;
the library calls it when the store's revision file says another process wrote, and a read
that fails that way is retried once on a reopened store.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import chromadb
import numpy as np
from chromadb.config import Settings

from knowledge.embeddings import E5EmbeddingFunction
from knowledge.errors import StoreError

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"

Metadata = dict[str, Any]
T = TypeVar("T")
log = logging.getLogger(__name__)

_handles_lock = threading.Lock()
_handles: dict[str, _Handle] = {}

REPAIR_HINT = "Run `footnote doctor --repair` to re-embed what is missing."


class _Handle:
    """One open client per folder and process, shared by every `ChromaStore` on that folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.lock = threading.RLock()
        self.revision: str | None = None
        self._open()

    def _open(self) -> None:
        self.client: Any = chromadb.PersistentClient(
            path=str(self.folder),
            settings=Settings(anonymized_telemetry=False, allow_reset=False),
        )
        try:
            function: Any = E5EmbeddingFunction()  # chroma's generic parameter is a union
            self.chunks = self.client.get_or_create_collection(
                CHUNKS, embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
            )
            self.documents = self.client.get_or_create_collection(
                DOCUMENTS, embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
            )
            self.batch = max(1, min(self.client.get_max_batch_size(), 1000))
        except Exception:
            _close(self.client)  # a half-open client must not keep its system cached
            raise

    def close(self) -> None:
        with self.lock:
            _close(self.client)

    def reopen(self) -> None:
        with self.lock:
            _close(self.client)
            _drop_system(self.folder)
            self._open()


def _close(client: Any) -> None:
    """Close a client through Chroma's public `Client.close()`: it releases the client's hold on
    the folder's shared system and stops and uncaches that system when no client is left, so the
    next `PersistentClient` on the folder loads it again from disk."""
    with contextlib.suppress(Exception):
        client.close()


def _drop_system(folder: Path) -> None:
    """Make sure no cached system for `folder` outlives its closed client.

    After `_close` nothing is left in the usual case and this does nothing. A system can remain
    when the client could not be closed (a Chroma without `close()`, a close that failed) or
    another client in this process opened the folder; only then is the folder's entry dropped
    from Chroma's cache: the one Chroma internal Footnote touches,
    `SharedSystemClient._identifier_to_system` (`tests/knowledge/test_chroma_internals.py`
    fails when a Chroma release moves it). The public `clear_system_cache()` is not used: it
    forgets every folder's system, and each open client looks its system up there on every
    call, so the other stores this process holds would break."""
    from chromadb.api.shared_system_client import SharedSystemClient

    systems = getattr(SharedSystemClient, "_identifier_to_system", None)
    if not isinstance(systems, dict) or str(folder) not in systems:
        return
    systems.pop(str(folder), None)
    counts = getattr(SharedSystemClient, "_identifier_to_refcount", None)
    if isinstance(counts, dict):
        counts.pop(str(folder), None)


def cached_system(folder: Path) -> bool:
    """Whether Chroma still caches a system for `folder` in this process (for tests, doctor)."""
    from chromadb.api.shared_system_client import SharedSystemClient

    systems = getattr(SharedSystemClient, "_identifier_to_system", {})
    return str(folder.resolve()) in systems


def forget(folder: Path) -> None:
    """Close and drop this process's client on `folder` (before the folder is moved away)."""
    with _handles_lock:
        handle = _handles.pop(str(folder.resolve()), None)
    if handle is not None:
        handle.close()
    _drop_system(folder.resolve())


def _is_stale_view(exc: Exception) -> bool:
    text = str(exc)
    return "Error finding id" in text or "Nothing found on disk" in text or "hnsw" in text.lower()


class ChromaStore:
    """Chroma `PersistentClient` under one folder, with our embedding function and cosine space."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        key = str(folder.resolve())
        with _handles_lock:
            handle = _handles.get(key)
            if handle is None:
                try:
                    handle = _Handle(Path(key))
                except Exception as exc:
                    _drop_system(Path(key))
                    raise StoreError(
                        f"the knowledge store in {folder} cannot be opened: {exc}"[:400],
                        "`footnote doctor --repair` sets it aside and ingests its documents "
                        "again from their files.",
                    ) from None
                _handles[key] = handle
        self._h = handle

    @property
    def _client(self) -> Any:
        return self._h.client

    @property
    def _chunks(self) -> Any:
        return self._h.chunks

    @property
    def _documents(self) -> Any:
        return self._h.documents

    @property
    def _batch(self) -> int:
        return self._h.batch

    @property
    def revision(self) -> str | None:
        """The store revision this process's view was loaded at (or last wrote)."""
        return self._h.revision

    @revision.setter
    def revision(self, value: str | None) -> None:
        self._h.revision = value

    def reopen(self, revision: str | None = None) -> None:
        """Load the store again from disk: another process wrote since this one opened it."""
        self._h.reopen()
        self._h.revision = revision

    def _read(self, call: Callable[[], T]) -> T:
        """Run a read; on a stale view reopen once and retry, then report damage."""
        with self._h.lock:
            try:
                return call()
            except Exception as exc:
                if not _is_stale_view(exc):
                    raise
                log.info("knowledge store view was stale (%s); reopening", exc)
            self._h.reopen()
            try:
                return call()
            except Exception as exc:
                if not _is_stale_view(exc):
                    raise
                raise StoreError(
                    f"the knowledge store's vector index is damaged: {exc}", REPAIR_HINT
                ) from None

    # chunks ---------------------------------------------------------------------------------
    def add_chunks(
        self,
        ids: Sequence[str],
        embeddings: np.ndarray,
        texts: Sequence[str],
        metadatas: Sequence[Metadata],
    ) -> None:
        with self._h.lock:
            for start in range(0, len(ids), self._batch):
                end = start + self._batch
                self._chunks.upsert(
                    ids=list(ids[start:end]),
                    embeddings=embeddings[start:end],
                    documents=list(texts[start:end]),
                    metadatas=list(metadatas[start:end]),
                )

    def delete_chunks(self, ids: Sequence[str]) -> None:
        with self._h.lock:
            for start in range(0, len(ids), self._batch):
                self._chunks.delete(ids=list(ids[start : start + self._batch]))

    def chunk_ids(self, where: Mapping[str, Any] | None = None) -> list[str]:
        return self._read(
            lambda: list(self._chunks.get(where=dict(where) if where else None, include=[])["ids"])
        )

    def get_chunks(
        self, ids: Sequence[str] | None = None, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, Metadata]]:
        result = self._read(
            lambda: self._chunks.get(
                ids=list(ids) if ids is not None else None,
                where=dict(where) if where else None,
                include=["documents", "metadatas"],
            )
        )
        docs = result["documents"] or []
        metas = result["metadatas"] or []
        return [(i, d, dict(m)) for i, d, m in zip(result["ids"], docs, metas, strict=True)]

    def get_embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunk ids (absent ids are left out)."""
        if not ids:
            return {}
        result = self._read(lambda: self._chunks.get(ids=list(ids), include=["embeddings"]))
        vectors = result["embeddings"]
        if vectors is None:
            return {}
        return {
            i: np.asarray(v, dtype=np.float32) for i, v in zip(result["ids"], vectors, strict=True)
        }

    def query_chunks(
        self, embedding: np.ndarray, n: int, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, Metadata, float]]:
        def query() -> Any:
            count = self._chunks.count()
            if count == 0:
                return None
            return self._chunks.query(
                query_embeddings=[embedding],
                n_results=min(n, count),
                where=dict(where) if where else None,
                include=["documents", "metadatas", "distances"],
            )

        result = self._read(query)
        if result is None:
            return []
        ids = result["ids"][0]
        docs = (result["documents"] or [[]])[0]
        metas = (result["metadatas"] or [[]])[0]
        dists = (result["distances"] or [[]])[0]
        return [
            (i, d, dict(m), 1.0 - float(dist))
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def count_chunks(self) -> int:
        return self._read(lambda: int(self._chunks.count()))

    # documents (the commit records) ---------------------------------------------------------
    def commit_document(
        self, doc_id: str, payload: str, embedding: np.ndarray, metadata: Metadata
    ) -> None:
        with self._h.lock:
            self._documents.upsert(
                ids=[doc_id],
                embeddings=embedding[None, :],
                documents=[payload],
                metadatas=[metadata],
            )

    def delete_document(self, doc_id: str) -> None:
        with self._h.lock:
            self._documents.delete(ids=[doc_id])

    def get_documents(
        self, ids: Sequence[str] | None = None, where: Mapping[str, Any] | None = None
    ) -> list[tuple[str, str, Metadata]]:
        result = self._read(
            lambda: self._documents.get(
                ids=list(ids) if ids is not None else None,
                where=dict(where) if where else None,
                include=["documents", "metadatas"],
            )
        )
        docs = result["documents"] or []
        metas = result["metadatas"] or []
        return [(i, d, dict(m)) for i, d, m in zip(result["ids"], docs, metas, strict=True)]

    def count_documents(self) -> int:
        return self._read(lambda: int(self._documents.count()))

    def reset_chunks(self) -> None:
        """Drop the chunk collection and create it empty (its index is beyond reading)."""
        with self._h.lock:
            with contextlib.suppress(Exception):
                self._h.client.delete_collection(CHUNKS)
            self._h.reopen()

    def embedding_function_name(self) -> str | None:
        """The embedding function the chunk collection's saved configuration names."""
        config = self._chunks.configuration_json or {}
        function = config.get("embedding_function") or {}
        name = function.get("name") if isinstance(function, dict) else None
        return str(name) if name else None
