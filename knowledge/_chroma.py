"""The one file that imports chromadb: a persistent client, two collections, nothing clever.

`footnote_chunks` holds every retrievable record (section chunks and source entries);
`footnote_documents` holds one record per document: its JSON and the generation (content
hash) whose chunks are visible. Writing that one record is the commit point of an ingest.

Chroma keeps each collection's vector index in the memory of the process that opened it, so a
process does not see vectors another process wrote after it opened the store (a query then
fails with "Error finding id"). `reopen()` drops this process's view and loads the store again;
the library calls it when the store's revision file says another process wrote, and a read
that fails that way is retried once on a reopened store.

With a URL (`FOOTNOTE_CHROMA_URL`, e.g. `http://127.0.0.1:8000`, optionally ending in
`/<database>`) the same collections live on a `chroma run` server reached by `HttpClient`; the
folder still holds the write lock, the revision, the manifest and the lexical index.

Bulk reads go page by page (`PAGE` records a call, below SQLite's limit of 32,766 variables in
one statement, whatever Chroma's version), so no call loads the whole store at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

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
# Records read per call in a bulk read: Chroma's SQLite backend binds one variable per id (and
# per metadata row), and SQLite refuses statements with more than 32,766.
PAGE = int(os.environ.get("FOOTNOTE_CHROMA_PAGE", "5000"))
Row = tuple[str, str, Metadata]


CHROMA_EF_SEARCH = 100  # Chroma's own default
# How wide HNSW searches (candidates kept while walking the graph). Measured with vectors shaped
# like e5's (benchmarks/scale_corpus.py), 40 questions, recall@10 against exact search:
# 108,276 chunks: 0.950 at 100, 0.970 at 200, 0.983 at 400 (2.3 / 2.4 / 4.3 ms of CPU a query);
# 632,886 chunks: 0.915 at 200, 0.970 at 400 (5.4 ms). Wider for large stores.
EF_SEARCH = 200
EF_SEARCH_LARGE = 400
LARGE = 250_000  # chunks from which a store searches `EF_SEARCH_LARGE` wide
_OURS = (CHROMA_EF_SEARCH, EF_SEARCH, EF_SEARCH_LARGE)  # widths not chosen by hand


def _ef_search(chunks: int = 0) -> int:
    """FOOTNOTE_HNSW_EF_SEARCH when set to a number, else ours for a store of `chunks`."""
    wanted = os.environ.get("FOOTNOTE_HNSW_EF_SEARCH", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return EF_SEARCH_LARGE if chunks >= LARGE else EF_SEARCH


def _server(url: str) -> tuple[str, int, bool, str]:
    """(host, port, ssl, database) from `http[s]://host[:port][/database]`."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(
            f"FOOTNOTE_CHROMA_URL {url!r} is not an http(s) URL",
            "Set it like http://127.0.0.1:8000 (optionally /<database>), or unset it to keep "
            "the store on this disk.",
        )
    ssl = parts.scheme == "https"
    port = parts.port or (443 if ssl else 8000)
    database = parts.path.strip("/") or "default_database"
    return parts.hostname, port, ssl, database


