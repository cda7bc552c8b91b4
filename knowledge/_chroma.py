"""Chroma for the knowledge store: two collections, read through Chroma's Rust core or its client.

The files that import chromadb are this one (inside functions: a search does not load chromadb's
Python client) and `knowledge/_chroma_e5.py` (the embedding function the client registers). A
store on this disk is read through a read-only view on Chroma's Rust core (`_Reader`) until
something needs the client: a write, a server, the collections' configuration.

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
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import numpy as np

from knowledge.errors import StoreError

CHUNKS = "footnote_chunks"
DOCUMENTS = "footnote_documents"
TENANT = "default_tenant"  # chromadb.config.DEFAULT_TENANT / DEFAULT_DATABASE
DATABASE = "default_database"

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


class _ReadOnly:
    """One collection as the reader sees it: the `get`, `query` and `count` of Chroma's
    `Collection`, for the arguments this module passes, answered by Chroma's Rust core."""

    def __init__(self, reader: _Reader, collection_id: str) -> None:
        self._reader = reader
        self.id = collection_id

    def count(self) -> int:
        return int(self._reader.bindings.count(self.id, TENANT, DATABASE))

    def get(
        self,
        ids: Sequence[str] | None = None,
        where: Mapping[str, Any] | None = None,
        include: Sequence[str] = ("documents", "metadatas"),
        limit: int | None = None,
        offset: int | None = None,
    ) -> dict[str, Any]:
        found = self._reader.bindings.get(
            self.id, list(ids) if ids is not None else None, _json(where), limit, offset or 0,
            None, list(include), TENANT, DATABASE,
        )  # fmt: skip
        return {
            "ids": found.ids,
            "documents": found.documents,
            "metadatas": found.metadatas,
            "embeddings": np.array(found.embeddings) if "embeddings" in include else None,
        }

    def query(
        self,
        query_embeddings: Sequence[np.ndarray],
        n_results: int,
        where: Mapping[str, Any] | None = None,
        include: Sequence[str] = ("documents", "metadatas", "distances"),
    ) -> dict[str, Any]:
        found = self._reader.bindings.query(
            self.id, None, list(query_embeddings), n_results, _json(where), None, list(include),
            TENANT, DATABASE,
        )  # fmt: skip
        return {
            "ids": found.ids,
            "documents": found.documents,
            "metadatas": found.metadatas,
            "distances": found.distances,
        }


def _json(where: Mapping[str, Any] | None) -> str | None:
    import json

    return json.dumps(where) if where else None


class _Reader:
    """A read-only view of a store on this disk through Chroma's Rust core
    (`chromadb_rust_bindings`), opened without importing chromadb's Python API: that import
    is about 1 s, half of what a cold `footnote search` may take. The core is what Chroma's
    `PersistentClient` runs underneath (`chromadb.api.rust.RustBindingsAPI`), opened with the
    same arguments that client passes, so reads return what the client's reads return
    (`tests/knowledge/test_chroma_internals.py` holds the two to the same answers). Writes, a
    store without its two collections, a server and FOOTNOTE_HNSW_EF_SEARCH take the client."""

    def __init__(self, bindings: Any, chunks: str, documents: str) -> None:
        self.bindings = bindings
        self.chunks = _ReadOnly(self, chunks)
        self.documents = _ReadOnly(self, documents)

    @classmethod
    def open(cls, folder: Path) -> _Reader | None:
        """The view, or None when the store is new (no collections yet) or the core cannot be
        opened this way (then the client opens it)."""
        if os.environ.get("FOOTNOTE_CHROMA_READER", "1") == "0":
            return None
        if not (folder / "chroma.sqlite3").is_file():
            return None  # a new store: the client creates it
        try:
            import resource

            import chromadb_rust_bindings as rust

            # as `RustBindingsAPI.start()` does with Chroma's default settings
            # (migrations "apply", hash "md5"); 5 files per HNSW index
            config = rust.SqliteDBConfig(
                hash_type=rust.MigrationHash.MD5,
                migration_mode=rust.MigrationMode.Apply,
                url=str(folder / "chroma.sqlite3"),
            )
            bindings = rust.Bindings(
                allow_reset=False,
                sqlite_db_config=config,
                persist_path=str(folder),
                hnsw_cache_size=resource.getrlimit(resource.RLIMIT_NOFILE)[0] // 5,
            )
        except Exception as exc:  # another Chroma build: the client knows how to open it
            log.info("Chroma's core cannot be opened directly (%s): using its client", exc)
            return None
        try:
            chunks = bindings.get_collection(CHUNKS, TENANT, DATABASE)
            documents = bindings.get_collection(DOCUMENTS, TENANT, DATABASE)
        except Exception:
            del bindings  # collections not created yet: the client creates them
            return None
        return cls(bindings, str(chunks.id), str(documents.id))

    def close(self) -> None:
        """Drop the core (its HNSW indexes and SQLite pool), as `RustBindingsAPI.stop()` does."""
        with contextlib.suppress(AttributeError):
            del self.bindings