class _Handle:
    """One open client per folder and process, shared by every `ChromaStore` on that folder."""

    def __init__(self, folder: Path, url: str | None = None) -> None:
        self.folder = folder
        self.url = url
        self.lock = threading.RLock()
        self.revision: str | None = None
        self.count: int | None = None  # chunks, known since this process's last write or open
        self._open()

    def _open(self) -> None:
        settings = Settings(anonymized_telemetry=False, allow_reset=False)
        if self.url:
            host, port, ssl, database = _server(self.url)
            if database != "default_database":
                admin = chromadb.AdminClient(
                    Settings(
                        anonymized_telemetry=False,
                        chroma_api_impl="chromadb.api.fastapi.FastAPI",
                        chroma_server_host=host,
                        chroma_server_http_port=port,
                        chroma_server_ssl_enabled=ssl,
                    )
                )
                try:
                    admin.get_database(database)
                except Exception:
                    admin.create_database(database)
            self.client: Any = chromadb.HttpClient(
                host=host, port=port, ssl=ssl, settings=settings, database=database
            )
        else:
            self.client = chromadb.PersistentClient(path=str(self.folder), settings=settings)
        try:
            function: Any = E5EmbeddingFunction()  # chroma's generic parameter is a union
            self.chunks = self.client.get_or_create_collection(
                CHUNKS,
                embedding_function=function,
                configuration={"hnsw": {"space": "cosine", "ef_search": _ef_search()}},
            )
            self.documents = self.client.get_or_create_collection(
                DOCUMENTS, embedding_function=function, configuration={"hnsw": {"space": "cosine"}}
            )
            self.batch = max(1, min(self.client.get_max_batch_size(), 1000))
        except Exception:
            _close(self.client)  # a half-open client must not keep its system cached
            raise
        self.count = None
        self._tune()

    def _tune(self) -> None:
        """Set HNSW's search width on a store at Chroma's default or ours to ours for its size
        (or to FOOTNOTE_HNSW_EF_SEARCH when set); saved in the collection's configuration, so it
        holds from the next process that opens the store (this one keeps what it loaded)."""
        hnsw = (self.chunks.configuration_json or {}).get("hnsw") or {}
        current = hnsw.get("ef_search")
        explicit = os.environ.get("FOOTNOTE_HNSW_EF_SEARCH", "").strip().isdigit()
        if not explicit and current not in (None, *_OURS):
            return  # widened on purpose: left as chosen
        with contextlib.suppress(Exception):
            wanted = _ef_search(int(self.chunks.count()) if not explicit else 0)
            if current != wanted:
                self.chunks.modify(configuration={"hnsw": {"ef_search": wanted}})

    def close(self) -> None:
        with self.lock:
            _close(self.client)

    def reopen(self) -> None:
        with self.lock:
            _close(self.client)
            if not self.url:
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
    """Chroma under one folder (`PersistentClient`) or on a server (`HttpClient`, given `url`),
    with our embedding function and cosine space."""

    def __init__(self, folder: Path, url: str | None = None) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.url = url.strip() if url and url.strip() else None
        key = str(folder.resolve()) if self.url is None else f"{self.url}|{folder.resolve()}"
        with _handles_lock:
            handle = _handles.get(key)
            if handle is None:
                try:
                    handle = _Handle(folder.resolve(), self.url)
                except StoreError:
                    raise
                except Exception as exc:
                    if self.url:
                        raise StoreError(
                            f"the Chroma server at {self.url} cannot be reached: {exc}"[:400],
                            "Start it (`chroma run --path <folder> --port <port>`) or unset "
                            "FOOTNOTE_CHROMA_URL to keep the store on this disk.",
                        ) from None
                    _drop_system(folder.resolve())
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
            self._h.count = None
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
            self._h.count = None
            for start in range(0, len(ids), self._batch):
                self._chunks.delete(ids=list(ids[start : start + self._batch]))

    def _pages(
        self,
        collection: Callable[[], Any],
        *,
        ids: Sequence[str] | None = None,
        where: Mapping[str, Any] | None = None,
        include: Sequence[str] = ("documents", "metadatas"),
    ) -> Iterator[dict[str, Any]]:
        """`get` results, at most `PAGE` records each: by id slices, or by offset."""
        filter_ = dict(where) if where else None
        if ids is not None:
            wanted = list(ids)
            for start in range(0, len(wanted), PAGE):
                part = wanted[start : start + PAGE]
                yield self._read(
                    lambda part=part: collection().get(  # type: ignore[misc]
                        ids=part, where=filter_, include=list(include)
                    )
                )
            return
        offset = 0
        while True:
            page = self._read(
                lambda offset=offset: collection().get(  # type: ignore[misc]
                    where=filter_, include=list(include), limit=PAGE, offset=offset
                )
            )
            yield page
            if len(page["ids"]) < PAGE:
                return
            offset += PAGE

    @staticmethod
    def _rows(page: dict[str, Any]) -> list[Row]:
        n = len(page["ids"])
        docs = page.get("documents") or [""] * n
        metas = page.get("metadatas") or [{}] * n
        return [
            (i, d or "", dict(m or {})) for i, d, m in zip(page["ids"], docs, metas, strict=True)
        ]

    def iter_chunks(
        self, where: Mapping[str, Any] | None = None, *, texts: bool = True
    ) -> Iterator[list[Row]]:
        """Every chunk (optionally matching `where`), a page at a time; `texts=False` reads
        metadata only (the text is then "")."""
        include = ("documents", "metadatas") if texts else ("metadatas",)
        for page in self._pages(lambda: self._chunks, where=where, include=include):
            yield self._rows(page)

    def chunk_ids(self, where: Mapping[str, Any] | None = None) -> list[str]:
        out: list[str] = []
        for page in self._pages(lambda: self._chunks, where=where, include=()):
            out.extend(page["ids"])
        return out

    def get_chunks(
        self, ids: Sequence[str] | None = None, where: Mapping[str, Any] | None = None
    ) -> list[Row]:
        out: list[Row] = []
        for page in self._pages(lambda: self._chunks, ids=ids, where=where):
            out.extend(self._rows(page))
        return out

    def get_embeddings(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of these chunk ids (absent ids are left out)."""
        out: dict[str, np.ndarray] = {}
        if not ids:
            return out
        for page in self._pages(lambda: self._chunks, ids=ids, include=("embeddings",)):
            vectors = page["embeddings"]
            if vectors is None:
                continue
            for i, v in zip(page["ids"], vectors, strict=True):
                out[i] = np.asarray(v, dtype=np.float32)
        return out

    def query_chunks(
        self,
        embedding: np.ndarray,
        n: int,
        where: Mapping[str, Any] | None = None,
        *,
        records: bool = True,
    ) -> list[tuple[str, str, Metadata, float]]:
        """The `n` nearest chunks: (id, text, metadata, cosine). `records=False` returns ids and
        cosines only (text "" and metadata {}): reading records costs more than the search."""
        include = ["documents", "metadatas", "distances"] if records else ["distances"]

        def query() -> Any:
            # counted once per write or reopen: a count per query cost as much as the query
            count = self._h.count
            if count is None:
                count = self._h.count = int(self._chunks.count())
            if count == 0:
                return None
            return self._chunks.query(
                query_embeddings=[embedding],
                n_results=min(n, count),
                where=dict(where) if where else None,
                include=include,
            )

        result = self._read(query)
        if result is None:
            return []
        ids = result["ids"][0]
        dists = (result["distances"] or [[]])[0]
        docs = (result.get("documents") or [[""] * len(ids)])[0]
        metas = (result.get("metadatas") or [[{}] * len(ids)])[0]
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

    def commit_documents(
        self,
        ids: Sequence[str],
        payloads: Sequence[str],
        embeddings: np.ndarray,
        metadatas: Sequence[Metadata],
    ) -> None:
        """Several commit records in one upsert (a batched ingest's commit point)."""
        with self._h.lock:
            for start in range(0, len(ids), self._batch):
                end = start + self._batch
                self._documents.upsert(
                    ids=list(ids[start:end]),
                    embeddings=embeddings[start:end],
                    documents=list(payloads[start:end]),
                    metadatas=list(metadatas[start:end]),
                )

    def delete_document(self, doc_id: str) -> None:
        with self._h.lock:
            self._documents.delete(ids=[doc_id])

    def get_documents(
        self,
        ids: Sequence[str] | None = None,
        where: Mapping[str, Any] | None = None,
        *,
        payloads: bool = True,
    ) -> list[Row]:
        """Document records (all, or by id or `where`), read page by page; `payloads=False`
        reads the metadata only (the payload is then "")."""
        include = ("documents", "metadatas") if payloads else ("metadatas",)
        out: list[Row] = []
        for page in self._pages(lambda: self._documents, ids=ids, where=where, include=include):
            out.extend(self._rows(page))
        return out

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