class _Handle:
    """One open store per folder and process, shared by every `ChromaStore` on that folder:
    a read-only view (`_Reader`) until something needs Chroma's client (a write, a server,
    the collections' configuration), then the client, which replaces the view."""

    def __init__(self, folder: Path, url: str | None = None) -> None:
        self.folder = folder
        self.url = url
        self.lock = threading.RLock()
        self.revision: str | None = None
        self.count: int | None = None  # chunks, known since this process's last write or open
        self.client: Any = None
        self.reader: _Reader | None = None
        self.sizes: list[int] | None = None  # records per collection, tallied by writes
        self.sizes_checked = False
        self._open()

    @property
    def chunks(self) -> Any:
        return self.reader.chunks if self.reader is not None else self._chunks

    @property
    def documents(self) -> Any:
        return self.reader.documents if self.reader is not None else self._documents

    def _open(self) -> None:
        self.count = None
        if not self.url and not _ef_search_wanted():
            self.reader = _Reader.open(self.folder)
            if self.reader is not None:
                return
        self._open_client()

    def full(self) -> _Handle:
        """This handle with Chroma's client open (the read-only view, if any, dropped)."""
        with self.lock:
            if self.client is None:
                if self.reader is not None:
                    self.reader.close()
                    self.reader = None
                self._open_client()
            return self

    def _open_client(self) -> None:
        import chromadb
        from chromadb.config import Settings

        from knowledge._chroma_e5 import E5EmbeddingFunction

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
            client: Any = chromadb.HttpClient(
                host=host, port=port, ssl=ssl, settings=settings, database=database
            )
        else:
            client = chromadb.PersistentClient(path=str(self.folder), settings=settings)
        # a new collection saves its index every 100 records (`keep_replay_short`); a server
        # is one long-lived process and keeps Chroma's default
        hnsw: dict[str, Any] = {"space": "cosine"}
        if not self.url:
            hnsw["sync_threshold"] = SYNC_THRESHOLDS[0]
        try:
            function: Any = E5EmbeddingFunction()  # chroma's generic parameter is a union
            self._chunks = client.get_or_create_collection(
                CHUNKS,
                embedding_function=function,
                configuration={"hnsw": {**hnsw, "ef_search": _ef_search()}},
            )
            self._documents = client.get_or_create_collection(
                DOCUMENTS, embedding_function=function, configuration={"hnsw": hnsw}
            )
            self.batch = max(1, min(client.get_max_batch_size(), 1000))
        except Exception:
            _close(client)  # a half-open client must not keep its system cached
            raise
        self.client = client
        self.count = None
        self.sizes, self.sizes_checked = None, False
        self._tune()

    def _tune(self) -> None:
        """Set HNSW's search width on a store at Chroma's default or ours to ours for its size
        (or to FOOTNOTE_HNSW_EF_SEARCH when set); saved in the collection's configuration, so it
        holds from the next process that opens the store (this one keeps what it loaded). Run when
        Chroma's client opens (a writer, a server): a reader's read-only view leaves an older
        store's width as it is until its next writer."""
        hnsw = (self._chunks.configuration_json or {}).get("hnsw") or {}
        current = hnsw.get("ef_search")
        explicit = os.environ.get("FOOTNOTE_HNSW_EF_SEARCH", "").strip().isdigit()
        if not explicit and current not in (None, *_OURS):
            return  # widened on purpose: left as chosen
        with contextlib.suppress(Exception):
            wanted = _ef_search(int(self._chunks.count()) if not explicit else 0)
            if current != wanted:
                self._chunks.modify(configuration={"hnsw": {"ef_search": wanted}})

    def keep_replay_short(self, adding: int) -> None:
        """Keep each collection's `sync_threshold` (a mutable HNSW setting) in step with its
        size; the chunk writes call it before writing `adding` records.

        Chroma saves a collection's HNSW index every `sync_threshold` records written (default
        1000), and a process that opens the store replays the records written since the last
        save (Chroma's log in SQLite) into the loaded index before its first read. At 37k chunks
        that replay was 0.6-0.7 s CPU of a cold `footnote search` (755 chunk and 501 document
        records; 214 records still cost 0.2 s), loading the saved index 0.1 s. A save writes the
        changed vectors and the whole id map (O(store)), so the threshold grows with the store:
        the smallest of 100, 250, 500, 1000 records that is at least 0.2% of the collection, so
        the replay stays under 0.2% of the store. A save cost 0.03 s CPU and 0.06 s of disk
        syncs at 37k (every 100 records there). Chroma reads the setting when it loads the
        index, so a change is followed by a reopen (rare: a store crosses 50k, 125k and 250k
        records once); a store written before opens and searches as it is and gets the setting
        from its next writer."""
        if self.url or self.client is None:
            return
        changed = False
        try:
            if self.sizes is None:
                self.sizes = [int(self._chunks.count()), int(self._documents.count())]
            self.sizes[0] += adding
            self.sizes[1] += 1  # a document commit follows a document's chunks
            for collection, size in zip((self._chunks, self._documents), self.sizes, strict=True):
                hnsw = (collection.configuration_json or {}).get("hnsw") or {}
                now, wanted = int(hnsw.get("sync_threshold", 1000)), sync_threshold(size)
                if now < wanted or (now != wanted and not self.sizes_checked):
                    collection.modify(configuration={"hnsw": {"sync_threshold": wanted}})
                    changed = True
        except Exception as exc:  # only a cold start's speed is at stake: write on
            log.info("could not set the HNSW sync threshold: %s", exc)
        self.sizes_checked = True
        if changed:  # this process's loaded index keeps the old setting until reloaded
            sizes = self.sizes
            self.reopen()
            self.full()
            self.sizes, self.sizes_checked = sizes, True

    def _shut(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        if self.client is not None:
            _close(self.client)
            self.client = None

    def close(self) -> None:
        with self.lock:
            self._shut()

    def reopen(self) -> None:
        with self.lock:
            self._shut()
            if not self.url:
                _drop_system(self.folder)
            self._open()


SYNC_THRESHOLDS = (100, 250, 500, 1000)  # records between two saves of an HNSW index


def sync_threshold(records: int) -> int:
    """The `sync_threshold` for a collection of this many records (`_Handle.keep_replay_short`)."""
    return next((t for t in SYNC_THRESHOLDS if t * 500 >= records), SYNC_THRESHOLDS[-1])


def _ef_search_wanted() -> int | None:
    wanted = os.environ.get("FOOTNOTE_HNSW_EF_SEARCH", "").strip()
    return int(wanted) if wanted.isdigit() else None


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
    from Chroma's cache: a Chroma internal, `SharedSystemClient._identifier_to_system`
    (`tests/knowledge/test_chroma_internals.py` fails when a Chroma release moves it; the other
    internal Footnote uses is the Rust core the read-only view opens). The public
    `clear_system_cache()` is not used: it forgets every folder's system, and each open client
    looks its system up there on every call, so the other stores this process holds would
    break. A process that never imported chromadb's client has no system to drop."""
    if "chromadb.api.shared_system_client" not in sys.modules:
        return
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
    if "chromadb.api.shared_system_client" not in sys.modules:
        return False
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
        return self._h.full().client

    @property
    def _chunks(self) -> Any:
        return self._h.chunks

    @property
    def _documents(self) -> Any:
        return self._h.documents

    @property
    def _batch(self) -> int:
        return self._h.full().batch

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
            self._h.full().keep_replay_short(len(ids))
            chunks = self._h.full().chunks
            for start in range(0, len(ids), self._batch):
                end = start + self._batch
                chunks.upsert(
                    ids=list(ids[start:end]),
                    embeddings=embeddings[start:end],
                    documents=list(texts[start:end]),
                    metadatas=list(metadatas[start:end]),
                )

    def delete_chunks(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        with self._h.lock:
            self._h.count = None
            chunks = self._h.full().chunks
            for start in range(0, len(ids), self._batch):
                chunks.delete(ids=list(ids[start : start + self._batch]))

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
        if not records:
            return [(i, "", {}, 1.0 - float(dist)) for i, dist in zip(ids, dists, strict=True)]
        docs = (result.get("documents") or [[""] * len(ids)])[0]
        metas = (result.get("metadatas") or [[{}] * len(ids)])[0]
        return [
            (i, d, dict(m), 1.0 - float(dist))
            for i, d, m, dist in zip(ids, docs, metas, dists, strict=True)
        ]

    def count_chunks(self) -> int:
        return self._read(lambda: int(self._chunks.count()))

    # documents (the commit records) ---------------------------------------------------------
    def commit_documents(
        self,
        ids: Sequence[str],
        payloads: Sequence[str],
        embeddings: np.ndarray,
        metadatas: Sequence[Metadata],
    ) -> None:
        """Commit records in one upsert: a write's commit point (one document or a batch)."""
        with self._h.lock:
            documents = self._h.full().documents
            for start in range(0, len(ids), self._batch):
                end = start + self._batch
                documents.upsert(
                    ids=list(ids[start:end]),
                    embeddings=embeddings[start:end],
                    documents=list(payloads[start:end]),
                    metadatas=list(metadatas[start:end]),
                )

    def delete_document(self, doc_id: str) -> None:
        with self._h.lock:
            self._h.full().documents.delete(ids=[doc_id])

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
                self._h.full().client.delete_collection(CHUNKS)
            self._h.reopen()

    def embedding_function_name(self) -> str | None:
        """The embedding function the chunk collection's saved configuration names."""
        config = self._h.full().chunks.configuration_json or {}
        function = config.get("embedding_function") or {}
        name = function.get("name") if isinstance(function, dict) else None
        return str(name) if name else None
